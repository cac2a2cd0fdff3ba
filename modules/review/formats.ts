/**
 * Machine-readable forms of the review: JSON (everything the Markdown shows,
 * as data) and SARIF 2.1.0, which GitHub code scanning shows as alerts: one
 * result per access gained (error), per change the review could not evaluate
 * (error), per data-loss warning (error) and per access lost (note).
 */
import { overallVerdict, type StackReview } from "./review";

export function renderJson(reviews: readonly StackReview[], extraWarnings: readonly string[] = [], notReviewed: readonly string[] = []): string {
  return (
    JSON.stringify(
      {
        verdict: overallVerdict(reviews),
        configWarnings: extraWarnings,
        /** stack folders under --plan-dir with a configuration and no plan.json: the review says nothing about them */
        notReviewed,
        stacks: reviews.map((r) => ({
          stack: r.stack,
          verdict: r.verdict,
          rewritten: r.rewritten,
          counts: r.counts,
          dataWarnings: r.dataWarnings,
          unknown: r.unknown,
          guardrails: r.guardrails,
          access: r.access,
          policies: r.policies.map((p) => ({
            address: p.address,
            label: p.label,
            changes: p.changes,
            added: p.added,
            removed: p.removed,
            broadening: p.broadening,
          })),
          links: r.links,
        })),
      },
      null,
      2,
    ) + "\n"
  );
}

const RULES = [
  {
    id: "iam-broadening",
    name: "AccessGained",
    text: "A principal, account or resource policy grants access it did not grant before, or a Deny, boundary or public access block is removed or loosened.",
  },
  { id: "iam-unknown", name: "NotEvaluated", text: "The review could not evaluate this change; treat it as broadening until someone has read it." },
  { id: "data-loss", name: "DataLoss", text: "The plan destroys, replaces or empties a resource that holds data." },
  { id: "iam-narrowing", name: "AccessLost", text: "Access is removed." },
  {
    id: "guardrail",
    name: "NeverGranted",
    text: "Access that must never be granted (other users' credentials, Organizations writes, public resource policies).",
  },
] as const;

/** SARIF 2.1.0; `artifacts` maps a stack to the plan file it was read from (the alert's location) */
export function renderSarif(reviews: readonly StackReview[], artifacts: Readonly<Record<string, string>> = {}, extraWarnings: readonly string[] = []): string {
  const results: object[] = [];
  const at = (stack: string) => [
    { physicalLocation: { artifactLocation: { uri: artifacts[stack] ?? `${stack}/plan.json` } }, logicalLocations: [{ name: stack, kind: "module" }] },
  ];
  for (const r of reviews) {
    for (const a of r.access) {
      for (const g of a.gains) results.push({ ruleId: "iam-broadening", level: "error", message: { text: `${a.who} gains: ${g}` }, locations: at(r.stack) });
      for (const l of a.loses) results.push({ ruleId: "iam-narrowing", level: "note", message: { text: `${a.who} loses: ${l}` }, locations: at(r.stack) });
    }
    for (const g of r.guardrails) results.push({ ruleId: "guardrail", level: "error", message: { text: g }, locations: at(r.stack) });
    for (const u of r.unknown) results.push({ ruleId: "iam-unknown", level: "error", message: { text: u }, locations: at(r.stack) });
    for (const w of r.dataWarnings) results.push({ ruleId: "data-loss", level: "error", message: { text: w }, locations: at(r.stack) });
  }
  for (const w of extraWarnings) results.push({ ruleId: "data-loss", level: "error", message: { text: w }, locations: at(w.split(":")[0]) });
  return (
    JSON.stringify(
      {
        version: "2.1.0",
        $schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [
          {
            tool: {
              driver: {
                name: "snowplow-aws-iac review",
                rules: RULES.map((x) => ({ id: x.id, name: x.name, shortDescription: { text: x.text } })),
              },
            },
            results,
          },
        ],
      },
      null,
      2,
    ) + "\n"
  );
}
