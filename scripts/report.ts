/**
 * npm run report [-- --config <file>] [--out <file>]
 * Checks every policy of a config and prints the Markdown access report (or
 * writes it to --out). Exits 1, writing nothing, on a bad config or a failed check.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkPolicies, fromEntry, PolicyCheckError } from "../modules/checks";
import { ConfigError } from "../modules/config/errors";
import { loadConfig, portablePath, resolveConfigPath } from "../modules/config/load";
import { registeredMemberships, registeredPolicies } from "../modules/private/policy-registry";
import { QuotaError } from "../modules/private/quotas";
import { renderAccessReport } from "../modules/report/access-report";
import { buildApp } from "../modules/stacks/app";

export async function accessReport(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  const file = resolveConfigPath(argv, env);
  const config = loadConfig(file);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snowplow-iac-report-"));
  try {
    const app = buildApp(config, { outdir: path.join(dir, "cdktf.out"), projectDir: dir });
    const policies = registeredPolicies(app);
    const findings = await checkPolicies(policies.map(fromEntry));
    if (findings.length > 0) throw new PolicyCheckError(findings);
    return renderAccessReport({ policies, memberships: registeredMemberships(app), source: portablePath(file) });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function outPath(argv: readonly string[]): string | undefined {
  const i = argv.indexOf("--out");
  if (i >= 0) {
    const next = argv[i + 1];
    if (next === undefined || next.startsWith("-"))
      throw new ConfigError("command line", [{ field: "--out", message: "expected a file path after --out, e.g. --out docs/access-report.md" }]);
    return next;
  }
  return argv.find((a) => a.startsWith("--out="))?.slice("--out=".length);
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  try {
    const out = outPath(argv);
    const report = await accessReport(argv, process.env);
    if (out) {
      fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
      fs.writeFileSync(out, report);
      console.error(`wrote ${out}`);
    } else {
      process.stdout.write(report);
    }
    return 0;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof PolicyCheckError) {
      for (const line of e.lines()) console.error(line);
      return 1;
    }
    if (e instanceof QuotaError) {
      console.error(`error: ${e.message}; nothing was written`);
      return 1;
    }
    console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

if (require.main === module) void main().then((code) => (process.exitCode = code));
