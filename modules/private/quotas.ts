/**
 * AWS's size quotas for policies, and the merge-then-split that keeps a
 * generated policy within them when a config names many streams, tables or
 * accounts. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
import { PolicyDocument, Statement } from "./policy";
import type { PolicyKind, PrincipalType } from "./policy-registry";

/** characters, whitespace not counted */
export const POLICY_SIZE_LIMITS = {
  managed: 6_144,
  /** the sum of a principal's inline policies */
  inlineUser: 2_048,
  inlineGroup: 5_120,
  inlineRole: 10_240,
  /** S3 bucket policy: 20 KB */
  bucket: 20_480,
  /** KMS key policy: 32 KB */
  key: 32_768,
  /** Organizations SCP */
  scp: 5_120,
  /** role trust policy, default quota (can be raised to 4,096) */
  trust: 2_048,
} as const;

/** managed policies attached to one group (fixed), user or role (default quota) */
export const MAX_ATTACHMENTS = 10;

export function sizeLimit(kind: PolicyKind, owner?: PrincipalType): number {
  if (kind === "inline") {
    return owner === "user" ? POLICY_SIZE_LIMITS.inlineUser : owner === "group" ? POLICY_SIZE_LIMITS.inlineGroup : POLICY_SIZE_LIMITS.inlineRole;
  }
  return POLICY_SIZE_LIMITS[kind];
}

/** the size AWS counts: the JSON without any whitespace */
export function policySize(doc: PolicyDocument | { readonly Statement?: unknown }): number {
  const json = doc instanceof PolicyDocument ? doc.toJSON() : doc;
  return JSON.stringify(json).replace(/\s/g, "").length;
}

/**
 * Statements combined where that changes no grant: first those with equal
 * effect, principals, conditions and actions (resources joined), then those
 * with equal effect, principals, conditions and resources (actions joined).
 * A x R1 + A x R2 = A x (R1 + R2), so the result grants exactly the input.
 */
export function mergeStatements(statements: readonly Statement[]): Statement[] {
  return mergeOn("actions", mergeOn("resources", statements));
}

/**
 * statements alike in all but `join` (their effect, principals, conditions
 * and the other of actions/resources) become one, with `join` united
 */
function mergeOn(join: "actions" | "resources", statements: readonly Statement[]): Statement[] {
  const keep = join === "actions" ? (["Resource", "NotResource"] as const) : (["Action", "NotAction"] as const);
  const groups = new Map<string, Statement[]>();
  for (const s of statements) {
    const j = s.toJSON();
    const negated = join === "actions" ? s.notActions.length > 0 : s.notResources.length > 0;
    const key = JSON.stringify([j.Effect, j.Principal, j[keep[0]], j[keep[1]], j.Condition, negated]);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.values()].map((group) => {
    if (group.length === 1) return group[0];
    const [first] = group;
    const united = (pick: (s: Statement) => readonly string[]) => group.flatMap(pick);
    return new Statement({
      sid: first.sid,
      effect: first.effect,
      principals: first.principals,
      conditions: first.conditions,
      actions: join === "actions" ? united((s) => s.actions) : first.actions,
      notActions: join === "actions" ? united((s) => s.notActions) : first.notActions,
      resources: join === "resources" ? united((s) => s.resources) : first.resources,
      notResources: join === "resources" ? united((s) => s.notResources) : first.notResources,
      reason: [...new Set(group.map((s) => s.reason))].join("; "),
    });
  });
}

export class QuotaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QuotaError";
  }
}

/**
 * The document as one or more documents that each fit `limit`: unchanged when
 * it fits; else statements merged; else packed (first fit) into numbered parts,
 * a statement too large for one part split by its resources. Throws
 * QuotaError only when a single statement with a single resource cannot fit.
 */
export function fitPolicy(doc: PolicyDocument, limit: number, label: string): PolicyDocument[] {
  if (policySize(doc) <= limit) return [doc];
  const merged = new PolicyDocument(mergeStatements(doc.statements));
  if (policySize(merged) <= limit) return [merged];

  const pieces: Statement[] = [];
  for (const s of merged.statements) pieces.push(...splitStatement(s, limit));
  // first fit: each piece goes into the first part it fits in
  const parts: Statement[][] = [];
  for (const s of pieces) {
    const fits = parts.find((part) => policySize(new PolicyDocument([...part, s])) <= limit);
    if (fits) fits.push(s);
    else parts.push([s]);
  }
  return parts.map((statements) => {
    const d = new PolicyDocument(statements);
    const size = policySize(d);
    if (size > limit) {
      throw new QuotaError(`${label}: statement ${statements[0].sid} is ${size - limit} characters over the ${limit}-character quota even alone`);
    }
    return d;
  });
}

/** one statement as several, each with a share of its resources, that fit `limit` alone */
function splitStatement(s: Statement, limit: number): Statement[] {
  if (policySize(new PolicyDocument([s])) <= limit || s.resources.length < 2) return [s];
  const chunks: string[][] = [];
  let current: string[] = [];
  const withResources = (resources: string[], n: number) =>
    new Statement({
      sid: `${s.sid}Part${n}`,
      effect: s.effect,
      actions: s.actions,
      notActions: s.notActions,
      principals: s.principals,
      conditions: s.conditions,
      resources,
      reason: s.reason,
    });
  for (const r of s.resources) {
    const candidate = [...current, r];
    if (current.length > 0 && policySize(new PolicyDocument([withResources(candidate, chunks.length + 1)])) > limit) {
      chunks.push(current);
      current = [r];
    } else {
      current = candidate;
    }
  }
  if (current.length > 0) chunks.push(current);
  return chunks.map((c, i) => withResources(c, i + 1));
}
