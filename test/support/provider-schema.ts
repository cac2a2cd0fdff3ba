/**
 * What the vendored modules use of the hashicorp/aws provider, and what a
 * provider version offers, as its generated CDKTF bindings describe it (issue
 * #19): every resource and data source type the templates declare, every
 * argument and nested block they set (at any depth), and every attribute they
 * read (`aws_x.name.attr`). A binding's `index.d.ts` names each argument in
 * its registry link (`docs/resources/iam_role#assume_role_policy`) and each
 * readable attribute as a getter.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export type Usage = Record<string, { args: string[]; reads: string[] }>;

/** meta-arguments and the blocks of Terraform itself, not of the provider */
const META = new Set([
  "count",
  "for_each",
  "provider",
  "depends_on",
  "lifecycle",
  "precondition",
  "postcondition",
  "condition",
  "error_message",
  "ignore_changes",
  "prevent_destroy",
  "create_before_destroy",
  "replace_triggered_by",
  "content",
  "dynamic",
]);

/** `resource "aws_x"` / `data "aws_x"` -> what the templates under `dir` use of it */
export function templateUsage(dir: string): Usage {
  const usage: Record<string, { args: Set<string>; reads: Set<string> }> = {};
  const entry = (key: string) => (usage[key] ??= { args: new Set(), reads: new Set() });
  for (const module of fs.readdirSync(dir)) {
    const file = path.join(dir, module, "main.tf");
    if (!fs.existsSync(file)) continue;
    const text = fs.readFileSync(file, "utf8");
    const blocks = text.matchAll(/^(resource|data) "(aws_[a-z0-9_]+)" "[A-Za-z0-9_]+" \{\n([\s\S]*?)^\}/gm);
    for (const [, kind, type, body] of blocks) {
      const e = entry(`${kind} ${type}`);
      for (const m of body.matchAll(/^\s+([a-z][a-z0-9_]*)\s*(=|\{)/gm)) if (!META.has(m[1])) e.args.add(m[1]);
      for (const m of body.matchAll(/^\s+dynamic "([a-z][a-z0-9_]*)"/gm)) e.args.add(m[1]);
      // conditions read the resource itself
      for (const m of body.matchAll(/\bself\.([a-z][a-z0-9_]*)/g)) e.reads.add(m[1]);
    }
    // attributes read anywhere in the module: aws_x.name.attr, aws_x.name[0].attr, data.aws_x.name["k"].attr
    for (const m of text.matchAll(/(?<![\w.])(data\.)?(aws_[a-z0-9_]+)\.[A-Za-z0-9_]+(?:\[[^\]]*\])?\.([a-z][a-z0-9_]*)/g))
      entry(`${m[1] ? "data" : "resource"} ${m[2]}`).reads.add(m[3]);
  }
  return Object.fromEntries(
    Object.entries(usage)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => [k, { args: [...v.args].sort(), reads: [...v.reads].sort() }]),
  );
}

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** the binding folder of a type: resource aws_iam_role -> iam-role, data aws_dynamodb_table -> data-aws-dynamodb-table */
export function bindingFolder(key: string): string {
  const [kind, type] = key.split(" ");
  const base = type.replace(/^aws_/, "").replace(/_/g, "-");
  return kind === "data" ? `data-aws-${base}` : base;
}

/** the argument and attribute names one binding offers, and the provider version it was generated for */
export function bindingNames(packageDir: string, key: string): { version: string; names: string[] } | undefined {
  const file = path.join(packageDir, "lib", bindingFolder(key), "index.d.ts");
  if (!fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, "utf8");
  const [kind, type] = key.split(" ");
  const docs = kind === "data" ? "data-sources" : "resources";
  const names = new Set<string>();
  let version = "";
  for (const m of text.matchAll(new RegExp(`hashicorp/aws/([0-9.]+)/docs/${docs}/${type.replace(/^aws_/, "")}#([a-z0-9_]+)`, "g"))) {
    version = m[1];
    names.add(m[2]);
  }
  for (const m of text.matchAll(/^\s+get ([a-z][A-Za-z0-9]*)\(\)/gm)) if (!m[1].endsWith("Input") && m[1] !== "internalValue") names.add(snake(m[1]));
  return { version, names: [...names].sort() };
}

/** what of `usage` a binding package lacks, one line each */
export function missing(usage: Usage, offered: (key: string) => readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const [key, u] of Object.entries(usage)) {
    const names = offered(key);
    if (names === undefined) {
      out.push(`${key}: no such type`);
      continue;
    }
    const have = new Set(names);
    for (const a of u.args) if (!have.has(a)) out.push(`${key}: argument ${a}`);
    for (const r of u.reads) if (!have.has(r)) out.push(`${key}: attribute ${r}`);
  }
  return out;
}
