import { actionInfo, expandAction } from "../catalogue";
import { list, sidOf, statementsOf, type PolicyRule, type RuleFinding } from "../types";

const PARTITION = /^aws(-cn|-us-gov)?$/;

/**
 * Each resource is a well-formed ARN of a resource type one of the
 * statement's actions acts on: same service, region and account fields
 * present or absent as the type's ARN template has them, and the template's
 * resource prefix (`stream/`, `table/`, `role/`...). `${aws:...}` policy
 * variables and `*` stand for any text.
 */
export const arnFormatRule: PolicyRule = {
  id: "arn-format",
  description: "each resource is a well-formed ARN of a resource type the statement's actions act on",
  kinds: ["managed", "inline", "bucket"],
  async check(policy) {
    const findings: RuleFinding[] = [];
    for (const s of statementsOf(policy)) {
      const resources = list(s.Resource).filter((r) => r !== "*");
      if (resources.length === 0) continue;
      const templates: string[] = [];
      let allWildcardOnly = true;
      let resolved = 0;
      let unknown = false;
      for (const pattern of list(s.Action)) {
        const actions = pattern === "*" ? [] : /[*?]/.test(pattern) ? await expandAction(pattern) : [pattern];
        if (pattern === "*") unknown = true;
        for (const a of actions) {
          const [service, name] = a.split(":");
          const info = await actionInfo(service, name).catch(() => undefined);
          if (!info) {
            unknown = true; // reported by action-exists
            continue;
          }
          resolved++;
          if (!info.wildcardOnly) allWildcardOnly = false;
          templates.push(...info.resourceTypes.map((t) => t.arn));
        }
      }
      if (list(s.NotAction).length > 0 || unknown || resolved === 0) continue;
      if (allWildcardOnly) {
        findings.push({ sid: sidOf(s), message: `names resources, but its actions support only Resource "*": the statement grants nothing as written` });
        continue;
      }
      for (const r of resources) {
        const problem = arnProblem(r, templates);
        if (problem) findings.push({ sid: sidOf(s), message: `resource "${r}" ${problem}` });
      }
    }
    return findings;
  },
};

/** why an ARN fits none of the templates, or undefined when it fits one */
export function arnProblem(resource: string, templates: readonly string[]): string | undefined {
  const parts = resource.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return "is not an ARN (arn:partition:service:region:account:resource)";
  if (!PARTITION.test(parts[1])) return `has an unknown partition "${parts[1]}"`;
  const [, , service, region, account] = parts;
  const rest = parts.slice(5).join(":");
  if (!/^(\d{12}|\*|)$/.test(account) && !isVariable(account)) return `has a malformed account id "${account}" (12 digits)`;
  const fits = templates.some((t) => {
    const tp = t.split(":");
    const tRest = tp.slice(5).join(":");
    if (tp[2] !== service) return false;
    if ((tp[3] === "") !== (region === "") && region !== "*") return false;
    if ((tp[4] === "") !== (account === "") && account !== "*") return false;
    const prefix = tRest.split("${")[0];
    const literal = rest.split(/[*?]|\$\{/)[0];
    return literal.startsWith(prefix) || prefix.startsWith(literal);
  });
  if (fits) return undefined;
  const kinds = [...new Set(templates.map((t) => t.replace(/\$\{Partition\}/, "${Partition}")))].slice(0, 4);
  return `fits no resource type of the statement's actions (${kinds.join(" | ")})`;
}

function isVariable(s: string): boolean {
  return /^\$\{aws:[A-Za-z]+\}$/.test(s);
}
