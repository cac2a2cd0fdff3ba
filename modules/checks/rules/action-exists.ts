import { actionExists, closestAction, expandAction, serviceExists } from "../catalogue";
import { ALL_KINDS, list, sidOf, statementsOf, type PolicyRule, type RuleFinding } from "../types";

/** every action names a real action of a real service (AWS's action catalogue) */
export const actionExistsRule: PolicyRule = {
  id: "action-exists",
  description: "every action is a real IAM action of a real service, in AWS's action catalogue",
  kinds: ALL_KINDS,
  async check(policy) {
    const findings: RuleFinding[] = [];
    for (const s of statementsOf(policy)) {
      for (const action of [...list(s.Action), ...list(s.NotAction)]) {
        if (action === "*") continue;
        const m = /^([a-z0-9-]+):([A-Za-z0-9*?]+)$/.exec(action);
        if (!m) {
          findings.push({ sid: sidOf(s), message: `action "${action}" is not of the form service:Action, e.g. "s3:GetObject"` });
          continue;
        }
        const [, service, name] = m;
        if (/[*?]/.test(name)) {
          if (!(await serviceExists(service))) findings.push({ sid: sidOf(s), message: `"${action}": there is no IAM service "${service}"` });
          else if ((await expandAction(action)).length === 0) findings.push({ sid: sidOf(s), message: `"${action}" matches no action of ${service}` });
          continue;
        }
        if (!(await actionExists(service, name))) {
          const guess = await closestAction(service, name);
          findings.push({ sid: sidOf(s), message: `"${action}" is not an IAM action${guess ? `; did you mean "${guess}"?` : ""}` });
        }
      }
    }
    return findings;
  },
};
