/**
 * From an account's IAM inventory to what adopts it (issue #14): which parts
 * of the config already exist (the seed procedures' groups, users, roles and
 * policies, under the names the config gives them), the `adopt` block that
 * imports them, and an access change report per principal: what each can do
 * today, what it can do after apply, and the difference, judged by the same
 * engine as the plan review (modules/review).
 */
import { PENDING_ACCOUNT } from "../checks";
import { ConfigError } from "../config/errors";
import { TerraformStack } from "../private/cdk";
import type { Config } from "../config/schema";
import { accountEnv, arns } from "../private/arn";
import { registeredMemberships, registeredPolicies } from "../private/policy-registry";
import { reviewPlan, type AccessChange } from "../review/review";
import type { ResourceChange, Values } from "../review/plan-model";
import { allowedServices } from "../service-control-policy";
import { AdoptionError, adoptedInline, adoptInStack } from "../stacks/adopt";
import { scpExtraServices, withAppInMemory } from "../stacks/app";
import type { Inventory, Principal } from "./inventory";

export interface AdoptFragment {
  readonly installer: boolean;
  readonly operator: boolean;
  readonly applications: string[];
  readonly spark: boolean;
  readonly backupBucket?: boolean;
  /** policies the stacks build as managed that exist inline on their principal */
  readonly inlinePolicies?: Config["adopt"]["inlinePolicies"];
  readonly except: string[];
}

export interface Adoption {
  readonly adopt: AdoptFragment;
  /** the existing principals the stacks will manage */
  readonly principals: { readonly kind: Principal["kind"]; readonly name: string }[];
  readonly notes: string[];
}

const PIPELINE = "snowplow-pipeline";

function withAdopt(config: Config, adopt: Partial<AdoptFragment>): Config {
  return { ...config, adopt: { ...config.adopt, ...adopt } };
}

/** the app, built in memory (no synth), and its pipeline stack's Terraform JSON */
function buildPipeline(config: Config) {
  return withAppInMemory(config, (app) => {
    const stack = app.node.children.find((c): c is TerraformStack => c instanceof TerraformStack && c.node.id === PIPELINE);
    return { app, stack: stack ? (JSON.parse(JSON.stringify(stack.toTerraform())) as Record<string, unknown>) : undefined };
  });
}

/** does the object an import ID names exist in the inventory */
function exists(inv: Inventory, type: string, id: string): boolean {
  const find = (kind: Principal["kind"], name: string) => inv.principals.find((p) => p.kind === kind && p.name === name);
  const kindOf = (t: string) => t.split("_")[2] as Principal["kind"];
  switch (type) {
    case "aws_iam_group":
    case "aws_iam_user":
    case "aws_iam_role":
      return find(type.slice(8) as Principal["kind"], id) !== undefined;
    case "aws_iam_instance_profile":
      return inv.instanceProfiles.has(id);
    case "aws_iam_policy":
      return inv.policies.has(id);
    case "aws_iam_group_policy":
    case "aws_iam_role_policy":
    case "aws_iam_user_policy": {
      const [holder, name] = id.split(":");
      return find(kindOf(type), holder)?.inline.some((p) => p.name === name) ?? false;
    }
    case "aws_iam_group_policy_attachment":
    case "aws_iam_role_policy_attachment":
    case "aws_iam_user_policy_attachment": {
      const slash = id.indexOf("/");
      return find(kindOf(type), id.slice(0, slash))?.attached.includes(id.slice(slash + 1)) ?? false;
    }
    case "aws_iam_user_group_membership":
      return find("user", id.split("/")[0]) !== undefined;
    default:
      return false;
  }
}

/**
 * What of the config exists in the inventory. A part is adopted when its
 * principal exists under the name (and IAM path) the config gives it; what
 * of the part does not exist yet goes into `except` (created, not imported).
 */
export function matchInventory(inv: Inventory, config: Config, shown: string, bucketPolicy?: unknown): Adoption {
  const want = config.accounts.snowplow.id;
  if (want !== undefined && inv.account !== "" && inv.account !== want) {
    throw new ConfigError(shown, [
      { field: "", message: `is the inventory of account ${inv.account}, but accounts.snowplow.id is ${want}; dump the Snowplow account` },
    ]);
  }
  const notes: string[] = [];
  const has = (kind: Principal["kind"], name: string) => {
    const p = inv.principals.find((x) => x.kind === kind && x.name === name);
    if (p !== undefined && p.path !== config.iam.path) {
      notes.push(
        `${kind} ${name} exists under the IAM path ${p.path}, but iam.path is ${config.iam.path}: set iam.path to "${p.path}" to adopt it (a role's path cannot change without replacing it)`,
      );
      return false;
    }
    return p !== undefined;
  };
  const candidate: AdoptFragment = {
    installer: has("group", config.pipeline.installer.groupName) && has("user", config.pipeline.installer.userName),
    operator: config.pipeline.flow !== "real-time" && has("group", config.pipeline.operator.groupName) && has("user", config.pipeline.operator.userName),
    applications: config.kinesis.applications.filter((x) => has("role", x.name)).map((x) => x.name),
    spark:
      config.spark?.enabled === true &&
      inv.policies.has(arns.iam(accountEnv(inv.account || PENDING_ACCOUNT, config.region), `policy${config.iam.path}${config.spark.launcher.policyName}`)),
    except: [],
  };
  // every import the adopted parts would make, checked against the inventory
  const { stack } = buildPipeline(withAdopt(config, candidate));
  const except: string[] = [];
  const inlinePolicies: NonNullable<AdoptFragment["inlinePolicies"]> = [];
  if (stack !== undefined) {
    let { imports } = adoptInStack(structuredClone(stack), PIPELINE, withAdopt(config, candidate));
    // a managed policy that does not exist, whose principal holds an inline policy of that name: the older, inline form
    for (const { to, id } of imports) {
      if (to.split(".")[0] !== "aws_iam_policy" || exists(inv, "aws_iam_policy", id)) continue;
      const policy = id.slice(id.lastIndexOf("/") + 1);
      for (const att of imports) {
        const kind = /^aws_iam_(group|role|user)_policy_attachment\./.exec(att.to)?.[1] as "group" | "role" | "user" | undefined;
        if (kind === undefined || !att.id.endsWith(`/${id}`)) continue;
        const holder = att.id.slice(0, att.id.length - id.length - 1);
        if (exists(inv, `aws_iam_${kind}_policy`, `${holder}:${policy}`)) {
          inlinePolicies.push(kind === "group" ? { group: holder, policy } : kind === "role" ? { role: holder, policy } : { user: holder, policy });
          notes.push(`${kind} ${holder} holds ${policy} as an inline policy: adopted inline (adopt.inlinePolicies), narrowed in place`);
        }
      }
    }
    if (inlinePolicies.length > 0) {
      try {
        imports = adoptInStack(structuredClone(stack), PIPELINE, withAdopt(config, { ...candidate, inlinePolicies })).imports;
      } catch (e) {
        if (!(e instanceof AdoptionError)) throw e;
        // too large to stay inline: the managed policy is created, and the report says to delete the inline one
        notes.push(`${e.message}: adopted as a managed policy instead`);
        inlinePolicies.length = 0;
      }
    }
    for (const { to, id } of imports) {
      if (!exists(inv, to.split(".")[0], id)) except.push(id);
    }
  }
  for (const id of except) notes.push(`${id} does not exist yet: it is created, not imported`);
  // a seed group whose member is not the user the config names: say how to adopt it
  for (const [group, field, configured] of [
    [config.pipeline.installer.groupName, "pipeline.installer.userName", config.pipeline.installer.userName],
    [config.pipeline.operator.groupName, "pipeline.operator.userName", config.pipeline.operator.userName],
  ] as const) {
    const members = inv.principals.filter((p) => p.kind === "user" && p.groups.includes(group)).map((p) => p.name);
    if (members.length > 0 && !members.includes(configured)) {
      notes.push(`group ${group} exists with member ${members.join(", ")}, but ${field} is ${configured}: set ${field} to adopt the existing user`);
    }
  }
  const adopt: AdoptFragment = {
    ...candidate,
    ...(bucketPolicy !== undefined ? { backupBucket: true } : {}),
    ...(inlinePolicies.length > 0 ? { inlinePolicies } : {}),
    except,
  };
  if (bucketPolicy !== undefined) {
    notes.push(
      "backup bucket: its settings are imported too (versioning, encryption, public access block, ownership controls, lifecycle, logging); one the bucket does not have yet cannot be imported: add its import ID (the bucket name) to adopt.except only for a bucket that has none of them, or configure it first",
    );
    if (config.backup?.encryption === "sse-kms" && config.adopt.backupKmsKeyId === undefined) {
      notes.push(`backup bucket: sse-kms needs adopt.backupKmsKeyId, the id of its key (aws s3api get-bucket-encryption --bucket ${config.backup.bucketName})`);
    }
  }
  const principals: Adoption["principals"] = [];
  if (adopt.installer)
    principals.push({ kind: "group", name: config.pipeline.installer.groupName }, { kind: "user", name: config.pipeline.installer.userName });
  if (adopt.operator) principals.push({ kind: "group", name: config.pipeline.operator.groupName }, { kind: "user", name: config.pipeline.operator.userName });
  for (const a of adopt.applications) principals.push({ kind: "role", name: a });
  return { adopt, principals, notes };
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, "_");

/**
 * When the config asks for a service control policy on an adopted account:
 * per principal of the inventory, the services its allows name that the SCP
 * would deny (a "*" action names every service). The account's existing
 * workloads lose these when the SCP is attached.
 */
export function servicesTheScpDenies(inv: Inventory, config: Config): string[] {
  const scp = config.organization.serviceControlPolicy;
  if (config.accounts.snowplow.mode !== "adopt" || !scp.enabled) return [];
  const allowed = new Set(Object.keys(allowedServices(config.pipeline.flow, scpExtraServices(config))));
  const services = (doc: unknown): string[] => {
    const statements = (doc as { Statement?: unknown }).Statement;
    const list = Array.isArray(statements) ? statements : statements === undefined ? [] : [statements];
    const out = new Set<string>();
    for (const st of list as { Effect?: string; Action?: string | string[] }[]) {
      if (st.Effect !== "Allow" || st.Action === undefined) continue;
      for (const a of Array.isArray(st.Action) ? st.Action : [st.Action]) out.add(a === "*" ? "* (every service)" : a.split(":")[0].toLowerCase());
    }
    return [...out];
  };
  const lines: string[] = [];
  for (const p of inv.principals) {
    const used = new Set<string>();
    for (const ip of p.inline) services(ip.document).forEach((x) => used.add(x));
    for (const arn of p.attached) {
      const d = inv.policies.get(arn);
      if (d) services(d.document).forEach((x) => used.add(x));
    }
    const denied = [...used].filter((x) => !allowed.has(x)).sort();
    if (denied.length > 0) lines.push(`${p.kind} ${p.name}: ${denied.join(", ")}`);
  }
  return lines;
}

/**
 * The access change report: for each principal the stacks will manage, a
 * plan-like change from what it holds today (the inventory) to what it holds
 * after apply (our policies, plus what it holds that the stacks do not
 * manage), reviewed by the plan review's engine.
 */
export async function accessChanges(
  inv: Inventory,
  config: Config,
  adoption: Adoption,
  bucketPolicy?: unknown,
): Promise<{ access: AccessChange[]; unknown: string[]; kept: string[] }> {
  // the policies do not depend on what is adopted: the app is built once, in memory
  const { app } = buildPipeline(config);
  const env = accountEnv(inv.account || config.accounts.snowplow.id || PENDING_ACCOUNT, config.region);
  const before = new Map<string, { type: string; values: Values }>();
  const after = new Map<string, { type: string; values: Values }>();
  const managed = new Set(adoption.principals.map((p) => `${p.kind}:${p.name}`));
  for (const p of inv.principals) {
    if (!managed.has(`${p.kind}:${p.name}`)) continue;
    const entry = { type: `aws_iam_${p.kind}`, values: { name: p.name, path: p.path } };
    before.set(`aws_iam_${p.kind}.${safe(p.name)}`, entry);
    after.set(`aws_iam_${p.kind}.${safe(p.name)}`, entry);
    for (const ip of p.inline)
      before.set(`aws_iam_${p.kind}_policy.${safe(`${p.name}__${ip.name}`)}`, {
        type: `aws_iam_${p.kind}_policy`,
        values: { [p.kind]: p.name, name: ip.name, policy: JSON.stringify(ip.document) },
      });
    for (const arn of p.attached) {
      before.set(`aws_iam_${p.kind}_policy_attachment.${safe(`${p.name}__${arn}`)}`, {
        type: `aws_iam_${p.kind}_policy_attachment`,
        values: { [p.kind]: p.name, policy_arn: arn },
      });
      const doc = inv.policies.get(arn);
      if (doc)
        before.set(`aws_iam_policy.${safe(arn)}`, {
          type: "aws_iam_policy",
          values: { arn, name: doc.name, path: doc.path, policy: JSON.stringify(doc.document) },
        });
    }
    if (p.kind === "user" && p.groups.length > 0)
      before.set(`aws_iam_user_group_membership.${safe(p.name)}`, {
        type: "aws_iam_user_group_membership",
        values: { user: p.name, groups: [...p.groups].sort() },
      });
  }
  // after apply: what the stacks manage for these principals ...
  const ours = new Set<string>();
  for (const e of registeredPolicies(app)) {
    if (e.stack !== PIPELINE || e.kind === "trust") continue;
    for (const t of e.targets) {
      if (t.type !== "user" && t.type !== "group" && t.type !== "role") continue;
      if (!managed.has(`${t.type}:${t.name}`)) continue;
      const doc = JSON.stringify(e.document.toJSON());
      // a managed policy adopted in its older, inline form stays inline
      const inline = adoptedInline(adoption.adopt.inlinePolicies ?? [], { ...e, targets: [t] });
      if (e.kind === "inline" || inline) {
        const key = `aws_iam_${t.type}_policy.${safe(`${t.name}__${e.name}`)}`;
        ours.add(key);
        after.set(key, { type: `aws_iam_${t.type}_policy`, values: { [t.type]: t.name, name: e.name, policy: doc } });
      } else {
        const arn = arns.iam(env, `policy${config.iam.path}${e.name}`);
        after.set(`aws_iam_policy.${safe(arn)}`, { type: "aws_iam_policy", values: { arn, name: e.name, path: config.iam.path, policy: doc } });
        ours.add(`aws_iam_policy.${safe(arn)}`);
        const key = `aws_iam_${t.type}_policy_attachment.${safe(`${t.name}__${arn}`)}`;
        ours.add(key);
        after.set(key, { type: `aws_iam_${t.type}_policy_attachment`, values: { [t.type]: t.name, policy_arn: arn } });
      }
    }
  }
  const groupsOf = new Map<string, string[]>();
  for (const m of registeredMemberships(app)) {
    if (m.stack === PIPELINE && managed.has(`user:${m.user}`)) groupsOf.set(m.user, [...(groupsOf.get(m.user) ?? []), m.group]);
  }
  // ... and what they hold that the stacks do not manage stays as it is
  const kept: string[] = [];
  for (const [key, v] of before) {
    if (after.has(key) || ours.has(key)) continue;
    if (v.type === "aws_iam_user_group_membership") continue;
    after.set(key, v);
    const holderKind = v.type.split("_")[2];
    if (v.type !== "aws_iam_policy" && v.type.endsWith("_policy"))
      kept.push(
        `${holderKind} ${String(v.values[holderKind])} keeps its inline policy ${String(v.values.name)}, which the stacks do not manage: delete it after apply to narrow`,
      );
    else if (v.type.endsWith("_policy_attachment"))
      kept.push(
        `${holderKind} ${String(v.values[holderKind])} keeps the attached policy ${String(v.values.policy_arn)}, which the stacks do not manage: detach it after apply to narrow`,
      );
  }
  for (const p of adoption.principals.filter((x) => x.kind === "user")) {
    const kept = (before.get(`aws_iam_user_group_membership.${safe(p.name)}`)?.values.groups as string[] | undefined) ?? [];
    const groups = [...new Set([...kept, ...(groupsOf.get(p.name) ?? [])])].sort();
    if (groups.length > 0)
      after.set(`aws_iam_user_group_membership.${safe(p.name)}`, { type: "aws_iam_user_group_membership", values: { user: p.name, groups } });
  }
  // the backup bucket's policy, from what it is to what the backup stack writes
  if (bucketPolicy !== undefined && config.backup !== undefined) {
    const ours = registeredPolicies(app).find((e) => e.kind === "bucket" && e.stack === "backup");
    const bucket = config.backup.bucketName;
    before.set("aws_s3_bucket_policy.backup", { type: "aws_s3_bucket_policy", values: { bucket, policy: JSON.stringify(bucketPolicy) } });
    if (ours) after.set("aws_s3_bucket_policy.backup", { type: "aws_s3_bucket_policy", values: { bucket, policy: JSON.stringify(ours.document.toJSON()) } });
  }
  const changes: ResourceChange[] = [];
  for (const address of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const b = before.get(address);
    const a = after.get(address);
    const type = (a ?? b)!.type;
    const actions = b && a ? (JSON.stringify(b.values) === JSON.stringify(a.values) ? ["no-op"] : ["update"]) : b ? ["delete"] : ["create"];
    changes.push({ address, type, change: { actions, before: b?.values ?? null, after: a?.values ?? null } });
  }
  const review = await reviewPlan("inventory", { resource_changes: changes });
  return { access: review.access, unknown: review.unknown, kept: kept.sort() };
}

/** the report, in Markdown */
export function renderAccessChanges(
  source: string,
  inv: Inventory,
  adoption: Adoption,
  access: readonly AccessChange[],
  unknown: readonly string[] = [],
  kept: readonly string[] = [],
  scpDenies: readonly string[] = [],
): string {
  const out = [
    "# Access change report",
    "",
    `What each existing principal the stacks will manage can do today (the inventory of account ${inv.account}), and what changes when the stacks are applied with the adopt block below (config \`${source}\`). Same engine as the plan review: actions expanded, resources matched.`,
    "",
  ];
  for (const p of adoption.principals) {
    const who = `${p.kind} ${p.name}`;
    const change = access.find((a) => a.who === who || a.who.startsWith(`${who} `));
    out.push(`## ${who}`, "");
    if (!change || (change.gains.length === 0 && change.loses.length === 0)) out.push("No change in what it can do.", "");
    else {
      out.push(`Loses (${change.loses.length}):`, "", ...(change.loses.length ? change.loses.map((l) => `- ${l}`) : ["- nothing"]), "");
      out.push(`Gains (${change.gains.length}):`, "", ...(change.gains.length ? change.gains.map((l) => `- ${l}`) : ["- nothing"]), "");
    }
  }
  // what is judged beside the principals: the backup bucket's policy
  for (const a of access) {
    if (adoption.principals.some((p) => a.who === `${p.kind} ${p.name}` || a.who.startsWith(`${p.kind} ${p.name} `))) continue;
    out.push(`## ${a.who}`, "");
    out.push(`Loses (${a.loses.length}):`, "", ...(a.loses.length ? a.loses.map((l) => `- ${l}`) : ["- nothing"]), "");
    out.push(`Gains (${a.gains.length}):`, "", ...(a.gains.length ? a.gains.map((l) => `- ${l}`) : ["- nothing"]), "");
  }
  if (adoption.principals.length === 0 && !adoption.adopt.backupBucket) out.push("Nothing in the inventory matches the config: nothing to adopt.", "");
  if (unknown.length > 0)
    out.push("## Not evaluated", "", "What these changes do cannot be told from the inventory: read them.", "", ...unknown.map((u) => `- ${u}`), "");
  if (scpDenies.length > 0) {
    out.push(
      "## Services the service control policy would deny",
      "",
      "organization.serviceControlPolicy.enabled is true for this adopted account: these principals hold grants on services the SCP denies, which stop working when it is attached.",
      "",
      ...scpDenies.map((l) => `- ${l}`),
      "",
    );
  }
  const notes = [...kept, ...adoption.notes];
  if (notes.length > 0) out.push("## Notes", "", ...notes.map((n) => `- ${n}`), "");
  out.push("## The adopt block", "", "```json", JSON.stringify({ adopt: adoption.adopt }, null, 2), "```", "");
  return out.join("\n");
}
