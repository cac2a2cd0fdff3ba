/**
 * Adopting what the manual procedures already created (issue #14): for each
 * part the config marks as existing (`adopt`), every resource the part
 * synthesizes gets a Terraform `import` block with the exact import ID of its
 * type, so the first plan shows imports and in-place updates, never a create
 * of something that exists. Import IDs are computed from the synthesized
 * stack itself (names, and references to other resources of the stack
 * resolved to their names), per the import section of each resource's page
 * in the hashicorp/aws provider documentation.
 *
 * What Terraform cannot adopt is said plainly: an access key's secret is in
 * no API, and a console password cannot be read back.
 */
import type { Config } from "../config/schema";
import { accountEnv, arns } from "../private/arn";
import { sizeLimit } from "../private/quotas";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized Terraform JSON is untyped; every read is checked
type Json = Record<string, any>;

export interface AdoptionResult {
  /** import blocks added, per address */
  readonly imports: { readonly to: string; readonly id: string }[];
  readonly notices: string[];
  /** the adopt.inlinePolicies entries this stack builds */
  readonly inline: InlineEntry[];
}

const adoptedPathsOf = new WeakMap<Config, Record<string, string[]>>();

/** construct-path prefixes of the parts the config adopts, per stack (worked out once per config: the synth asks per stack) */
export function adoptedPaths(config: Config): Record<string, string[]> {
  const known = adoptedPathsOf.get(config);
  if (known) return known;
  const a = config.adopt;
  const out: Record<string, string[]> = {};
  const add = (stack: string, path: string) => (out[stack] ??= []).push(`${stack}/${path}`);
  if (a.installer) add("snowplow-pipeline", "installer");
  if (a.operator) add("snowplow-pipeline", "operator");
  for (const app of a.applications) add("snowplow-pipeline", `app-${app}`);
  if (a.spark) add("snowplow-pipeline", "spark_launcher");
  if (a.backupBucket) add("backup", "backup_bucket");
  for (const s of a.sourceWriters) add(`source-${s}`, "backup_writer");
  adoptedPathsOf.set(config, out);
  return out;
}

/** `${aws_iam_role.x.name}` -> the name of that resource in the stack */
function resolver(stack: Json, env: { account: string; region: string }) {
  const literal = (v: unknown): string | undefined => {
    if (typeof v !== "string") return undefined;
    const ref = /^\$\{(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.(name|id|arn|bucket)\}$/.exec(v);
    if (!ref) return v.includes("${") ? undefined : v;
    const target = stack.resource?.[ref[1]]?.[ref[2]];
    if (target === undefined) return undefined;
    if (ref[1] === "aws_iam_policy" && ref[3] === "arn") return policyArn(target);
    if (ref[3] === "arn") return undefined;
    return literal(target.name ?? target.bucket);
  };
  const policyArn = (p: Json): string | undefined => {
    const name = literal(p.name);
    return name === undefined ? undefined : arns.iam(accountEnv(env.account, env.region), `policy${p.path ?? "/"}${name}`);
  };
  return { literal, policyArn };
}

/** the import ID of one resource, or why it cannot be imported */
function importId(type: string, r: Json, res: ReturnType<typeof resolver>): { id?: string; skip?: string } {
  const L = res.literal;
  switch (type) {
    case "aws_iam_group":
    case "aws_iam_user":
    case "aws_iam_role":
    case "aws_iam_instance_profile":
      return { id: L(r.name) };
    case "aws_iam_policy":
      return { id: res.policyArn(r) };
    case "aws_iam_group_policy":
      return { id: join(":", L(r.group), L(r.name)) };
    case "aws_iam_role_policy":
      return { id: join(":", L(r.role), L(r.name)) };
    case "aws_iam_user_policy":
      return { id: join(":", L(r.user), L(r.name)) };
    case "aws_iam_group_policy_attachment":
      return { id: join("/", L(r.group), L(r.policy_arn)) };
    case "aws_iam_role_policy_attachment":
      return { id: join("/", L(r.role), L(r.policy_arn)) };
    case "aws_iam_user_policy_attachment":
      return { id: join("/", L(r.user), L(r.policy_arn)) };
    case "aws_iam_user_group_membership":
      return { id: join("/", L(r.user), ...((r.groups as unknown[] | undefined) ?? []).map((g) => L(g))) };
    case "aws_s3_bucket":
    case "aws_s3_bucket_versioning":
    case "aws_s3_bucket_server_side_encryption_configuration":
    case "aws_s3_bucket_public_access_block":
    case "aws_s3_bucket_ownership_controls":
    case "aws_s3_bucket_lifecycle_configuration":
    case "aws_s3_bucket_logging":
    case "aws_s3_bucket_policy":
      return { id: L(r.bucket) };
    case "aws_kms_alias":
      return { id: L(r.name) };
    case "aws_dynamodb_table":
      return { id: L(r.name) };
    case "aws_iam_access_key":
      return { skip: "an access key's secret is in no API, so Terraform cannot adopt it" };
    case "aws_iam_user_login_profile":
      return { skip: "a console password cannot be read back, so Terraform cannot adopt the login profile" };
    default:
      return {};
  }
}

function join(sep: string, ...parts: (string | undefined)[]): string | undefined {
  return parts.every((p) => p !== undefined && p !== "") ? parts.join(sep) : undefined;
}

type InlineEntry = Config["adopt"]["inlinePolicies"][number];
type Holder = "group" | "role" | "user";

/** the principal kind and name of an `adopt.inlinePolicies` entry */
export function inlineHolder(e: InlineEntry): { kind: Holder; name: string } {
  if ("group" in e) return { kind: "group", name: e.group };
  if ("role" in e) return { kind: "role", name: e.role };
  return { kind: "user", name: e.user };
}

/** the size AWS counts (no whitespace); a reference still in the text counts as a long ARN, so the estimate never falls short */
const inlineSize = (policy: string) => policy.replace(/\$\{[^}]*\}/g, "x".repeat(128)).replace(/\s/g, "").length;

/**
 * A policy the stacks build as a managed policy, which exists as an inline
 * policy of its principal (`adopt.inlinePolicies`): the managed policy and its
 * attachment become that inline policy, same name, same document, so it is
 * imported (`<principal>:<policy>`) and narrowed in place instead of a second
 * grant being created beside it. Returns the entries found in this stack.
 */
function inlineAdopted(
  stack: Json,
  name: string,
  prefixes: readonly string[],
  entries: readonly InlineEntry[],
  res: ReturnType<typeof resolver>,
  notices: string[],
): InlineEntry[] {
  const found: InlineEntry[] = [];
  for (const entry of entries) {
    const { kind, name: holder } = inlineHolder(entry);
    const attachments: Json = stack.resource?.[`aws_iam_${kind}_policy_attachment`] ?? {};
    for (const [aId, a] of Object.entries<Json>(attachments)) {
      if (res.literal(a[kind]) !== holder) continue;
      const ref = /^\$\{aws_iam_policy\.([A-Za-z0-9_-]+)\.arn\}$/.exec(String(a.policy_arn));
      const pId = ref?.[1];
      const policy: Json | undefined = pId === undefined ? undefined : stack.resource?.aws_iam_policy?.[pId];
      if (pId === undefined || policy === undefined || res.literal(policy.name) !== entry.policy) continue;
      const path: string = policy["//"]?.metadata?.path ?? "";
      if (!prefixes.some((p) => path === p || path.startsWith(`${p}/`)))
        throw new AdoptionError(
          `${name}: adopt.inlinePolicies names ${kind} ${holder}'s ${entry.policy}, but the part that builds it is not adopted; adopt the part too`,
        );
      // an output of the policy's ARN goes (an inline policy has none), said plainly; any other user stops the adoption
      for (const [oName, o] of Object.entries<Json>(stack.output ?? {})) {
        if (o.value !== `\${aws_iam_policy.${pId}.arn}`) continue;
        delete stack.output[oName];
        notices.push(`${name}: output ${oName} is dropped: ${entry.policy} is adopted as ${holder}'s inline policy, which has no ARN`);
      }
      const uses = JSON.stringify(stack).split(`aws_iam_policy.${pId}.`).length - 1;
      if (uses !== 1)
        throw new AdoptionError(
          `${name}: ${entry.policy} is used beyond ${kind} ${holder} (${uses} references), so it cannot become ${holder}'s inline policy; adopt it as a managed policy`,
        );
      const inlineType = `aws_iam_${kind}_policy`;
      (stack.resource[inlineType] ??= {})[pId] = { "//": policy["//"], name: policy.name, [kind]: a[kind], policy: policy.policy };
      delete stack.resource.aws_iam_policy[pId];
      delete attachments[aId];
      for (const t of ["aws_iam_policy", `aws_iam_${kind}_policy_attachment`]) if (Object.keys(stack.resource[t] ?? {}).length === 0) delete stack.resource[t];
      // the sum of the principal's inline policies, this one included
      const total = Object.values<Json>(stack.resource[inlineType])
        .filter((p) => res.literal(p[kind]) === holder)
        .reduce((n, p) => n + inlineSize(String(p.policy)), 0);
      // AWS's quota on the sum of a principal's inline policies, as the synth checks apply it (quotas.ts)
      const limit = sizeLimit("inline", kind);
      if (total > limit)
        throw new AdoptionError(
          `${name}: ${kind} ${holder}'s inline policies would total about ${total} characters with ${entry.policy}, over AWS's ${limit}-character quota; drop it from adopt.inlinePolicies (a managed policy is created and the report says to delete the inline one)`,
        );
      found.push(entry);
      break;
    }
  }
  return found;
}

/**
 * Add import blocks to one synthesized stack for the resources of its adopted
 * parts. Throws when a resource of an adopted part has no import rule or an
 * ID that cannot be computed: adopting it would create a second one.
 */
export function adoptInStack(stack: Json, name: string, config: Config): AdoptionResult {
  const prefixes = adoptedPaths(config)[name] ?? [];
  const imports: { to: string; id: string }[] = [];
  const notices: string[] = [];
  if (prefixes.length === 0) return { imports, notices, inline: [] };
  const provider = stack.provider?.aws?.[0] ?? {};
  const env = { account: String(provider.allowed_account_ids?.[0] ?? ""), region: String(provider.region ?? config.region) };
  const res = resolver(stack, env);
  const inline = inlineAdopted(stack, name, prefixes, config.adopt.inlinePolicies, res, notices);
  const already = new Set(((stack.import as Json[] | undefined) ?? []).map((i) => String(i.to)));
  for (const [type, byName] of Object.entries<Json>(stack.resource ?? {})) {
    for (const [id, r] of Object.entries<Json>(byName)) {
      const path: string = r["//"]?.metadata?.path ?? "";
      if (!prefixes.some((p) => path === p || path.startsWith(`${p}/`))) continue;
      const to = `${type}.${id}`;
      if (already.has(to)) continue;
      if (type === "aws_kms_key") {
        const keyId = config.adopt.backupKmsKeyId;
        if (keyId === undefined) throw new AdoptionError(`${name}: ${to} is adopted but adopt.backupKmsKeyId is not set; give the existing key's id`);
        imports.push({ to, id: keyId });
        continue;
      }
      const { id: importIdValue, skip } = importId(type, r, res);
      if (skip !== undefined) {
        notices.push(`${name}: ${to} is created, not adopted: ${skip}. ${ROTATION}`);
        continue;
      }
      if (importIdValue === undefined)
        throw new AdoptionError(`${name}: cannot compute the import ID of ${to} (${type}); adopting this part would create a second one`);
      // a resource of the part that does not exist yet (adopt.except): created, not imported
      if (config.adopt.except.includes(importIdValue)) continue;
      imports.push({ to, id: importIdValue });
    }
  }
  imports.sort((a, b) => a.to.localeCompare(b.to));
  if (imports.length > 0) stack.import = [...((stack.import as Json[] | undefined) ?? []), ...imports];
  return { imports, notices, inline };
}

/** a managed policy of the registry that adoption turns into its principal's inline policy (`entries`: adopt.inlinePolicies) */
export function adoptedInline(entries: readonly InlineEntry[], e: { kind: string; name: string; targets: readonly { type: string; name: string }[] }): boolean {
  if (e.kind !== "managed") return false;
  return entries.some((x) => {
    const { kind, name } = inlineHolder(x);
    return x.policy === e.name && e.targets.length === 1 && e.targets[0].type === kind && e.targets[0].name === name;
  });
}

/** adopt.inlinePolicies entries no stack matched: each one line */
export function unmatchedInline(config: Config, matched: readonly InlineEntry[]): string[] {
  return config.adopt.inlinePolicies.flatMap((e, i) => {
    if (matched.includes(e)) return [];
    const { kind, name } = inlineHolder(e);
    return [
      `adopt.inlinePolicies[${i}]: no adopted part attaches a policy ${e.policy} to ${kind} ${name}; name a policy the stacks attach to that ${kind} in a part marked under adopt (e.g. the operator's snowplow-policy-operate-datapipeline), or remove the entry`,
    ];
  });
}

const ROTATION =
  "After the first apply: the new key or password is in the outputs (PGP-encrypted); switch its users (EmrEtlRunner's config, your CLI profile) to it, check they work, then delete the old key or password in the IAM console";

export class AdoptionError extends Error {
  /** one or more problems, each printed on its own line */
  constructor(readonly problems: string | readonly string[]) {
    super(typeof problems === "string" ? problems : problems.join("; "));
    this.name = "AdoptionError";
  }

  lines(): string[] {
    return (typeof this.problems === "string" ? [this.problems] : [...this.problems]).map((p) => `error: ${p}`);
  }
}
