/**
 * Policy documents as rows for the review: statements normalised (order,
 * single value or list, whitespace), then the statements added and removed.
 * What a change grants is judged elsewhere (statement-cover.ts), on sets, not text.
 */

export interface NormalStatement {
  readonly sid: string;
  readonly effect: "Allow" | "Deny";
  readonly actions: string[];
  readonly notActions: string[];
  readonly resources: string[];
  readonly notResources: string[];
  readonly principals: string[];
  readonly conditions: string;
}

const list = (v: unknown): string[] => (v === undefined || v === null ? [] : (Array.isArray(v) ? v : [v]).map(String));

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep).map(String).sort();
  if (v && typeof v === "object")
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]),
    );
  return [String(v)];
}

/** the statements of a policy JSON string, normalised; [] for none */
export function normalise(text: string | undefined | null): NormalStatement[] {
  if (!text) return [];
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(text);
  } catch {
    return [];
  }
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  return statements.map((s: Record<string, unknown>) => {
    const principal = s.Principal;
    const principals =
      principal === "*"
        ? ["AWS:*"]
        : principal && typeof principal === "object"
          ? Object.entries(principal).flatMap(([k, v]) => list(v).map((x) => `${k}:${x}`))
          : [];
    return {
      sid: typeof s.Sid === "string" ? s.Sid : "",
      effect: s.Effect === "Deny" ? "Deny" : "Allow",
      actions: list(s.Action).sort(),
      notActions: list(s.NotAction).sort(),
      resources: list(s.Resource).sort(),
      notResources: list(s.NotResource).sort(),
      principals: principals.sort(),
      conditions: s.Condition ? JSON.stringify(sortDeep(s.Condition)) : "",
    };
  });
}

/** a statement's identity for set comparison (the Sid is a label, not a grant) */
export function statementKey(s: NormalStatement): string {
  return JSON.stringify([s.effect, s.actions, s.notActions, s.resources, s.notResources, s.principals, s.conditions]);
}

export interface StatementDiff {
  readonly added: NormalStatement[];
  readonly removed: NormalStatement[];
}

export function diffStatements(before: NormalStatement[], after: NormalStatement[]): StatementDiff {
  const b = new Set(before.map(statementKey));
  const a = new Set(after.map(statementKey));
  return { added: after.filter((s) => !b.has(statementKey(s))), removed: before.filter((s) => !a.has(statementKey(s))) };
}
