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
import { pool } from "../private/pool";
import { stableJson } from "../private/stable-json";
import { synthInMemory } from "../private/synth-memory";
import { buildApp } from "./app";
import { AdoptionError, adoptedInline, adoptInStack, unmatchedInline } from "./adopt";
import { applyRetention, dataResources, planRetention, readLedger, writeLedger, type StackJson } from "./ledger";
import { carryOver, cleanStale, newGeneration, switchTo } from "./output";

export interface SynthOptions {
  /** absolute output folder, e.g. <project>/cdktf.out */
  readonly outdir: string;
  /** folder the local state files go in */
  readonly projectDir: string;
  readonly notice?: (message: string) => void;
  /** where the config came from, as the access report shows it @default "the config" */
  readonly source?: string;
  /**
   * which config and company this is: recorded as an info annotation on the
   * first stack, which `cdktf synth/diff/deploy` print (they do not show the
   * app's standard output)
   */
  readonly headline?: string;
  /** called with the time each phase took, in ms (the benchmark's per-phase split) */
  readonly timings?: (phase: string, ms: number) => void;
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
  let mark = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    opts.timings?.(name, now - mark);
    mark = now;
  };
  cleanStale(opts.outdir, opts.notice);
  const gen = newGeneration(opts.outdir);
  let switched = false;
  try {
    const app = buildApp(config, { outdir: opts.outdir, synthDir: gen, projectDir: opts.projectDir, notice: opts.notice });
    const first = app.node.children.find((c): c is TerraformStack => c instanceof TerraformStack);
    if (opts.headline && first) Annotations.of(first).addInfo(opts.headline);
    phase("build");
    const findings = await checkPolicies(registeredPolicies(app).map(fromEntry), checkContext(config));
    if (findings.length > 0) throw new PolicyCheckError(findings);
    phase("checks");
    // the stacks in memory (synth-memory.ts); an app that needs CDKTF's own synth is written by it and read back
    const stackFile = (name: string) => path.join(gen, "stacks", name, "cdk.tf.json");
    const inMemory = synthInMemory(app);
    if (!inMemory) app.synth();
    const json = new Map<string, StackJson>(
      inMemory
        ? inMemory.map((s) => [s.name, s.json as StackJson])
        : Object.keys((JSON.parse(fs.readFileSync(path.join(gen, "manifest.json"), "utf8")) as { stacks: Record<string, unknown> }).stacks).map((name) => [
            name,
            JSON.parse(fs.readFileSync(stackFile(name), "utf8")) as StackJson,
          ]),
    );
    const stacks = [...json.keys()].sort();
    phase("synth");
    fs.writeFileSync(
      path.join(gen, ACCESS_REPORT_FILE),
      renderAccessReport({
        policies: registeredPolicies(app).map((e) => (adoptedInline(config.adopt.inlinePolicies, e) ? { ...e, kind: "inline" as const } : e)),
        memberships: registeredMemberships(app),
        source: opts.source ?? "the config",
      }),
    );
    phase("report");
    const changed = new Set<string>();
    // parts that exist already get import blocks (adopt.ts)
    const inline: Config["adopt"]["inlinePolicies"] = [];
    for (const name of stacks) {
      const adopted = adoptInStack(json.get(name)!, name, config);
      if (adopted.imports.length > 0) changed.add(name);
      for (const n of adopted.notices) opts.notice?.(n);
      inline.push(...adopted.inline);
    }
    const unmatched = unmatchedInline(config, inline);
    if (unmatched.length > 0) throw new AdoptionError(unmatched);
    // data that left the config is forgotten, not destroyed (ledger.ts)
    const current = Object.fromEntries(stacks.map((name) => [name, dataResources(json.get(name)!)]));
    // the ledger lists stacks that hold data; planRetention tells a stack that left from one that holds none
    const recorded = Object.fromEntries(Object.entries(current).filter(([, r]) => Object.keys(r).length > 0));
    const ledger = readLedger(opts.projectDir, opts.notice);
    const key = opts.source ?? "the config";
    const retention = planRetention(ledger.configs[key], current, config.dataSafety.destroy, recorded);
    for (const name of stacks) if (applyRetention(json.get(name)!, retention.removed[name] ?? [], retention.unguarded[name] ?? [])) changed.add(name);
    // each stack written once, as CDKTF writes it (sorted keys, two spaces); many at a time, as a
    // folder and a file per stack is most of a large synth's time on a slow disk
    await pool(
      stacks
        .filter((name) => inMemory || changed.has(name))
        .map((name) => async () => {
          await fs.promises.mkdir(path.dirname(stackFile(name)), { recursive: true });
          await fs.promises.writeFile(stackFile(name), stableJson(json.get(name)));
        }),
      32,
    );
    for (const n of retention.notices) opts.notice?.(n);
    const now = new Set(stacks);
    for (const gone of previousStacks(opts.outdir).filter((x) => !now.has(x) && !retention.notices.some((n) => n.startsWith(`stack ${x} `)))) {
      opts.notice?.(
        `stack ${gone} is no longer in the config: Terraform can no longer plan it, and what it created stays in AWS and in its state (README, "Retiring a source account")`,
      );
    }
    carryOver(opts.outdir, gen);
    switchTo(opts.outdir, gen, opts.notice);
    switched = true;
    phase("write");
    writeLedger(opts.projectDir, { ...ledger, configs: { ...ledger.configs, [key]: retention.next } });
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
