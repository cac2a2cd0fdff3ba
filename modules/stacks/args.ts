/**
 * The synth command's arguments, parsed strictly with Node's own
 * `util.parseArgs` (no dependency): an unknown flag or a stray argument is an
 * error with a suggestion, never a silent synth of the built-in example.
 */
import { parseArgs } from "node:util";
import { closest } from "../private/closest";

export const SYNTH_USAGE = [
  "usage: npx tsx main.ts [--config FILE] [--allow-data-loss]",
  "       npx cdktf synth        (reads SNOWPLOW_IAC_CONFIG, else the built-in example)",
  "",
  "  -c, --config FILE     the configuration to synthesize (default: $SNOWPLOW_IAC_CONFIG, else config/example.json)",
  "      --allow-data-loss let a synth remove or replace a resource that holds data",
  "  -h, --help            this text",
  "",
  "examples:",
  "  npx tsx main.ts --config acme-prod.json",
  "  SNOWPLOW_IAC_CONFIG=acme-prod.json npx cdktf synth",
];

const OPTIONS = {
  config: { type: "string", short: "c" },
  "allow-data-loss": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export type SynthArgs = { readonly help: true } | { readonly help: false; readonly config?: string; readonly allowDataLoss: boolean };

class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export function parseSynthArgs(argv: readonly string[]): SynthArgs {
  let values: { config?: string; "allow-data-loss"?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true }));
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const flag = /'(-{1,2}[^']+)'/.exec(message)?.[1];
    if (flag && /Unknown option/i.test(message)) {
      const name = flag.replace(/^-+/, "").replace(/=.*$/, "");
      const guess = closest(name, Object.keys(OPTIONS));
      throw new UsageError(`unknown option ${flag}${guess ? ` (did you mean --${guess}?)` : ""}; see --help`);
    }
    if (/argument missing/i.test(message)) throw new UsageError("--config needs a file, e.g. --config acme-prod.json");
    throw new UsageError(`${message.split("\n")[0]}; see --help`);
  }
  if (values.help) return { help: true };
  if (positionals.length > 0) {
    const hint = positionals.length === 1 && /\.(json|ts)$/.test(positionals[0]) ? ` (did you mean --config ${positionals[0]}?)` : "";
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}${hint}; see --help`);
  }
  return { help: false, config: values.config, allowDataLoss: values["allow-data-loss"] === true };
}
