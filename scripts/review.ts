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
import { comparePreventDestroy } from "../modules/review/data-loss";
import { renderJson, renderSarif } from "../modules/review/formats";
import { renderReview, reviewPlan, overallVerdict, type StackReview } from "../modules/review/review";

export const BROADENING_EXIT = 3;

function value(argv: readonly string[], i: number, flag: string): string {
  const v = argv[i + 1];
  if (!v || v.startsWith("--")) throw new Error(`${flag} needs a value`);
  return v;
}

function plans(argv: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--plan") {
      const v = value(argv, i++, "--plan <stack>=<plan.json> or <plan.json>");
      const eq = v.indexOf("=");
      out.push(eq > 0 ? [v.slice(0, eq), v.slice(eq + 1)] : [path.basename(path.dirname(path.resolve(v))), v]);
    } else if (argv[i] === "--plan-dir") {
      const dir = value(argv, i++, "--plan-dir");
      if (!fs.existsSync(dir)) throw new Error(`--plan-dir needs an existing folder; got ${dir}`);
      for (const stack of fs.readdirSync(dir).sort()) {
        const file = path.join(dir, stack, "plan.json");
        if (fs.existsSync(file)) out.push([stack, file]);
      }
    }
  }
  if (out.length === 0) throw new Error("no plans given: use --plan <stack>=<plan.json> or --plan-dir <dir> (terraform show -json output)");
  return out;
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

export async function review(argv: readonly string[]): Promise<{ output: string; reviews: StackReview[]; configWarnings: string[] }> {
  const reviews: StackReview[] = [];
  const files: Record<string, string> = {};
  for (const [stack, file] of plans(argv)) {
    let plan: unknown;
    try {
      plan = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
      throw new Error(`${file}: not a plan in JSON (terraform show -json <planfile>): ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!plan || typeof plan !== "object" || !Array.isArray((plan as { resource_changes?: unknown }).resource_changes ?? [])) {
      throw new Error(`${file}: not a plan in JSON (no resource_changes list); make it with terraform show -json <planfile>`);
    }
    files[stack] = file;
    reviews.push(await reviewPlan(stack, plan as Parameters<typeof reviewPlan>[1]));
  }
  const b = argv.indexOf("--base-synth");
  const h = argv.indexOf("--head-synth");
  const warnings = b >= 0 && h >= 0 ? configWarnings(value(argv, b, "--base-synth"), value(argv, h, "--head-synth")) : [];
  if (b >= 0 !== h >= 0) throw new Error("--base-synth and --head-synth go together");
  const f = argv.indexOf("--format");
  const format = f >= 0 ? value(argv, f, "--format") : "markdown";
  if (!["markdown", "json", "sarif"].includes(format)) throw new Error(`--format must be markdown, json or sarif; got ${format}`);
  let output = format === "json" ? renderJson(reviews, warnings) : format === "sarif" ? renderSarif(reviews, files, warnings) : renderReview(reviews);
  if (format === "markdown" && warnings.length > 0) {
    output += `\n## What the plans cannot show\n\n> [!CAUTION]\n${warnings.map((w) => `> - ${w}`).join("\n")}\n`;
  }
  return { output, reviews, configWarnings: warnings };
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  try {
    const { output, reviews } = await review(argv);
    const i = argv.indexOf("--out");
    if (i >= 0) fs.writeFileSync(value(argv, i, "--out"), output);
    else process.stdout.write(output);
    const verdict = overallVerdict(reviews);
    console.error(`review: ${verdict}`);
    if (verdict === "unknown" && !argv.includes("--allow-unknown")) {
      console.error("review: part of the plan could not be evaluated; read those changes, then run with --allow-unknown");
      return BROADENING_EXIT;
    }
    if (reviews.some((r) => r.guardrails.length > 0)) {
      console.error("review: the plan breaks a guardrail (access that must never be granted); no flag passes it: change the plan");
      return BROADENING_EXIT;
    }
    const broad = reviews.some((r) => r.access.some((a) => a.gains.length > 0));
    if (broad && !argv.includes("--allow-broadening")) {
      console.error("review: access broadens; a reviewer must approve (run with --allow-broadening once approved)");
      return BROADENING_EXIT;
    }
    return 0;
  } catch (e) {
    console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

if (require.main === module) void main().then((code) => (process.exitCode = code));
