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

function readStack(file: string): Resources | undefined {
  if (!fs.existsSync(file)) return undefined;
  return (JSON.parse(fs.readFileSync(file, "utf8")).resource ?? {}) as Resources;
}

/** what would be lost going from the stacks in `previousDir` to those in `nextDir` (both `<outdir>/stacks`) */
export function compareStacks(previousDir: string, nextDir: string): GuardFinding[] {
  if (!fs.existsSync(previousDir)) return [];
  const findings: GuardFinding[] = [];
  for (const stack of fs.readdirSync(previousDir).sort()) {
    const before = readStack(path.join(previousDir, stack, "cdk.tf.json"));
    if (!before) continue;
    const after = readStack(path.join(nextDir, stack, "cdk.tf.json")) ?? {};
    for (const [type, forcing] of Object.entries(GUARDED)) {
      for (const [name, old] of Object.entries(before[type] ?? {})) {
        const address = `${type}.${name}`;
        const now = after[type]?.[name];
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
  return findings;
}
