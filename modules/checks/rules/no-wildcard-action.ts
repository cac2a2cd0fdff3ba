import { ALL_KINDS, list, sidOf, statementsOf, type PolicyRule, type RuleFinding } from "../types";

/** no `*` action, no service-wide `service:*`, no Allow with NotAction */
export const noWildcardActionRule: PolicyRule = {
  id: "no-wildcard-action",
  description: 'an Allow names its actions: no "*", no service-wide "service:*", no NotAction',
  kinds: ALL_KINDS,
  async check(policy) {
    const findings: RuleFinding[] = [];
    for (const s of statementsOf(policy)) {
      if (s.Effect !== "Allow") continue;
      for (const action of list(s.Action)) {
        if (action === "*" || /^[a-z0-9-]+:\*$/.test(action)) {
          findings.push({
            sid: sidOf(s),
            message: `allows "${action}": every action of ${action === "*" ? "every service" : action.split(":")[0]}; name the actions`,
          });
        }
      }
      if (list(s.NotAction).length > 0) findings.push({ sid: sidOf(s), message: "an Allow with NotAction allows every other action; name the actions" });
    }
    return findings;
  },
};
