/**
 * Reading a config file into a plain value, refusing what JSON.parse lets
 * through silently: duplicate keys (the last one would win), `__proto__`,
 * `constructor` and `prototype` keys, numbers JSON cannot carry exactly,
 * nesting no config has, files too large to be a config, UTF-16 and bytes
 * that are not UTF-8. A `.ts` config is loaded as code, then held to the same
 * rules as JSON (plain data only). Every problem is a ConfigProblem with the
 * line and column where there is one; nothing here throws anything else.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, type AnyNode } from "@humanwhocodes/momoa";
import { oneLine } from "../private/one-line";
import { ConfigError, fieldPath, type ConfigProblem } from "./errors";

/** a config is a few kilobytes; 10,000 streams are about 1 MB */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;
/** the schema nests 7 levels; anything far deeper is not a config */
export const MAX_DEPTH = 32;
/** keys that reach object prototypes in JavaScript */
export const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

type Seg = string | number;

/** read and parse a .json config; throws ConfigError */
export function readJsonConfig(file: string, shown: string): unknown {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (e) {
    throw new ConfigError(shown, [{ field: "", message: `cannot read the file (${(e as NodeJS.ErrnoException).code ?? "error"})` }]);
  }
  if (size > MAX_CONFIG_BYTES) {
    throw new ConfigError(shown, [
      { field: "", message: `is ${(size / 1024 / 1024).toFixed(1)} MB; a config is at most ${MAX_CONFIG_BYTES / 1024 / 1024} MB` },
    ]);
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "error";
    const why = code === "EACCES" || code === "EPERM" ? "no permission to read it" : code === "EISDIR" ? "it is a folder" : (e as Error).message;
    throw new ConfigError(shown, [{ field: "", message: `cannot read the file: ${oneLine(why)} (${code})` }]);
  }
  return parseJsonText(decode(bytes, shown), shown);
}

function decode(bytes: Buffer, shown: string): string {
  const utf16 =
    (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes.length >= 2 && (bytes[0] === 0 || bytes[1] === 0));
  if (utf16) throw new ConfigError(shown, [{ field: "", message: "is UTF-16 (or has NUL bytes); save it as UTF-8" }]);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ConfigError(shown, [{ field: "", message: `is not valid UTF-8 (first bad byte at offset ${firstInvalidUtf8(bytes)}); save it as UTF-8` }]);
  }
  // a byte order mark is allowed (editors on Windows write one) and dropped
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** the offset of the first byte that starts an invalid UTF-8 sequence (RFC 3629) */
function firstInvalidUtf8(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0 || i + n >= b.length + (n === 0 ? 1 : 0)) return i;
    for (let k = 1; k <= n; k++) if ((b[i + k] & 0xc0) !== 0x80) return i;
    if ((c === 0xe0 && b[i + 1] < 0xa0) || (c === 0xed && b[i + 1] > 0x9f) || (c === 0xf0 && b[i + 1] < 0x90) || (c === 0xf4 && b[i + 1] > 0x8f)) return i;
    i += n + 1;
  }
  return i;
}

const where = (line: number, column: number) => `line ${line}, column ${column}`;

function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** the deepest nesting of [ and { outside strings, and where it first exceeds the limit */
function tooDeep(text: string): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_DEPTH) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return undefined;
}

/** JSON text to a value, with every structural problem named */
export function parseJsonText(text: string, shown: string): unknown {
  if (text.trim() === "") throw new ConfigError(shown, [{ field: "", message: 'is empty; a config is a JSON object, e.g. {"company": "acme", ...}' }]);
  const deep = tooDeep(text);
  if (deep !== undefined) {
    const at = lineCol(text, deep);
    throw new ConfigError(shown, [
      { field: "", message: `nests deeper than ${MAX_DEPTH} levels at ${where(at.line, at.column)}; a config is at most 7 levels deep` },
    ]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(shown, [{ field: "", message: syntaxMessage(text, e) }]);
  }
  const problems: ConfigProblem[] = [];
  walk(parse(text, { mode: "json" }).body, [], text, problems);
  if (problems.length > 0) throw new ConfigError(shown, problems);
  return value;
}

/** a JSON syntax error as one line: where, and what to do about comments and trailing commas */
function syntaxMessage(text: string, e: unknown): string {
  let offset: number | undefined;
  try {
    parse(text, { mode: "json" });
  } catch (m) {
    // momoa places "end of input" at the start; the end is where it is
    offset = /end of input/i.test((m as Error).message) ? text.length : (m as { offset?: number }).offset;
  }
  const message = e instanceof Error ? e.message : String(e);
  if (offset === undefined) {
    const pos = /at position (\d+)/.exec(message);
    offset = pos ? Number(pos[1]) : text.length;
  }
  const at = lineCol(text, offset);
  const rest = text.slice(offset);
  if (rest.startsWith("//") || rest.startsWith("/*"))
    return `not valid JSON at ${where(at.line, at.column)}: JSON has no comments; remove it, or put it in a "$comment" key`;
  if (/^[}\]]/.test(rest) && /,\s*$/.test(text.slice(0, offset)))
    return `not valid JSON at ${where(at.line, at.column)}: a trailing comma before "${rest[0]}"; remove the comma`;
  if (offset >= text.trimEnd().length) return `not valid JSON at ${where(at.line, at.column)}: the file ends too early (truncated?)`;
  const reason = message
    .replace(/,? ?"[^]*" is not valid JSON/, "")
    .replace(/ in JSON at position \d+.*$/, "")
    .replace(/\s*\(line \d+ column \d+\)/, "");
  return `not valid JSON at ${where(at.line, at.column)}: ${oneLine(reason)}`;
}

function walk(node: AnyNode, at: Seg[], text: string, problems: ConfigProblem[]) {
  if (node.type === "Object") {
    const seen = new Map<string, number>();
    for (const m of node.members) {
      const name = m.name.type === "String" ? m.name.value : String((m.name as { name?: string }).name);
      const line = m.name.loc.start.line;
      const field = fieldPath([...at, name]);
      if (FORBIDDEN_KEYS.has(name)) {
        problems.push({ field, message: `the key "${name}" is not allowed anywhere in a config (line ${line}); remove it` });
        continue;
      }
      const first = seen.get(name);
      if (first !== undefined) {
        problems.push({ field, message: `appears twice in one object (lines ${first} and ${line}); JSON would keep only the last: remove one` });
      } else seen.set(name, line);
      walk(m.value, [...at, name], text, problems);
    }
  } else if (node.type === "Array") {
    node.elements.forEach((e, i) => walk(e.value, [...at, i], text, problems));
  } else if (node.type === "Number") {
    const raw = text.slice(node.loc.start.offset, node.loc.end.offset);
    const v = Number(raw);
    if (!Number.isFinite(v)) {
      problems.push({
        field: fieldPath(at),
        message: `the number ${raw.length > 40 ? `${raw.slice(0, 37)}...` : raw} is beyond what JSON numbers can hold (line ${node.loc.start.line})`,
      });
    } else if (/^-?\d+$/.test(raw) && !Number.isSafeInteger(v)) {
      problems.push({
        field: fieldPath(at),
        message: `the whole number ${raw.length > 40 ? `${raw.slice(0, 37)}...` : raw} is beyond 2^53 and would be rounded (line ${node.loc.start.line}); write it as a string if it is an id`,
      });
    }
  }
}

/**
 * A value a `.ts` config exported, as plain JSON data: functions, symbols,
 * promises, class instances, cycles, getters that throw and forbidden keys
 * are problems, each named by its field.
 */
export function plainValue(value: unknown, shown: string): unknown {
  const problems: ConfigProblem[] = [];
  const stack = new Set<object>();
  const visit = (v: unknown, at: Seg[], depth: number): unknown => {
    const field = fieldPath(at);
    if (v === null || typeof v === "string" || typeof v === "boolean") return v;
    if (typeof v === "number") {
      if (!Number.isFinite(v)) problems.push({ field, message: `${v} is not a number JSON can hold` });
      return v;
    }
    if (typeof v === "undefined") return undefined;
    if (typeof v === "bigint") {
      problems.push({ field, message: "is a BigInt; write a number or a string" });
      return undefined;
    }
    if (typeof v === "function" || typeof v === "symbol") {
      problems.push({ field, message: `is a ${typeof v}, not data; a config holds strings, numbers, booleans, arrays and objects` });
      return undefined;
    }
    if (depth > MAX_DEPTH) {
      problems.push({ field, message: `nests deeper than ${MAX_DEPTH} levels; a config is at most 7 levels deep` });
      return undefined;
    }
    if (typeof (v as { then?: unknown }).then === "function") {
      problems.push({ field: field || "(export default)", message: "is a Promise; export the config object itself (computed without await)" });
      return undefined;
    }
    if (stack.has(v as object)) {
      problems.push({ field, message: "refers back to an object that contains it (a cycle); JSON cannot hold it" });
      return undefined;
    }
    const proto = Object.getPrototypeOf(v);
    if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) {
      problems.push({ field, message: `is a ${(proto?.constructor?.name as string | undefined) ?? "class instance"}, not plain data; use an object literal` });
      return undefined;
    }
    stack.add(v as object);
    try {
      if (Array.isArray(v)) return v.map((x, i) => visit(x, [...at, i], depth + 1));
      const out: Record<string, unknown> = {};
      for (const key of Reflect.ownKeys(v as object)) {
        if (typeof key === "symbol") continue;
        if (FORBIDDEN_KEYS.has(key)) {
          problems.push({ field: fieldPath([...at, key]), message: `the key "${key}" is not allowed anywhere in a config; remove it` });
          continue;
        }
        let x: unknown;
        try {
          x = (v as Record<string, unknown>)[key];
        } catch (e) {
          problems.push({ field: fieldPath([...at, key]), message: `reading it threw: ${oneLine(e instanceof Error ? e.message : String(e))}` });
          continue;
        }
        const y = visit(x, [...at, key], depth + 1);
        if (y !== undefined) Object.defineProperty(out, key, { value: y, enumerable: true, writable: true, configurable: true });
      }
      return out;
    } finally {
      stack.delete(v as object);
    }
  };
  const result = visit(value, [], 0);
  if (problems.length > 0) throw new ConfigError(shown, problems);
  return result;
}

/** load a .ts/.js config as code; throws ConfigError naming the file */
export function loadCodeConfig(file: string, shown: string): unknown {
  let mod: Record<string, unknown>;
  try {
    mod = requireCode(path.resolve(file));
  } catch (e) {
    throw new ConfigError(shown, [{ field: "", message: `could not load the config code: ${codeError(e, file)}` }]);
  }
  if (!("default" in mod) || mod.default === undefined) {
    const named = Object.keys(mod).filter((k) => k !== "__esModule");
    const has = named.length > 0 ? `it exports only ${named.slice(0, 5).join(", ")}` : "it exports nothing";
    throw new ConfigError(shown, [{ field: "", message: `has no default export (${has}); write export default defineConfig({ ... })` }]);
  }
  return plainValue(mod.default, shown);
}

/**
 * require a config module. TypeScript goes through tsx's require, which
 * transforms that file (and what it imports) without hooking the process:
 * the bundled app (dist/synth.js, what cdktf.json runs) has no TypeScript
 * loader of its own; run from the sources, tsx has one registered already.
 */
function requireCode(file: string): Record<string, unknown> {
  /* eslint-disable @typescript-eslint/no-require-imports -- a config is code the user names at run time */
  if (/\.[cm]?tsx?$/.test(file) && !require.extensions[".ts"]) {
    const tsx = require("tsx/cjs/api") as { require: (id: string, from: string) => unknown };
    return tsx.require(file, __filename) as Record<string, unknown>;
  }
  return require(file) as Record<string, unknown>;
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** one line from whatever a config module threw: esbuild's located error, or the first line of the message */
function codeError(e: unknown, file: string): string {
  const message = e instanceof Error ? e.message : String(e);
  const located = message.split("\n").find((l) => /ERROR:/.test(l));
  const base = path.basename(file);
  const line = (located ?? message.split("\n").find((l) => l.trim() !== "") ?? "unknown error").split(path.resolve(file)).join(base);
  const kind = e instanceof SyntaxError || located ? "syntax error" : e instanceof Error ? e.name : "error";
  return `${kind}: ${oneLine(line.trim()).slice(0, 300)}`;
}
