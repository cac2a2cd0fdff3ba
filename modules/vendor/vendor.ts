/**
 * `npm run vendor`: plain Terraform modules for repositories that do not run
 * CDKTF. One module per construct (HCL templates in ./templates, copied as
 * they are), a README per module with inputs and outputs read from its code,
 * and a root example whose module calls carry the config's values.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Config } from "../config/schema";
import { accountEnv, arns } from "../private/arn";
import { defaultWriterRole, scpExtraServices } from "../stacks/app";
import { appStreams } from "../config/schema";
import { partitionOf } from "../config/rules";
import { hostedAssetsBucket } from "../operator-group";
import { allowedServices } from "../service-control-policy";
import { PROJECT_ROOT } from "../private/root";
import { attributes, block, type HclValue } from "./hcl";
import { adoptionNotes, renderImports, vendorImports } from "./imports";
import { parseOutputs, parseVariables, renderModuleReadme } from "./readme";
import { writeOutputFiles } from "../cli/output-file";

export const TEMPLATES = path.join(PROJECT_ROOT, "modules", "vendor", "templates");

interface ModuleInfo {
  readonly title: string;
  readonly summary: string;
  readonly notes?: string[];
}

export const MODULES: Readonly<Record<string, ModuleInfo>> = {
  "sub-account": {
    title: "sub-account: the Snowplow member account and its service control policy",
    summary:
      "Seed 001: an AWS Organizations member account `snowplow-<company>`, guarded (`prevent_destroy`, `close_on_deletion = false`), and a service control policy that denies every service outside the Snowplow flow (optionally every region outside an allow list). Apply with the organization's management account.",
    notes: ["Changing `iam_user_access_to_billing` replaces the account; `prevent_destroy` makes that plan fail."],
  },
  "installer-group": {
    title: "installer-group: the setup group and user of Snowplow's installation guide",
    summary:
      "The group `snowplow-setup` with Snowplow's published installer policy for the flow (service-wide wildcards on `*`, as published; the guide warns it is broad), a self-service policy with MFA enforcement, and the installer user, who is a member only in the `install` phase (the seed's workflow).",
    notes: ["No access key or login profile is created: prefer IAM Identity Center, or add them in the caller with a `pgp_key`."],
  },
  "operator-group": {
    title: "operator-group: the Snowplow operator group, policy and user (seed 000)",
    summary:
      "The group `snowplow-data-pipeline`, the managed policy `snowplow-policy-operate-datapipeline` (least-privilege: named buckets, EMR clusters, the two EMR roles passed only to EMR and EC2; or `compatible`: Snowplow's published policy as it is), a self-service policy with MFA enforcement, and the operator user.",
    notes: ["No access key is created: EmrEtlRunner's key is best made in the caller with a `pgp_key`, or replaced by a role."],
  },
  "kinesis-app": {
    title: "kinesis-app: one Kinesis producer or consumer under an IAM role (seeds 002 and 000)",
    summary:
      "A managed policy with exactly the stream, KCL lease table and CloudWatch permissions of the application (KCL 1, 2 or 3, enhanced fan-out, KMS-encrypted streams), the role that EC2 (instance profile), ECS tasks or an EKS service account assume, and optionally the KCL lease table itself (on demand, point-in-time recovery, deletion protection, `prevent_destroy`).",
    notes: [
      "`create_user` adds seed 002's IAM user with the same policy (force_destroy, so deleting it never fails on its MFA device or own keys); no access key is created: make it in the caller with a `pgp_key`, or prefer the role.",
      "One policy per application: past about 80 streams it passes AWS's 6,144-character quota, which the CDKTF project splits automatically and this module does not.",
    ],
  },
  "spark-launcher": {
    title: "spark-launcher: the IAM a Flintrock Spark launcher really needs (seed 003)",
    summary:
      "Flintrock's EC2 calls instead of AmazonEC2FullAccess, bound to the region; start, stop and terminate only on instances tagged `flintrock-role`; `iam:GetInstanceProfile` on the one instance profile and `iam:PassRole` on its role, to EC2 only. Optionally the node role and instance profile with access to the pipeline's buckets.",
  },
  "backup-bucket": {
    title: "backup-bucket: the locked-down cross-account backup bucket (seed 004)",
    summary:
      "In the backup account: a versioned, encrypted (SSE-S3 or SSE-KMS), owner-enforced, private, TLS-only bucket guarded by `prevent_destroy`, whose policy lets each production account write only under `<bucket>/<its account id>/` (one statement group per account, or shared statements with `${aws:PrincipalAccount}` when there are too many to list).",
  },
  "backup-writer": {
    title: "backup-writer: a production account's writer into the backup bucket (seed 004)",
    summary:
      "In a production account: `native-export` creates a role that may `ExportTableToPointInTime` the named tables into its own prefix of the backup bucket (and checks at plan time that each table has point-in-time recovery); `data-pipeline` attaches the seed's grants to the existing Data Pipeline resource role.",
  },
};

/** a name as a Terraform identifier part (`shop-eu` -> `shop_eu`) */
const ident = (name: string) => name.replace(/[^A-Za-z0-9_]/g, "_");

/** `module "x"` names in the example: stable, one per construct instance */
function moduleName(prefix: string, name: string): string {
  return `${prefix}_${ident(name)}`;
}

/** the provider alias of a source account: module calls and provider blocks must agree */
const sourceAlias = (name: string) => `source_${ident(name)}` as const;

export interface ModuleCall {
  readonly name: string;
  readonly module: keyof typeof MODULES;
  /** the provider alias for the account it is applied in */
  readonly account: "management" | "pipeline" | "backup" | `source_${string}`;
  readonly inputs: Record<string, HclValue>;
}

/** the module calls that build, from plain Terraform, what the CDKTF stacks build for this config */
export function moduleCalls(config: Config, opts: { verifyPointInTimeRecovery?: boolean } = {}): ModuleCall[] {
  const a = config.accounts;
  const iam = config.iam;
  const calls: ModuleCall[] = [];
  const pipelineRegion = a.snowplow.region ?? config.region;
  // the same extra services as the synthesized SCP
  const extraServices = scpExtraServices(config);
  const extra = Object.keys(extraServices);
  const scp = config.organization.serviceControlPolicy;
  const accountName = a.snowplow.name ?? `snowplow-${config.company}`;
  calls.push({
    name: "snowplow_account",
    module: "sub-account",
    account: "management",
    inputs: {
      name: accountName,
      email: a.snowplow.email,
      parent_id: a.snowplow.parentId,
      role_name: a.snowplow.accessRoleName,
      iam_user_access_to_billing: a.snowplow.iamUserAccessToBilling,
      flow: config.pipeline.flow,
      create_service_control_policy: scp.enabled,
      service_control_policy_name: `snowplow-${config.company}-${config.pipeline.flow}-services`,
      extra_services: extra.length > 0 ? extra : undefined,
      allowed_regions: scp.allowedRegions && scp.allowedRegions.length > 0 ? [...scp.allowedRegions] : undefined,
    },
  });
  const account = a.snowplow.id ?? "000000000000";
  // every ARN the modules build carries the partition of the config's regions (one partition per config: rules.ts)
  const partition = partitionOf(config.region) === "aws" ? undefined : partitionOf(config.region);
  const common = { account_id: account, partition, path: iam.path === "/" ? undefined : iam.path, permissions_boundary_arn: iam.permissionsBoundaryArn };
  const p = config.pipeline;
  calls.push({
    name: "snowplow_installer",
    module: "installer-group",
    account: "pipeline",
    inputs: {
      ...common,
      flow: p.flow,
      phase: p.phase,
      user_name: p.installer.userName,
      group_name: p.installer.groupName === "snowplow-setup" ? undefined : p.installer.groupName,
      delete_user_when_operating: p.installer.deleteUserWhenOperating || undefined,
      enable_mfa_enforcement: iam.enableMfaEnforcement ? undefined : false,
      scp_services: scp.enabled ? Object.keys(allowedServices(p.flow, extraServices)).sort() : undefined,
    },
  });
  const pb = p.buckets;
  const buckets = pb && {
    log: pb.log,
    raw_in: pb.rawIn,
    processing: pb.processing,
    enriched_out: pb.enrichedOut,
    archive: pb.archive,
    bad_rows: pb.badRows,
    hosted_assets: pb.hostedAssets ?? hostedAssetsBucket(pipelineRegion),
  };
  // The operator runs EmrEtlRunner: batch only.
  if (p.flow !== "real-time" && buckets !== undefined) {
    calls.push({
      name: "snowplow_operator",
      module: "operator-group",
      account: "pipeline",
      inputs: {
        ...common,
        region: pipelineRegion,
        level: p.operator.level,
        buckets,
        user_name: p.operator.userName,
        group_name: p.operator.groupName === "snowplow-data-pipeline" ? undefined : p.operator.groupName,
        sns_monitoring: p.operator.snsMonitoring || undefined,
        sns_topic_name: p.operator.snsMonitoring ? p.operator.snsTopicName : undefined,
        emr_service_role_name: p.operator.emrServiceRoleName,
        emr_instance_profile_role_name: p.operator.emrInstanceProfileRoleName,
        legacy_file_moves: p.operator.legacyFileMoves || undefined,
        enable_mfa_enforcement: iam.enableMfaEnforcement ? undefined : false,
      },
    });
  }
  const streams = new Map(config.kinesis.streams.map((s) => [s.name, s]));
  const ref = (names: readonly string[]) => (names.length === 0 ? undefined : names.map((n) => ({ name: n, kms_key_arn: streams.get(n)?.kmsKeyArn })));
  for (const app of config.kinesis.applications) {
    calls.push({
      name: moduleName("kinesis", app.name),
      module: "kinesis-app",
      account: "pipeline",
      inputs: {
        ...common,
        region: pipelineRegion,
        app_name: app.name,
        policy_label: app.kind,
        read_streams: ref(appStreams(app).reads),
        write_streams: ref(appStreams(app).writes),
        s3_writes: app.s3?.map((w) => ({ bucket: w.bucket, prefix: w.prefix, kms_key_arn: w.kmsKeyArn })),
        producer_metrics_namespace: app.producerMetrics
          ? app.producerMetricsNamespace === "KinesisProducerLibrary"
            ? undefined
            : app.producerMetricsNamespace
          : null,
        kcl_version: app.kclVersion,
        enhanced_fan_out: app.enhancedFanOut,
        create_lease_table: app.createLeaseTable || undefined,
        create_user: app.createUser || undefined,
        run_as: app.runAs,
        eks: app.eks ? { oidc_provider_arn: app.eks.oidcProviderArn, namespace: app.eks.namespace, service_account: app.eks.serviceAccount } : undefined,
      },
    });
  }
  if (config.spark?.enabled) {
    const s = config.spark;
    calls.push({
      name: "spark_launcher",
      module: "spark-launcher",
      account: "pipeline",
      inputs: {
        ...common,
        region: pipelineRegion,
        policy_name: s.launcher.policyName,
        group_name: s.launcher.groupName,
        role_name: s.launcher.roleName,
        instance_profile_name: s.instanceProfileName,
        node_role_name: s.nodeRoleName,
        profile_path: s.instanceProfilePath ?? (s.createInstanceProfile ? iam.path : "/"),
        create_instance_profile: s.createInstanceProfile || undefined,
        node_buckets:
          s.createInstanceProfile && buckets !== undefined
            ? {
                log: buckets.log,
                raw_in: buckets.raw_in,
                processing: buckets.processing,
                enriched_out: buckets.enriched_out,
                bad_rows: buckets.bad_rows,
                hosted_assets: buckets.hosted_assets,
              }
            : undefined,
      },
    });
  }
  if (a.backup !== undefined && config.backup !== undefined) {
    const b = config.backup;
    const backupRegion = a.backup.region ?? config.region;
    calls.push({
      name: "backup_bucket",
      module: "backup-bucket",
      account: "backup",
      inputs: {
        account_id: a.backup.id,
        partition,
        region: backupRegion,
        bucket_name: b.bucketName,
        sources: a.sources.map((s) => ({
          name: s.name,
          account_id: s.id,
          method: s.method,
          writer_role_name: s.writerRoleName ?? defaultWriterRole(s.method),
        })),
        organization_id: config.organization.id,
        admit: b.admit === "listed-accounts" ? undefined : b.admit,
        encryption: b.encryption,
        noncurrent_version_expiration_days: b.noncurrentVersionExpirationDays,
        abort_incomplete_upload_days: b.abortIncompleteUploadDays,
        access_logs: b.accessLogs ? { bucket_name: b.accessLogs.bucketName, prefix: b.accessLogs.prefix } : undefined,
      },
    });
    for (const s of a.sources) {
      const recovery = s.pointInTimeRecovery ?? (s.method === "native-export" ? "verify" : "ignore");
      calls.push({
        name: moduleName("backup_writer", s.name),
        module: "backup-writer",
        account: sourceAlias(s.name),
        inputs: {
          account_id: s.id,
          partition,
          region: s.region ?? config.region,
          backup_account_id: a.backup.id,
          backup_region: backupRegion,
          bucket_name: b.bucketName,
          method: s.method,
          tables: [...s.tables],
          kms_encrypted: b.encryption === "sse-kms" || undefined,
          role_name: s.writerRoleName ?? defaultWriterRole(s.method),
          path: iam.path === "/" ? undefined : iam.path,
          permissions_boundary_arn: iam.permissionsBoundaryArn,
          verify_point_in_time_recovery:
            s.method === "native-export" && recovery !== "enable" && (opts.verifyPointInTimeRecovery === false || recovery !== "verify") ? false : undefined,
          enable_point_in_time_recovery: s.method === "native-export" && recovery === "enable" ? true : undefined,
          table_keys:
            s.method === "native-export" && recovery === "enable"
              ? Object.fromEntries(
                  s.tables.map((t) => {
                    const k = s.tableKeys[t];
                    return [
                      t,
                      k && {
                        hash_key: { name: k.hashKey.name, type: k.hashKey.type },
                        range_key: k.rangeKey ? { name: k.rangeKey.name, type: k.rangeKey.type } : undefined,
                      },
                    ];
                  }),
                )
              : undefined,
        },
      });
    }
  }
  return calls;
}

/** a `module` block; `providers` maps the module's aws to the account's alias when given */
export function renderModuleCall(call: ModuleCall, source: string, provider?: string): string {
  const head: Record<string, HclValue> = { source };
  const nested = provider ? [`  providers = {\n    aws = ${provider}\n  }`] : [];
  const top = attributes(head, 2);
  const inputs = attributes(call.inputs, 2);
  const parts = [top, ...nested, inputs].filter((x) => x !== "");
  return `module "${call.name}" {\n${parts.join("\n\n")}\n}`;
}

interface ProviderAccount {
  readonly alias: string;
  readonly account: string;
  readonly region: string;
  readonly roleArn?: string;
}

function providerAccounts(config: Config): ProviderAccount[] {
  const a = config.accounts;
  const role = (id: string, name: string, region: string) => arns.iamRole(accountEnv(id, region), name);
  const out: ProviderAccount[] = [
    { alias: "management", account: a.management.id, region: a.management.region ?? config.region, roleArn: a.management.roleArn },
  ];
  if (a.snowplow.id)
    out.push({
      alias: "pipeline",
      account: a.snowplow.id,
      region: a.snowplow.region ?? config.region,
      roleArn: role(a.snowplow.id, a.snowplow.accessRoleName, a.snowplow.region ?? config.region),
    });
  if (a.backup && config.backup) {
    out.push({
      alias: "backup",
      account: a.backup.id,
      region: a.backup.region ?? config.region,
      roleArn: role(a.backup.id, a.backup.accessRoleName, a.backup.region ?? config.region),
    });
    for (const s of a.sources) {
      out.push({
        alias: sourceAlias(s.name),
        account: s.id,
        region: s.region ?? config.region,
        roleArn: role(s.id, s.accessRoleName, s.region ?? config.region),
      });
    }
  }
  return out;
}

function renderProvider(p: ProviderAccount, tags: Record<string, string>): string {
  const nested: string[] = [];
  if (p.roleArn) nested.push(block("assume_role", { role_arn: p.roleArn, session_name: "snowplow-aws-iac" }, [], 2));
  if (Object.keys(tags).length > 0) nested.push(block("default_tags", { tags }, [], 2));
  return block(`provider "aws"`, { alias: p.alias, region: p.region, allowed_account_ids: [p.account] }, nested);
}

export const REQUIRED_PROVIDERS = `terraform {
  required_version = ">= 1.7"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 7.0.0"
    }
  }
}
`;

/** the root example: one provider per account, every module called with the config's values */
export function renderExample(config: Config, source: string): string {
  const accounts = providerAccounts(config);
  const known = new Set(accounts.map((p) => p.alias));
  const calls = moduleCalls(config).filter((c) => known.has(c.account));
  return [
    `# Generated by \`npm run vendor\` from ${source}: every module, wired for the config's accounts.`,
    "# Each account has its own provider (assume_role from the management account's credentials);",
    "# apply per account, in the order of the README: management, pipeline, backup, sources.",
    "",
    ...accounts.map((p) => renderProvider(p, config.tags) + "\n"),
    ...calls.map((c) => renderModuleCall(c, `../${c.module}`, `aws.${c.account}`) + "\n"),
    ...renderImports(vendorImports(config, ident).filter((i) => calls.some((c) => i.to.startsWith(`module.${c.name}.`)))),
  ].join("\n");
}

function readTree(dir: string, base = dir): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((x, y) => x.name.localeCompare(y.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === ".terraform") continue;
      Object.assign(out, readTree(p, base));
    } else if (!e.name.startsWith(".terraform")) out[path.relative(base, p).split(path.sep).join("/")] = fs.readFileSync(p, "utf8");
  }
  return out;
}

/** the usage block of a module's README: its required inputs with example values */
function usage(name: string, config: Config): string {
  const call = moduleCalls(config).find((c) => c.module === name);
  const text = call
    ? renderModuleCall({ ...call, name: call.name }, `./modules/${name}`)
    : `module "${name.replace(/-/g, "_")}" {\n  source = "./modules/${name}"\n}`;
  return text;
}

/** every file the vendor command writes, by path relative to the output folder */
export function vendorFiles(config: Config, source: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of Object.keys(MODULES)) {
    const tree = readTree(path.join(TEMPLATES, name));
    for (const [rel, text] of Object.entries(tree)) files[`${name}/${rel}`] = text;
    const info = MODULES[name];
    files[`${name}/README.md`] = renderModuleReadme({
      title: info.title,
      summary: info.summary,
      notes: [...(info.notes ?? []), ...adoptionNotes(name)],
      usage: usage(name, config),
      variables: parseVariables(tree["variables.tf"]),
      outputs: parseOutputs(tree["outputs.tf"]),
    });
  }
  files["example/main.tf"] = renderExample(config, source);
  files["example/versions.tf"] = REQUIRED_PROVIDERS;
  files["README.md"] = [
    "# Snowplow AWS modules",
    "",
    `Generated by \`npm run vendor\` (snowplow-aws-iac) from ${source}. Plain Terraform: no provider or backend inside a module, \`hashicorp/aws\` \`>= 5.100.0, < 6.0.0\`.`,
    "",
    "| module | what it builds |",
    "|---|---|",
    ...Object.entries(MODULES).map(([n, m]) => `| [${n}](${n}/) | ${m.title.split(": ")[1]} |`),
    "",
    "[example/](example/) calls every module with the config's values, one provider per account.",
    "Re-running the command rewrites these files only; a diff shows exactly what changed.",
    "",
  ].join("\n");
  return files;
}

/** write the files under `out`; returns the paths written and how many changed */
export function writeVendor(out: string, files: Record<string, string>): { written: string[]; changed: string[] } {
  const changed = Object.entries(files).filter(([rel, text]) => {
    const p = path.join(out, rel);
    return !(fs.existsSync(p) && fs.statSync(p).isFile() && fs.readFileSync(p, "utf8") === text);
  });
  // every changed file written whole, or none (output-file.ts)
  writeOutputFiles(
    changed.map(([rel, text]) => [path.join(out, rel), text] as const),
    true,
  );
  return { written: Object.keys(files), changed: changed.map(([rel]) => rel) };
}
