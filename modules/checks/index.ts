/**
 * The checks every synth runs on every policy it emits (issue "Prove least
 * privilege"). A finding stops the synth, unless the policy acknowledges that
 * rule with a written reason.
 */
import type { PolicyEntry } from "../private/policy-registry";
import { CDKTF_TOKEN } from "../private/policy";
import { checkQuotas } from "./quotas";
import { checkScpConsistency, SCP_DENIED_RULE } from "./scp-consistency";
import { actionExistsRule } from "./rules/action-exists";
import { arnFormatRule } from "./rules/arn-format";
import { noWildcardActionRule } from "./rules/no-wildcard-action";
import { passRoleRule } from "./rules/pass-role";
import { starResourceRule } from "./rules/star-resource";
import { statementShapeRule } from "./rules/statement-shape";
import { statementsOf, type CheckedPolicy, type Finding, type PolicyRule } from "./types";
import type { Config } from "../config/schema";
import { builtInGuardrails, checkNeverGranted, checkPublicOrForeign, type Guardrail } from "../guardrails";

export type { CheckedPolicy, Finding, PolicyRule } from "./types";

export const RULES: readonly PolicyRule[] = [statementShapeRule, actionExistsRule, noWildcardActionRule, starResourceRule, passRoleRule, arnFormatRule];

/**
 * An account id known only after another stack's apply (a CDKTF token: the
 * member account created by the management stack) is checked as this
 * placeholder: the ARNs keep their shape, so every rule judges them as it
 * would the real id.
 */
export const PENDING_ACCOUNT = "000000000000";

function withoutTokens<T>(v: T): T {
  return JSON.parse(JSON.stringify(v).replace(CDKTF_TOKEN, PENDING_ACCOUNT)) as T;
}

export function fromEntry(e: PolicyEntry): CheckedPolicy {
  return {
    stack: e.stack,
    account: e.account.replace(CDKTF_TOKEN, PENDING_ACCOUNT),
    name: e.name,
    kind: e.kind,
    json: withoutTokens(e.document.toJSON()),
    targets: e.targets,
    acknowledgements: e.acknowledgements,
    governs: e.governs,
  };
}

function acknowledged(p: CheckedPolicy, rule: string, sid: string | undefined): boolean {
  return p.acknowledgements.some((a) => a.rule === rule && (a.sids === undefined || (sid !== undefined && a.sids.includes(sid))));
}

/** what the cross-policy guardrail checks need to know of the organisation */
export interface CheckContext {
  /** access that must never be granted @default - the built-in list without the backup rails */
  readonly guardrails?: readonly Guardrail[];
  /** the config's account ids: a resource policy may admit these without a pinning condition */
  readonly knownAccounts?: ReadonlySet<string>;
  readonly organizationId?: string;
}

/** the guardrail context of a config: its accounts, organisation, backup bucket, and its own rails */
export function checkContext(config: Config): CheckContext {
  const a = config.accounts;
  const known = new Set([a.management.id, ...(a.snowplow.id ? [a.snowplow.id] : []), ...(a.backup ? [a.backup.id] : []), ...a.sources.map((s) => s.id)]);
  return {
    knownAccounts: known,
    organizationId: config.organization.id,
    guardrails: [
      ...builtInGuardrails({ backupBucket: config.backup?.bucketName, backupAccount: a.backup?.id }),
      ...config.guardrails.neverGranted.map((g) => ({ id: g.id, reason: g.reason, actions: g.actions, resources: g.resources })),
    ],
  };
}

export const GUARDRAIL_RULE = "guardrail";
export const PUBLIC_ACCESS_RULE = "public-access";

function guardrailFindings(policies: readonly CheckedPolicy[], ctx: CheckContext): Finding[] {
  const rails = ctx.guardrails ?? builtInGuardrails();
  const known = ctx.knownAccounts ?? new Set(policies.map((p) => p.account));
  const out: Finding[] = [];
  for (const p of policies) {
    const statements = statementsOf(p);
    const label = `${p.stack}: ${p.name}`;
    if (p.kind !== "scp" && p.kind !== "trust") {
      for (const f of checkNeverGranted(statements, rails, p.account)) {
        if (!acknowledged(p, GUARDRAIL_RULE, f.sid)) out.push({ rule: GUARDRAIL_RULE, policy: label, sid: f.sid, message: `[${f.rail}] ${f.message}` });
      }
    }
    if (p.kind === "bucket" || p.kind === "key" || p.kind === "trust") {
      for (const f of checkPublicOrForeign(statements, known, ctx.organizationId)) {
        if (!acknowledged(p, PUBLIC_ACCESS_RULE, f.sid)) out.push({ rule: PUBLIC_ACCESS_RULE, policy: label, sid: f.sid, message: f.message });
      }
    }
  }
  return out;
}

/** every finding of every rule on every policy, acknowledged ones left out */
export async function checkPolicies(policies: readonly CheckedPolicy[], ctx: CheckContext = {}): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const p of policies) {
    for (const rule of RULES) {
      if (!rule.kinds.includes(p.kind)) continue;
      // a rule acknowledged for the whole policy need not run
      if (p.acknowledgements.some((a) => a.rule === rule.id && a.sids === undefined)) continue;
      for (const f of await rule.check(p)) {
        if (!acknowledged(p, rule.id, f.sid)) findings.push({ ...f, rule: rule.id, policy: `${p.stack}: ${p.name}` });
      }
    }
  }
  findings.push(...checkQuotas(policies));
  findings.push(...guardrailFindings(policies, ctx));
  findings.push(
    ...checkScpConsistency(policies).filter((f) => !policies.some((p) => `${p.stack}: ${p.name}` === f.policy && acknowledged(p, SCP_DENIED_RULE, f.sid))),
  );
  return findings;
}

/** synth stops: one line per finding */
export class PolicyCheckError extends Error {
  constructor(readonly findings: readonly Finding[]) {
    super(`${findings.length} policy check${findings.length === 1 ? "" : "s"} failed`);
    this.name = "PolicyCheckError";
  }

  lines(): string[] {
    return [
      `error: ${this.message}; nothing was written`,
      ...this.findings.map((f) => `  [${f.rule}] ${f.policy}${f.sid ? `, statement ${f.sid}` : ""}: ${f.message}`),
    ];
  }
}
