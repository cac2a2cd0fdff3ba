/**
 * The synth command behind main.ts, callable in-process (tests run dozens of
 * bad configs through it without starting a process each).
 */
import * as path from "node:path";
import { PolicyCheckError } from "../checks";
import { ConfigError } from "../config/errors";
import { displayPath, loadConfig, portablePath } from "../config/load";
import { parseCommand } from "../cli/command";
import { printFailure } from "../cli/errors";
import { chooseConfig, headline } from "../cli/config-choice";
import { SYNTH_COMMAND, type SynthOpts } from "./args";
import { QuotaError } from "../private/quotas";
import { AdoptionError } from "./adopt";
import { OutputError } from "./output";
import { synthesize } from "./synth";

export interface CliOptions {
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** the working directory: output and state paths are relative to it @default process.cwd() */
  readonly cwd?: string;
  /** where problems and notices go (stderr in main.ts) */
  readonly log: (line: string) => void;
  /** where progress and results go (stdout in main.ts) @default log */
  readonly out?: (line: string) => void;
}

/** synthesize the configured stacks; returns the exit code */
export async function runSynth(o: CliOptions): Promise<number> {
  const cwd = o.cwd ?? process.cwd();
  const outdir = o.env.CDKTF_OUTDIR ?? "cdktf.out";
  const out = o.out ?? o.log;
  const parsed = parseCommand<SynthOpts>(SYNTH_COMMAND, o.argv, { out, err: o.log });
  if (parsed.kind === "exit") return parsed.code;
  const args = parsed.opts;
  // SNOWPLOW_IAC_TIMINGS=1: one line of per-phase times on stderr (npm run bench reads it)
  const times: string[] = [];
  if (o.env.SNOWPLOW_IAC_TIMINGS) times.push(`load ${Math.round(performance.now())} ms`);
  try {
    const choice = chooseConfig(args.config, o.env, cwd);
    const file = choice.file;
    const t = performance.now();
    const config = loadConfig(file, choice.via);
    times.push(`config ${Math.round(performance.now() - t)} ms`);
    // say whose config this is first, so nobody deploys the example believing it is theirs
    const line = headline("synthesizing", choice, config.company);
    out(line);
    const result = await synthesize(config, {
      outdir: path.resolve(cwd, outdir),
      projectDir: cwd,
      notice: (m) => o.log(`notice: ${m}`),
      source: portablePath(file),
      headline: headline("this output was synthesized from", choice, config.company, true),
      timings: (name, ms) => times.push(`${name} ${Math.round(ms)} ms`),
    });
    if (o.env.SNOWPLOW_IAC_TIMINGS) o.log(`timings: ${times.join(", ")}`);
    out(`synthesized ${result.stacks.length} stacks from ${displayPath(file)} into ${outdir}: ${stackSummary(result.stacks)}`);
    return 0;
  } catch (e) {
    // a problem with the config, a check, a quota, the output folder or an adoption: the user's to fix
    if (e instanceof ConfigError || e instanceof PolicyCheckError || e instanceof QuotaError || e instanceof OutputError || e instanceof AdoptionError) {
      return printFailure(e, { err: o.log });
    }
    const message = e instanceof Error ? e.message : String(e);
    o.log(`error: ${message}`);
    if (o.env.SNOWPLOW_IAC_DEBUG && e instanceof Error && e.stack) o.log(e.stack);
    else o.log("(set SNOWPLOW_IAC_DEBUG=1 for a stack trace, and please report it: this is a bug)");
    return 1;
  }
}

/**
 * The stacks a synth wrote, for its last line: every name up to a dozen; above that, the others by
 * name and the source-account stacks counted (a line naming 5,000 stacks is read by nobody).
 */
export function stackSummary(stacks: readonly string[]): string {
  if (stacks.length <= 12) return stacks.join(", ");
  const sources = stacks.filter((s) => s.startsWith("source-"));
  const others = stacks.filter((s) => !s.startsWith("source-"));
  if (sources.length === 0) return `${stacks.slice(0, 10).join(", ")} and ${stacks.length - 10} more`;
  const range = `${sources[0]} to ${sources[sources.length - 1]}`;
  return [...others, `${thousands(sources.length)} source-account stacks (${range})`].join(", ");
}

/** 5000 -> "5,000": as toLocaleString("en") writes it, without loading ICU's number formats (about 30 ms on first use) */
const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
