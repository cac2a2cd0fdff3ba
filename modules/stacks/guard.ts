/**
 * The data guard: before a new synth replaces the previous one in the output
 * folder, compare the two. Resources that hold data (the member account, the
 * backup bucket and its settings and key, DynamoDB tables) must not disappear
 * or change an attribute that forces replacement. `prevent_destroy` stops a
 * replacement at plan time, but not a removal: when a resource block leaves
 * the config, its lifecycle goes with it, and Terraform destroys it. This
 * check catches both before anything is written.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** resource types that hold data, and their attributes whose change forces replacement (hashicorp/aws 5.100) */
export const GUARDED: Readonly<Record<string, readonly string[]>> = {
  aws_organizations_account: ["iam_user_access_to_billing", "email"],
  aws_s3_bucket: ["bucket"],
  aws_s3_bucket_versioning: [],
  aws_s3_bucket_server_side_encryption_configuration: [],
  aws_s3_bucket_policy: [],
  aws_kms_key: [],
  aws_dynamodb_table: ["name", "hash_key", "range_key"],
};

export interface GuardFinding {
  readonly stack: string;
  readonly address: string;
  readonly message: string;
}

export class DataGuardError extends Error {
  constructor(readonly findings: readonly GuardFinding[]) {
    super(`${findings.length} change${findings.length === 1 ? "" : "s"} would destroy or replace a resource that holds data`);
    this.name = "DataGuardError";
  }

  lines(): string[] {
    return [
      `error: ${this.message}; nothing was written`,
      ...this.findings.map((f) => `  - ${f.stack}: ${f.address} ${f.message}`),
      "  If this is intended (the data is moved or no longer needed), synth again with --allow-data-loss",
      "  (or SNOWPLOW_IAC_ALLOW_DATA_LOSS=1);",
      "  to rename a resource without replacing it, keep its name and add a moved block instead.",
    ];
  }
}

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** a stack's resources; undefined when absent, "unreadable" when it is not JSON (a truncated file) */
function readStack(file: string): Resources | undefined | "unreadable" {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as { resource?: unknown } | null;
    const r = parsed?.resource ?? {};
    return r !== null && typeof r === "object" ? (r as Resources) : "unreadable";
  } catch {
    return "unreadable";
  }
}

/** what would be lost going from the stacks in `previousDir` to those in `nextDir` (both `<outdir>/stacks`) */
export function compareStacks(previousDir: string, nextDir: string): { findings: GuardFinding[]; unreadable: string[] } {
  const findings: GuardFinding[] = [];
  const unreadable: string[] = [];
  let stacks: string[];
  try {
    stacks = fs.readdirSync(previousDir).sort();
  } catch {
    return { findings, unreadable };
  }
  for (const stack of stacks) {
    const before = readStack(path.join(previousDir, stack, "cdk.tf.json"));
    if (before === "unreadable") unreadable.push(`stacks/${stack}/cdk.tf.json`);
    if (before === undefined || before === "unreadable") continue;
    const next = readStack(path.join(nextDir, stack, "cdk.tf.json"));
    const after = next === undefined || next === "unreadable" ? {} : next;
    for (const [type, forcing] of Object.entries(GUARDED)) {
      const group = before[type];
      if (group === null || typeof group !== "object") continue;
      for (const [name, old] of Object.entries(group)) {
        if (old === null || typeof old !== "object") continue;
        const address = `${type}.${name}`;
        const now = (after[type] as Record<string, Record<string, unknown>> | undefined)?.[name];
        if (now === undefined) {
          const what = old.bucket ?? old.name ?? old.email ?? name;
          findings.push({ stack, address, message: `(${String(what)}) is no longer in the config: Terraform would destroy it` });
          continue;
        }
        for (const attr of forcing) {
          if (JSON.stringify(old[attr]) !== JSON.stringify(now[attr])) {
            findings.push({ stack, address, message: `changes ${attr} from ${JSON.stringify(old[attr])} to ${JSON.stringify(now[attr])}, which replaces it` });
          }
        }
      }
    }
  }
  return { findings, unreadable };
}
