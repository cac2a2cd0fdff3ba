/**
 * npm run report -- [--config <file>] [--out <file>]
 * Checks every policy of a config and prints the Markdown access report (or
 * writes it to --out). Exits 1, writing nothing, on a bad config or a failed check.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Option } from "commander";
import { checkPolicies, fromEntry, PolicyCheckError } from "../modules/checks";
import { parseCommand, type CommandSpec, type Io } from "../modules/cli/command";
import { printFailure } from "../modules/cli/errors";
import { chooseConfig, headline, type ConfigChoice } from "../modules/cli/config-choice";
import { loadConfig, portablePath } from "../modules/config/load";
import { registeredMemberships, registeredPolicies } from "../modules/private/policy-registry";
import { renderAccessReport } from "../modules/report/access-report";
import { buildApp } from "../modules/stacks/app";
import { writeOutputFile } from "../modules/cli/output-file";

export const REPORT_COMMAND: CommandSpec = {
  name: "npm run report --",
  summary: "Check every policy of a configuration and write the Markdown access report: who can do what, on which resources, and why.",
  options: [new Option("-o, --out <file>", "write the report to this file instead of standard output")],
  examples: ["npm run report", "npm run report -- --config acme-prod.json --out docs/access-report.md"],
  notes: ["Exit codes: 0 written, 1 the config or a policy check failed (nothing written), 2 a command-line mistake."],
};

export async function accessReport(choice: ConfigChoice): Promise<{ report: string; company: string }> {
  const config = loadConfig(choice.file, choice.via);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snowplow-iac-report-"));
  try {
    const app = buildApp(config, { outdir: path.join(dir, "cdktf.out"), projectDir: dir });
    const policies = registeredPolicies(app);
    const findings = await checkPolicies(policies.map(fromEntry));
    if (findings.length > 0) throw new PolicyCheckError(findings);
    return { report: renderAccessReport({ policies, memberships: registeredMemberships(app), source: portablePath(choice.file) }), company: config.company };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function runReport(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string, io: Io & { data: (text: string) => void }): Promise<number> {
  const parsed = parseCommand<{ config?: string; out?: string }>(REPORT_COMMAND, argv, io);
  if (parsed.kind === "exit") return parsed.code;
  try {
    const choice = chooseConfig(parsed.opts.config, env, cwd);
    const { report, company } = await accessReport(choice);
    const out = parsed.opts.out;
    // with the report on standard output, the headline goes to standard error so a pipe gets the report alone
    (out ? io.out : io.err)(headline("reported on", choice, company));
    if (out) {
      const target = path.resolve(cwd, out);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      writeOutputFile(target, report);
      io.out(`wrote ${out}`);
    } else {
      io.data(report);
    }
    return 0;
  } catch (e) {
    return printFailure(e, io);
  }
}

if (require.main === module) {
  void runReport(process.argv.slice(2), process.env, process.cwd(), {
    out: (l) => console.log(l),
    err: (l) => console.error(l),
    data: (t) => process.stdout.write(t),
  }).then((code) => (process.exitCode = code));
}
