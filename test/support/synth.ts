import * as fs from "node:fs";
import * as path from "node:path";
import { validateConfig } from "../../modules/config/load";
import type { Config } from "../../modules/config/schema";
import { buildApp } from "../../modules/stacks/app";
import { tempDir } from "./temp";

export const ROOT = path.join(__dirname, "..", "..");

/**
 * The app as cdktf.json runs it, for tests that start it as a process: `node synth.js`, which runs
 * the bundle (dist/synth.js, built by npm ci) when it is as new as the sources, else the sources
 * through tsx. So CI tests the bundle users run, and a test after an edit without a build still
 * tests the edit.
 */
export const LAUNCHER = path.join(ROOT, "synth.js");

/** the commands and developer tools as package.json runs them: `node cli.js <command>` (the same launcher; scripts/commands.json) */
export const CLI = path.join(ROOT, "cli.js");

/** the built-in example config, parsed fresh (tests may change their copy) */
export function exampleInput(): any {
  return JSON.parse(fs.readFileSync(path.join(ROOT, "config", "example.json"), "utf8"));
}

export function exampleConfig(change?: (c: any) => void): Config {
  const input = exampleInput();
  change?.(input);
  return validateConfig(input, "test config");
}

export type StackJson = Record<string, any>;

/** synthesize a config (validations on) and return every stack's parsed JSON */
export function synthStacks(config: Config): Record<string, StackJson> {
  const dir = tempDir("synth");
  try {
    const outdir = path.join(dir, "cdktf.out");
    buildApp(config, { outdir, projectDir: dir }).synth();
    const out: Record<string, StackJson> = {};
    for (const name of fs.readdirSync(path.join(outdir, "stacks"))) {
      out[name] = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", name, "cdk.tf.json"), "utf8"));
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** all resources of a type in a stack, by logical id */
export function resources(stack: StackJson, type: string): Record<string, any> {
  return stack.resource?.[type] ?? {};
}

/** the one resource of a type whose attribute `key` equals `value` */
export function findResource(stack: StackJson, type: string, key: string, value: unknown): any {
  const found = Object.values(resources(stack, type)).filter((r: any) => r[key] === value);
  if (found.length !== 1) throw new Error(`expected one ${type} with ${key}=${String(value)}, found ${found.length}`);
  return found[0];
}

/** a policy string as Terraform has it, back to JSON (undoing the template escapes) */
export function parsePolicy(text: string): { Version: string; Statement: any[] } {
  return JSON.parse(text.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{"));
}

/** statements by Sid */
export function bySid(policy: { Statement: any[] }): Record<string, any> {
  return Object.fromEntries(policy.Statement.map((s) => [s.Sid, s]));
}

/** every (action, resource) pair an Allow policy grants */
export function grants(policy: { Statement: any[] }): string[] {
  const out: string[] = [];
  for (const s of policy.Statement) {
    if (s.Effect !== "Allow") continue;
    for (const a of [].concat(s.Action ?? [])) for (const r of [].concat(s.Resource ?? [])) out.push(`${a} ${r}`);
  }
  return out.sort();
}

/** every file under a folder, by relative path, with its text */
export function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}
