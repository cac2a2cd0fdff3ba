/**
 * IAM semantics for the review: does one statement apply to every request
 * another applies to? Actions, resources and principals are sets given by
 * patterns or by their complement (`NotAction`, `NotResource`), compared with
 * exact glob containment; conditions are compared by implication for the
 * operators listed below, and must be identical for every other one (so an
 * operator the review does not reason about can only make it say "broadening",
 * never "narrowing").
 *
 * Reasoned about: String(Not)Equals(IgnoreCase), String(Not)Like, Arn(Not)Equals,
 * Arn(Not)Like, each with IfExists and ForAnyValue:; every other operator
 * (Bool, Null, Numeric*, Date*, IpAddress, Binary*, ForAllValues:*) only by equality.
 */
import { globCovers, globsIntersect } from "../private/glob";

export interface PatternSet {
  /** true: every value except these (NotAction, NotResource) */
  readonly not: boolean;
  readonly patterns: readonly string[];
}

export interface Condition {
  /** operator without IfExists or set prefix, e.g. StringLike */
  readonly op: string;
  /** ForAnyValue, ForAllValues or "" */
  readonly set: string;
  readonly ifExists: boolean;
  /** lower case: condition keys are case-insensitive */
  readonly key: string;
  readonly values: readonly string[];
}

export interface Stmt {
  readonly sid: string;
  readonly effect: "Allow" | "Deny";
  readonly actions: PatternSet;
  readonly resources: PatternSet;
  /** resource policies only; undefined in identity policies */
  readonly principals?: PatternSet;
  readonly conditions: readonly Condition[];
}

const list = (v: unknown): string[] => (v === undefined || v === null ? [] : (Array.isArray(v) ? v : [v]).map((x) => String(x)));

/** a statement of any policy JSON, read defensively; undefined when it is not a statement */
export function toStmt(raw: unknown): Stmt | undefined {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return undefined;
  const s = raw as Record<string, unknown>;
  const effect = s.Effect === "Deny" ? "Deny" : s.Effect === "Allow" ? "Allow" : undefined;
  if (!effect) return undefined;
  const actions: PatternSet = s.NotAction !== undefined ? { not: true, patterns: list(s.NotAction) } : { not: false, patterns: list(s.Action) };
  // no Resource at all (trust policies): the statement is about the resource it is attached to
  const resources: PatternSet =
    s.NotResource !== undefined ? { not: true, patterns: list(s.NotResource) } : { not: false, patterns: s.Resource === undefined ? ["*"] : list(s.Resource) };
  const principals = principalSet(s.Principal, s.NotPrincipal);
  const conditions: Condition[] = [];
  if (s.Condition && typeof s.Condition === "object") {
    for (const [rawOp, byKey] of Object.entries(s.Condition as Record<string, unknown>)) {
      const m = /^(?:(ForAnyValue|ForAllValues):)?(.*?)(IfExists)?$/.exec(rawOp)!;
      if (!byKey || typeof byKey !== "object") continue;
      for (const [key, v] of Object.entries(byKey as Record<string, unknown>)) {
        const values = list(v).map((x) => (m[2] === "Bool" ? x.toLowerCase() : x));
        conditions.push({ op: m[2], set: m[1] ?? "", ifExists: m[3] !== undefined, key: key.toLowerCase(), values: [...new Set(values)].sort() });
      }
    }
  }
  return { sid: typeof s.Sid === "string" ? s.Sid : "", effect, actions, resources, principals, conditions };
}

function principalSet(principal: unknown, notPrincipal: unknown): PatternSet | undefined {
  const flatten = (p: unknown): string[] =>
    p === "*" ? ["AWS:*"] : p && typeof p === "object" ? Object.entries(p as Record<string, unknown>).flatMap(([k, v]) => list(v).map((x) => `${k}:${x}`)) : [];
  if (notPrincipal !== undefined) return { not: true, patterns: flatten(notPrincipal) };
  if (principal === undefined) return undefined;
  return { not: false, patterns: flatten(principal) };
}

/** `AWS:123456789012` and `AWS:arn:aws:iam::123456789012:root` name the whole account */
function accountOf(principal: string): string | undefined {
  const m = /^AWS:(?:(\d{12})|arn:[^:]+:iam::(\d{12}):root)$/.exec(principal);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** does principal pattern `p` stand for every principal `q` stands for? an account covers its own roles and users */
function principalCovers(p: string, q: string): boolean {
  if (p === q || p === "AWS:*" || p === "*") return true;
  const account = accountOf(p);
  if (account === undefined) return false;
  if (accountOf(q) === account) return true;
  return new RegExp(`^AWS:arn:[^:]+:(iam|sts)::${account}:`).test(q);
}

type Compare = (outer: string, inner: string) => boolean;

/** is every value of set `inner` in set `outer`? */
function setCovers(outer: PatternSet, inner: PatternSet, covers: Compare, intersects: Compare): boolean {
  if (!outer.not && !inner.not) return inner.patterns.every((i) => outer.patterns.some((o) => covers(o, i)));
  if (!outer.not && inner.not) return outer.patterns.some((o) => o === "*" || o === "AWS:*");
  if (outer.not && !inner.not) return inner.patterns.every((i) => outer.patterns.every((e) => !intersects(e, i)));
  return outer.patterns.every((e) => inner.patterns.some((i) => covers(i, e)));
}

const actionCovers: Compare = (o, i) => globCovers(o, i, true);
const actionIntersects: Compare = (o, i) => globsIntersect(o, i, true);
const resourceCovers: Compare = (o, i) => globCovers(o, i);
const resourceIntersects: Compare = (o, i) => globsIntersect(o, i);
const principalIntersects: Compare = (o, i) => principalCovers(o, i) || principalCovers(i, o);

/** operators whose values may hold wildcards */
const WILD = new Set(["StringLike", "StringNotLike", "ArnLike", "ArnNotLike", "ArnEquals", "ArnNotEquals"]);
const POSITIVE = new Set(["StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike"]);
const NEGATIVE = new Set(["StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "ArnNotEquals", "ArnNotLike"]);

/** a literal value as a pattern that matches only itself */
const literal = (v: string) => v.replace(/[*?]/g, "\u0000");
const asPattern = (c: Condition, v: string) => (WILD.has(c.op) ? v : literal(v));
const ignoreCase = (c: Condition) => c.op.endsWith("IgnoreCase");

/** does `inner` (a condition of the narrower statement) imply `outer`? */
function implies(inner: Condition, outer: Condition): boolean {
  if (inner.key !== outer.key) return false;
  if (POSITIVE.has(outer.op) && POSITIVE.has(inner.op) && outer.set !== "ForAllValues" && inner.set === outer.set) {
    // a missing key satisfies an IfExists condition only
    if (inner.ifExists && !outer.ifExists) return false;
    const ci = ignoreCase(outer) || ignoreCase(inner);
    if (ignoreCase(inner) && !ignoreCase(outer)) return false;
    return inner.values.every((v) => outer.values.some((o) => globCovers(asPattern(outer, o), asPattern(inner, v), ci)));
  }
  if (NEGATIVE.has(outer.op) && NEGATIVE.has(inner.op) && inner.set === outer.set && outer.set !== "ForAllValues") {
    if (ignoreCase(outer) && !ignoreCase(inner)) return false;
    const ci = ignoreCase(outer) || ignoreCase(inner);
    // "not in O" follows from "not in I" when everything O excludes, I excludes too
    return outer.values.every((o) => inner.values.some((v) => globCovers(asPattern(inner, v), asPattern(outer, o), ci)));
  }
  // any other operator: the same test on the same values; a test without IfExists implies the one with it
  return (
    inner.op === outer.op &&
    inner.set === outer.set &&
    (inner.ifExists === outer.ifExists || outer.ifExists) &&
    inner.values.join("\u0001") === outer.values.join("\u0001")
  );
}

/** does every request that satisfies `inner`'s conditions satisfy `outer`'s? */
function conditionsCover(outer: readonly Condition[], inner: readonly Condition[]): boolean {
  return outer.every((o) => inner.some((i) => implies(i, o)));
}

/**
 * Does `outer` apply to every request `inner` applies to (same effect)?
 * `unknown` when a NotPrincipal is involved: the review does not judge it.
 */
function stmtCovers(outer: Stmt, inner: Stmt): boolean | "unknown" {
  if (outer.effect !== inner.effect) return false;
  if (outer.principals?.not || inner.principals?.not) return "unknown";
  if ((outer.principals === undefined) !== (inner.principals === undefined)) return false;
  if (outer.principals && inner.principals && !setCovers(outer.principals, inner.principals, principalCovers, principalIntersects)) return false;
  return (
    setCovers(outer.actions, inner.actions, actionCovers, actionIntersects) &&
    setCovers(outer.resources, inner.resources, resourceCovers, resourceIntersects) &&
    conditionsCover(outer.conditions, inner.conditions)
  );
}

/** a statement cut into one action, one resource and one principal each, where the sets are listed (not Not*) */
export function atoms(s: Stmt): Stmt[] {
  const actions = s.actions.not ? [s.actions] : s.actions.patterns.map((p) => ({ not: false, patterns: [p] }));
  const resources = s.resources.not ? [s.resources] : s.resources.patterns.map((p) => ({ not: false, patterns: [p] }));
  const principals =
    s.principals === undefined ? [undefined] : s.principals.not ? [s.principals] : s.principals.patterns.map((p) => ({ not: false, patterns: [p] }));
  const out: Stmt[] = [];
  for (const a of actions) for (const r of resources) for (const p of principals) out.push({ ...s, actions: a, resources: r, principals: p });
  return out;
}

/** a one-line description of an atom, for the review's reasons */
export function describe(s: Stmt): string {
  const set = (p: PatternSet) => (p.not ? `all except ${p.patterns.join(", ")}` : p.patterns.join(", "));
  const who = s.principals ? ` to ${set(s.principals)}` : "";
  const when =
    s.conditions.length > 0
      ? ` when ${s.conditions.map((c) => `${c.set ? `${c.set}:` : ""}${c.op}${c.ifExists ? "IfExists" : ""} ${c.key} ${c.values.join("|")}`).join(" and ")}`
      : "";
  return `${set(s.actions)} on ${set(s.resources)}${who}${when}`;
}

/** might one request match both statements? conditions aside, which only makes the answer more often yes */
export function mayOverlap(a: Stmt, b: Stmt): boolean {
  const meet = (x: PatternSet, y: PatternSet, covers: Compare, intersects: Compare): boolean => {
    if (x.not && y.not) return true;
    // "all except E" meets "P" unless E covers every pattern of P
    if (x.not) return y.patterns.some((p) => !x.patterns.some((e) => covers(e, p)));
    if (y.not) return meet(y, x, covers, intersects);
    return x.patterns.some((p) => y.patterns.some((q) => intersects(p, q)));
  };
  return meet(a.actions, b.actions, actionCovers, actionIntersects) && meet(a.resources, b.resources, resourceCovers, resourceIntersects);
}

export interface Judgement {
  /** what `after` allows that `before` did not, and the Denies it drops or loosens */
  readonly broadens: string[];
  /** what `before` allowed that `after` does not, and the Denies it adds */
  readonly narrows: string[];
  /** statements the review could not judge */
  readonly unknown: string[];
}

/**
 * Compare two sets of statements that apply to the same principal or resource.
 * Allow: every atom after must be covered by one Allow before. Deny: every atom
 * before must be covered by one Deny after. Either way round for narrowing.
 */
export function judge(before: readonly Stmt[], after: readonly Stmt[], options: { readonly identity?: boolean } = {}): Judgement {
  const broadens: string[] = [];
  const narrows: string[] = [];
  const unknown: string[] = [];
  const coveredBy = (atom: Stmt, pool: readonly Stmt[]): boolean | "unknown" => {
    let sawUnknown = false;
    for (const p of pool) {
      const c = stmtCovers(p, atom);
      if (c === true) return true;
      if (c === "unknown") sawUnknown = true;
    }
    return sawUnknown ? "unknown" : false;
  };
  const check = (from: readonly Stmt[], pool: readonly Stmt[], effect: "Allow" | "Deny", sink: string[], words: string) => {
    const others = pool.filter((s) => s.effect === effect);
    for (const s of from.filter((x) => x.effect === effect)) {
      for (const atom of atoms(s)) {
        const c = coveredBy(atom, others);
        if (c === "unknown") unknown.push(`${effect} ${s.sid || "(no Sid)"}: NotPrincipal is not judged (${describe(atom)})`);
        else if (!c) sink.push(`${words} ${describe(atom)}${s.sid ? ` (${s.sid})` : ""}`);
      }
    }
  };
  check(after, before, "Allow", broadens, "allows");
  const dropped: string[] = [];
  check(before, after, "Deny", dropped, "no longer denies");
  if (options.identity) {
    // An identity Deny that goes with every Allow it restricted gives nothing back: the principal
    // keeps no Allow that could match those requests (a resource policy outside the plan naming the
    // principal directly is the assumption the README states).
    const allows = after.filter((s) => s.effect === "Allow");
    for (const s of before.filter((x) => x.effect === "Deny")) {
      for (const atom of atoms(s)) {
        const line = `no longer denies ${describe(atom)}${s.sid ? ` (${s.sid})` : ""}`;
        if (!dropped.includes(line)) continue;
        if (allows.some((a) => mayOverlap(a, atom))) broadens.push(line);
        else narrows.push(`${line}, and keeps no Allow it restricted`);
      }
    }
  } else broadens.push(...dropped);
  check(before, after, "Allow", narrows, "no longer allows");
  check(after, before, "Deny", narrows, "denies");
  return { broadens: [...new Set(broadens)], narrows: [...new Set(narrows)], unknown: [...new Set(unknown)] };
}
