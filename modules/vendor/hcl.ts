/**
 * Just enough HCL to write module calls and provider blocks as `terraform fmt`
 * writes them: two-space indents, aligned `=` among consecutive one-line
 * attributes, multi-line values on their own.
 */

export type HclValue = string | number | boolean | null | undefined | HclValue[] | { [key: string]: HclValue } | HclRaw;

/** an expression written as is (a reference such as aws.pipeline) */
export class HclRaw {
  constructor(readonly text: string) {}
}

export const raw = (text: string) => new HclRaw(text);

export function hclString(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\$\{/g, "$${").replace(/%\{/g, "%%{")}"`;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function key(k: string): string {
  return IDENT.test(k) ? k : hclString(k);
}

/** a value on one line, or undefined when it needs several */
function inline(v: HclValue): string | undefined {
  if (v instanceof HclRaw) return v.text;
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return hclString(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) {
    const parts = v.map(inline);
    if (parts.some((p) => p === undefined)) return undefined;
    const text = `[${parts.join(", ")}]`;
    return text.length <= 100 ? text : undefined;
  }
  const entries = Object.entries(v).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return "{}";
  return undefined;
}

/** a value at the given indent (of the line it starts on) */
export function hclValue(v: HclValue, indent: number): string {
  const one = inline(v);
  if (one !== undefined) return one;
  const pad = " ".repeat(indent + 2);
  if (Array.isArray(v)) {
    return `[\n${v.map((x) => `${pad}${hclValue(x, indent + 2)},`).join("\n")}\n${" ".repeat(indent)}]`;
  }
  const obj = v as Record<string, HclValue>;
  return `{\n${attributes(obj, indent + 2)}\n${" ".repeat(indent)}}`;
}

/** `name = value` lines of a block or object body, aligned as terraform fmt aligns them */
export function attributes(obj: Record<string, HclValue>, indent: number): string {
  const entries = Object.entries(obj).filter(([, x]) => x !== undefined);
  const pad = " ".repeat(indent);
  const lines: string[] = [];
  let group: [string, string][] = [];
  const flush = () => {
    const width = Math.max(...group.map(([k]) => k.length));
    for (const [k, text] of group) lines.push(`${pad}${k.padEnd(width)} = ${text}`);
    group = [];
  };
  for (const [k, v] of entries) {
    const text = hclValue(v, indent);
    if (text.includes("\n")) {
      if (group.length > 0) flush();
      lines.push(`${pad}${key(k)} = ${text}`);
    } else {
      group.push([key(k), text]);
    }
  }
  if (group.length > 0) flush();
  return lines.join("\n");
}

/** a block: `type "label" { ... }`, attributes first, then nested blocks, a blank line between groups */
export function block(header: string, attrs: Record<string, HclValue>, nested: string[] = [], indent = 0): string {
  const pad = " ".repeat(indent);
  const body: string[] = [];
  const a = attributes(attrs, indent + 2);
  if (a !== "") body.push(a);
  for (const n of nested) body.push(n);
  return `${pad}${header} {\n${body.join("\n\n")}\n${pad}}`;
}
