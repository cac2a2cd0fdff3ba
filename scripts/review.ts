/**
 * npm run review -- [--plan <stack>=<plan.json> ...] [--plan-dir <dir>] [--out <file>] [--allow-broadening]
 *
 * Reads Terraform plans (`terraform show -json`), one per stack, and writes a
 * Markdown review: per-stack summary with data-loss warnings, IAM statement
 * changes per policy, and a verdict. Exit code 3 on a broadening change
 * unless --allow-broadening; 1 on bad input.
 *   --plan-dir DIR   every DIR/<stack>/plan.json (e.g. cdktf.out/stacks after `terraform show -json plan.bin > plan.json`)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { renderReview, reviewPlan, overallVerdict, type StackReview } from "../modules/review/review";

export const BROADENING_EXIT = 3;

function plans(argv: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--plan") {
      const v = argv[++i];
      if (!v || v.startsWith("-")) throw new Error("--plan needs <stack>=<plan.json> or <plan.json>");
      const eq = v.indexOf("=");
      out.push(eq > 0 ? [v.slice(0, eq), v.slice(eq + 1)] : [path.basename(path.dirname(path.resolve(v))), v]);
    } else if (argv[i] === "--plan-dir") {
      const dir = argv[++i];
      if (!dir || !fs.existsSync(dir)) throw new Error(`--plan-dir needs an existing folder; got ${dir ?? "nothing"}`);
      for (const stack of fs.readdirSync(dir).sort()) {
        const file = path.join(dir, stack, "plan.json");
        if (fs.existsSync(file)) out.push([stack, file]);
      }
    }
  }
  if (out.length === 0) throw new Error("no plans given: use --plan <stack>=<plan.json> or --plan-dir <dir> (terraform show -json output)");
  return out;
}

export async function review(argv: readonly string[]): Promise<{ markdown: string; reviews: StackReview[] }> {
  const reviews: StackReview[] = [];
  for (const [stack, file] of plans(argv)) {
    let plan: unknown;
    try {
      plan = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
      throw new Error(`${file}: not a plan in JSON (terraform show -json <planfile>): ${e instanceof Error ? e.message : String(e)}`);
    }
    reviews.push(await reviewPlan(stack, plan as Parameters<typeof reviewPlan>[1]));
  }
  return { markdown: renderReview(reviews), reviews };
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  try {
    const { markdown, reviews } = await review(argv);
    const i = argv.indexOf("--out");
    if (i >= 0 && argv[i + 1]) fs.writeFileSync(argv[i + 1], markdown);
    else process.stdout.write(markdown);
    const verdict = overallVerdict(reviews);
    console.error(`review: ${verdict}`);
    if (verdict === "broadening" && !argv.includes("--allow-broadening")) {
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
