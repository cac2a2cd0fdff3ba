import { actionInfo, expandAction } from "../catalogue";
import { IDENTITY_KINDS, list, sidOf, statementsOf, type PolicyRule, type RuleFinding } from "../types";

/**
 * `Resource: "*"` only for actions that cannot be scoped to a resource: the
 * catalogue lists no resource type for them, or only optional ones (such as
 * cloudwatch:PutMetricData's `dataset`, narrowed by cloudwatch:namespace instead).
 */
export const starResourceRule: PolicyRule = {
  id: "star-resource",
  description: 'Resource "*" only for actions that support no resource-level permission (per the catalogue)',
  kinds: IDENTITY_KINDS,
  async check(policy) {
    const findings: RuleFinding[] = [];
    for (const s of statementsOf(policy)) {
      if (s.Effect !== "Allow") continue;
      if (list(s.NotResource).length > 0) {
        findings.push({ sid: sidOf(s), message: "an Allow with NotResource allows every other resource; name the resources" });
        continue;
      }
      if (!list(s.Resource).includes("*")) continue;
      const scopable: string[] = [];
      for (const pattern of list(s.Action)) {
        const actions = pattern === "*" ? [] : /[*?]/.test(pattern) ? await expandAction(pattern) : [pattern];
        for (const a of actions) {
          const [service, name] = a.split(":");
          const info = await actionInfo(service, name).catch(() => undefined);
          if (info && info.resourceTypes.some((r) => r.required)) scopable.push(info.name);
        }
      }
      if (scopable.length > 0) {
        const shown = scopable.slice(0, 5).join(", ") + (scopable.length > 5 ? ` and ${scopable.length - 5} more` : "");
        findings.push({ sid: sidOf(s), message: `Resource "*" for ${shown}, which can be scoped to resource ARNs; name the resources` });
      }
    }
    return findings;
  },
};
