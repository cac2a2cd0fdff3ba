/**
 * npm run adopt -- --from INVENTORY [--config FILE] [--out FILE] [--report FILE]
 * Reads `aws iam get-account-authorization-details` of the Snowplow account,
 * finds what of the config exists already, and writes the `adopt` block that
 * imports it (--out) and the access change report per principal (--report):
 * what each can do today and after apply, and the difference.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Option } from "commander";
import { accessChanges, matchInventory, renderAccessChanges, servicesTheScpDenies } from "../modules/adopt/adoption";
import { readBucketPolicy, readInventory } from "../modules/adopt/inventory";
import { printFailure } from "../modules/cli/errors";
import { parseCommand, type CommandSpec, type Io } from "../modules/cli/command";
import { chooseConfig, headline } from "../modules/cli/config-choice";
import { ConfigError } from "../modules/config/errors";
import { displayPath, loadConfig, portablePath } from "../modules/config/load";
import { writeOutputFiles } from "../modules/cli/output-file";

export const ADOPT_COMMAND: CommandSpec = {
  name: "npm run adopt --",
  summary:
    "From the Snowplow account's IAM inventory (aws iam get-account-authorization-details), the adopt block that imports what exists, and the access change report per principal.",
  options: [
    new Option("--from <file>", "the inventory: aws iam get-account-authorization-details --output json > iam.json").makeOptionMandatory(),
    new Option("-o, --out <file>", "write the adopt block (JSON) here; merge it into your config"),
    new Option("--report <file>", "write the access change report (Markdown) here (default: standard output)"),
    new Option("--bucket-policy <file>", "the backup bucket's policy: aws s3api get-bucket-policy --bucket <backup bucket> --output json > bucket-policy.json"),
  ],
  examples: [
    "aws iam get-account-authorization-details --output json > iam.json",
    "npm run adopt -- --from iam.json --config acme-prod.json --out adopt.json --report access-changes.md",
  ],
  notes: ["Exit codes: 0 written, 1 a bad inventory or config (nothing written), 2 a command-line mistake."],
};

export async function runAdopt(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string, io: Io & { data: (text: string) => void }): Promise<number> {
  const parsed = parseCommand<{ config?: string; from: string; out?: string; report?: string; bucketPolicy?: string }>(ADOPT_COMMAND, argv, io);
  if (parsed.kind === "exit") return parsed.code;
  const o = parsed.opts;
  try {
    const choice = chooseConfig(o.config, env, cwd);
    const config = loadConfig(choice.file, choice.via);
    io.err(headline("adopting into", choice, config.company));
    const from = path.resolve(cwd, o.from);
    let text: string;
    try {
      text = fs.readFileSync(from, "utf8");
    } catch (e) {
      throw new ConfigError(displayPath(from), [{ field: "", message: `cannot read the inventory (${(e as NodeJS.ErrnoException).code ?? "error"})` }]);
    }
    const inv = readInventory(text, displayPath(from));
    let bucketPolicy: unknown;
    if (o.bucketPolicy !== undefined) {
      const file = path.resolve(cwd, o.bucketPolicy);
      if (config.backup === undefined)
        throw new ConfigError(displayPath(file), [{ field: "", message: "the config has no backup block to adopt the bucket into" }]);
      let policyText: string;
      try {
        policyText = fs.readFileSync(file, "utf8");
      } catch (e) {
        throw new ConfigError(displayPath(file), [{ field: "", message: `cannot read it (${(e as NodeJS.ErrnoException).code ?? "error"})` }]);
      }
      bucketPolicy = readBucketPolicy(policyText, displayPath(file), config.backup.bucketName);
    }
    const adoption = matchInventory(inv, config, displayPath(from), bucketPolicy);
    const { access, unknown, kept } = await accessChanges(inv, config, adoption, bucketPolicy);
    const report = renderAccessChanges(portablePath(choice.file), inv, adoption, access, unknown, kept, servicesTheScpDenies(inv, config));
    // everything is computed before anything is written
    // the adopt block and the report together, or neither
    writeOutputFiles([
      ...(o.out ? [[path.resolve(cwd, o.out), `${JSON.stringify({ adopt: adoption.adopt }, null, 2)}\n`] as const] : []),
      ...(o.report ? [[path.resolve(cwd, o.report), report] as const] : []),
    ]);
    if (!o.report) io.data(report);
    io.err(`adopt: ${adoption.principals.length} principals match; ${adoption.adopt.except.length} resources of adopted parts are created, not imported`);
    return 0;
  } catch (e) {
    return printFailure(e, io);
  }
}

if (require.main === module) {
  void runAdopt(process.argv.slice(2), process.env, process.cwd(), {
    out: (l) => console.log(l),
    err: (l) => console.error(l),
    data: (t) => process.stdout.write(t),
  }).then((code) => (process.exitCode = code));
}
