/**
 * npm run vendor -- --out <dir> [--config <file>]
 * Writes one plain Terraform module per construct, with README and tests, and
 * a root example wired with the config's values, into <dir>.
 */
import * as path from "node:path";
import { Option } from "commander";
import { printFailure } from "../modules/cli/errors";
import { parseCommand, type CommandSpec, type Io } from "../modules/cli/command";
import { chooseConfig, headline } from "../modules/cli/config-choice";
import { loadConfig, portablePath } from "../modules/config/load";
import { vendorFiles, writeVendor } from "../modules/vendor/vendor";

export const VENDOR_COMMAND: CommandSpec = {
  name: "npm run vendor --",
  summary:
    "Write one plain Terraform module per construct (README, variables, tests) and a root example wired with the config's values, for use without CDKTF.",
  options: [new Option("-o, --out <dir>", "the folder to write the modules into").makeOptionMandatory()],
  examples: ["npm run vendor -- --out ../infra/modules/snowplow", "npm run vendor -- --config acme-prod.json --out vendor/snowplow"],
  notes: ["Exit codes: 0 written, 1 the config is wrong (nothing written), 2 a command-line mistake."],
};

export function runVendor(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string, io: Io): number {
  const parsed = parseCommand<{ config?: string; out: string }>(VENDOR_COMMAND, argv, io);
  if (parsed.kind === "exit") return parsed.code;
  try {
    const choice = chooseConfig(parsed.opts.config, env, cwd);
    const config = loadConfig(choice.file, choice.via);
    io.out(headline("vendoring", choice, config.company));
    const out = parsed.opts.out;
    const { written, changed } = writeVendor(path.resolve(cwd, out), vendorFiles(config, portablePath(choice.file)));
    io.out(`vendored ${written.length} files into ${out}: ${changed.length === 0 ? "nothing changed" : `${changed.length} written`}`);
    for (const c of changed) io.out(`  ${c}`);
    return 0;
  } catch (e) {
    return printFailure(e, io);
  }
}

if (require.main === module)
  process.exitCode = runVendor(process.argv.slice(2), process.env, process.cwd(), { out: (l) => console.log(l), err: (l) => console.error(l) });
