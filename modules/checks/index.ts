/**
 * The checks every synth runs on every policy it emits (issue "Prove least
 * privilege"). A finding stops the synth, unless the policy acknowledges that
 * rule with a written reason.
 */
import type { PolicyEntry } from "../private/policy-registry";
import { checkQuotas } from "./quotas";
import { checkScpConsistency, SCP_DENIED_RULE } from "./scp-consistency";
import { actionExistsRule } from "./rules/action-exists";
import { arnFormatRule } from "./rules/arn-format";
import { noWildcardActionRule } from "./rules/no-wildcard-action";
import { passRoleRule } from "./rules/pass-role";
import { starResourceRule } from "./rules/star-resource";
import { statementShapeRule } from "./rules/statement-shape";
import type { CheckedPolicy, Finding, PolicyRule } from "./types";

export type { CheckedPolicy, Finding, PolicyRule } from "./types";

export const RULES: readonly PolicyRule[] = [statementShapeRule, actionExistsRule, noWildcardActionRule, starResourceRule, passRoleRule, arnFormatRule];

export function fromEntry(e: PolicyEntry): CheckedPolicy {
  return {
    stack: e.stack,
    account: e.account,
    name: e.name,
    kind: e.kind,
    json: e.document.toJSON(),
    targets: e.targets,
    acknowledgements: e.acknowledgements,
    governs: e.governs,
  };
}

function acknowledged(p: CheckedPolicy, rule: string, sid: string | undefined): boolean {
  return p.acknowledgements.some((a) => a.rule === rule && (a.sids === undefined || (sid !== undefined && a.sids.includes(sid))));
}

/** every finding of every rule on every policy, acknowledged ones left out */
export async function checkPolicies(policies: readonly CheckedPolicy[]): Promise<Finding[]> {
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
