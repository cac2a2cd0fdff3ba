/**
 * Policy documents compared by what they grant, not by their text: statements
 * normalised (order, single value or list, whitespace), then added and removed
 * statements, and whether the change broadens access: an action on a resource
 * (for a principal, under conditions) reachable after but not before, or a
 * Deny that covered something before and no longer does. Wildcard actions are
 * expanded with AWS's action catalogue.
 */
import { expandAction } from "../checks/catalogue";
import { globToRegExp } from "../private/glob";

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

/** one grant: an action (concrete, or `*`) on a resource pattern, for a principal, under conditions */
interface Grant {
  readonly action: string;
  readonly resource: string;
  readonly principal: string;
  readonly conditions: string;
}

/** concrete actions (catalogue spelling) of a statement's action patterns; `*` stays `*` */
async function actionsOf(patterns: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of patterns) {
    if (p === "*") out.push("*");
    else if (/[*?]/.test(p)) {
      const expanded = await expandAction(p);
      out.push(...(expanded.length > 0 ? expanded : [p]));
    } else out.push(p);
  }
  return out;
}

/** IAM action names are case-insensitive */
const sameAction = (a: string, b: string) => a === "*" || a.toLowerCase() === b.toLowerCase();

async function grantsOf(statements: NormalStatement[], effect: "Allow" | "Deny"): Promise<Grant[]> {
  const out: Grant[] = [];
  for (const s of statements) {
    if (s.effect !== effect || s.notActions.length > 0 || s.notResources.length > 0) continue;
    const principals = s.principals.length > 0 ? s.principals : [""];
    for (const action of await actionsOf(s.actions)) {
      for (const resource of s.resources.length > 0 ? s.resources : ["*"]) {
        for (const principal of principals) out.push({ action, resource, principal, conditions: s.conditions });
      }
    }
  }
  return out;
}

/** does pattern `p` (IAM wildcards * and ?) match every string that `q` matches? (q taken literally, a sound approximation) */
export function covers(p: string, q: string): boolean {
  if (p === q || p === "*") return true;
  return globToRegExp(p).test(q);
}

function principalCovers(p: string, q: string): boolean {
  return p === q || p === "AWS:*" || covers(p, q);
}

/** is every allow grant of `after` already granted by `before`? (an unconditioned grant covers a conditioned one) */
function grantCovered(g: Grant, before: Grant[]): boolean {
  return before.some(
    (b) =>
      sameAction(b.action, g.action) &&
      covers(b.resource, g.resource) &&
      principalCovers(b.principal, g.principal) &&
      (b.conditions === "" || b.conditions === g.conditions),
  );
}

/** Deny statements with NotAction (SCPs): more exceptions is a loosened Deny */
function notActionDenies(statements: NormalStatement[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const s of statements) {
    if (s.effect !== "Deny" || s.notActions.length === 0) continue;
    out.set(JSON.stringify([s.resources, s.principals, s.conditions]), new Set(s.notActions.map((x) => x.toLowerCase())));
  }
  return out;
}

export interface Broadening {
  /** what the change opens, in words, for the review */
  readonly reasons: string[];
}

/** what `after` allows that `before` did not, and what `before` denied that `after` no longer does */
export async function broadening(before: NormalStatement[], after: NormalStatement[]): Promise<Broadening> {
  const reasons: string[] = [];
  const beforeAllow = await grantsOf(before, "Allow");
  for (const g of await grantsOf(after, "Allow")) {
    if (!grantCovered(g, beforeAllow)) {
      reasons.push(`allows ${g.action} on ${g.resource}${g.principal ? ` to ${g.principal}` : ""}${g.conditions ? " (with conditions)" : ""}`);
    }
  }
  // every (action, resource) a Deny covered before must still be covered by an equal or broader Deny
  const afterDeny = await grantsOf(after, "Deny");
  for (const d of await grantsOf(before, "Deny")) {
    const kept = afterDeny.some(
      (a) =>
        sameAction(a.action, d.action) &&
        covers(a.resource, d.resource) &&
        principalCovers(a.principal, d.principal) &&
        (a.conditions === d.conditions || a.conditions === ""),
    );
    if (!kept) reasons.push(`no longer denies ${d.action} on ${d.resource}${d.conditions ? " (under its conditions)" : ""}`);
  }
  const nb = notActionDenies(before);
  const na = notActionDenies(after);
  for (const [key, exceptions] of nb) {
    const now = na.get(key);
    if (!now) reasons.push("a Deny of everything except a list of actions is removed");
    else for (const x of now) if (!exceptions.has(x)) reasons.push(`a Deny now also exempts ${x}`);
  }
  return { reasons: [...new Set(reasons)] };
}
