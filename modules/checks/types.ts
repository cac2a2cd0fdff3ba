import type { Acknowledgement, PolicyKind, PolicyTarget } from "../private/policy-registry";

/** a policy as AWS receives it, plus where it lives: what every check reads */
export interface CheckedPolicy {
  readonly stack: string;
  readonly account: string;
  readonly name: string;
  readonly kind: PolicyKind;
  /** the policy JSON (Version, Statement) */
  readonly json: { readonly Version?: unknown; readonly Statement?: unknown };
  readonly targets: readonly PolicyTarget[];
  readonly acknowledgements: readonly Acknowledgement[];
  /** for an SCP: the account id it is attached to, when known */
  readonly governs?: string;
}

/** one problem in one statement (or the whole policy, without sid) */
export interface RuleFinding {
  readonly sid?: string;
  readonly message: string;
}

/** one check, cdk-nag style: its id, what it enforces, and the logic apart from the words */
export interface PolicyRule {
  readonly id: string;
  /** one line for the README and the report */
  readonly description: string;
  /** the kinds of policy it applies to; others are not applicable */
  readonly kinds: readonly PolicyKind[];
  check(policy: CheckedPolicy): Promise<RuleFinding[]>;
}

export interface Finding extends RuleFinding {
  readonly rule: string;
  /** `stack: policy name` */
  readonly policy: string;
}

/** a statement, read defensively: the checks also run on hand-written or seeded-defect JSON */
export interface RawStatement {
  readonly Sid?: unknown;
  readonly Effect?: unknown;
  readonly Principal?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export function statementsOf(p: CheckedPolicy): RawStatement[] {
  const s = p.json.Statement;
  if (Array.isArray(s)) return s as RawStatement[];
  return s === undefined ? [] : [s as RawStatement];
}

/** a single value or a list, as a list of strings */
export function list(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

export function sidOf(s: RawStatement): string | undefined {
  return typeof s.Sid === "string" ? s.Sid : undefined;
}

export const IDENTITY_KINDS = ["managed", "inline"] as const;
export const ALL_KINDS = ["managed", "inline", "bucket", "key", "scp", "trust"] as const;
