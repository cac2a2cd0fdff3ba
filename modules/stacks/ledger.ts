/**
 * The data ledger: what holds data, remembered across synths, so a resource
 * that leaves the configuration is forgotten by Terraform instead of
 * destroyed. `prevent_destroy` stops a replacement at plan time, but not a
 * removal: when a resource block leaves the config its lifecycle goes with
 * it. So every synth records the data-bearing resources it emits in
 * `snowplow-iac.data.json` (in the project folder; commit it), one section
 * per config file, and when one of them is no longer emitted, its stack gets
 * a Terraform `removed { from = ...; lifecycle { destroy = false } }` block:
 * the plan shows it leaving state, the data stays in AWS.
 *
 * A deliberate destroy or replacement is a config switch per resource,
 * `dataSafety.destroy: ["<stack>:<name>"]` (the bucket, table or account
 * e-mail, or the Terraform address): that resource loses `prevent_destroy`
 * and, when it leaves, gets no `removed` block.
 *
 * The ledger never stops a synth: the hard stops are `prevent_destroy` and
 * the plan review, which judge against the real state.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const LEDGER_FILE = "snowplow-iac.data.json";

/** resource types that hold data (hashicorp/aws 5.100) and the attribute that names each */
export const DATA_BEARING: Readonly<Record<string, string>> = {
  aws_organizations_account: "email",
  aws_s3_bucket: "bucket",
  aws_s3_bucket_versioning: "bucket",
  aws_s3_bucket_server_side_encryption_configuration: "bucket",
  aws_s3_bucket_policy: "bucket",
  aws_kms_key: "description",
  aws_dynamodb_table: "name",
};

export type StackJson = { resource?: Record<string, Record<string, Record<string, unknown>>>; removed?: unknown[] } & Record<string, unknown>;

/** per stack, address -> the name users know it by */
export type DataResources = Record<string, Record<string, string>>;

export interface LedgerSection {
  /** what the last synth of this config emitted */
  readonly managed: DataResources;
  /** what left the config and is forgotten through removed blocks */
  readonly forgotten: DataResources;
}

interface LedgerFile {
  readonly $comment: string;
  readonly configs: Record<string, LedgerSection>;
}

const COMMENT =
  "Resources that hold data, per config file, written by every synth (snowplow-aws-iac). Commit this file: a resource that leaves the config is forgotten by Terraform (a removed block) instead of destroyed.";

export function dataResources(stack: StackJson): Record<string, string> {
  const out: Record<string, string> = {};
  const literal = (type: string, name: string): string | undefined => {
    const v = stack.resource?.[type]?.[name]?.[DATA_BEARING[type]];
    return typeof v === "string" && !v.includes("${") ? v : undefined;
  };
  for (const [type, attr] of Object.entries(DATA_BEARING)) {
    const group = stack.resource?.[type];
    if (group === null || typeof group !== "object") continue;
    for (const [name, r] of Object.entries(group)) {
      if (r === null || typeof r !== "object") continue;
      const v = r[attr];
      // a bucket's settings name their bucket by reference: show the bucket's name and what they are
      const ref = typeof v === "string" ? /^\$\{(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.(?:id|bucket)\}$/.exec(v) : null;
      const target = ref ? literal(ref[1], ref[2]) : undefined;
      const what = type.replace(/^aws_s3_bucket_/, "").replace(/_/g, " ");
      out[`${type}.${name}`] = target !== undefined ? `${target} (${what})` : (literal(type, name) ?? name);
    }
  }
  return out;
}

export function readLedger(projectDir: string, notice?: (m: string) => void): LedgerFile {
  const file = path.join(projectDir, LEDGER_FILE);
  const empty: LedgerFile = { $comment: COMMENT, configs: {} };
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return empty;
  }
  try {
    const parsed = JSON.parse(text) as LedgerFile;
    if (parsed === null || typeof parsed !== "object" || typeof parsed.configs !== "object" || parsed.configs === null) throw new Error("shape");
    return parsed;
  } catch {
    notice?.(`${LEDGER_FILE} is not readable (a merge conflict?): starting it afresh; resources that left the config before are not remembered`);
    return empty;
  }
}

/** the deterministic text of a ledger: sorted keys, two-space indent */
function render(l: LedgerFile): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v !== null && typeof v === "object"
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  return `${JSON.stringify({ $comment: COMMENT, configs: sort(l.configs) }, null, 2)}\n`;
}

export function writeLedger(projectDir: string, l: LedgerFile): void {
  const file = path.join(projectDir, LEDGER_FILE);
  const text = render(l);
  try {
    if (fs.readFileSync(file, "utf8") === text) return;
  } catch {
    // new file
  }
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

export interface Plan {
  /** per stack, addresses to forget (removed blocks) */
  readonly removed: Record<string, string[]>;
  /** per stack, addresses whose prevent_destroy is lifted (dataSafety.destroy) */
  readonly unguarded: Record<string, string[]>;
  /** the section to record after the switch */
  readonly next: LedgerSection;
  readonly notices: string[];
}

/**
 * What this synth does about data that left: `current` is what the new
 * synth emits per stack; `destroy` the config's dataSafety.destroy entries.
 */
export function planRetention(
  previous: LedgerSection | undefined,
  current: DataResources,
  destroy: readonly string[],
  /** what to record as managed @default current */
  record: DataResources = current,
): Plan {
  // a bucket named there covers its settings too ("<bucket> (versioning)"): they are replaced with it
  const allowed = (stack: string, address: string, id: string) =>
    destroy.some(
      (d) => d === `${stack}:${address}` || d === `${stack}:${id}` || (id.startsWith(`${d.slice(stack.length + 1)} (`) && d.startsWith(`${stack}:`)),
    );
  const removed: Record<string, string[]> = {};
  const unguarded: Record<string, string[]> = {};
  const forgotten: DataResources = {};
  const notices: string[] = [];
  for (const [stack, byAddress] of Object.entries(current)) {
    for (const [address, id] of Object.entries(byAddress)) if (allowed(stack, address, id)) (unguarded[stack] ??= []).push(address);
  }
  const before: DataResources = {};
  for (const part of [previous?.forgotten ?? {}, previous?.managed ?? {}]) {
    for (const [stack, byAddress] of Object.entries(part)) Object.assign((before[stack] ??= {}), byAddress);
  }
  const gone: Record<string, string[]> = {};
  for (const [stack, byAddress] of Object.entries(before)) {
    for (const [address, id] of Object.entries(byAddress).sort()) {
      if (current[stack]?.[address] !== undefined) continue;
      const wasManaged = previous?.managed[stack]?.[address] !== undefined;
      if (allowed(stack, address, id)) {
        if (wasManaged) notices.push(`${stack}: ${address} (${id}) leaves the config and dataSafety.destroy names it: Terraform will DESTROY it`);
        continue;
      }
      if (current[stack] === undefined) {
        // the whole stack left: no block can be emitted where nothing is planned
        if (wasManaged) (gone[stack] ??= []).push(`${address} (${id})`);
        (forgotten[stack] ??= {})[address] = id;
        continue;
      }
      (removed[stack] ??= []).push(address);
      (forgotten[stack] ??= {})[address] = id;
      if (wasManaged)
        notices.push(`${stack}: ${address} (${id}) leaves the config: where it exists, Terraform forgets it (a removed block) and the data stays in AWS`);
    }
  }
  for (const [stack, list] of Object.entries(gone)) {
    notices.push(
      `stack ${stack} left the config while it held data (${list.join(", ")}): its resources stay in AWS and in its state; to retire it, see the README ("Retiring a source account")`,
    );
  }
  return { removed, unguarded, next: { managed: record, forgotten }, notices };
}

/** add removed blocks and lift prevent_destroy in a synthesized stack (in memory); true when it changed */
export function applyRetention(stack: StackJson, removed: readonly string[], unguarded: readonly string[]): boolean {
  if (removed.length === 0 && unguarded.length === 0) return false;
  if (removed.length > 0) {
    stack.removed = [...(stack.removed ?? []), ...[...removed].sort().map((from) => ({ from, lifecycle: { destroy: false } }))];
  }
  for (const address of unguarded) {
    const dot = address.indexOf(".");
    const r = stack.resource?.[address.slice(0, dot)]?.[address.slice(dot + 1)] as { lifecycle?: Record<string, unknown> } | undefined;
    if (r?.lifecycle) r.lifecycle = { ...r.lifecycle, prevent_destroy: false };
  }
  return true;
}
