/**
 * All-or-nothing synth: stacks are written to a staging folder beside the
 * output folder and copied in only when every stack synthesized, so a failing
 * stack never leaves a partial one behind.
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
  const parent = path.dirname(opts.outdir);
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(opts.outdir)}.staging-`));
  try {
    const app = buildApp(config, { outdir: opts.outdir, synthDir: staging, projectDir: opts.projectDir, notice: opts.notice });
    const first = app.node.children.find((c): c is TerraformStack => c instanceof TerraformStack);
    if (opts.headline && first) Annotations.of(first).addInfo(opts.headline);
    const findings = await checkPolicies(registeredPolicies(app).map(fromEntry), checkContext(config));
    if (findings.length > 0) throw new PolicyCheckError(findings);
    app.synth();
    if (!opts.allowDataLoss) {
      const lost = compareStacks(path.join(opts.outdir, "stacks"), path.join(staging, "stacks"));
      if (lost.length > 0) throw new DataGuardError(lost);
    }
    fs.writeFileSync(
      path.join(staging, ACCESS_REPORT_FILE),
      renderAccessReport({ policies: registeredPolicies(app), memberships: registeredMemberships(app), source: opts.source ?? "the config" }),
    );
    const manifest = JSON.parse(fs.readFileSync(path.join(staging, "manifest.json"), "utf8")) as {
      stacks: Record<string, unknown>;
    };
    const stacks = Object.keys(manifest.stacks).sort();
    copyTree(staging, opts.outdir);
    removeStaleStacks(opts.outdir, new Set(stacks), opts.notice);
    return { stacks };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * move the staged files into the output folder: a folder that is new there is
 * renamed in whole (same filesystem: the staging folder is beside it); into an
 * existing one, files are copied, so what terraform keeps there (.terraform,
 * lock files) stays
 */
function copyTree(from: string, to: string) {
  if (!fs.existsSync(to)) {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.renameSync(from, to);
    return;
  }
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(src, dst);
    else fs.copyFileSync(src, dst);
  }
}

/** a stack removed from the config: drop its generated file, keep anything terraform put beside it */
function removeStaleStacks(outdir: string, current: Set<string>, notice?: (m: string) => void) {
  const dir = path.join(outdir, "stacks");
  if (!fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name, "cdk.tf.json");
    if (!current.has(name) && fs.existsSync(file)) {
      fs.rmSync(file);
      notice?.(`stack ${name} is no longer in the config: removed its cdk.tf.json (destroy its resources first if they still exist)`);
    }
  }
}
