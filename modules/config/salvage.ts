/**
 * Every problem in one round. When the schema rejects part of a config, the
 * cross-field rules still run on the rest: the parts the schema rejected are
 * pruned (an optional key is deleted so its default applies, an array element
 * is dropped, the nearest such ancestor of each problem), the remainder is
 * parsed again, and the rules run on that. Their findings are mapped back to
 * the original positions (array indices shift when elements are dropped) and
 * any finding that touches a pruned part is left out, so a pruned part never
 * causes a problem of its own: a stream dropped for a bad name does not make
 * every app that reads it "unknown stream".
 */
import { z } from "zod";
import type { ConfigProblem } from "./errors";

type Seg = string | number;

export interface Salvaged<T> {
  /** the parsed remainder, when one parses */
  readonly data?: T;
  /** filter and re-address the cross-field findings made on `data` */
  readonly keep: (problems: readonly ConfigProblem[]) => ConfigProblem[];
}

const MAX_ROUNDS = 25;

/** unwrap what does not change the shape: optional, default, pipe */
function inner(s: z.ZodType): z.ZodType {
  let t = s;
  for (;;) {
    if (t instanceof z.ZodDefault || t instanceof z.ZodOptional || t instanceof z.ZodNullable) t = t.unwrap() as z.ZodType;
    else if (t instanceof z.ZodPipe) t = t.in as z.ZodType;
    else return t;
  }
}

/** can the key at `path` be left out (optional, or has a default)? */
function omittable(root: z.ZodType, path: readonly Seg[], raw: unknown): boolean {
  let cur: z.ZodType | undefined = root;
  let val: unknown = raw;
  for (let i = 0; i < path.length; i++) {
    if (cur === undefined) return false;
    const t = inner(cur);
    const k = path[i];
    if (t instanceof z.ZodObject) cur = (t.shape as Record<string, z.ZodType>)[String(k)];
    else if (t instanceof z.ZodDiscriminatedUnion) {
      // the option whose discriminator matches the value
      const disc = (t as unknown as { _zod: { def: { discriminator: string } } })._zod.def.discriminator;
      const tag = val !== null && typeof val === "object" ? (val as Record<string, unknown>)[disc] : undefined;
      const opt = (t.options as z.ZodType[]).find((o) => {
        const sh = inner(o);
        if (!(sh instanceof z.ZodObject)) return false;
        const d = inner((sh.shape as Record<string, z.ZodType>)[disc]);
        return d instanceof z.ZodLiteral && d.values.has(tag as never);
      });
      cur = opt ? ((inner(opt) as z.ZodObject).shape as Record<string, z.ZodType>)[String(k)] : undefined;
    } else if (t instanceof z.ZodArray) cur = t.element as z.ZodType;
    else if (t instanceof z.ZodRecord)
      return i === path.length - 1; // a record's entry can always go
    else return false;
    val = val !== null && typeof val === "object" ? (val as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined;
    if (i === path.length - 1) return cur === undefined || cur instanceof z.ZodOptional || cur instanceof z.ZodDefault;
  }
  return false;
}

const key = (p: readonly Seg[]) => p.map((s) => (typeof s === "number" ? `[${s}]` : `.${s}`)).join("");

function parsePath(field: string): Seg[] | undefined {
  const out: Seg[] = [];
  const re = /\[(\d+)\]|\.?([^.[\]]+)/g;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = re.exec(field)) !== null) {
    if (m.index !== pos) return undefined;
    pos = re.lastIndex;
    out.push(m[1] !== undefined ? Number(m[1]) : m[2]);
  }
  return pos === field.length ? out : undefined;
}

function strings(v: unknown, into: Set<string>) {
  if (typeof v === "string") into.add(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, into));
  else if (v !== null && typeof v === "object") Object.values(v).forEach((x) => strings(x, into));
}

/**
 * Prune the schema's rejects from `raw` until the remainder parses (or give
 * up after a few rounds, or when a required top-level part is wrong).
 */
export function salvage<T>(schema: z.ZodType<T>, raw: unknown, fallback?: unknown): Salvaged<T> {
  const none: Salvaged<T> = { keep: () => [] };
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return none;
  const work = structuredClone(raw) as Record<string, unknown>;
  /** per array (original address): original indices dropped */
  const dropped = new Map<string, number[]>();
  /** pruned parts, original addresses */
  const pruned: Seg[][] = [];
  const prunedValues = new Set<string>();
  /** strings a fallback put in, which a finding must not echo */
  const substituted = new Set<string>();

  /** current path -> original path */
  const toOriginal = (p: readonly Seg[]): Seg[] => {
    const out: Seg[] = [];
    for (const s of p) {
      if (typeof s === "number") {
        // the original indices dropped from this array, kept in ascending order
        const gone = dropped.get(key(out)) ?? [];
        let idx = s;
        for (const g of gone) if (g <= idx) idx++;
        out.push(idx);
      } else out.push(s);
    }
    return out;
  };

  for (let round = 0; round < MAX_ROUNDS; round++) {
    const r = schema.safeParse(work);
    if (r.success) {
      // a list that lost elements: findings that judge against it ("expected one of kinesis.streams") are not sure
      const lists = [...dropped.keys()].map((k) => k.replace(/^\./, "").replace(/\.(\d+)(?=\.|$)/g, "[$1]"));
      return { data: r.data, keep: (problems) => keepProblems(problems, toOriginal, pruned, prunedValues, substituted, lists) };
    }
    // targets for this round, in current coordinates
    const targets: Seg[][] = [];
    for (const issue of r.error.issues) {
      const p = issue.path.map((s) => (typeof s === "number" ? s : String(s))) as Seg[];
      if (issue.code === "unrecognized_keys") {
        for (const k of issue.keys) targets.push([...p, k]);
        continue;
      }
      let target: Seg[] | undefined;
      for (let n = p.length; n > 0 && target === undefined; n--) {
        const q = p.slice(0, n);
        if (typeof q[n - 1] === "number" || omittable(schema, q, work)) target = q;
      }
      if (target === undefined) {
        // a required part is wrong: stand in the fallback's (a valid config's) value, so the rules still
        // run on the rest; findings that touch it, or echo what was stood in, are left out below
        const stand = standIn(p, fallback);
        if (stand === undefined) return none;
        setAt(work, stand.path, structuredClone(stand.value));
        pruned.push(stand.path);
        strings(stand.value, substituted);
        continue;
      }
      targets.push(target);
    }
    // outermost first, each once; array elements from the highest index so earlier indices stay put
    // (by key sets: a config with thousands of bad entries has thousands of targets)
    const keys = new Set(targets.map(key));
    const seen = new Set<string>();
    const uniq = targets.filter((t) => {
      const k = key(t);
      if (seen.has(k)) return false;
      seen.add(k);
      // left out when an ancestor is a target too
      for (let n = 1; n < t.length; n++) if (keys.has(key(t.slice(0, n)))) return false;
      return true;
    });
    uniq.sort((a, b) => {
      const la = a[a.length - 1];
      const lb = b[b.length - 1];
      return typeof la === "number" && typeof lb === "number" && key(a.slice(0, -1)) === key(b.slice(0, -1)) ? lb - la : 0;
    });
    const originals = uniq.map(toOriginal);
    uniq.forEach((t, i) => {
      const parent = t.slice(0, -1).reduce<unknown>((o, s) => (o as Record<PropertyKey, unknown>)?.[s as PropertyKey], work);
      const last = t[t.length - 1];
      if (parent === null || typeof parent !== "object") return;
      strings((parent as Record<PropertyKey, unknown>)[last as PropertyKey], prunedValues);
      pruned.push(originals[i]);
      if (Array.isArray(parent) && typeof last === "number") {
        parent.splice(last, 1);
        const arr = key(originals[i].slice(0, -1));
        const gone = dropped.get(arr) ?? [];
        const index = originals[i][originals[i].length - 1] as number;
        let at = gone.length;
        while (at > 0 && gone[at - 1] > index) at--;
        gone.splice(at, 0, index);
        dropped.set(arr, gone);
      } else delete (parent as Record<PropertyKey, unknown>)[last as PropertyKey];
    });
    if (uniq.length === 0 && substituted.size === 0) return none;
  }
  return none;
}

/** the longest prefix of `p` at which the fallback has a value */
function standIn(p: readonly Seg[], fallback: unknown): { path: Seg[]; value: unknown } | undefined {
  for (let n = p.length; n > 0; n--) {
    let v: unknown = fallback;
    for (const k of p.slice(0, n)) v = v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined;
    if (v !== undefined) return { path: p.slice(0, n), value: v };
  }
  return undefined;
}

function setAt(root: Record<string, unknown>, p: readonly Seg[], value: unknown) {
  let o: Record<PropertyKey, unknown> = root;
  for (const k of p.slice(0, -1)) {
    const next = o[k as PropertyKey];
    if (next === null || typeof next !== "object") o[k as PropertyKey] = {};
    o = o[k as PropertyKey] as Record<PropertyKey, unknown>;
  }
  o[p[p.length - 1] as PropertyKey] = value;
}

function keepProblems(
  problems: readonly ConfigProblem[],
  toOriginal: (p: readonly Seg[]) => Seg[],
  pruned: readonly Seg[][],
  prunedValues: ReadonlySet<string>,
  substituted: ReadonlySet<string> = new Set(),
  lists: readonly string[] = [],
): ConfigProblem[] {
  const echoes = [...substituted].filter((v) => v.length >= 3);
  const out: ConfigProblem[] = [];
  for (const p of problems) {
    const field = p.field.replace(/ \(.*\)$/, "");
    const path = parsePath(field);
    if (path === undefined) continue; // not an address we can map back: leave it out rather than misplace it
    const orig = toOriginal(path);
    const k = key(orig);
    const touches = pruned.some((q) => {
      const kq = key(q);
      return k === kq || (k.startsWith(kq) && /^[.[]/.test(k.slice(kq.length))) || (kq.startsWith(k) && /^[.[]/.test(kq.slice(k.length)));
    });
    if (touches) continue;
    if (typeof p.value === "string" && prunedValues.has(p.value)) continue;
    if (lists.some((l) => l !== "" && p.message.includes(l))) continue;
    if (echoes.some((v) => p.message.includes(JSON.stringify(v)) || (typeof p.value === "string" && p.value === v))) continue;
    // messages that name another field by index are left as they are: only the field is re-addressed
    const shown = orig.reduce<string>((s, seg) => (typeof seg === "number" ? `${s}[${seg}]` : s === "" ? seg : `${s}.${seg}`), "");
    out.push({ ...p, field: shown });
  }
  return out;
}
