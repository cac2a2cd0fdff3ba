/**
 * npm run review -- [--plan <stack>=<plan.json> ...] [--plan-dir <dir>] [--out <file>]
 *                   [--format markdown|json|sarif] [--allow-broadening] [--allow-unknown]
 *                   [--base-synth <dir> --head-synth <dir>]
 *
 * Reads Terraform plans (`terraform show -json`), one per stack, and writes a
 * review: verdict first, who gains and loses what, data-loss warnings, the IAM
 * statement changes per policy. Exit code 3 when access broadens (unless
 * --allow-broadening) or when part of the plan cannot be evaluated (unless
 * --allow-unknown); 1 on bad input.
 *   --plan-dir DIR      every DIR/<stack>/plan.json (e.g. cdktf.out/stacks after `terraform show -json plan.bin > plan.json`)
 *   --base-synth DIR    the base branch's synthesized stacks (cdktf.out/stacks), with --head-synth: what a plan
 *                       cannot show, a lifted prevent_destroy, is compared on the configurations
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Option } from "commander";
import { choiceOption, parseCommand, USAGE_EXIT, type CommandSpec, type Io } from "../modules/cli/command";
import { comparePreventDestroy } from "../modules/review/data-loss";
import { renderJson, renderSarif } from "../modules/review/formats";
import { renderReview, reviewPlan, overallVerdict, type StackReview } from "../modules/review/review";
import { planProblems, type Plan } from "../modules/review/plan-model";
import { writeOutputFile } from "../modules/cli/output-file";

export const BROADENING_EXIT = 3;

const collect = (v: string, prev: string[] = []) => [...prev, v];

export const REVIEW_COMMAND: CommandSpec = {
  name: "npm run review --",
  summary:
    "Review Terraform plans (terraform show -json), one per stack: the verdict first (unknown, broadening, narrowing, unchanged), who gains and loses what, data-loss warnings, and the IAM statement changes per policy.",
  config: false,
  options: [
    new Option("--plan <stack=plan.json>", "a plan in JSON, named by its stack (repeatable); a bare path takes the stack from its folder name").argParser(
      collect,
    ),
    new Option("--plan-dir <dir>", "every <dir>/<stack>/plan.json, e.g. cdktf.out/stacks after terraform show -json plan.bin > plan.json"),
    new Option("-o, --out <file>", "write the review to this file instead of standard output"),
    choiceOption("--format <format>", "the review's format", ["markdown", "json", "sarif"], "markdown"),
    new Option("--allow-broadening", "exit 0 when access broadens (after a reviewer approved)"),
    new Option("--allow-unknown", "exit 0 when part of the plan cannot be evaluated (after a reviewer read it)"),
    new Option("--allow-data-loss", "exit 0 when the plan destroys or replaces a resource that holds data (after a reviewer approved)"),
    new Option(
      "--base-synth <dir>",
      "the base branch's synthesized stacks (cdktf.out/stacks); with --head-synth, compares what a plan cannot show (a lifted prevent_destroy)",
    ),
    new Option("--head-synth <dir>", "the head branch's synthesized stacks; goes with --base-synth"),
  ],
  examples: [
    "npm run review -- --plan-dir cdktf.out/stacks",
    "npm run review -- --plan backup=plans/backup.json --format sarif --out review.sarif",
    "npm run review -- --plan-dir head/stacks --base-synth base/stacks --head-synth head/stacks",
  ],
  notes: [
    "Exit codes: 0 unchanged or narrowing (or allowed), 1 bad input, 2 a command-line mistake,",
    "3 access broadens (unless --allow-broadening), part of the plan is unknown (unless --allow-unknown), data would be destroyed or",
    "replaced (unless --allow-data-loss), or a guardrail is broken (no flag passes it).",
  ],
};

export interface ReviewOpts {
  readonly plan?: string[];
  readonly planDir?: string;
  readonly out?: string;
  readonly format: "markdown" | "json" | "sarif";
  readonly allowBroadening?: boolean;
  readonly allowUnknown?: boolean;
  readonly allowDataLoss?: boolean;
  readonly baseSynth?: string;
  readonly headSynth?: string;
}

/** the plans to read, by stack; and the stack folders under --plan-dir that hold a configuration but no plan.json */
function plans(o: ReviewOpts): { plans: [string, string][]; notReviewed: string[] } {
  const out: [string, string][] = [];
  const notReviewed: string[] = [];
  for (const v of o.plan ?? []) {
    const eq = v.indexOf("=");
    out.push(eq > 0 ? [v.slice(0, eq), v.slice(eq + 1)] : [path.basename(path.dirname(path.resolve(v))), v]);
  }
  if (o.planDir !== undefined) {
    const dir = o.planDir;
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`--plan-dir needs an existing folder; got ${dir}`);
    for (const stack of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, stack, "plan.json");
      if (fs.existsSync(file)) out.push([stack, file]);
      else if (holdsConfiguration(path.join(dir, stack))) notReviewed.push(stack);
    }
  }
  if (out.length === 0) throw new Error("no plans given: use --plan <stack>=<plan.json> or --plan-dir <dir> (terraform show -json output)");
  const seen = new Set<string>();
  for (const [stack] of out) {
    if (seen.has(stack)) throw new Error(`stack ${stack} is given twice; name each stack's plan once (--plan <stack>=<plan.json>)`);
    seen.add(stack);
  }
  return { plans: out, notReviewed };
}

/** what the review says about stack folders without a plan: nothing, and it says so */
const notReviewedLine = (stacks: readonly string[]) =>
  `${stacks.length === 1 ? "This stack folder holds" : "These stack folders hold"} a configuration but no plan.json, so this review says nothing about ${stacks.length === 1 ? "it" : "them"}: ${stacks.join(", ")}. If ${stacks.length === 1 ? "it" : "they"} changed, plan ${stacks.length === 1 ? "it" : "them"} too (terraform show -json plan.bin > plan.json).`;

/** a folder with Terraform configuration files (a stack of cdktf.out/stacks) */
function holdsConfiguration(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory() && fs.readdirSync(dir).some((f) => f.endsWith(".tf") || f.endsWith(".tf.json"));
  } catch {
    return false;
  }
}

/** prevent_destroy lifted between two synthesized configurations, per stack */
export function configWarnings(baseDir: string, headDir: string): string[] {
  const out: string[] = [];
  for (const stack of fs.readdirSync(baseDir).sort()) {
    const base = path.join(baseDir, stack, "cdk.tf.json");
    if (!fs.existsSync(base)) continue;
    const head = path.join(headDir, stack, "cdk.tf.json");
    const read = (f: string) => JSON.parse(fs.readFileSync(f, "utf8")) as Record<string, unknown>;
    if (!fs.existsSync(head)) {
      out.push(`${stack}: the stack leaves the configuration; every resource in it, and its prevent_destroy, goes with it`);
      continue;
    }
    out.push(...comparePreventDestroy(read(base), read(head), stack));
  }
  return out;
}

/** a file that is not a plan this review reads: one line per problem */
class PlanFileError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join("\n"));
  }
}

export async function review(o: ReviewOpts): Promise<{ output: string; reviews: StackReview[]; configWarnings: string[]; notReviewed: string[] }> {
  const reviews: StackReview[] = [];
  const files: Record<string, string> = {};
  const given = plans(o);
  for (const [stack, file] of given.plans) {
    let plan: unknown;
    try {
      plan = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
      throw new Error(`${file}: not a plan in JSON (terraform show -json <planfile>): ${e instanceof Error ? e.message : String(e)}`);
    }
    const problems = planProblems(plan);
    if (problems.length > 0) throw new PlanFileError(problems.map((p) => `${file}: ${p}`));
    files[stack] = file;
    reviews.push(await reviewPlan(stack, plan as Plan));
  }
  const warnings = o.baseSynth !== undefined && o.headSynth !== undefined ? configWarnings(o.baseSynth, o.headSynth) : [];
  const format = o.format;
  const notReviewed = given.notReviewed;
  let output =
    format === "json" ? renderJson(reviews, warnings, notReviewed) : format === "sarif" ? renderSarif(reviews, files, warnings) : renderReview(reviews);
  if (format === "markdown" && warnings.length > 0) {
    output += `\n## What the plans cannot show\n\n> [!CAUTION]\n${warnings.map((w) => `> - ${w}`).join("\n")}\n`;
  }
  if (format === "markdown" && notReviewed.length > 0) {
    output += `\n## Not reviewed\n\n> [!NOTE]\n> ${notReviewedLine(notReviewed)}\n`;
  }
  return { output, reviews, configWarnings: warnings, notReviewed };
}

export async function runReview(argv: readonly string[], io: Io & { data: (text: string) => void }): Promise<number> {
  const parsed = parseCommand<ReviewOpts>(REVIEW_COMMAND, argv, io);
  if (parsed.kind === "exit") return parsed.code;
  const o = parsed.opts;
  if ((o.baseSynth === undefined) !== (o.headSynth === undefined)) {
    io.err("error: --base-synth and --head-synth go together; see --help");
    return USAGE_EXIT;
  }
  try {
    const { output, reviews, notReviewed } = await review(o);
    if (o.out !== undefined) writeOutputFile(o.out, output);
    else io.data(output);
    const verdict = overallVerdict(reviews);
    io.err(`review: ${verdict}`);
    if (notReviewed.length > 0) io.err(`review: not reviewed (no plan.json): ${notReviewed.join(", ")}`);
    if (verdict === "unknown" && !o.allowUnknown) {
      io.err("review: part of the plan could not be evaluated; read those changes, then run with --allow-unknown");
      return BROADENING_EXIT;
    }
    if (reviews.some((r) => r.guardrails.length > 0)) {
      io.err("review: the plan breaks a guardrail (access that must never be granted); no flag passes it: change the plan");
      return BROADENING_EXIT;
    }
    if (reviews.some((r) => r.dataWarnings.length > 0) && !o.allowDataLoss) {
      io.err("review: the plan destroys or replaces a resource that holds data; a reviewer must approve (run with --allow-data-loss once approved)");
      return BROADENING_EXIT;
    }
    const broad = reviews.some((r) => r.access.some((a) => a.gains.length > 0));
    if (broad && !o.allowBroadening) {
      io.err("review: access broadens; a reviewer must approve (run with --allow-broadening once approved)");
      return BROADENING_EXIT;
    }
    return 0;
  } catch (e) {
    for (const line of e instanceof PlanFileError ? e.lines : [e instanceof Error ? e.message : String(e)]) io.err(`error: ${line}`);
    return 1;
  }
}

if (require.main === module) {
  void runReview(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l), data: (t) => process.stdout.write(t) }).then(
    (code) => (process.exitCode = code),
  );
}
