/**
 * CDKTF's `App.synth()`, with each element resolved once and nothing written
 * but the manifest: the stacks come back as objects, so the synth changes them
 * in memory and writes each once (stacks/synth.ts).
 *
 * Why: CDKTF 0.21 (its last release: the project is archived) resolves every
 * element three times per synth: once in `prepareStack` (looking for
 * references across stacks, result dropped), once per element in
 * `toTerraform`, and once more over the whole merged stack. For 1,000
 * streams that was about 3 s of a 7 s synth; it then wrote each stack with
 * `json-stable-stringify`, and the synth read every stack back to add
 * imports and retention.
 *
 * Here the preparing resolve's result is kept and used, under conditions that
 * make it the same value the second resolve would give, else the stack takes
 * CDKTF's own `toTerraform()`:
 * - the stack's elements after every stack is prepared are the very elements
 *   it had when prepared (a reference across stacks adds an output to one
 *   stack and a remote state to the other: both fall back);
 * - no aspect and no custom synthesis anywhere in the app (they run between
 *   prepare and synthesize in CDKTF and may change elements), and JSON output
 *   (not `SYNTH_HCL_OUTPUT`): otherwise the whole app takes `app.synth()`.
 * Everything else `StackSynthesizer.synthesize` does is done the same way, in
 * the same order: resource-move validation, `runAllValidations`, the
 * manifest's stack entry and annotations, the error-annotation stop, the
 * app's validation, `manifest.json`. test/synth-memory.test.ts proves the
 * stacks byte-identical to `app.synth()`'s on the example, the fixtures and
 * generated configs.
 */
import { Construct, type IConstruct } from "constructs";
import { App, Aspects, cdktfInternals as cdktf, TerraformElement, TerraformOutput, TerraformStack } from "./cdk";

const CUSTOM_SYNTHESIS = Symbol.for("cdktf/customSynthesis");
const ANNOTATION_TYPES = ["@cdktf/info", "@cdktf/warn", "@cdktf/error"];

/** the parts of CDKTF's App and TerraformStack this reads that its types keep private */
interface AppInternals {
  readonly outdir: string;
  readonly skipValidation: boolean;
  readonly hclOutput: boolean;
  readonly manifest: {
    forStack(stack: TerraformStack): { synthesizedStackPath: string; annotations: unknown[] };
    writeToFile(): void;
  };
}
interface StackInternals {
  readonly rawOverrides: Record<string, unknown>;
  readonly cdktfVersion: string;
  readonly synthesizer: { continueOnErrorAnnotations?: boolean; hclOutput?: boolean };
  ensureBackendExists(): unknown;
  hasResourceMove(): boolean;
  runAllValidations(): void;
}

/** a synthesized stack: its name (the folder under stacks/) and its Terraform JSON */
export interface MemoryStack {
  readonly name: string;
  /** relative to the output folder, e.g. stacks/backup/cdk.tf.json */
  readonly file: string;
  readonly json: Record<string, unknown>;
}

/** the same walk as CDKTF's terraformElements: this stack's elements, not a nested stack's */
function elementsOf(node: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(node)) into.push(node);
  for (const child of node.node.children) if (!TerraformStack.isStack(child)) elementsOf(child, into);
  return into;
}

/** whether a construct needs CDKTF's own synth: aspects or custom synthesis may change elements after prepare */
const needsStockSynth = (c: IConstruct) => Aspects.of(c).all.length > 0 || (c as unknown as Record<symbol, unknown>)[CUSTOM_SYNTHESIS] !== undefined;

/**
 * Synthesize the app: manifest.json is written to the app's output folder as
 * CDKTF writes it, the stacks are returned (in the app's stack order), not
 * written. Undefined when the app needs CDKTF's own synth (then call
 * `app.synth()` and read the stacks from disk).
 */
export function synthInMemory(app: App): MemoryStack[] | undefined {
  const internals = app as unknown as AppInternals;
  if (internals.hclOutput) return undefined;
  const all = app.node.findAll();
  if (all.some(needsStockSynth)) return undefined;
  const stacks = all.filter(TerraformStack.isStack);
  if (stacks.some((s) => (s as unknown as StackInternals).synthesizer.hclOutput)) return undefined;
  // prepareStack, keeping what its resolve returns
  const prepared = new Map<TerraformStack, { elements: TerraformElement[]; fragments: unknown[] }>();
  for (const stack of stacks) {
    (stack as unknown as StackInternals).ensureBackendExists();
    const elements = elementsOf(stack);
    prepared.set(stack, { elements, fragments: elements.map((e) => resolve(stack, e.toTerraform(), true)) });
  }
  const out: MemoryStack[] = [];
  for (const stack of stacks) {
    const s = stack as unknown as StackInternals;
    if (s.hasResourceMove()) {
      stack.node.addValidation(
        new cdktf.ValidateTerraformVersion(
          ">=1.5",
          `Resource move functionality is only supported for Terraform >=1.5. Please upgrade your Terraform version.`,
        ),
      );
    }
    if (!internals.skipValidation) s.runAllValidations();
    const entry = internals.manifest.forStack(stack);
    const annotations = stack.node
      .findAll()
      .flatMap((node) =>
        node.node.metadata
          .filter((m) => ANNOTATION_TYPES.includes(m.type))
          .map((m) => ({ constructPath: node.node.path, level: m.type, message: m.data, stacktrace: m.trace })),
      );
    entry.annotations = annotations;
    const failed = annotations.filter((a) => a.level === "@cdktf/error");
    if (!s.synthesizer.continueOnErrorAnnotations && failed.length > 0) {
      throw cdktf.encounteredAnnotationWithLevelError(failed.map((a) => `[${a.constructPath}] ${a.message}`).join("\n"));
    }
    const before = prepared.get(stack)!;
    const now = elementsOf(stack);
    const same = now.length === before.elements.length && now.every((e, i) => e === before.elements[i]);
    const json = same ? assemble(stack, now, before.fragments) : (stack.toTerraform() as Record<string, unknown>);
    out.push({ name: stack.node.id, file: entry.synthesizedStackPath, json });
  }
  if (!internals.skipValidation) {
    const validations = app.node.validate();
    if (validations.length) throw cdktf.appValidationFailure(validations.join("\n  "));
  }
  internals.manifest.writeToFile();
  return out;
}

/** TerraformStack.toTerraform, with the elements' fragments already resolved */
function assemble(stack: TerraformStack, elements: TerraformElement[], fragments: unknown[]): Record<string, unknown> {
  const s = stack as unknown as StackInternals;
  const tf: Record<string, unknown> = {};
  const metadata = {
    version: s.cdktfVersion,
    stackName: stack.node.id,
    backend: "local",
    cloud: undefined,
    ...(Object.keys(s.rawOverrides).length > 0 ? { overrides: { stack: Object.keys(s.rawOverrides) } } : {}),
  };
  for (const meta of elements.map((e) => resolve(stack, e.toMetadata()))) cdktf.deepMerge(metadata, meta);
  const outputs = {};
  for (const item of elements) {
    if (!TerraformOutput.isTerraformOutput(item)) continue;
    cdktf.deepMerge(
      outputs,
      item.node.path
        .split("/")
        .reduceRight<Record<string, unknown>>((inner, part) => (Object.keys(inner).length === 0 ? { [part]: item.friendlyUniqueId } : { [part]: inner }), {}),
    );
  }
  tf["//"] = { metadata, outputs };
  for (const fragment of fragments) cdktf.deepMerge(tf, fragment);
  cdktf.deepMerge(tf, s.rawOverrides);
  return resolve(stack, tf) as Record<string, unknown>;
}

/**
 * CDKTF's resolve, walking plain data itself: a string, number, array or
 * object that cannot hold a token is copied as CDKTF's resolve copies it
 * (undefined dropped from objects and arrays); anything that may hold one
 * goes to CDKTF's resolve whole, from its own top. Tokens are marked
 * `${TfToken[`, `#{TfToken[` (lists), `&{TfToken[` (map keys), numbers
 * beyond 1e280 in magnitude (also when written into strings, hence `e+`),
 * and the map token values; `${` is also an escape CDKTF reads. Most of a
 * stack is plain text (policy documents, names), which CDKTF's resolve walks
 * with two new contexts per key.
 */
function resolve(scope: IConstruct, x: unknown, preparing = false): unknown {
  if (x === undefined || x === null) return x;
  if (typeof x === "string")
    return x.includes("{TfToken[") || x.includes("${") || x.includes("e+") || MAP_TOKEN_VALUES.has(x) ? cdktf.resolve(scope, x, preparing) : x;
  if (typeof x === "number") return mayBeToken(x) ? cdktf.resolve(scope, x, preparing) : x;
  if (typeof x !== "object" || x instanceof Date) return typeof x === "function" ? cdktf.resolve(scope, x, preparing) : x;
  if (Array.isArray(x)) {
    if (x.some((e) => (typeof e === "string" && e.includes("{TfToken[")) || (typeof e === "number" && mayBeToken(e))))
      return cdktf.resolve(scope, x, preparing);
    const out: unknown[] = [];
    for (const e of x) {
      const v = resolve(scope, e, preparing);
      if (v !== undefined) out.push(v);
    }
    return out;
  }
  if (typeof (x as { resolve?: unknown }).resolve === "function" || Construct.isConstruct(x)) return cdktf.resolve(scope, x, preparing);
  const keys = Object.keys(x);
  if (keys.some((k) => k.includes("{TfToken[") || k.includes("${") || k.includes("e+"))) return cdktf.resolve(scope, x, preparing);
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = resolve(scope, (x as Record<string, unknown>)[k], preparing);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

const MAP_TOKEN_VALUES = new Set(["String Map Token Value", "Any Map Token Value"]);
/** token numbers are below -1e280; -123456789 is the number map token */
const mayBeToken = (n: number) => n === -123456789 || !(Math.abs(n) < 1e280);
