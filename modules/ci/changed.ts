/**
 * Which stacks a pull request changes: the base branch's synth against the
 * head's, stack by stack. Synth output is byte-identical for the same config,
 * so a stack whose `cdk.tf.json` is unchanged plans no change and needs no
 * plan; only changed, added and removed stacks are planned (removed ones from
 * the base, to show what leaving the config does to them).
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface StackChanges {
  readonly changed: string[];
  readonly added: string[];
  readonly removed: string[];
  readonly unchanged: number;
  /** stacks to plan, in apply order: changed and added from the head, removed from the base */
  readonly plan: { stack: string; from: "head" | "base"; dependencies: string[] }[];
}

interface Manifest {
  stacks: Record<string, { synthesizedStackPath: string; dependencies?: string[] }>;
}

function readManifest(outdir: string, which: string): Manifest {
  const file = path.join(outdir, "manifest.json");
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${which}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); synthesize it first`);
  }
  if (parsed === null || typeof parsed !== "object" || typeof (parsed as Manifest).stacks !== "object") {
    throw new Error(`${which}: ${file} is not a CDKTF manifest (no stacks)`);
  }
  return parsed as Manifest;
}

const stackText = (outdir: string, m: Manifest, name: string) => fs.readFileSync(path.join(outdir, m.stacks[name].synthesizedStackPath), "utf8");

/** stacks in an order where each comes after its dependencies */
export function applyOrder(stacks: Record<string, { dependencies?: string[] }>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string, trail: string[]) => {
    if (seen.has(name)) return;
    if (trail.includes(name)) throw new Error(`stack dependencies form a cycle: ${[...trail, name].join(" -> ")}`);
    for (const d of [...(stacks[name]?.dependencies ?? [])].sort()) if (stacks[d]) visit(d, [...trail, name]);
    seen.add(name);
    out.push(name);
  };
  for (const name of Object.keys(stacks).sort()) visit(name, []);
  return out;
}

export function changedStacks(baseOutdir: string | undefined, headOutdir: string): StackChanges {
  const head = readManifest(headOutdir, "head");
  // no base synth (a new repository, or the base does not synthesize): plan everything
  const base: Manifest = baseOutdir === undefined ? { stacks: {} } : readManifest(baseOutdir, "base");
  const changed: string[] = [];
  const added: string[] = [];
  let unchanged = 0;
  for (const name of Object.keys(head.stacks).sort()) {
    if (!base.stacks[name]) added.push(name);
    else if (stackText(baseOutdir!, base, name) !== stackText(headOutdir, head, name)) changed.push(name);
    else unchanged++;
  }
  const removed = Object.keys(base.stacks)
    .filter((n) => !head.stacks[n])
    .sort();
  const want = new Set([...changed, ...added]);
  const plan = [
    ...applyOrder(head.stacks)
      .filter((n) => want.has(n))
      .map((stack) => ({ stack, from: "head" as const, dependencies: head.stacks[stack].dependencies ?? [] })),
    ...removed.map((stack) => ({ stack, from: "base" as const, dependencies: base.stacks[stack].dependencies ?? [] })),
  ];
  return { changed, added, removed, unchanged, plan };
}
