/**
 * npm run provider-schema -- [--package @cdktn/provider-aws@25.7.0]
 * Writes test/fixtures/provider-aws-schema.json: for every resource and data
 * source type the vendored modules use, the argument and attribute names that
 * hashicorp/aws offers in the version the package's generated bindings were
 * made for (25.7.0: hashicorp/aws 6.66.0). The package is installed into a
 * temp folder (it is 360 MB and needs Node 22 to run, but only its type
 * declarations are read), so the test that checks the modules against 6.x
 * needs neither. Re-run it to move the checked 6.x version.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Option } from "commander";
import { parseCommand, type CommandSpec } from "../modules/cli/command";
import { TEMPLATES } from "../modules/vendor/vendor";
import { bindingNames, templateUsage } from "../test/support/provider-schema";

export const FIXTURE = path.join(__dirname, "..", "test", "fixtures", "provider-aws-schema.json");

const COMMAND: CommandSpec = {
  name: "npm run provider-schema --",
  summary:
    "Record what a hashicorp/aws version offers for the types the vendored modules use, read from a generated bindings package (needs the npm registry).",
  options: [new Option("--package <spec>", "the bindings package to read").default("@cdktn/provider-aws@25.7.0")],
  examples: ["npm run provider-schema", "npm run provider-schema -- --package @cdktn/provider-aws@25.7.0"],
  notes: ["Exit codes: 0 written, 1 the install or a type failed, 2 a command-line mistake."],
};

function main(): number {
  const io = { out: (l: string) => console.log(l), err: (l: string) => console.error(l) };
  const parsed = parseCommand<{ package: string }>(COMMAND, process.argv.slice(2), io);
  if (parsed.kind === "exit") return parsed.code;
  const spec = parsed.opts.package;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snowplow-iac-provider-schema-"));
  try {
    fs.writeFileSync(path.join(dir, "package.json"), "{}");
    const r = spawnSync("npm", ["install", "--no-save", "--ignore-scripts", "--no-audit", "--no-fund", "--force", spec], { cwd: dir, encoding: "utf8" });
    if (r.status !== 0) {
      io.err(`error: npm install ${spec} failed: ${(r.stderr || r.stdout).trim().split("\n").pop()}`);
      return 1;
    }
    const name = spec.replace(/@[^@/]+$/, "");
    const pkgDir = path.join(dir, "node_modules", name);
    const version = (JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")) as { version: string }).version;
    const types: Record<string, string[]> = {};
    let provider = "";
    for (const key of Object.keys(templateUsage(TEMPLATES))) {
      const b = bindingNames(pkgDir, key);
      if (b === undefined) {
        io.err(`error: ${name} ${version} has no binding for ${key}`);
        return 1;
      }
      provider ||= b.version;
      types[key] = b.names;
    }
    fs.writeFileSync(FIXTURE, JSON.stringify({ package: `${name}@${version}`, provider: `hashicorp/aws ${provider}`, types }, null, 2) + "\n");
    io.out(`wrote ${path.relative(process.cwd(), FIXTURE)}: ${Object.keys(types).length} types of hashicorp/aws ${provider}, from ${name}@${version}`);
    return 0;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = main();
