/**
 * One command-line parser for every entry point (main.ts, report, vendor,
 * review, bench): commander, configured the same way everywhere. `--help`
 * prints usage with examples; an unknown flag or a stray argument is one line
 * with a suggestion and exit 2, never a silent run on the built-in example.
 */
import { Command, CommanderError, Option } from "commander";
import { closest } from "../private/closest";
import { oneLine } from "../private/one-line";

export { oneLine };

/** exit code of a command-line mistake (as getopt tools use) */
export const USAGE_EXIT = 2;

export interface Io {
  /** progress and results (stdout) */
  readonly out: (line: string) => void;
  /** problems (stderr) */
  readonly err: (line: string) => void;
}

export interface CommandSpec {
  /** how users type it, e.g. "npm run report --" */
  readonly name: string;
  readonly summary: string;
  /** lines shown after the options under "Examples:" */
  readonly examples: readonly string[];
  /** lines shown after the examples (exit codes, notes) */
  readonly notes?: readonly string[];
  /** does the command take the shared --config option @default true */
  readonly config?: boolean;
  /** extra options */
  readonly options?: readonly Option[];
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export type Parsed<T> = { readonly kind: "run"; readonly opts: T } | { readonly kind: "exit"; readonly code: number };

/** the --config option every config-reading entry point shares */
export function configOption(): Option {
  return new Option(
    "-c, --config <file>",
    "the configuration (.json or .ts); default: .snowplow-iac.json, then $SNOWPLOW_IAC_CONFIG, then the built-in example",
  );
}

function build(spec: CommandSpec, io: Io): Command {
  const cmd = new Command(spec.name)
    .description(spec.summary)
    .helpOption("-h, --help", "this text")
    .allowExcessArguments(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) =>
        s
          .replace(/\n$/, "")
          .split("\n")
          .forEach((l) => io.out(l)),
      writeErr: (s) =>
        s
          .replace(/\n$/, "")
          .split("\n")
          .forEach((l) => io.err(l)),
      // errors are rewritten to one line below
      outputError: () => undefined,
    });
  if (spec.config !== false) cmd.addOption(configOption());
  for (const o of spec.options ?? []) cmd.addOption(o);
  const after = ["", "Examples:", ...spec.examples.map((e) => `  ${e}`), ...(spec.notes && spec.notes.length > 0 ? ["", ...spec.notes] : [])].join("\n");
  cmd.addHelpText("after", after);
  return cmd;
}

/**
 * Parse argv (without node and the script). Returns the options, or the exit
 * code when help was printed or the command line was wrong (one line on err).
 */
export function parseCommand<T>(spec: CommandSpec, argv: readonly string[], io: Io): Parsed<T> {
  const cmd = build(spec, io);
  try {
    cmd.parse([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.help" || e.code === "commander.version") return { kind: "exit", code: 0 };
      io.err(`error: ${describe(e, cmd)}; see --help`);
      return { kind: "exit", code: USAGE_EXIT };
    }
    throw e;
  }
  const opts = cmd.opts() as Record<string, unknown>;
  for (const o of cmd.options) {
    const key = o.attributeName();
    const v = opts[key];
    if (o.required && v === "") {
      io.err(`error: ${o.long} needs a value, not an empty string; see --help`);
      return { kind: "exit", code: USAGE_EXIT };
    }
    // `--config --out x.md`: the next flag was swallowed as the value
    if (o.required && typeof v === "string" && /^-/.test(v) && cmd.options.some((x) => x.long === v.replace(/=.*$/, "") || x.short === v)) {
      io.err(`error: ${o.long} needs a value before the next option ${oneLine(v)}; see --help`);
      return { kind: "exit", code: USAGE_EXIT };
    }
  }
  const stray = cmd.args;
  if (stray.length > 0) {
    const first = stray[0];
    const shown = oneLine(first);
    const hint = /\.(json|ts|mts|js)$/.test(first) && spec.config !== false ? ` (did you mean --config ${shown}?)` : "";
    io.err(`error: unexpected argument "${shown}"${hint}; see --help`);
    return { kind: "exit", code: USAGE_EXIT };
  }
  return { kind: "run", opts: opts as T };
}

function describe(e: CommanderError, cmd: Command): string {
  const msg = e.message.replace(/^error: /, "");
  if (e.code === "commander.unknownOption") {
    const flag = /'([^']+)'/.exec(msg)?.[1] ?? msg;
    const name = flag.replace(/^-+/, "").replace(/=.*$/, "");
    const longs = [...cmd.options.map((o) => o.long?.replace(/^--/, "")).filter((x): x is string => x !== undefined), "help"];
    const guess = closest(name, longs);
    return `unknown option ${oneLine(flag)}${guess ? ` (did you mean --${guess}?)` : ""}`;
  }
  if (e.code === "commander.optionMissingArgument") {
    const flags = /option '([^']+)'/.exec(msg)?.[1] ?? "";
    const opt = cmd.options.find((o) => o.flags === flags);
    const long = opt?.long ?? flags;
    const example = long === "--config" ? ", e.g. --config acme-prod.json" : "";
    return `${long} needs a value${opt?.flags.includes("<file>") ? " (a file)" : ""}${example}`;
  }
  if (e.code === "commander.invalidArgument") {
    const m = /option '([^']+)' argument '([^]*)' is invalid\. ?([^]*)$/.exec(msg);
    if (m) {
      const long = cmd.options.find((o) => o.flags === m[1])?.long ?? m[1];
      const why = m[3].replace(/^Allowed choices are ([^]*?)\.?$/, "expected one of: $1").replace(/\.$/, "");
      return `${long} "${oneLine(m[2])}" is not accepted: ${oneLine(why)}`;
    }
    return oneLine(msg.replace(/\n/g, " "));
  }
  if (e.code === "commander.missingMandatoryOptionValue") {
    const flags = /option '([^']+)'/.exec(msg)?.[1] ?? "";
    const long = cmd.options.find((o) => o.flags === flags)?.long ?? flags;
    return `${long} is required`;
  }
  return oneLine(msg.split("\n").join(" "));
}

/** a choice option (e.g. --format) with its allowed values listed in help and in errors */
export function choiceOption(flags: string, description: string, choices: readonly string[], fallback?: string): Option {
  const o = new Option(flags, description).choices(choices);
  return fallback === undefined ? o : o.default(fallback);
}

export { Option };
