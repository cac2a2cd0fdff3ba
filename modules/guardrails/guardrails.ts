/**
 * Guardrails: access that must never be granted, and no public or foreign
 * access, judged offline with the review's own IAM semantics
 * (../review/statement-cover.ts). Run at synth on every policy the stacks emit
 * (a finding stops the synth unless the policy acknowledges it with a reason)
 * and in `npm run review` on the plan's "after" side.
 */
import { serviceOf } from "../private/glob";
import { atoms, describe as describeAtom, mayOverlap, toStmt, type Condition, type Stmt } from "../review/statement-cover";

export interface Guardrail {
  readonly id: string;
  /** what must never be granted, in words */
  readonly reason: string;
  readonly actions: readonly string[];
  /** @default ["*"] */
  readonly resources?: readonly string[];
  /** identity policies only in this account (a bucket's own account, say) @default - every account */
  readonly account?: string;
}

/** what any of the pipeline's principals must never be able to do */
export function builtInGuardrails(o: { readonly backupBucket?: string; readonly backupAccount?: string } = {}): Guardrail[] {
  const rails: Guardrail[] = [
    {
      id: "manage-other-users",
      reason: "create, change or hand out credentials of other IAM users (self-service on ${aws:username} is fine)",
      actions: [
        "iam:CreateUser",
        "iam:DeleteUser",
        "iam:CreateAccessKey",
        "iam:UpdateAccessKey",
        "iam:DeleteAccessKey",
        "iam:CreateLoginProfile",
        "iam:UpdateLoginProfile",
        "iam:DeleteLoginProfile",
        "iam:AttachUserPolicy",
        "iam:PutUserPolicy",
        "iam:AddUserToGroup",
        "iam:DeactivateMFADevice",
      ],
      resources: ["arn:*:iam::*:user/*"],
    },
    {
      id: "organizations-write",
      reason: "change the AWS Organization (accounts, policies, OUs, trusted services)",
      actions: [
        "Accept",
        "Attach",
        "Close",
        "Create",
        "Decline",
        "Delete",
        "Deregister",
        "Detach",
        "Disable",
        "Enable",
        "Invite",
        "Leave",
        "Move",
        "Put",
        "Register",
        "Remove",
        "Tag",
        "Untag",
        "Update",
      ].map((verb) => `organizations:${verb}*`),
    },
  ];
  if (o.backupBucket) {
    rails.push({
      id: "backup-bucket-destruction",
      reason: `delete or re-policy the backup bucket ${o.backupBucket}, or delete its versions`,
      actions: [
        "s3:DeleteBucket",
        "s3:PutBucketPolicy",
        "s3:DeleteBucketPolicy",
        "s3:PutLifecycleConfiguration",
        "s3:PutBucketVersioning",
        "s3:DeleteObjectVersion",
        "s3:PutBucketObjectLockConfiguration",
      ],
      resources: [`arn:*:s3:::${o.backupBucket}`, `arn:*:s3:::${o.backupBucket}/*`],
      account: o.backupAccount,
    });
    rails.push({
      id: "backup-key-deletion",
      reason: "schedule the deletion of, disable or re-policy the backup bucket's KMS key",
      actions: ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"],
      resources: ["*"],
      account: o.backupAccount,
    });
  }
  return rails;
}

const railStmt = (r: Guardrail): Stmt => ({
  sid: r.id,
  effect: "Allow",
  actions: { not: false, patterns: r.actions },
  resources: { not: false, patterns: r.resources ?? ["*"] },
  conditions: [],
});

/** a statement's atom that a principal keeps to itself (self-service) */
const selfScoped = (atom: Stmt) => !atom.resources.not && atom.resources.patterns.every((p) => p.includes("${aws:username}"));

export interface GuardrailFinding {
  readonly rail: string;
  readonly sid?: string;
  readonly message: string;
}

/**
 * Allow statements of one policy that could grant what a guardrail forbids.
 * `account`: where the policy lives (identity) or the resource is (resource policy).
 */
export function checkNeverGranted(statements: readonly unknown[], rails: readonly Guardrail[], account: string | undefined): GuardrailFinding[] {
  const out: GuardrailFinding[] = [];
  const { railStmts, railServices } = prepared(rails);
  for (const raw of statements) {
    const s = toStmt(raw);
    if (!s || s.effect !== "Allow") continue;
    const parts = atoms(s)
      .filter((atom) => !selfScoped(atom))
      .map((atom) => ({ atom, service: atom.actions.not ? undefined : servicesOf(atom.actions.patterns) }));
    for (const rail of rails) {
      if (rail.account !== undefined && account !== undefined && rail.account !== account) continue;
      const services = railServices.get(rail);
      const hit = parts.find(
        ({ atom, service }) => (services === undefined || service === undefined || sharesAny(service, services)) && mayOverlap(atom, railStmts.get(rail)!),
      )?.atom;
      if (hit) out.push({ rail: rail.id, sid: s.sid || undefined, message: `may ${rail.reason}: ${describeAtom(hit)}` });
    }
  }
  return out;
}

interface PreparedRails {
  readonly railStmts: ReadonlyMap<Guardrail, ReturnType<typeof railStmt>>;
  /**
   * a rail's services (the part of its actions before ":"), or undefined when a wildcard may stand
   * for any: an atom whose action names another service cannot meet it, and is not compared
   */
  readonly railServices: ReadonlyMap<Guardrail, Set<string> | undefined>;
}
const preparedRails = new WeakMap<readonly Guardrail[], PreparedRails>();

/** the rails as statements, and their services: once per list of rails, not once per policy checked */
function prepared(rails: readonly Guardrail[]): PreparedRails {
  let p = preparedRails.get(rails);
  if (!p) {
    p = { railStmts: new Map(rails.map((r) => [r, railStmt(r)])), railServices: new Map(rails.map((r) => [r, servicesOf(r.actions)])) };
    preparedRails.set(rails, p);
  }
  return p;
}

const sharesAny = (a: ReadonlySet<string>, b: ReadonlySet<string>) => {
  for (const x of a) if (b.has(x)) return true;
  return false;
};

/** the services of action patterns, in lower case; undefined when one's service part has a wildcard */
function servicesOf(actions: readonly string[]): Set<string> | undefined {
  const services = actions.map(serviceOf);
  return services.some((x) => /[*?]/.test(x)) ? undefined : new Set(services);
}

/** condition keys that pin the caller to accounts or an organisation */
const RESTRICTING = [
  "aws:principalorgid",
  "aws:principalaccount",
  "aws:sourceaccount",
  "aws:sourceorgid",
  "aws:principalarn",
  "aws:sourcearn",
  "aws:sourcevpc",
  "aws:sourcevpce",
];
const POSITIVE = new Set(["StringEquals", "StringLike", "ArnEquals", "ArnLike"]);

const accountsIn = (v: string) => [...v.matchAll(/(?:^|:)(\d{12})(?::|$)/g)].map((m) => m[1]);

/** does this condition pin callers to known accounts or the organisation? */
function restricts(c: Condition, known: ReadonlySet<string>, organizationId: string | undefined): boolean {
  if (!RESTRICTING.includes(c.key) || !POSITIVE.has(c.op) || c.ifExists || c.set === "ForAllValues" || c.values.length === 0) return false;
  if (c.key === "aws:principalorgid" || c.key === "aws:sourceorgid") return organizationId !== undefined && c.values.every((v) => v === organizationId);
  // account ids, or ARNs naming accounts: each must be one of ours (a * account stays open)
  return c.values.every((v) => {
    const ids = /^\d{12}$/.test(v) ? [v] : accountsIn(v);
    return ids.length > 0 && ids.every((id) => known.has(id));
  });
}

/**
 * Resource, key and trust policies: an Allow to `*` or to an account outside
 * the config's accounts, without a condition that pins the caller to those
 * accounts or the organisation, is public or foreign access.
 */
export function checkPublicOrForeign(statements: readonly unknown[], known: ReadonlySet<string>, organizationId: string | undefined): GuardrailFinding[] {
  const out: GuardrailFinding[] = [];
  for (const raw of statements) {
    const s = toStmt(raw);
    if (!s || s.effect !== "Allow" || !s.principals) continue;
    const pinned = s.conditions.some((c) => restricts(c, known, organizationId));
    if (s.principals.not) {
      if (!pinned) out.push({ rail: "no-public-access", sid: s.sid || undefined, message: "an Allow with NotPrincipal admits everyone else" });
      continue;
    }
    for (const p of s.principals.patterns) {
      // services and identity providers are not judged here (a service principal without
      // aws:SourceAccount, a federated one without its sub condition): a known gap, not a pass
      if (!p.startsWith("AWS:")) continue;
      const value = p.slice(4);
      const ids = value === "*" ? [] : /^\d{12}$/.test(value) ? [value] : accountsIn(value);
      const foreign = value === "*" || ids.length === 0 || ids.some((id) => !known.has(id));
      if (foreign && !pinned) {
        out.push({
          rail: value === "*" ? "no-public-access" : "no-foreign-access",
          sid: s.sid || undefined,
          message:
            value === "*"
              ? "allows anyone (Principal *) without a condition that pins the caller to your accounts or organisation"
              : `allows ${value}, outside the config's accounts, without a pinning condition`,
        });
      }
    }
  }
  return out;
}
