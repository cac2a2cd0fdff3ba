import { ALL_KINDS, list, sidOf, statementsOf, type PolicyRule, type RuleFinding } from "../types";

/** each statement: a unique Sid, an effect, actions, and the elements its kind of policy needs */
export const statementShapeRule: PolicyRule = {
  id: "statement-shape",
  description: "each statement has a unique Sid, an Effect, actions, resources (or a principal in resource policies); no empty statements",
  kinds: ALL_KINDS,
  async check(policy) {
    const findings: RuleFinding[] = [];
    const statements = statementsOf(policy);
    if (statements.length === 0) findings.push({ message: "has no statements" });
    const seen = new Set<string>();
    statements.forEach((s, i) => {
      const sid = sidOf(s);
      const where = sid ?? `statement ${i + 1}`;
      if (sid === undefined || !/^[A-Za-z0-9]+$/.test(sid)) findings.push({ sid, message: `${where}: needs a Sid of letters and digits` });
      else if (seen.has(sid)) findings.push({ sid, message: `Sid "${sid}" is used twice in one policy` });
      if (sid) seen.add(sid);
      if (s.Effect !== "Allow" && s.Effect !== "Deny") findings.push({ sid, message: `${where}: Effect must be "Allow" or "Deny"` });
      if (list(s.Action).length + list(s.NotAction).length === 0) findings.push({ sid, message: `${where}: has no actions` });
      const resourcePolicy = policy.kind === "bucket" || policy.kind === "key" || policy.kind === "trust";
      if (resourcePolicy && s.Principal === undefined) findings.push({ sid, message: `${where}: a ${policy.kind} policy statement needs a Principal` });
      if (!resourcePolicy && s.Principal !== undefined) findings.push({ sid, message: `${where}: a ${policy.kind} policy statement cannot have a Principal` });
      if (policy.kind !== "trust" && list(s.Resource).length + list(s.NotResource).length === 0) findings.push({ sid, message: `${where}: has no resources` });
    });
    return findings;
  },
};
