/**
 * npm run check:cdktn [-- --keep]
 * Type-checks this project against the community fork of CDK for Terraform
 * (cdktn, @cdktn/provider-aws: a rename of the packages, with AWS bindings that
 * track hashicorp/aws 6.x) and lists what differs. Not part of npm test: it
 * installs the fork's packages from the npm registry into a temp folder (the
 * project's own node_modules are untouched) and maps this project's two doors
 * to CDKTF (`cdktf` and `@cdktf/provider-aws/lib/*`, imported only in
 * modules/private/cdk.ts) onto them with TypeScript path mapping.
 *
 * What it verifies: every class, property and type the project uses exists in
 * the fork with a compatible type. What it does not: provider 6.x behaviour
 * (no 6.x plan can run offline here), or the fork's runtime synth output.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Option } from "commander";
import { parseCommand, type CommandSpec } from "../modules/cli/command";

const ROOT = path.join(__dirname, "..");
/** the fork's versions checked against; bump together */
export const FORK = { cdktn: "0.24.0", "@cdktn/provider-aws": "25.7.0", constructs: "10.7.2" } as const;

const COMMAND: CommandSpec = {
  name: "npm run check:cdktn --",
  summary: "Type-check the project against the community fork cdktn and @cdktn/provider-aws (AWS provider 6.x bindings), and list what differs.",
  config: false,
  options: [new Option("--keep", "keep the temp folder with the fork's packages (reused by the next run)")],
  examples: ["npm run check:cdktn", "npm run check:cdktn -- --keep"],
  notes: ["Exit codes: 0 the project type-checks against the fork, 1 it does not (the differences are listed), 2 a command-line mistake or no registry."],
};

function main(): number {
  const parsed = parseCommand<{ keep?: boolean }>(COMMAND, process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l) });
  if (parsed.kind === "exit") return parsed.code;
  const dir = path.join(os.tmpdir(), `snowplow-iac-cdktn-${FORK.cdktn}-${FORK["@cdktn/provider-aws"]}`);
  const nm = path.join(dir, "node_modules");
  if (!fs.existsSync(path.join(nm, "@cdktn", "provider-aws", "package.json"))) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "cdktn-check", private: true }));
    console.log(
      `installing ${Object.entries(FORK)
        .map(([n, v]) => `${n}@${v}`)
        .join(", ")} into ${dir} ...`,
    );
    const r = spawnSync(
      "npm",
      ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--save-exact", ...Object.entries(FORK).map(([n, v]) => `${n}@${v}`)],
      {
        cwd: dir,
        encoding: "utf8",
        stdio: ["ignore", "inherit", "inherit"],
      },
    );
    if (r.status !== 0) {
      console.error("error: could not install the fork's packages from the npm registry; nothing was checked");
      return 2;
    }
  }

  // which provider classes the project uses, and whether the fork has each
  const door = fs.readFileSync(path.join(ROOT, "modules", "private", "cdk.ts"), "utf8");
  const modules = [...door.matchAll(/from "@cdktf\/provider-aws\/lib\/([a-z0-9-]+)"/g)].map((m) => m[1]);
  const missing = modules.filter((m) => !fs.existsSync(path.join(nm, "@cdktn", "provider-aws", "lib", m)));

  const tsconfig = path.join(dir, "tsconfig.json");
  fs.writeFileSync(
    tsconfig,
    JSON.stringify(
      {
        extends: path.join(ROOT, "tsconfig.json"),
        compilerOptions: {
          baseUrl: ROOT,
          noEmit: true,
          typeRoots: [path.join(ROOT, "node_modules", "@types")],
          paths: {
            cdktf: [path.join(nm, "cdktn")],
            "@cdktf/provider-aws/lib/*": [path.join(nm, "@cdktn", "provider-aws", "lib", "*")],
            constructs: [path.join(nm, "constructs")],
          },
        },
        include: ["main.ts", "modules/**/*.ts", "scripts/**/*.ts"].map((g) => path.join(ROOT, g)),
        exclude: [path.join(ROOT, "node_modules")],
      },
      null,
      2,
    ),
  );
  const tsc = spawnSync(path.join(ROOT, "node_modules", ".bin", "tsc"), ["-p", tsconfig, "--pretty", "false"], { cwd: ROOT, encoding: "utf8" });
  const errors = `${tsc.stdout}${tsc.stderr}`
    .split("\n")
    .filter((l) => /error TS\d+/.test(l))
    .map((l) => l.replace(`${ROOT}${path.sep}`, ""));
  if (!parsed.opts.keep) fs.rmSync(dir, { recursive: true, force: true });

  console.log(
    `checked against cdktn ${FORK.cdktn}, @cdktn/provider-aws ${FORK["@cdktn/provider-aws"]} (hashicorp/aws 6.x bindings), constructs ${FORK.constructs}`,
  );
  console.log(`provider classes used: ${modules.length}; missing from the fork: ${missing.length === 0 ? "none" : missing.join(", ")}`);
  if (errors.length === 0) {
    console.log("type check: the project compiles against the fork unchanged (switch: rename the imports in modules/private/cdk.ts)");
    return missing.length === 0 ? 0 : 1;
  }
  console.log(`type check: ${errors.length} difference${errors.length === 1 ? "" : "s"}:`);
  for (const e of errors) console.log(`  ${e}`);
  return 1;
}

process.exitCode = main();
