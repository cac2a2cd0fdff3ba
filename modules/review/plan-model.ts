/**
 * Who can do what, before and after a plan: each principal's identity
 * statements through every path (inline, managed through attachments,
 * exclusive attachments, a role's managed_policy_arns and inline_policy,
 * group memberships), permissions boundaries, SCPs by their attachments, and
 * resource policies. Values unknown at plan time are resolved through the
 * plan's configuration references where they point at another resource of the
 * plan; what stays unknown is recorded, never guessed.
 */
import { toStmt, type Stmt } from "./statement-cover";

/** attribute values of a resource in a plan: JSON of any shape */
export type Values = Record<string, unknown>;

export interface ResourceChange {
  address: string;
  /** "managed" or "data" (a data source read at apply time) */
  mode?: string;
  type: string;
  provider_name?: string;
  change: {
    actions: string[];
    before: Values | null;
    after: Values | null;
    after_unknown?: Record<string, unknown>;
    /** set when the change imports an existing object (an import block) */
    importing?: { id?: string } | null;
  };
}

interface ConfigResource {
  address: string;
  expressions?: Record<string, { references?: string[] } | unknown>;
  /** provisioners (local-exec, remote-exec, file): commands terraform runs when it creates or destroys the resource */
  provisioners?: { type?: string }[];
}
interface ConfigModule {
  resources?: ConfigResource[];
  module_calls?: Record<string, { module?: ConfigModule }>;
}
export interface Plan {
  resource_changes?: ResourceChange[];
  configuration?: { root_module?: ConfigModule };
  /** terraform stopped on an error: the changes listed are part of the plan only (terraform writes the plan file anyway) */
  errored?: boolean;
  /** false when terraform deferred or skipped part of the plan (deferred_changes, or an error) */
  complete?: boolean;
  /** changes terraform deferred to a later plan: not in resource_changes */
  deferred_changes?: { reason?: string; resource_change?: { address?: string } }[];
  /** provider actions the plan invokes (Terraform >= 1.14) */
  action_invocations?: unknown[];
  deferred_action_invocations?: unknown[];
}

/**
 * The action lists a `terraform show -json` plan may hold (format 1.x,
 * hashicorp/terraform internal/command/jsonplan/plan.go, `Change.Actions`).
 * Anything else is not read as no change: the review says it cannot evaluate it.
 */
export const PLAN_ACTIONS = new Set(["no-op", "create", "read", "update", "delete,create", "create,delete", "delete", "forget", "create,forget"]);

/** what a resource change does, by its action list (anything else, read and forget included, is "none") */
export function kind(actions: readonly string[]): "create" | "update" | "replace" | "destroy" | "none" {
  const a = actions.join(",");
  // create,forget: a new object replaces one terraform forgets (which stays in AWS): judged as a creation
  if (a === "create" || a === "create,forget") return "create";
  if (a === "update") return "update";
  if (a === "delete") return "destroy";
  if (a === "delete,create" || a === "create,delete") return "replace";
  return "none";
}

/** the plan format this review reads: terraform's JSON plan format 1.x (a new major version is one a reader must change for) */
const FORMAT = /^1\.\d+$/;
const MAX_PROBLEMS = 10;

/**
 * What makes a parsed file not a plan this review can read, one line each
 * (empty when it is one): the JSON of `terraform show -json <planfile>`, not of
 * a state, in format 1.x, with resource changes of the documented shape.
 */
export function planProblems(plan: unknown): string[] {
  const fix = "make it with terraform show -json <planfile>";
  if (plan === null || typeof plan !== "object" || Array.isArray(plan)) {
    return [`is ${plan === null ? "null" : Array.isArray(plan) ? "an array" : `a ${typeof plan}`}, not a plan; ${fix}`];
  }
  const p = plan as Record<string, unknown>;
  if (p.format_version === undefined) {
    return [
      p.values !== undefined && p.planned_values === undefined
        ? `is the JSON of a state (it has values, no planned_values), not of a plan; ${fix}`
        : `has no format_version, so it is not terraform's JSON of a plan; ${fix}`,
    ];
  }
  if (typeof p.format_version !== "string" || !FORMAT.test(p.format_version)) {
    return [`format_version ${JSON.stringify(p.format_version)} is not one this review reads (it reads terraform's JSON plan format 1.x); ${fix}`];
  }
  const problems: string[] = [];
  if (p.planned_values === undefined || p.planned_values === null || typeof p.planned_values !== "object") {
    problems.push(
      p.values !== undefined
        ? `is the JSON of a state (it has values, no planned_values), not of a plan; ${fix}`
        : `has no planned_values object, so it is not a plan; ${fix}`,
    );
  }
  const isObject = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);
  for (const key of ["configuration", "prior_state"]) if (p[key] !== undefined && !isObject(p[key])) problems.push(`${key}: is not an object; ${fix}`);
  for (const key of ["resource_changes", "deferred_changes", "action_invocations", "deferred_action_invocations"]) {
    if (p[key] !== undefined && !Array.isArray(p[key])) problems.push(`${key}: is not a list; ${fix}`);
  }
  for (const key of ["errored", "complete", "applyable"])
    if (p[key] !== undefined && typeof p[key] !== "boolean") problems.push(`${key}: is not true or false; ${fix}`);
  const changes = Array.isArray(p.resource_changes) ? (p.resource_changes as unknown[]) : [];
  let bad = 0;
  changes.forEach((rc, i) => {
    const why = changeProblem(rc);
    if (why === undefined) return;
    if (++bad <= MAX_PROBLEMS) problems.push(`resource_changes[${i}]: ${why}; ${fix}`);
  });
  if (bad > MAX_PROBLEMS) problems.push(`resource_changes: ${bad - MAX_PROBLEMS} more entries like those above`);
  return problems;
}

/** why one entry of resource_changes is not a resource change, or undefined */
function changeProblem(rc: unknown): string | undefined {
  if (rc === null || typeof rc !== "object" || Array.isArray(rc)) return "is not an object";
  const r = rc as Record<string, unknown>;
  if (typeof r.address !== "string" || r.address === "") return "has no address";
  if (typeof r.type !== "string" || r.type === "") return `${r.address}: has no type`;
  const c = r.change as Record<string, unknown> | null | undefined;
  if (c === null || typeof c !== "object" || Array.isArray(c)) return `${r.address}: has no change object`;
  if (!Array.isArray(c.actions) || c.actions.length === 0 || !c.actions.every((a) => typeof a === "string"))
    return `${r.address}: change.actions is not a list of actions`;
  for (const side of ["before", "after"]) {
    const v = c[side];
    if (v !== undefined && v !== null && (typeof v !== "object" || Array.isArray(v))) return `${r.address}: change.${side} is not an object`;
  }
  if (c.after_unknown !== undefined && c.after_unknown !== null && (typeof c.after_unknown !== "object" || Array.isArray(c.after_unknown))) {
    return `${r.address}: change.after_unknown is not an object`;
  }
  return undefined;
}

export type Side = "before" | "after";

export interface Resource {
  readonly address: string;
  readonly type: string;
  readonly values: Values;
  /** attribute names known only at apply time (after side only) */
  readonly unknown: ReadonlySet<string>;
}

/** a policy document as held: its statements, or why they cannot be read */
export type Doc = { readonly statements: Stmt[] } | { readonly unknown: string };

export interface PrincipalAccess {
  /** role:NAME, user:NAME, group:NAME */
  readonly key: string;
  readonly statements: Stmt[];
  /** managed policies from outside the plan (AWS managed, other stacks), by ARN */
  readonly external: Set<string>;
  /** the boundary's ARN, or null */
  boundary: string | null;
  /** groups a user is in */
  readonly groups: string[];
  readonly unknown: string[];
}

export interface SideModel {
  readonly resources: Map<string, Resource>;
  readonly principals: Map<string, PrincipalAccess>;
  /** SCP statements per target (account, OU or root id) */
  readonly scps: Map<string, { statements: Stmt[]; unknown: string[] }>;
  /** resource policies by what they protect: `aws_s3_bucket_policy:<bucket>` */
  readonly resourcePolicies: Map<string, { label: string; doc: Doc }>;
  /** managed policy documents by ARN, where the plan knows the ARN */
  readonly policyByArn: Map<string, string>;
  /** managed policies and SCPs (by address) that a holder in the plan attaches */
  readonly held: Set<string>;
  readonly unknown: string[];
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : []);

export function parseDoc(text: unknown, where: string): Doc {
  if (typeof text !== "string" || text.trim() === "") return { unknown: `${where}: no policy document` };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { unknown: `${where}: the policy is not valid JSON` };
  }
  const version = (doc as { Version?: unknown })?.Version;
  // without Version 2012-10-17, ${...} is literal text, not a policy variable (IAM JSON policy
  // elements: Version): marked so that it never reads the same as the variable it looks like
  const raw = literalVariables((doc as { Statement?: unknown })?.Statement, version !== "2012-10-17");
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const statements: Stmt[] = [];
  for (const s of list) {
    const st = toStmt(s);
    if (!st) return { unknown: `${where}: a statement without a valid Effect` };
    statements.push(st);
  }
  return { statements };
}

/** what `${` reads as in a policy without Version 2012-10-17: the same text, which no variable is */
const LITERAL_VARIABLE = "$[literal]{";

/** every string of a statement list with `${` marked as literal text, when the policy's version reads it so */
function literalVariables(v: unknown, literal: boolean): unknown {
  if (!literal) return v;
  if (typeof v === "string") return v.split("${").join(LITERAL_VARIABLE);
  if (Array.isArray(v)) return v.map((x) => literalVariables(x, literal));
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [literalVariables(k, literal) as string, literalVariables(x, literal)]),
    );
  }
  return v;
}

/** the configuration resource of a plan address, and the module prefix its references are relative to */
export function configOf(plan: Plan, address: string): { res?: ConfigResource; prefix: string } {
  const parts = address.split(".");
  let mod = plan.configuration?.root_module;
  const prefix: string[] = [];
  let i = 0;
  while (parts[i] === "module" && mod) {
    const raw = parts[i + 1];
    const name = raw.replace(/\[.*$/, "");
    prefix.push(`module.${raw}`);
    mod = mod.module_calls?.[name]?.module;
    i += 2;
  }
  const local = parts
    .slice(i)
    .join(".")
    .replace(/\[[^\]]*\]$/, "");
  return { res: mod?.resources?.find((r) => r.address === local), prefix: prefix.length ? `${prefix.join(".")}.` : "" };
}

/** the resource address an unknown attribute refers to (`aws_iam_policy.x` from `aws_iam_policy.x.arn`), when exactly one */
function referencedAddress(plan: Plan, resources: Map<string, Resource>, address: string, attr: string): { address: string; attr: string } | undefined {
  const { res, prefix } = configOf(plan, address);
  const expr = res?.expressions?.[attr] as { references?: string[] } | undefined;
  const refs = (expr?.references ?? []).filter((r) => /^aws_[a-z0-9_]+\.[^.]+\.[a-z_]+$/.test(r));
  if (refs.length !== 1) return undefined;
  const [type, name, refAttr] = refs[0].split(".");
  const base = `${prefix}${type}.${name}`;
  const index = /(\[[^\]]*\])$/.exec(address)?.[1];
  const candidates = [...resources.keys()].filter((a) => a === base || a.startsWith(`${base}[`));
  const pick = candidates.length === 1 ? candidates[0] : index && candidates.includes(`${base}${index}`) ? `${base}${index}` : undefined;
  return pick ? { address: pick, attr: refAttr } : undefined;
}

/**
 * Whether an after_unknown entry marks some value unknown: true for an unknown
 * value, and inside nested objects and lists for partly known blocks (known
 * parts are false, `{}` or absent).
 */
export const unknownValue = (v: unknown): boolean => v === true || (v !== null && typeof v === "object" && JSON.stringify(v).includes("true"));

/** a data source's entry (`data.x.y`, `module.m.data.x.y`): its read changes nothing in AWS */
export const isDataSource = (rc: ResourceChange) => rc.mode === "data" || /^(module\.[^.]+(\[[^\]]*\])?\.)*data\./.test(rc.address);

/** build one side of the plan */
export function buildSide(plan: Plan, side: Side): SideModel {
  const resources = new Map<string, Resource>();
  for (const rc of plan.resource_changes ?? []) {
    // a data source read at apply time reads what exists; it creates or changes nothing
    if (isDataSource(rc)) continue;
    const a = rc.change.actions.join(",");
    const exists = side === "before" ? a !== "create" : a !== "delete";
    // forget: terraform stops managing the object, which stays in AWS as it was, with its access
    const forgotten = side === "after" && a === "forget";
    const values = side === "before" || forgotten ? rc.change.before : rc.change.after;
    if (!exists || values === null || values === undefined) continue;
    const unknown = new Set(
      side === "after" && !forgotten ? Object.entries(rc.change.after_unknown ?? {}).flatMap(([k, v]) => (unknownValue(v) ? [k] : [])) : [],
    );
    // an attribute the configuration does not set is unknown only because the provider computes it
    // (a role's managed_policy_arns, a topic's default policy): no one is granted anything by it
    const config = plan.configuration ? configOf(plan, rc.address).res : undefined;
    if (config) for (const k of [...unknown]) if (!(k in (config.expressions ?? {})) && COMPUTED_ONLY.has(k)) unknown.delete(k);
    resources.set(rc.address, { address: rc.address, type: rc.type, values, unknown });
  }
  const unknownAll: string[] = [];
  /** a string attribute, resolved through references when unknown; undefined when it cannot be known */
  const value = (r: Resource, attr: string): string | undefined => {
    if (!r.unknown.has(attr)) return str(r.values[attr]);
    const ref = referencedAddress(plan, resources, r.address, attr);
    const target = ref ? resources.get(ref.address) : undefined;
    if (!ref || !target) return undefined;
    return target.unknown.has(ref.attr) ? undefined : str(target.values[ref.attr]);
  };

  // managed policies: documents by address, ARNs where known
  const docs = new Map<string, Doc>();
  const policyByArn = new Map<string, string>();
  for (const r of resources.values()) {
    if (r.type !== "aws_iam_policy") continue;
    docs.set(r.address, r.unknown.has("policy") ? { unknown: `${r.address}: the policy is known only at apply time` } : parseDoc(r.values.policy, r.address));
    const arn = str(r.values.arn);
    if (arn && !r.unknown.has("arn")) policyByArn.set(arn, r.address);
  }
  /** a policy_arn as `address` of a plan policy, `arn:...` of an outside one, or undefined */
  const policyRef = (r: Resource, attr = "policy_arn"): string | undefined => {
    if (!r.unknown.has(attr)) {
      const arn = str(r.values[attr]);
      return arn === undefined ? undefined : (policyByArn.get(arn) ?? arn);
    }
    const ref = referencedAddress(plan, resources, r.address, attr);
    return ref && resources.get(ref.address)?.type === "aws_iam_policy" && ref.attr === "arn" ? ref.address : undefined;
  };

  const principals = new Map<string, PrincipalAccess>();
  const principal = (key: string): PrincipalAccess => {
    let p = principals.get(key);
    if (!p) principals.set(key, (p = { key, statements: [], external: new Set(), boundary: null, groups: [], unknown: [] }));
    return p;
  };
  const holds = (key: string, doc: Doc) => {
    const p = principal(key);
    if ("unknown" in doc) p.unknown.push(doc.unknown);
    else p.statements.push(...doc.statements);
  };
  const held = new Set<string>();
  const attach = (key: string, ref: string | undefined, where: string) => {
    if (ref !== undefined && !ref.startsWith("arn:")) held.add(ref);
    if (ref === undefined) principal(key).unknown.push(`${where}: which policy it attaches is known only at apply time`);
    else if (ref.startsWith("arn:")) principal(key).external.add(ref);
    else holds(key, docs.get(ref) ?? { unknown: `${where}: ${ref} is not a policy of this plan` });
  };
  const groupMembers = new Map<string, Set<string>>();
  const member = (group: string, user: string) => {
    if (!groupMembers.has(group)) groupMembers.set(group, new Set());
    groupMembers.get(group)!.add(user);
  };
  const unknownHolder = (r: Resource, attr: string) => unknownAll.push(`${r.address}: ${attr} is known only at apply time, so who holds it cannot be told`);

  for (const r of resources.values()) {
    switch (r.type) {
      case "aws_iam_role": {
        const name = value(r, "name");
        if (name === undefined) {
          unknownHolder(r, "name");
          break;
        }
        const p = principal(`role:${name}`);
        p.boundary = r.unknown.has("permissions_boundary") ? "(known after apply)" : (str(r.values.permissions_boundary) ?? null);
        if (r.unknown.has("managed_policy_arns")) p.unknown.push(`${r.address}: managed_policy_arns known only at apply time`);
        for (const arn of strList(r.values.managed_policy_arns)) attach(`role:${name}`, policyByArn.get(arn) ?? arn, r.address);
        if (r.unknown.has("inline_policy")) p.unknown.push(`${r.address}: inline_policy known only at apply time`);
        for (const ip of Array.isArray(r.values.inline_policy) ? (r.values.inline_policy as Values[]) : []) {
          if (str(ip.policy)) holds(`role:${name}`, parseDoc(ip.policy, `${r.address} inline ${String(ip.name)}`));
        }
        break;
      }
      case "aws_iam_user": {
        const name = value(r, "name");
        if (name === undefined) unknownHolder(r, "name");
        else principal(`user:${name}`).boundary = r.unknown.has("permissions_boundary") ? "(known after apply)" : (str(r.values.permissions_boundary) ?? null);
        break;
      }
      case "aws_iam_group": {
        const name = value(r, "name");
        if (name !== undefined) principal(`group:${name}`);
        break;
      }
      case "aws_iam_role_policy":
      case "aws_iam_group_policy":
      case "aws_iam_user_policy": {
        const kind = r.type.split("_")[2];
        const holder = value(r, kind);
        if (holder === undefined) unknownHolder(r, kind);
        else
          holds(
            `${kind}:${holder}`,
            r.unknown.has("policy") ? { unknown: `${r.address}: the policy is known only at apply time` } : parseDoc(r.values.policy, r.address),
          );
        break;
      }
      case "aws_iam_role_policy_attachment":
      case "aws_iam_group_policy_attachment":
      case "aws_iam_user_policy_attachment": {
        const kind = r.type.split("_")[2];
        const holder = value(r, kind);
        if (holder === undefined) unknownHolder(r, kind);
        else attach(`${kind}:${holder}`, policyRef(r), r.address);
        break;
      }
      case "aws_iam_policy_attachment": {
        for (const kind of ["users", "roles", "groups"]) {
          if (r.unknown.has(kind)) unknownHolder(r, kind);
          for (const n of strList(r.values[kind])) attach(`${kind.slice(0, -1)}:${n}`, policyRef(r), r.address);
        }
        break;
      }
      case "aws_iam_user_group_membership": {
        const user = value(r, "user");
        if (user === undefined || r.unknown.has("groups")) unknownHolder(r, user === undefined ? "user" : "groups");
        else for (const g of strList(r.values.groups)) member(g, user);
        break;
      }
      case "aws_iam_group_membership": {
        const group = value(r, "group");
        if (group === undefined || r.unknown.has("users")) unknownHolder(r, group === undefined ? "group" : "users");
        else for (const u of strList(r.values.users)) member(group, u);
        break;
      }
    }
  }
  // users inherit their groups' statements. A group of which this side of the plan holds nothing
  // (neither the group nor a policy of it) holds policies the plan does not show, which its members
  // get like a managed policy from outside the plan
  const groupsInPlan = new Set([
    ...[...resources.values()].filter((r) => r.type === "aws_iam_group").map((r) => value(r, "name")),
    ...[...principals.keys()].filter((k) => k.startsWith("group:")).map((k) => k.slice("group:".length)),
  ]);
  for (const [group, users] of groupMembers) {
    const g = principal(`group:${group}`);
    for (const u of users) {
      const p = principal(`user:${u}`);
      p.statements.push(...g.statements);
      if (!groupsInPlan.has(group)) p.external.add(`the policies of group ${group} (a membership; the group is not in this plan)`);
      g.external.forEach((x) => p.external.add(`${x} (through group ${group})`));
      p.unknown.push(...g.unknown.map((x) => `${x} (through group ${group})`));
      p.groups.push(group);
    }
  }

  // service control policies by target
  const scpDocs = new Map<string, Doc>();
  const scpIds = new Map<string, string>();
  for (const r of resources.values()) {
    if (r.type !== "aws_organizations_policy" || (str(r.values.type) ?? "SERVICE_CONTROL_POLICY") !== "SERVICE_CONTROL_POLICY") continue;
    scpDocs.set(r.address, r.unknown.has("content") ? { unknown: `${r.address}: content known only at apply time` } : parseDoc(r.values.content, r.address));
    const id = str(r.values.id);
    if (id && !r.unknown.has("id")) scpIds.set(id, r.address);
  }
  const scps = new Map<string, { statements: Stmt[]; unknown: string[] }>();
  for (const r of resources.values()) {
    if (r.type !== "aws_organizations_policy_attachment") continue;
    let target = value(r, "target_id");
    if (target === undefined) {
      const ref = referencedAddress(plan, resources, r.address, "target_id");
      target = ref ? ref.address : undefined;
    }
    let policy: string | undefined = r.unknown.has("policy_id") ? undefined : scpIds.get(str(r.values.policy_id) ?? "");
    if (policy === undefined) {
      const ref = referencedAddress(plan, resources, r.address, "policy_id");
      policy = ref && scpDocs.has(ref.address) ? ref.address : undefined;
    }
    if (target === undefined) {
      unknownHolder(r, "target_id");
      continue;
    }
    const entry = scps.get(target) ?? { statements: [], unknown: [] };
    scps.set(target, entry);
    if (policy) held.add(policy);
    const doc = policy ? scpDocs.get(policy) : undefined;
    if (!doc) entry.unknown.push(`${r.address}: attaches a policy whose content the plan does not show (${str(r.values.policy_id) ?? "known after apply"})`);
    else if ("unknown" in doc) entry.unknown.push(doc.unknown);
    else entry.statements.push(...doc.statements);
  }

  // resource policies, keyed by what they protect
  const resourcePolicies = new Map<string, { label: string; doc: Doc }>();
  for (const r of resources.values()) {
    const spec = RESOURCE_POLICIES[r.type];
    if (!spec) continue;
    const [attr, idAttr, label] = spec;
    const id = idAttr === "" ? r.address : (value(r, idAttr) ?? r.address);
    // no document at all: nothing granted by it (a key's default policy is AWS's, outside the plan)
    if (!r.unknown.has(attr) && (r.values[attr] === null || r.values[attr] === undefined || r.values[attr] === "")) continue;
    const doc: Doc = r.unknown.has(attr) ? { unknown: `${r.address}: ${attr} is known only at apply time` } : parseDoc(r.values[attr], r.address);
    resourcePolicies.set(`${r.type}:${id}`, { label: `${label} \`${id}\``, doc });
  }
  return { resources, principals, scps, resourcePolicies, policyByArn, held, unknown: unknownAll };
}

/** attributes a provider fills in when the configuration leaves them out */
const COMPUTED_ONLY = new Set(["managed_policy_arns", "inline_policy", "policy", "permissions_boundary", "acl", "assume_role_policy"]);

/** policy documents on resources: attribute, what identifies the resource, and a label */
export const RESOURCE_POLICIES: Readonly<Record<string, readonly [string, string, string]>> = {
  aws_s3_bucket_policy: ["policy", "bucket", "bucket policy of"],
  aws_s3_bucket: ["policy", "bucket", "inline bucket policy of"],
  aws_kms_key: ["policy", "", "key policy of"],
  aws_iam_role: ["assume_role_policy", "name", "trust policy of role"],
  aws_sqs_queue_policy: ["policy", "queue_url", "queue policy of"],
  aws_sqs_queue: ["policy", "name", "inline queue policy of"],
  aws_sns_topic_policy: ["policy", "arn", "topic policy of"],
  aws_sns_topic: ["policy", "name", "inline topic policy of"],
  aws_kinesis_resource_policy: ["policy", "resource_arn", "Kinesis resource policy of"],
  aws_ecr_repository_policy: ["policy", "repository", "repository policy of"],
  aws_secretsmanager_secret_policy: ["policy", "secret_arn", "secret policy of"],
  aws_vpc_endpoint_policy: ["policy", "vpc_endpoint_id", "VPC endpoint policy of"],
  aws_vpc_endpoint: ["policy", "", "VPC endpoint policy of"],
  aws_dynamodb_resource_policy: ["policy", "resource_arn", "DynamoDB resource policy of"],
};
