/**
 * All-or-nothing synth: stacks are written to a new generation folder beside
 * the output folder, and the output folder (a link) is switched to it in one
 * rename only when every stack synthesized and passed its checks (output.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Annotations, TerraformStack } from "../private/cdk";
import { checkContext, checkPolicies, fromEntry, PolicyCheckError } from "../checks";
import type { Config } from "../config/schema";
import { registeredMemberships, registeredPolicies } from "../private/policy-registry";
import { renderAccessReport } from "../report/access-report";
import { buildApp } from "./app";
import { compareStacks, DataGuardError } from "./guard";
import { carryOver, cleanStale, newGeneration, switchTo } from "./output";

export interface SynthOptions {
  /** absolute output folder, e.g. <project>/cdktf.out */
  readonly outdir: string;
  /** folder the local state files go in */
  readonly projectDir: string;
  readonly notice?: (message: string) => void;
  /** where the config came from, as the access report shows it @default "the config" */
  readonly source?: string;
  /** let a synth remove or replace resources that hold data (see guard.ts) @default false */
  readonly allowDataLoss?: boolean;
  /**
   * which config and company this is: recorded as an info annotation on the
   * first stack, which `cdktf synth/diff/deploy` print (they do not show the
   * app's standard output)
   */
  readonly headline?: string;
}

/** the access report's file name, beside the stacks in the output folder */
export const ACCESS_REPORT_FILE = "access-report.md";

export interface SynthResult {
  readonly stacks: string[];
}

/**
 * Build the app, check every policy it emits (a finding stops everything:
 * nothing is written), then synthesize through the staging folder.
 */
export async function synthesize(config: Config, opts: SynthOptions): Promise<SynthResult> {
  cleanStale(opts.outdir, opts.notice);
  const gen = newGeneration(opts.outdir);
  let switched = false;
  try {
    const app = buildApp(config, { outdir: opts.outdir, synthDir: gen, projectDir: opts.projectDir, notice: opts.notice });
    const first = app.node.children.find((c): c is TerraformStack => c instanceof TerraformStack);
    if (opts.headline && first) Annotations.of(first).addInfo(opts.headline);
    const findings = await checkPolicies(registeredPolicies(app).map(fromEntry), checkContext(config));
    if (findings.length > 0) throw new PolicyCheckError(findings);
    app.synth();
    if (!opts.allowDataLoss) {
      const { findings: lost, unreadable } = compareStacks(path.join(opts.outdir, "stacks"), path.join(gen, "stacks"));
      for (const u of unreadable) {
        opts.notice?.(`the previous ${u} is not readable JSON (truncated?): the data guard could not compare it; read the plan before applying`);
      }
      if (lost.length > 0) throw new DataGuardError(lost);
    }
    fs.writeFileSync(
      path.join(gen, ACCESS_REPORT_FILE),
      renderAccessReport({ policies: registeredPolicies(app), memberships: registeredMemberships(app), source: opts.source ?? "the config" }),
    );
    const manifest = JSON.parse(fs.readFileSync(path.join(gen, "manifest.json"), "utf8")) as { stacks: Record<string, unknown> };
    const stacks = Object.keys(manifest.stacks).sort();
    for (const gone of previousStacks(opts.outdir).filter((x) => !stacks.includes(x))) {
      opts.notice?.(`stack ${gone} is no longer in the config: its cdk.tf.json is gone from the output (destroy its resources first if they still exist)`);
    }
    carryOver(opts.outdir, gen);
    switchTo(opts.outdir, gen, opts.notice);
    switched = true;
    return { stacks };
  } finally {
    if (!switched) fs.rmSync(gen, { recursive: true, force: true });
  }
}

/** the stacks of the previous output, by their cdk.tf.json */
function previousStacks(outdir: string): string[] {
  const dir = path.join(outdir, "stacks");
  try {
    return fs
      .readdirSync(dir)
      .filter((n) => fs.existsSync(path.join(dir, n, "cdk.tf.json")))
      .sort();
  } catch {
    return [];
  }
}
