/**
 * Adoption in the vendored example (issue #14): the same import IDs as the
 * synth, aimed at the vendored modules' addresses. Terraform allows `import`
 * blocks only in a root module, so the example root carries them.
 *
 * The IDs are not computed twice: the app is built in memory, each stack's
 * imports are the synth's own (`importFrom` for the member account and the
 * point-in-time-recovery tables, `adoptInStack` for the adopted parts), and
 * each synthesized resource is mapped, by its type and construct id, to the
 * one resource of the vendored module that builds the same object. A
 * resource with no counterpart in the module stops the vendor with one line:
 * importing part of a part would create the rest a second time.
 */
import type { Config } from "../config/schema";
import { TerraformStack } from "../private/cdk";
import { AdoptionError, adoptedPaths, adoptInStack } from "../stacks/adopt";
import { withAppInMemory } from "../stacks/app";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized Terraform JSON is untyped; every read is checked
type Json = Record<string, any>;

export interface VendorImport {
  /** the address in the example root, e.g. `module.snowplow_installer.aws_iam_group.this` */
  readonly to: string;
  readonly id: string;
  /** the synthesized resource it stands for: stack and address */
  readonly synth: { readonly stack: string; readonly address: string };
}

/**
 * Per vendored module: `<type>:<construct id>` of the synthesized resource ->
 * its address in the module (`[0]` where the module creates it with count).
 */
const ADDRESSES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "sub-account": {
    "aws_organizations_account:account": "aws_organizations_account.this",
  },
  "installer-group": {
    "aws_iam_group:group": "aws_iam_group.this",
    "aws_iam_group_policy:policy": "aws_iam_group_policy.setup",
    "aws_iam_group_policy:self_service": "aws_iam_group_policy.self_service",
    "aws_iam_user:user": "aws_iam_user.installer[0]",
    "aws_iam_user_group_membership:membership": "aws_iam_user_group_membership.installer[0]",
  },
  "operator-group": {
    "aws_iam_group:group": "aws_iam_group.this",
    "aws_iam_policy:policy": "aws_iam_policy.operator",
    "aws_iam_group_policy_attachment:policy_attachment": "aws_iam_group_policy_attachment.operator",
    "aws_iam_group_policy:self_service": "aws_iam_group_policy.self_service",
    "aws_iam_user:user": "aws_iam_user.operator",
    "aws_iam_user_group_membership:membership": "aws_iam_user_group_membership.operator",
  },
  "kinesis-app": {
    "aws_iam_policy:policy": "aws_iam_policy.this",
    "aws_iam_role:role": "aws_iam_role.this",
    "aws_iam_role_policy_attachment:role_policy": "aws_iam_role_policy_attachment.this",
    "aws_iam_instance_profile:instance_profile": "aws_iam_instance_profile.this[0]",
    "aws_dynamodb_table:lease_table": "aws_dynamodb_table.lease[0]",
    "aws_iam_user:user": "aws_iam_user.this[0]",
    "aws_iam_user_policy_attachment:user_policy": "aws_iam_user_policy_attachment.this[0]",
  },
  "spark-launcher": {
    "aws_iam_policy:policy": "aws_iam_policy.launcher",
    "aws_iam_group:group": "aws_iam_group.launchers[0]",
    "aws_iam_group_policy_attachment:group_policy": "aws_iam_group_policy_attachment.launchers[0]",
    "aws_iam_role_policy_attachment:role_policy": "aws_iam_role_policy_attachment.launcher[0]",
    "aws_iam_role:node_role": "aws_iam_role.node[0]",
    "aws_iam_role_policy:node_policy": "aws_iam_role_policy.node[0]",
    "aws_iam_instance_profile:instance_profile": "aws_iam_instance_profile.node[0]",
  },
  "backup-bucket": {
    "aws_s3_bucket:bucket": "aws_s3_bucket.this",
    "aws_s3_bucket_ownership_controls:ownership": "aws_s3_bucket_ownership_controls.this",
    "aws_s3_bucket_public_access_block:public_access_block": "aws_s3_bucket_public_access_block.this",
    "aws_s3_bucket_versioning:versioning": "aws_s3_bucket_versioning.this",
    "aws_kms_key:key": "aws_kms_key.this[0]",
    "aws_kms_alias:key_alias": "aws_kms_alias.this[0]",
    "aws_s3_bucket_server_side_encryption_configuration:encryption": "aws_s3_bucket_server_side_encryption_configuration.this",
    "aws_s3_bucket_lifecycle_configuration:lifecycle": "aws_s3_bucket_lifecycle_configuration.this",
    "aws_s3_bucket_logging:access_logs": "aws_s3_bucket_logging.this[0]",
    "aws_s3_bucket_policy:policy": "aws_s3_bucket_policy.this",
  },
  "backup-writer": {
    "aws_iam_policy:policy": "aws_iam_policy.writer",
    "aws_iam_role:role": "aws_iam_role.writer[0]",
    "aws_iam_role_policy_attachment:attachment": "aws_iam_role_policy_attachment.writer",
  },
};

/** the import ID of each resource type, as the provider's documentation gives it */
const ID_FORMAT: Readonly<Record<string, string>> = {
  aws_organizations_account: "the account id",
  aws_iam_group: "the group name",
  aws_iam_user: "the user name",
  aws_iam_role: "the role name",
  aws_iam_instance_profile: "the instance profile name",
  aws_iam_policy: "the policy ARN",
  aws_iam_group_policy: "`<group>:<policy name>`",
  aws_iam_role_policy: "`<role>:<policy name>`",
  aws_iam_group_policy_attachment: "`<group>/<policy ARN>`",
  aws_iam_role_policy_attachment: "`<role>/<policy ARN>`",
  aws_iam_user_policy_attachment: "`<user>/<policy ARN>`",
  aws_iam_user_group_membership: "`<user>/<group>`",
  aws_dynamodb_table: "the table name",
  aws_kms_key: "the key id",
  aws_kms_alias: "`alias/<name>`",
};

/** the README section of a module: which of its addresses an adopting root imports, and with which ID */
export function adoptionNotes(module: string): string[] {
  const addresses = Object.values(ADDRESSES[module] ?? {});
  if (module === "backup-writer") addresses.push('aws_dynamodb_table.recovered["<table>"]');
  if (addresses.length === 0) return [];
  const format = (a: string) => ID_FORMAT[a.split(".")[0]] ?? "the bucket name";
  return [
    `Adopting what exists: Terraform takes \`import\` blocks only in the root, so \`npm run vendor\` writes them into example/main.tf for every part the config adopts (the same import IDs as the CDKTF synth). By hand: ${addresses
      .map((a) => `\`module.<name>.${a}\` (${format(a)})`)
      .join(
        ", ",
      )}. Access keys and console passwords cannot be imported: make new ones and retire the old (README of the project, Adopting an existing setup).`,
  ];
}

/** the module call (name, module) a synthesized construct path belongs to, and the rest of the path */
function moduleOf(stack: string, constructPath: string, ident: (n: string) => string): { call: string; module: string; rest: string[] } | undefined {
  const [, part, ...rest] = constructPath.split("/");
  if (stack === "management" && part === "snowplow_account") return { call: "snowplow_account", module: "sub-account", rest };
  if (stack === "snowplow-pipeline") {
    if (part === "installer") return { call: "snowplow_installer", module: "installer-group", rest };
    if (part === "operator") return { call: "snowplow_operator", module: "operator-group", rest };
    if (part === "spark_launcher") return { call: "spark_launcher", module: "spark-launcher", rest };
    if (part?.startsWith("app-")) return { call: `kinesis_${ident(part.slice(4))}`, module: "kinesis-app", rest };
  }
  if (stack === "backup" && part === "backup_bucket") return { call: "backup_bucket", module: "backup-bucket", rest };
  if (stack.startsWith("source-") && (part === "backup_writer" || part === "table_recovery"))
    return { call: `backup_writer_${ident(stack.slice("source-".length))}`, module: "backup-writer", rest };
  return undefined;
}

/** every import the synth makes for this config, aimed at the vendored example's module addresses */
export function vendorImports(config: Config, ident: (n: string) => string): VendorImport[] {
  if (config.adopt.inlinePolicies.length > 0)
    throw new AdoptionError(
      "vendor: adopt.inlinePolicies: the vendored modules build managed policies only; adopt inline policies with the CDKTF stacks, or vendor without the entry (a managed policy is created beside the inline one, which you then delete)",
    );
  // nothing exists yet (no adopted account or part, no table whose recovery is enabled): no app to build
  const imports =
    config.accounts.snowplow.mode === "adopt" ||
    Object.keys(adoptedPaths(config)).length > 0 ||
    config.accounts.sources.some((s) => s.pointInTimeRecovery === "enable");
  if (!imports) return [];
  const out: VendorImport[] = [];
  withAppInMemory(config, (app) => {
    for (const stack of app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack)) {
      const name = stack.node.id;
      const json = JSON.parse(JSON.stringify(stack.toTerraform())) as Json;
      adoptInStack(json, name, config);
      for (const imp of (json.import as Json[] | undefined) ?? []) {
        const to = String(imp.to);
        const [type, logical] = to.split(".");
        const r: Json | undefined = json.resource?.[type]?.[logical];
        const constructPath: string = r?.["//"]?.metadata?.path ?? "";
        const owner = moduleOf(name, constructPath, ident);
        if (owner === undefined)
          throw new AdoptionError(`vendor: ${name}: ${to} is imported by the synth but has no vendored module; adopt it with the CDKTF stacks`);
        const id = String(imp.id);
        let address: string | undefined;
        if (owner.module === "backup-writer" && type === "aws_dynamodb_table" && constructPath.split("/")[1] === "table_recovery") {
          // pointInTimeRecovery "enable": the table, by its name
          address = `aws_dynamodb_table.recovered[${JSON.stringify(String(r?.name))}]`;
        } else {
          address = ADDRESSES[owner.module]?.[`${type}:${owner.rest.join("/").replace(/\/user$/, "")}`];
        }
        if (address === undefined)
          throw new AdoptionError(
            `vendor: ${name}: ${to} (${constructPath}) is adopted, but the vendored ${owner.module} module has no such resource; adopting the part there would create it a second time: adopt it with the CDKTF stacks`,
          );
        out.push({ to: `module.${owner.call}.${address}`, id, synth: { stack: name, address: to } });
      }
    }
  });
  return out.sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
}

/** the import blocks of the example root */
export function renderImports(imports: readonly VendorImport[]): string[] {
  if (imports.length === 0) return [];
  return [
    '# What already exists (accounts.snowplow.mode "adopt", the config\'s `adopt` block, pointInTimeRecovery',
    '# "enable"): imported, never created. The same import IDs as the CDKTF synth.',
    ...imports.map((i) => `import {\n  to = ${i.to}\n  id = ${JSON.stringify(i.id)}\n}\n`),
  ];
}
