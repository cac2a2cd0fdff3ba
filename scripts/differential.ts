/**
 * npm run differential -- [--count N] [--seed S]
 * The differential test by hand (issue #19): N seeded configs from seed S,
 * each synthesized and vendored, the vendored modules planned offline in one
 * root, and the effective grants per principal compared. Prints one line per
 * seed and, for a failing one, its differences and the config to reproduce it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { InvalidArgumentError, Option } from "commander";
import { parseCommand, type CommandSpec } from "../modules/cli/command";
import { compareGrants, coverage, generateConfig, planVendored, synthGrants, vendoredGrants } from "../test/support/differential";

const positiveInt = (v: string) => {
  if (!/^[1-9]\d{0,5}$/.test(v)) throw new InvalidArgumentError("expected a whole number from 1 to 999999");
  return Number(v);
};

export const DIFFERENTIAL_COMMAND: CommandSpec = {
  name: "npm run differential --",
  summary:
    "Compare the effective grants of the CDKTF synth and the vendored modules, per principal, on seeded generated configs (needs terraform and the provider mirror).",
  options: [
    new Option("--count <n>", "how many configs").argParser(positiveInt).default(8),
    new Option("--seed <s>", "the first seed").argParser(positiveInt).default(1),
  ],
  examples: ["npm run differential -- --count 100", "npm run differential -- --seed 42 --count 1"],
  notes: ["Exit codes: 0 every config equal, 1 a difference (its config printed), 2 a command-line mistake."],
};

function main(): number {
  const io = { out: (l: string) => console.log(l), err: (l: string) => console.error(l) };
  const parsed = parseCommand<{ count: number; seed: number }>(DIFFERENTIAL_COMMAND, process.argv.slice(2), io);
  if (parsed.kind === "exit") return parsed.code;
  const { count, seed } = parsed.opts;
  const started = Date.now();
  const configs = Array.from({ length: count }, (_, i) => ({ seed: seed + i, ...generateConfig(seed + i) }));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snowplow-iac-differential-"));
  let failed = 0;
  let grants = 0;
  let principals = 0;
  try {
    const plan = planVendored(
      dir,
      configs.map((c) => c.config),
    );
    configs.forEach((c, i) => {
      const synth = synthGrants(c.config);
      principals += synth.size;
      grants += [...synth.values()].reduce((n, s) => n + s.size, 0);
      const d = compareGrants(synth, vendoredGrants(plan, i));
      if (d.length === 0) return;
      failed++;
      io.out(`seed ${c.seed}: ${d.length} differences`);
      for (const l of d.slice(0, 30)) io.out(`  ${l}`);
      io.out(`  config: ${JSON.stringify(c.input)}`);
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  io.out(
    `differential: ${count} configs (seeds ${seed}-${seed + count - 1}), ${principals} principals and documents, ${grants} grants compared; ${failed === 0 ? "all equal" : `${failed} differ`} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  const cov = coverage(configs.map((c) => c.input as Record<string, never>));
  io.out(
    `covered: ${Object.entries(cov)
      .map(([k, v]) => `${k}: ${v.join(", ")}`)
      .join("; ")}`,
  );
  return failed === 0 ? 0 : 1;
}

process.exitCode = main();
