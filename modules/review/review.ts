/**
 * The review of Terraform plans (`terraform show -json`): what each stack
 * creates, updates, replaces and destroys, loud warnings when data would be
 * lost, the IAM statements added and removed per policy, and a verdict per
 * principal and per protected resource, on a model of who can do what before
 * and after (plan-model.ts) judged with IAM semantics (statement-cover.ts).
 *
 * It never fails open: a change it cannot evaluate (a policy-bearing attribute
 * of a type it does not model, a value known only at apply time that decides
 * who holds what, a NotPrincipal) makes the verdict "unknown", which the
 * command treats like broadening. Reads plan JSON only, so it works on plans of
 * the CDKTF stacks and of the vendored modules alike.
 */
import IAM_BEARING from "./iam-bearing.json";
import { diffStatements, normalise, type NormalStatement } from "./policy-diff";
import {
  buildSide,
  configOf,
  isDataSource,
  kind,
  parseDoc,
  PLAN_ACTIONS,
  RESOURCE_POLICIES,
  type Plan,
  type ResourceChange,
  type SideModel,
  type Values,
  unknownValue,
} from "./plan-model";
import { judge, type Stmt } from "./statement-cover";
import { dataWarnings } from "./data-loss";
import { builtInGuardrails, checkNeverGranted, checkPublicOrForeign } from "../guardrails";

/** policy-bearing resource types whose documents get statement rows: the attribute, and what to call it */
export const POLICY_ATTRIBUTES: Readonly<Record<string, readonly [string, string]>> = {
  aws_iam_policy: ["policy", "managed policy"],
  aws_iam_role_policy: ["policy", "inline policy of role"],
  aws_iam_group_policy: ["policy", "inline policy of group"],
  aws_iam_user_policy: ["policy", "inline policy of user"],
  aws_iam_role: ["assume_role_policy", "trust policy of role"],
  aws_s3_bucket_policy: ["policy", "bucket policy"],
  aws_kms_key: ["policy", "key policy"],
  aws_organizations_policy: ["content", "service control policy"],
  aws_sqs_queue_policy: ["policy", "queue policy"],
  aws_sns_topic_policy: ["policy", "topic policy"],
  aws_kinesis_resource_policy: ["policy", "Kinesis resource policy"],
  aws_ecr_repository_policy: ["policy", "repository policy"],
  aws_secretsmanager_secret_policy: ["policy", "secret policy"],
  aws_vpc_endpoint_policy: ["policy", "VPC endpoint policy"],
  aws_dynamodb_resource_policy: ["policy", "DynamoDB resource policy"],
};

/** resources that grant by existing: an added one broadens, a removed one narrows */
export const GRANTING_LINKS: Readonly<Record<string, readonly string[]>> = {
  aws_iam_role_policy_attachment: ["role", "policy_arn"],
  aws_iam_group_policy_attachment: ["group", "policy_arn"],
  aws_iam_user_policy_attachment: ["user", "policy_arn"],
  aws_iam_policy_attachment: ["name", "policy_arn"],
  aws_iam_user_group_membership: ["user", "groups"],
  aws_iam_group_membership: ["group", "users"],
  aws_organizations_policy_attachment: ["target_id", "policy_id"],
};

/**
 * The policy-bearing attributes the model evaluates, per type. Every other
 * attribute listed for a type in iam-bearing.json (read from the provider's
 * schema) makes a change "unknown".
 */
export const EVALUATED: Readonly<Record<string, readonly string[]>> = {
  aws_iam_policy: ["policy"],
  aws_iam_role: ["assume_role_policy", "inline_policy", "managed_policy_arns", "permissions_boundary"],
  aws_iam_user: ["permissions_boundary"],
  aws_iam_role_policy: ["policy"],
  aws_iam_group_policy: ["policy"],
  aws_iam_user_policy: ["policy"],
  aws_organizations_policy: ["content"],
  aws_s3_bucket_public_access_block: ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"],
  aws_s3_account_public_access_block: ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"],
  // leaving BucketOwnerEnforced lets ACLs grant access again (ownershipControls)
  aws_s3_bucket_ownership_controls: ["rule"],
  ...Object.fromEntries(
    Object.entries(RESOURCE_POLICIES).map(([t, [attr]]) => [
      t,
      t === "aws_iam_role" ? ["assume_role_policy", "inline_policy", "managed_policy_arns", "permissions_boundary"] : [attr],
    ]),
  ),
};

export { DATA_RESOURCES } from "./data-loss";

export type Verdict = "unknown" | "broadening" | "narrowing" | "unchanged";

export interface PolicyChange {
  readonly address: string;
  readonly label: string;
  readonly added: NormalStatement[];
  readonly removed: NormalStatement[];
  /** what this document alone now allows that it did not, or the Denies it drops */
  readonly broadening: string[];
  /** one line per statement changed in place (same Sid): what changed */
  readonly changes: string[];
}

/** what one principal, account or protected resource gains and loses */
export interface AccessChange {
  /** `role acme-enrich`, `account 444455556666 (SCPs)`, `bucket policy of acme-backups` */
  readonly who: string;
  readonly gains: string[];
  readonly loses: string[];
}

export interface StackReview {
  readonly stack: string;
  readonly counts: { create: number; update: number; replace: number; destroy: number };
  readonly dataWarnings: string[];
  readonly policies: PolicyChange[];
  /** attachments and memberships added (+) or removed (-) */
  readonly links: { readonly sign: "+" | "-"; readonly text: string }[];
  readonly access: AccessChange[];
  /** what the review could not evaluate: any entry makes the verdict "unknown" */
  readonly unknown: string[];
  /** guardrails the plan newly breaks: access that must never be granted, public access */
  readonly guardrails: string[];
  /** documents changed in text but not in what they grant */
  readonly rewritten: boolean;
  readonly verdict: Verdict;
}

/** whether a resource type can grant or limit access: a type the model reads, a link, or one with IAM-bearing attributes */
const bearsAccess = (type: string) => type in POLICY_ATTRIBUTES || type in GRANTING_LINKS || type in EVALUATED || type in IAM_TYPES;

/**
 * What the plan itself says it leaves out: terraform stopped on an error (it
 * still writes the plan file), deferred changes to a later plan, or provider
 * actions it invokes. The resource changes listed are then not all there is.
 */
function partialPlan(plan: Plan): string[] {
  const out: string[] = [];
  if (plan.errored === true) {
    out.push("the plan errored: terraform stopped on an error, so the changes it lists are only part of the change; fix the error and plan again");
  } else if (plan.complete === false) {
    out.push("the plan is incomplete: terraform deferred part of the change to a later plan, so the changes it lists are not all of it");
  }
  for (const d of plan.deferred_changes ?? []) {
    out.push(`${d?.resource_change?.address ?? "a resource"}: its change is deferred (${d?.reason ?? "no reason given"}), so the plan does not show it`);
  }
  const actions = (plan.action_invocations?.length ?? 0) + (plan.deferred_action_invocations?.length ?? 0);
  if (actions > 0) out.push(`the plan invokes ${actions} provider action${actions === 1 ? "" : "s"}, which the review does not evaluate`);
  return out;
}

function label(rc: ResourceChange, values: Values): string {
  const [, what] = POLICY_ATTRIBUTES[rc.type];
  const name =
    rc.type === "aws_iam_role_policy"
      ? `${values.role} / ${values.name}`
      : rc.type === "aws_iam_group_policy"
        ? `${values.group} / ${values.name}`
        : rc.type === "aws_iam_user_policy"
          ? `${values.user} / ${values.name}`
          : rc.type === "aws_s3_bucket_policy"
            ? values.bucket
            : rc.type === "aws_kms_key"
              ? values.description
              : (values.name ?? values.queue_url ?? values.arn ?? values.repository ?? values.secret_arn ?? values.resource_arn ?? values.vpc_endpoint_id);
  return `${what} \`${String(name ?? rc.address)}\``;
}

function linkText(rc: ResourceChange, values: Values): string {
  const [who, what] = GRANTING_LINKS[rc.type];
  const show = (v: unknown) => (v === undefined || v === null ? "(known after apply)" : Array.isArray(v) ? v.join(", ") : String(v));
  return `${rc.type.replace(/^aws_(iam_|organizations_)/, "").replace(/_/g, " ")}: ${show(values[who])} ← ${show(values[what])} (\`${rc.address}\`)`;
}

const json = (v: unknown) => JSON.stringify(v ?? null);

/** one line per statement changed in place: what changed, in words */
function inPlaceChanges(removed: NormalStatement[], added: NormalStatement[]): string[] {
  const out: string[] = [];
  for (const a of added) {
    if (!a.sid) continue;
    const b = removed.find((r) => r.sid === a.sid);
    if (!b) continue;
    const head = `${a.effect} ${a.sid}:`;
    const field = (name: string, x: string[], y: string[]) => {
      if (x.join() === y.join()) return;
      const gone = x.filter((v) => !y.includes(v));
      const come = y.filter((v) => !x.includes(v));
      out.push(`${head} ${name} ${[...gone.map((v) => `-${v}`), ...come.map((v) => `+${v}`)].join(" ")}`);
    };
    field("actions", b.actions, a.actions);
    field("not-actions", b.notActions, a.notActions);
    field("resources", b.resources, a.resources);
    field("not-resources", b.notResources, a.notResources);
    field("principals", b.principals, a.principals);
    if (b.effect !== a.effect) out.push(`${head} effect ${b.effect} -> ${a.effect}`);
    if (b.conditions !== a.conditions) {
      const keys = (c: string) =>
        c ? Object.entries(JSON.parse(c) as Record<string, Record<string, unknown>>).flatMap(([op, kv]) => Object.keys(kv).map((k) => `${op} ${k}`)) : [];
      const kb = keys(b.conditions);
      const ka = keys(a.conditions);
      for (const k of kb) if (!ka.includes(k)) out.push(`${head} condition ${k} removed`);
      for (const k of ka) if (!kb.includes(k)) out.push(`${head} condition ${k} added`);
      if (kb.every((k) => ka.includes(k)) && ka.every((k) => kb.includes(k))) out.push(`${head} condition values changed`);
    }
  }
  return out;
}

/**
 * Providers whose resources live in Terraform or on the machine running it, and
 * cannot grant access in AWS: their changes are not news to this review. Any
 * other provider (awscc, a fork of aws, GitHub holding an AWS secret) makes a
 * change unknown.
 */
const LOCAL_PROVIDERS = new Set([
  "hashicorp/random",
  "hashicorp/null",
  "hashicorp/local",
  "hashicorp/tls",
  "hashicorp/time",
  "hashicorp/archive",
  "hashicorp/cloudinit",
]);

const IAM_TYPES = IAM_BEARING.types as Record<string, string[]>;
const KNOWN_TYPES = new Set(IAM_BEARING.allTypes as string[]);

/** changes the model does not evaluate: policy-bearing attributes of other types, types unknown to the pinned provider */
function notEvaluated(rc: ResourceChange, plan: Plan): string[] {
  const provider = rc.provider_name ?? "registry.terraform.io/hashicorp/aws";
  // a provider is known by its whole source address: the same namespace and type on another host
  // is another program, which runs with the apply's credentials
  const official = /^registry\.(terraform\.io|opentofu\.org)\/(hashicorp\/[a-z0-9-]+)$/.exec(provider)?.[2];
  const k = kind(rc.change.actions);
  if (isDataSource(rc) || k === "none") return [];
  if (official !== "hashicorp/aws") {
    return (official !== undefined && LOCAL_PROVIDERS.has(official)) || provider === "terraform.io/builtin/terraform"
      ? []
      : [`${rc.address}: provider ${provider} is not one the review reads (it reads hashicorp/aws); its ${rc.type} may grant or change access`];
  }
  if (!KNOWN_TYPES.has(rc.type)) return [`${rc.address}: resource type ${rc.type} is not in the provider schema the review knows (hashicorp/aws 5.100.0)`];
  const attrs = (IAM_TYPES[rc.type] ?? []).filter((a) => !(EVALUATED[rc.type] ?? []).includes(a));
  const before = rc.change.before ?? {};
  const after = rc.change.after ?? {};
  const unknownAfter = rc.change.after_unknown ?? {};
  // an attribute the configuration does not set, unknown only because the provider computes it
  const config = plan.configuration ? configOf(plan, rc.address).res : undefined;
  const computedOnly = (a: string) => config !== undefined && !(a in (config.expressions ?? {})) && (after[a] === undefined || after[a] === null);
  const changed = attrs.filter((a) => {
    if (unknownValue(unknownAfter[a]) && computedOnly(a) && k !== "destroy") return false;
    const set = (v: unknown) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0) && v !== "" && v !== false;
    if (k === "create") return set(after[a]) || unknownValue(unknownAfter[a]);
    if (k === "destroy") return set(before[a]);
    return json(before[a]) !== json(after[a]) || unknownValue(unknownAfter[a]);
  });
  return changed.length > 0
    ? [
        `${rc.address}: ${rc.type} ${changed.join(", ")} ${k === "update" ? "changes" : k === "create" ? "is set" : k === "destroy" ? "goes away" : "is replaced"}; the review does not evaluate it`,
      ]
    : [];
}

function publicAccessBlock(rc: ResourceChange): AccessChange | undefined {
  if (rc.type !== "aws_s3_bucket_public_access_block" && rc.type !== "aws_s3_account_public_access_block") return undefined;
  const flags = EVALUATED[rc.type];
  const k = kind(rc.change.actions);
  // no-op, or forget: the block stays in AWS as it was
  if (k === "none") return undefined;
  const before = k === "create" ? {} : (rc.change.before ?? {});
  const after = k === "destroy" ? {} : (rc.change.after ?? {});
  const gains = flags.filter((f) => before[f] === true && after[f] !== true).map((f) => `public access block ${f} turned off`);
  const loses = flags.filter((f) => before[f] !== true && after[f] === true).map((f) => `public access block ${f} turned on`);
  const where = String(after.bucket ?? before.bucket ?? after.account_id ?? before.account_id ?? rc.address);
  return gains.length + loses.length > 0 ? { who: `public access of ${where}`, gains, loses } : undefined;
}

/**
 * S3 Object Ownership: under BucketOwnerEnforced, ACLs are disabled and no longer
 * affect permissions (Amazon S3 User Guide, "Controlling ownership of objects
 * and disabling ACLs"). Leaving it (another setting, or the controls removed)
 * lets the bucket's and objects' ACLs grant access again.
 */
function ownershipControls(rc: ResourceChange): AccessChange | undefined {
  if (rc.type !== "aws_s3_bucket_ownership_controls") return undefined;
  const k = kind(rc.change.actions);
  if (k === "none") return undefined;
  const setting = (v: Values | null | undefined) => {
    const rule = (v ?? {}).rule;
    const first = Array.isArray(rule) ? (rule[0] as Values | undefined) : undefined;
    return typeof first?.object_ownership === "string" ? first.object_ownership : undefined;
  };
  const before = k === "create" ? undefined : setting(rc.change.before);
  const after = k === "destroy" || unknownValue(rc.change.after_unknown?.rule) ? undefined : setting(rc.change.after);
  const enforced = (x: string | undefined) => x === "BucketOwnerEnforced";
  const where = String(rc.change.after?.bucket ?? rc.change.before?.bucket ?? rc.address);
  if (enforced(before) && !enforced(after)) {
    const now = k === "destroy" ? "the ownership controls removed" : after === undefined ? "a setting known only at apply time" : after;
    return {
      who: `ACLs of ${where}`,
      gains: [`ACLs affect access again (BucketOwnerEnforced -> ${now}): the bucket's and objects' ACLs can grant access`],
      loses: [],
    };
  }
  if (!enforced(before) && enforced(after) && k !== "create") {
    return { who: `ACLs of ${where}`, gains: [], loses: [`ACLs disabled (${before ?? "no setting"} -> BucketOwnerEnforced)`] };
  }
  return undefined;
}

/**
 * A resource with provisioners, created, replaced or destroyed: terraform runs
 * their commands then (at creation, or at destroy with `when = destroy`, which
 * the plan's configuration does not tell apart), with the credentials of the
 * apply, and no plan shows what they do. Any provider's resource, `terraform_data`
 * and `null_resource` included.
 */
function provisioned(rc: ResourceChange, k: ReturnType<typeof kind>, plan: Plan): string[] {
  if (k === "update" || k === "none" || !plan.configuration) return [];
  const list = configOf(plan, rc.address).res?.provisioners ?? [];
  if (list.length === 0) return [];
  const types = [...new Set(list.map((p) => String(p.type ?? "a provisioner")))].join(", ");
  const when = k === "create" ? "created" : k === "replace" ? "replaced" : "destroyed";
  return [
    `${rc.address}: is ${when} with provisioners (${types}): commands run at apply time can do anything the apply's credentials allow, which no plan shows`,
  ];
}

/** a condition key that grants by tags (attribute-based access control) */
const TAG_KEY = /"(aws:principaltag|aws:resourcetag|aws:requesttag|[a-z0-9-]+:resourcetag)\//i;

/**
 * Tags decide access where a policy tests them (aws:PrincipalTag, aws:ResourceTag):
 * when a policy document in this plan does, a change of any resource's tags is
 * unknown (who gains through it is not modelled). Tags under policies outside
 * the plan are a known limit (README).
 */
function tagChanges(plan: Plan): string[] {
  const changes = plan.resource_changes ?? [];
  const documents = changes.flatMap((rc) => {
    const attrs = [POLICY_ATTRIBUTES[rc.type]?.[0], ...(IAM_TYPES[rc.type] ?? [])].filter((a): a is string => a !== undefined);
    return [rc.change.before, rc.change.after].flatMap((v) => attrs.map((a) => (v ?? {})[a]).filter((x): x is string => typeof x === "string"));
  });
  if (!documents.some((d) => TAG_KEY.test(d))) return [];
  const out: string[] = [];
  for (const rc of changes) {
    const k = kind(rc.change.actions);
    if (k !== "update" && k !== "replace") continue;
    const tags = (v: Values | null) => json((v ?? {}).tags_all ?? (v ?? {}).tags ?? null);
    if (tags(rc.change.before) !== tags(rc.change.after) || unknownValue(rc.change.after_unknown?.tags_all) || unknownValue(rc.change.after_unknown?.tags))
      out.push(
        `${rc.address}: its tags change, and a policy of this plan grants by tags (aws:PrincipalTag, aws:ResourceTag): who gains through them is not judged`,
      );
  }
  return out;
}

/** per type, the arguments that name the role a workload runs as (iam-bearing.json, from the provider schema) */
const ROLE_HOLDERS = IAM_BEARING.roleHolders as Record<string, string[]>;

/** the values at a dotted path of an attribute object, through nested blocks (lists of objects) */
function valuesAt(v: unknown, path: readonly string[]): unknown[] {
  if (path.length === 0) return v === undefined || v === null ? [] : [v];
  if (Array.isArray(v)) return v.flatMap((x) => valuesAt(x, path));
  if (v === null || typeof v !== "object") return [];
  return valuesAt((v as Values)[path[0]], path.slice(1));
}

type Created = { values: Set<string>; addresses: Set<string> };

/** the roles, and the instance profiles, this plan creates (or replaces): names, ARNs and addresses */
function createdRoles(plan: Plan): { role: Created; profile: Created } {
  const out = { role: { values: new Set<string>(), addresses: new Set<string>() }, profile: { values: new Set<string>(), addresses: new Set<string>() } };
  for (const rc of plan.resource_changes ?? []) {
    const into = rc.type === "aws_iam_role" ? out.role : rc.type === "aws_iam_instance_profile" ? out.profile : undefined;
    const k = kind(rc.change.actions);
    if (!into || (k !== "create" && k !== "replace")) continue;
    into.addresses.add(rc.address.replace(/\[[^\]]*\]$/, ""));
    for (const a of ["name", "arn"]) if (typeof rc.change.after?.[a] === "string") into.values.add(rc.change.after[a] as string);
  }
  return out;
}

/**
 * A workload (function, task, instance, profile, cluster, delivery stream) that
 * runs as a role: it, and whoever controls it, gets that role's access, which no
 * policy change shows. News when an existing one switches to another role, or a
 * new one runs as a role this plan does not create (a role created here is
 * judged as a new principal); not when it loses its role.
 */
function roleHolderChanges(rc: ResourceChange, plan: Plan, created: ReturnType<typeof createdRoles>): string[] {
  const paths = ROLE_HOLDERS[rc.type];
  const k = kind(rc.change.actions);
  if (!paths || (k !== "create" && k !== "update" && k !== "replace")) return [];
  const out: string[] = [];
  const what = rc.type.replace(/^aws_/, "").replace(/_/g, " ");
  const text = (x: unknown) => (typeof x === "string" ? x : JSON.stringify(x));
  for (const p of paths) {
    const at = p.split(".");
    const after = valuesAt(rc.change.after, at).map(text);
    const unknownAfter = valuesAt(rc.change.after_unknown, at).some(unknownValue);
    if (k === "create") {
      // a new instance profile runs nothing: launching an instance with it needs iam:PassRole on its role
      if (rc.type === "aws_iam_instance_profile" || (after.length === 0 && !unknownAfter)) continue;
      // the argument names an instance profile (an instance's, a launch template's) or a role
      const named = /instance_profile/.test(at[at.length - 1]) ? created.profile : created.role;
      // an unknown value is one this plan creates when the configuration refers to it
      const { res, prefix } = configOf(plan, rc.address);
      const refs = at.length === 1 ? ((res?.expressions?.[p] as { references?: string[] } | undefined)?.references ?? []) : [];
      const refersToCreated = refs.some(
        (r) => /^aws_iam_(role|instance_profile)\.[^.]+/.test(r) && named.addresses.has(`${prefix}${r.split(".").slice(0, 2).join(".")}`),
      );
      if (after.every((x) => named.values.has(x)) && (!unknownAfter || refersToCreated)) continue;
      out.push(
        `${rc.address}: the new ${what} runs as ${after.join(", ") || "a role known only at apply time"} (${p}), which this plan does not create: it gets that role's access, which the plan does not show`,
      );
      continue;
    }
    const before = valuesAt(rc.change.before, at).map(text);
    // unchanged, fewer roles, or none: nothing gained
    if (!unknownAfter && after.every((x) => before.includes(x))) continue;
    out.push(
      `${rc.address}: ${p} changes from ${before.join(", ") || "none"} to ${unknownAfter ? "a value known only at apply time" : after.join(", ")}: the ${what} runs as that role, with its access`,
    );
  }
  return out;
}

/** the policy types whose policies limit what accounts may do: off, every such policy stops applying */
const LIMITING_POLICY_TYPES = ["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"];

/**
 * AWS Organizations changes that decide which SCPs apply, or create access, outside
 * any policy document: a limiting policy type turned off (or all features left:
 * SCPs need them), an account or OU moved (the SCPs it inherits change, and the
 * model does not follow the organization's tree), and a new member account
 * (Organizations creates a role in it with administrator access, trusted by the
 * management account: CreateAccount's RoleName, default OrganizationAccountAccessRole).
 */
function organizationChanges(rc: ResourceChange): { access?: AccessChange; unknown: string[] } {
  const k = kind(rc.change.actions);
  const before: Values = k === "create" ? {} : (rc.change.before ?? {});
  const after: Values = k === "destroy" ? {} : (rc.change.after ?? {});
  const unknownAfter = rc.change.after_unknown ?? {};
  if (k === "none") return { unknown: [] };
  if (rc.type === "aws_organizations_organization") {
    if (unknownValue(unknownAfter.enabled_policy_types) || unknownValue(unknownAfter.feature_set)) {
      return { unknown: [`${rc.address}: which policy types are enabled is known only at apply time`] };
    }
    const types = (v: Values) => (Array.isArray(v.enabled_policy_types) ? (v.enabled_policy_types as unknown[]).map(String) : []);
    const gains = LIMITING_POLICY_TYPES.filter((t) => types(before).includes(t) && !types(after).includes(t)).map(
      (t) => `${t} policies no longer apply anywhere in the organization (enabled_policy_types)`,
    );
    const loses = LIMITING_POLICY_TYPES.filter((t) => !types(before).includes(t) && types(after).includes(t) && k !== "create").map(
      (t) => `${t} policies apply in the organization (enabled_policy_types)`,
    );
    if (before.feature_set === "ALL" && after.feature_set !== "ALL")
      gains.push(`feature_set ALL -> ${String(after.feature_set ?? "(removed)")}: no service control policy applies`);
    return { access: gains.length + loses.length > 0 ? { who: "the organization (policy types)", gains, loses } : undefined, unknown: [] };
  }
  if (rc.type !== "aws_organizations_account" && rc.type !== "aws_organizations_organizational_unit") return { unknown: [] };
  const what = rc.type === "aws_organizations_account" ? "account" : "organizational unit";
  const name = String(after.name ?? before.name ?? rc.address);
  if ((k === "update" || k === "replace") && (unknownValue(unknownAfter.parent_id) || before.parent_id !== after.parent_id)) {
    return {
      unknown: [
        `${rc.address}: ${what} ${name} moves from ${String(before.parent_id)} to ${unknownValue(unknownAfter.parent_id) ? "a parent known only at apply time" : String(after.parent_id)}; the SCPs it inherits change, which the review does not follow through the organization`,
      ],
    };
  }
  if (rc.type === "aws_organizations_account" && k === "create" && !rc.change.importing) {
    const role = typeof after.role_name === "string" && after.role_name !== "" ? after.role_name : "OrganizationAccountAccessRole";
    return {
      access: {
        who: `new member account ${name}`,
        gains: [`AWS Organizations creates role ${role} in it with administrator access, which the management account may assume`],
        loses: [],
      },
      unknown: [],
    };
  }
  return { unknown: [] };
}

/** what one document alone now allows that it did not (its own rows; the verdict is per principal) */
function documentBroadening(before: unknown, after: unknown): string[] {
  const read = (v: unknown) => {
    if (typeof v !== "string") return [];
    const d = parseDoc(v, "document");
    return "unknown" in d ? undefined : d.statements;
  };
  const b = read(before);
  const a = read(after);
  if (!b || !a) return ["the document cannot be read"];
  const j = judge(b, a);
  return [...j.broadens, ...j.unknown];
}

const stmtsOf = (side: SideModel, key: string) => side.principals.get(key)?.statements ?? [];

/** per principal, per SCP target and per protected resource: what is gained and lost */
function accessChanges(before: SideModel, after: SideModel, unknown: string[]): AccessChange[] {
  const out: AccessChange[] = [];
  const add = (who: string, b: Stmt[], a: Stmt[], extraGains: string[] = [], extraLoses: string[] = [], identity = false) => {
    const j = judge(b, a, { identity });
    unknown.push(...j.unknown.map((u) => `${who}: ${u}`));
    if (j.broadens.length + j.narrows.length + extraGains.length + extraLoses.length > 0)
      out.push({ who, gains: [...extraGains, ...j.broadens], loses: [...extraLoses, ...j.narrows] });
  };
  const keys = [...new Set([...before.principals.keys(), ...after.principals.keys()])].sort();
  for (const key of keys) {
    const pb = before.principals.get(key);
    const pa = after.principals.get(key);
    const who = key.replace(":", " ");
    unknown.push(...(pa?.unknown ?? []).map((u) => `${who}: ${u}`));
    const gains: string[] = [];
    const loses: string[] = [];
    for (const x of pa?.external ?? []) if (!pb?.external.has(x)) gains.push(`attaches ${x}, whose content the plan does not show`);
    for (const x of pb?.external ?? []) if (!pa?.external.has(x)) unknown.push(`${who}: detaches ${x}, whose content (and Denies) the plan does not show`);
    const bb = pb?.boundary ?? null;
    const ba = pa === undefined ? bb : pa.boundary;
    if (bb !== ba) {
      if (ba === null) gains.push(`permissions boundary ${bb} removed`);
      else if (bb === null) loses.push(`permissions boundary ${ba} added`);
      else {
        const db = boundaryDoc(before, bb);
        const da = boundaryDoc(after, ba);
        if (!db || !da) unknown.push(`${who}: permissions boundary changes from ${bb} to ${ba}, whose contents the plan does not show`);
        else {
          const j = judge(db, da);
          gains.push(...j.broadens.map((g) => `boundary now ${g}`));
          loses.push(...j.narrows.map((g) => `boundary now ${g}`));
        }
      }
    }
    add(who, stmtsOf(before, key), stmtsOf(after, key), gains, loses, true);
  }
  // A managed policy or SCP that no holder in the plan attaches (attached by hand, or from another
  // state) is judged on its own: its holders are outside the plan. One that is attached here is
  // judged through its holders (so a policy split in two on one holder reads as unchanged).
  for (const address of [...new Set([...documentsOf(before).keys(), ...documentsOf(after).keys()])].sort()) {
    if (before.held.has(address) || after.held.has(address)) continue;
    const b = documentsOf(before).get(address);
    const a = documentsOf(after).get(address);
    const doc = (a ?? b)!;
    if ((a && "unknown" in a.doc) || (b && "unknown" in b.doc)) continue; // already unknown through its holders or its row
    add(
      `${doc.label} (and any holder outside this plan)`,
      b ? (b.doc as { statements: Stmt[] }).statements : [],
      a ? (a.doc as { statements: Stmt[] }).statements : [],
    );
  }
  for (const target of [...new Set([...before.scps.keys(), ...after.scps.keys()])].sort()) {
    unknown.push(...(after.scps.get(target)?.unknown ?? []).map((u) => `SCPs of ${target}: ${u}`));
    add(`account ${target} (service control policies)`, before.scps.get(target)?.statements ?? [], after.scps.get(target)?.statements ?? []);
  }
  for (const key of [...new Set([...before.resourcePolicies.keys(), ...after.resourcePolicies.keys()])].sort()) {
    const b = before.resourcePolicies.get(key);
    const a = after.resourcePolicies.get(key);
    const who = (a ?? b)!.label;
    if (a && "unknown" in a.doc) {
      unknown.push(a.doc.unknown);
      continue;
    }
    if (b && "unknown" in b.doc) {
      unknown.push(b.doc.unknown);
      continue;
    }
    add(who, b ? (b.doc as { statements: Stmt[] }).statements : [], a ? (a.doc as { statements: Stmt[] }).statements : []);
  }
  unknown.push(...after.unknown);
  return out;
}

/** managed policies and SCPs of one side, by address, with their documents */
const documentCache = new WeakMap<SideModel, Map<string, { label: string; doc: ReturnType<typeof parseDoc> }>>();
function documentsOf(side: SideModel): Map<string, { label: string; doc: ReturnType<typeof parseDoc> }> {
  let out = documentCache.get(side);
  if (out) return out;
  out = new Map();
  for (const r of side.resources.values()) {
    if (r.type === "aws_iam_policy") {
      out.set(r.address, {
        label: `managed policy ${String(r.values.name ?? r.address)}`,
        doc: r.unknown.has("policy") ? { unknown: "" } : parseDoc(r.values.policy, r.address),
      });
    } else if (r.type === "aws_organizations_policy" && (r.values.type ?? "SERVICE_CONTROL_POLICY") === "SERVICE_CONTROL_POLICY") {
      out.set(r.address, {
        label: `service control policy ${String(r.values.name ?? r.address)}`,
        doc: r.unknown.has("content") ? { unknown: "" } : parseDoc(r.values.content, r.address),
      });
    }
  }
  documentCache.set(side, out);
  return out;
}

function boundaryDoc(side: SideModel, arn: string): Stmt[] | undefined {
  const address = side.policyByArn.get(arn);
  const r = address ? side.resources.get(address) : undefined;
  if (!r || r.unknown.has("policy")) return undefined;
  const d = parseDoc(r.values.policy, r.address);
  return "unknown" in d ? undefined : d.statements;
}

export async function reviewPlan(stack: string, plan: Plan): Promise<StackReview> {
  const counts = { create: 0, update: 0, replace: 0, destroy: 0 };
  const policies: PolicyChange[] = [];
  const links: { sign: "+" | "-"; text: string }[] = [];
  const unknown: string[] = [];
  const access: AccessChange[] = [];
  let rewritten = false;
  unknown.push(...partialPlan(plan));
  const created = createdRoles(plan);
  for (const rc of plan.resource_changes ?? []) {
    const actions = rc.change.actions.join(",");
    if (!PLAN_ACTIONS.has(actions)) {
      unknown.push(`${rc.address}: the actions ${actions} are not ones this review reads (terraform's JSON plan format 1.x); read the change in the plan`);
    } else if (actions === "create,forget" && bearsAccess(rc.type)) {
      unknown.push(
        `${rc.address}: replaced, with the old ${rc.type} forgotten, not destroyed: it stays in AWS with what it grants, beside the new one, which the review cannot model`,
      );
    }
    const k = kind(rc.change.actions);
    if (k === "none") continue;
    counts[k]++;
    unknown.push(...notEvaluated(rc, plan));
    const pab = publicAccessBlock(rc);
    if (pab) access.push(pab);
    const acls = ownershipControls(rc);
    if (acls) access.push(acls);
    unknown.push(...roleHolderChanges(rc, plan, created), ...provisioned(rc, k, plan));
    const org = organizationChanges(rc);
    if (org.access) access.push(org.access);
    unknown.push(...org.unknown);
    const before = rc.change.before ?? {};
    const after = rc.change.after ?? {};
    const policyAttr = POLICY_ATTRIBUTES[rc.type];
    if (policyAttr) {
      const [attr] = policyAttr;
      const unknownAfter = rc.change.after_unknown?.[attr] === true;
      const text = (v: unknown) => (typeof v === "string" ? v : null);
      const b = normalise(k === "create" ? null : text(before[attr]));
      const a = unknownAfter ? [] : normalise(k === "destroy" ? null : text(after[attr]));
      const diff = diffStatements(b, a);
      const reasons = unknownAfter
        ? ["the new document is known only at apply time"]
        : documentBroadening(k === "create" ? null : before[attr], k === "destroy" ? null : after[attr]);
      if (diff.added.length + diff.removed.length > 0 || reasons.length > 0) {
        policies.push({
          address: rc.address,
          label: label(rc, k === "destroy" ? before : { ...before, ...after }),
          added: diff.added,
          removed: diff.removed,
          broadening: reasons,
          changes: inPlaceChanges(diff.removed, diff.added),
        });
      } else if (k === "update" && text(before[attr]) !== text(after[attr])) rewritten = true;
    }
    const link = GRANTING_LINKS[rc.type];
    if (link) {
      const [who, what] = link;
      const same = json([before[who], before[what]]) === json([after[who], after[what]]);
      if (k === "create") links.push({ sign: "+", text: linkText(rc, after) });
      else if (k === "destroy") links.push({ sign: "-", text: linkText(rc, before) });
      else if (k === "replace" && before[who] === after[who] && rc.change.after_unknown?.[what] === true) {
        // re-attached because the policy itself is replaced: its content is judged per principal
      } else if (!same) links.push({ sign: "+", text: linkText(rc, after) });
    }
  }
  unknown.push(...tagChanges(plan));
  const modelBefore = buildSide(plan, "before");
  const modelAfter = buildSide(plan, "after");
  access.push(...accessChanges(modelBefore, modelAfter, unknown));
  // a document whose statements moved between holders with nothing gained reads as rewritten
  if (policies.length > 0 && access.length === 0) rewritten = true;
  const guardrails = newGuardrailFindings(modelBefore, modelAfter, plan);
  const dataW = dataWarnings(plan.resource_changes ?? []);
  const uniqueUnknown = [...new Set(unknown)];
  const broad = access.some((x) => x.gains.length > 0) || guardrails.length > 0;
  const narrow = access.some((x) => x.loses.length > 0);
  const verdict: Verdict = uniqueUnknown.length > 0 ? "unknown" : broad ? "broadening" : narrow ? "narrowing" : "unchanged";
  return {
    stack,
    counts,
    dataWarnings: dataW,
    policies,
    links,
    access,
    unknown: uniqueUnknown,
    guardrails,
    rewritten: rewritten && verdict === "unchanged",
    verdict,
  };
}

/** guardrails broken after the plan and not before (an existing, accepted grant is not news in every pull request) */
function newGuardrailFindings(before: SideModel, after: SideModel, plan: Plan): string[] {
  const rails = builtInGuardrails();
  // public access only: a plan does not say which accounts are the organisation's, so every account it names counts as known
  const known = new Set(JSON.stringify(plan.resource_changes ?? []).match(/\d{12}/g) ?? []);
  const findings = (side: SideModel): Set<string> => {
    const out = new Set<string>();
    for (const p of side.principals.values()) {
      for (const f of checkNeverGranted(p.statements.map(toRaw), rails, undefined)) out.add(`${p.key.replace(":", " ")} ${f.message} [${f.rail}]`);
    }
    for (const r of side.resourcePolicies.values()) {
      if ("unknown" in r.doc) continue;
      for (const f of checkPublicOrForeign(r.doc.statements.map(toRaw), known, undefined))
        if (f.rail === "no-public-access") out.add(`${r.label} ${f.message} [${f.rail}]`);
    }
    return out;
  };
  const was = findings(before);
  return [...findings(after)].filter((f) => !was.has(f));
}

/** a parsed statement back as policy JSON, for the guardrail checks that read raw statements */
function toRaw(s: Stmt): object {
  const set = (p: { not: boolean; patterns: readonly string[] }, name: string) => ({ [p.not ? `Not${name}` : name]: [...p.patterns] });
  const principal = s.principals
    ? {
        [s.principals.not ? "NotPrincipal" : "Principal"]: s.principals.patterns.reduce<Record<string, string[]>>((acc, v) => {
          const i = v.indexOf(":");
          (acc[v.slice(0, i)] ??= []).push(v.slice(i + 1));
          return acc;
        }, {}),
      }
    : {};
  const condition: Record<string, Record<string, string[]>> = {};
  for (const c of s.conditions) (condition[`${c.set ? `${c.set}:` : ""}${c.op}${c.ifExists ? "IfExists" : ""}`] ??= {})[c.key] = [...c.values];
  return {
    Sid: s.sid,
    Effect: s.effect,
    ...set(s.actions, "Action"),
    ...set(s.resources, "Resource"),
    ...principal,
    ...(s.conditions.length ? { Condition: condition } : {}),
  };
}

export function overallVerdict(reviews: readonly StackReview[]): Verdict {
  for (const v of ["unknown", "broadening", "narrowing"] as const) if (reviews.some((r) => r.verdict === v)) return v;
  return "unchanged";
}

function cell(values: string[]): string {
  return values.length === 0
    ? ""
    : values
        .map((v) => `\`${v}\``)
        .join("<br>")
        .replace(/\|/g, "\\|");
}

function row(sign: "+" | "-", s: NormalStatement): string {
  const actions = s.notActions.length > 0 ? `all except ${cell(s.notActions)}` : cell(s.actions);
  const resources = s.notResources.length > 0 ? `all except ${cell(s.notResources)}` : cell(s.resources);
  const conditions = s.conditions ? `\`${s.conditions.replace(/\|/g, "\\|")}\`` : "";
  return `| ${sign} | ${s.effect} | ${actions} | ${resources} | ${cell(s.principals)} | ${conditions} | ${s.sid} |`;
}

/** at most `n` lines, then a count of the rest */
function capped(lines: readonly string[], n = 20): string[] {
  return [...lines.slice(0, n), ...(lines.length > n ? [`- and ${lines.length - n} more`] : [])];
}

function verdictLine(verdict: Verdict, rewritten: boolean): string {
  switch (verdict) {
    case "unknown":
      return "Verdict: ⚠️ **unknown**. The review could not evaluate part of this plan (listed below); treat it as broadening until someone has read those changes.";
    case "broadening":
      return "Verdict: ⚠️ **broadening**. Someone gains access they did not have, or a Deny, boundary or public access block is removed or loosened: a reviewer must approve.";
    case "narrowing":
      return "Verdict: **narrowing**. Access only shrinks.";
    default:
      return rewritten
        ? "Verdict: **unchanged (rewritten)**. Policies changed in form, not in who can do what."
        : "Verdict: **unchanged**. No change to who can do what.";
  }
}

export function renderReview(reviews: readonly StackReview[]): string {
  const verdict = overallVerdict(reviews);
  const rewritten = verdict === "unchanged" && reviews.some((r) => r.rewritten);
  const out: string[] = [];
  out.push(`# IAM and data review: ${verdict === "unchanged" && rewritten ? "unchanged (rewritten)" : verdict}`, "");
  out.push(verdictLine(verdict, rewritten), "");
  const warnings = reviews.flatMap((r) => r.dataWarnings.map((w) => `${r.stack}: ${w}`));
  if (warnings.length > 0) {
    out.push(
      "> [!CAUTION]",
      "> **Data loss.** This plan destroys, replaces or empties resources that hold data:",
      ...capped(warnings).map((w) => `> ${w.startsWith("- ") ? w : `- ${w}`}`),
      "",
    );
  }
  const rails = reviews.flatMap((r) => r.guardrails.map((g) => `${r.stack}: ${g}`));
  if (rails.length > 0)
    out.push("> [!CAUTION]", "> **Guardrail.** Access that must never be granted:", ...capped(rails).map((g) => `> ${g.startsWith("- ") ? g : `- ${g}`}`), "");
  const unknown = reviews.flatMap((r) => r.unknown.map((u) => `${r.stack}: ${u}`));
  if (unknown.length > 0)
    out.push(
      "> [!WARNING]",
      "> **Not evaluated.** The verdict is unknown because of:",
      ...capped(unknown).map((u) => `> ${u.startsWith("- ") ? u : `- ${u}`}`),
      "",
    );
  out.push("| stack | create | update | replace | destroy | IAM verdict |", "|---|---|---|---|---|---|");
  for (const r of reviews) out.push(`| ${r.stack} | ${r.counts.create} | ${r.counts.update} | ${r.counts.replace} | ${r.counts.destroy} | ${r.verdict} |`);
  out.push("");
  for (const r of reviews) {
    if (r.policies.length === 0 && r.links.length === 0 && r.access.length === 0) continue;
    out.push(`## ${r.stack}`, "");
    if (r.access.length > 0) {
      out.push("### Who gains and loses what", "");
      for (const a of r.access) {
        out.push(...capped(a.gains).map((g) => (g.startsWith("- and ") ? g : `- ${a.who} **gains**: ${g}`)));
        out.push(...capped(a.loses).map((g) => (g.startsWith("- and ") ? g : `- ${a.who} loses: ${g}`)));
      }
      out.push("");
    }
    for (const p of r.policies) {
      out.push(`### ${p.label}`, "", `\`${p.address}\``, "");
      if (p.changes.length > 0) out.push(...capped(p.changes).map((c) => (c.startsWith("- and ") ? c : `- ${c}`)), "");
      if (p.added.length + p.removed.length > 0) {
        out.push("| | Effect | Actions | Resources | Principals | Conditions | Sid |", "|---|---|---|---|---|---|---|");
        for (const s of p.removed) out.push(row("-", s));
        for (const s of p.added) out.push(row("+", s));
        out.push("");
      }
    }
    if (r.links.length > 0) {
      out.push("### Attachments and memberships", "", ...r.links.map((l) => `- ${l.sign} ${l.text}`), "");
    }
  }
  return out.join("\n").trimEnd() + "\n";
}
