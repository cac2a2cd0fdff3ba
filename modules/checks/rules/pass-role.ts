import { expandAction } from "../catalogue";
import { IDENTITY_KINDS, list, sidOf, statementsOf, type PolicyRule, type RuleFinding } from "../types";

const ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** iam:PassRole on named roles only, with an iam:PassedToService condition */
export const passRoleRule: PolicyRule = {
  id: "pass-role",
  description: "iam:PassRole names its roles (no wildcard) and carries an iam:PassedToService condition",
  kinds: IDENTITY_KINDS,
  async check(policy) {
    const findings: RuleFinding[] = [];
    for (const s of statementsOf(policy)) {
      if (s.Effect !== "Allow") continue;
      let passes = false;
      for (const a of list(s.Action)) {
        if (a === "*" || a.toLowerCase() === "iam:passrole" || (a.startsWith("iam:") && /[*?]/.test(a) && (await expandAction(a)).includes("iam:PassRole")))
          passes = true;
      }
      if (!passes) continue;
      const unnamed = list(s.Resource).filter((r) => !ROLE_ARN.test(r));
      if (unnamed.length > 0)
        findings.push({ sid: sidOf(s), message: `iam:PassRole on ${unnamed.map((r) => `"${r}"`).join(", ")}: name each role by its ARN, without wildcards` });
      const keys = Object.values(s.Condition ?? {}).flatMap((c) => Object.keys(c).map((k) => k.toLowerCase()));
      if (!keys.includes("iam:passedtoservice"))
        findings.push({ sid: sidOf(s), message: "iam:PassRole without an iam:PassedToService condition: say which service may receive the role" });
    }
    return findings;
  },
};
