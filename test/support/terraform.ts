/**
 * Runs the real terraform CLI on synthesized stacks, offline. Required: when
 * terraform is missing, these tests fail and say how to install it.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { tempDir } from "./temp";

/** environment variable naming a filesystem mirror holding registry.terraform.io/hashicorp/aws/5.100.0 */
export const MIRROR_ENV = "SNOWPLOW_IAC_TF_MIRROR";
const PROVIDER_DIR = path.join("registry.terraform.io", "hashicorp", "aws", "5.100.0");

let found = false;

/** "terraform", once it is known to run (checked once per test file: each check was a process) */
export function terraformBinary(): string {
  if (found) return "terraform";
  const r = spawnSync("terraform", ["version"], { encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  if (r.error || r.status !== 0) {
    throw new Error(
      "terraform is not installed or not on PATH. These tests need the real terraform CLI (>= 1.10): " +
        "install it from https://developer.hashicorp.com/terraform/install (or your package manager) and run the tests again.",
    );
  }
  found = true;
  return "terraform";
}

/** the provider mirror: $SNOWPLOW_IAC_TF_MIRROR, else a well-known plugin folder that holds aws 5.100.0, else none (public registry) */
export function findProviderMirror(): string | undefined {
  const fromEnv = process.env[MIRROR_ENV];
  if (fromEnv) {
    if (!fs.existsSync(path.join(fromEnv, PROVIDER_DIR))) {
      throw new Error(`${MIRROR_ENV}=${fromEnv} does not hold ${PROVIDER_DIR}`);
    }
    return fromEnv;
  }
  const home = os.homedir();
  const candidates = [
    "/opt/tf-plugins",
    path.join(home, ".terraform.d", "plugins"),
    path.join(home, ".local", "share", "terraform", "plugins"),
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
  ];
  return candidates.find((dir) => fs.existsSync(path.join(dir, PROVIDER_DIR)));
}

let cachedEnv: NodeJS.ProcessEnv | undefined;

/** environment for terraform: CLI config with the mirror, a shared plugin cache, no telemetry */
export function terraformEnv(): NodeJS.ProcessEnv {
  if (cachedEnv) return cachedEnv;
  const base = path.join(os.tmpdir(), "snowplow-iac-terraform");
  const cache = path.join(base, "plugin-cache");
  fs.mkdirSync(cache, { recursive: true });
  const cli = path.join(base, "cli.tfrc");
  const mirror = findProviderMirror();
  fs.writeFileSync(
    cli,
    mirror
      ? `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`
      : "",
  );
  // With a mirror, terraform links the mirror's unpacked provider into each .terraform (no copy, no
  // cache): a shared plugin cache would only add a race, as terraform re-installs into the cache on
  // init and two jest workers then remove each other's provider binary while it runs.
  cachedEnv = { ...process.env, TF_CLI_CONFIG_FILE: cli, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" };
  if (!mirror) {
    cachedEnv.TF_PLUGIN_CACHE_DIR = cache;
    warmProviderCache(base, cache, cachedEnv);
  }
  return cachedEnv;
}

/**
 * Fill the shared plugin cache once, under a lock. Terraform's plugin cache is
 * not safe for concurrent first installs: two `terraform init` processes (jest
 * runs two workers) that both find it empty can remove each other's copy.
 */
function warmProviderCache(base: string, cache: string, env: NodeJS.ProcessEnv): void {
  const installed = path.join(cache, "registry.terraform.io", "hashicorp", "aws", "5.100.0");
  const ready = () => fs.existsSync(installed) && fs.readdirSync(installed).some((platform) => fs.readdirSync(path.join(installed, platform)).length > 0);
  if (ready()) return;
  const lock = path.join(base, "cache.lock");
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // another process fills the cache; a lock older than the deadline is stale
      if (ready()) return;
      if (Date.now() > deadline) fs.rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    if (ready()) return;
    fs.rmSync(installed, { recursive: true, force: true });
    const dir = tempDir("warm");
    try {
      fs.writeFileSync(path.join(dir, "main.tf"), 'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws", version = "5.100.0" }\n  }\n}\n');
      const r = spawnSync("terraform", ["init", "-input=false", "-backend=false", "-no-color"], { cwd: dir, env, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`terraform init (filling the plugin cache) failed:\n${r.stdout}\n${r.stderr}`);
    } finally {
      // the scripts that use this run outside jest, where no test file's end removes it
      fs.rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** offline settings, added only by tests, never part of the synthesized stacks */
export const OFFLINE_OVERRIDE = {
  provider: {
    aws: {
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      access_key: "offline-test",
      secret_key: "offline-test",
      // turns the stack's assume_role off (an empty block list would not)
      assume_role: [{ role_arn: "" }],
      // the account cannot be checked offline
      allowed_account_ids: null,
    },
  },
};

/**
 * OFFLINE_OVERRIDE for one stack: data sources that read real tables (the
 * point-in-time recovery checks) get `count = 0`, as they cannot be read
 * offline; their postconditions are tested under `terraform test` with mocks.
 */
export function offlineOverride(stackDir: string): Record<string, unknown> {
  const stack = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
  const data: Record<string, Record<string, { count: number }>> = {};
  for (const [type, blocks] of Object.entries<Record<string, unknown>>(stack.data ?? {})) {
    // another stack's state is a file here: read offline as it is
    if (type === "terraform_remote_state") continue;
    data[type] = Object.fromEntries(Object.keys(blocks).map((name) => [name, { count: 0 }]));
  }
  return Object.keys(data).length > 0 ? { ...OFFLINE_OVERRIDE, data } : OFFLINE_OVERRIDE;
}

/** run terraform `test` in a folder, returning its exit status and output (failures are results here, not errors) */
export function tfTest(dir: string, args: string[] = []): { status: number; output: string } {
  const bin = terraformBinary();
  const r = spawnSync(bin, ["test", "-no-color", ...args], { cwd: dir, env: terraformEnv(), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status ?? 1, output: `${r.stdout}\n${r.stderr}` };
}

export function tf(dir: string, args: string[]): string {
  const bin = terraformBinary();
  const r = spawnSync(bin, [...args, "-no-color"], { cwd: dir, env: terraformEnv(), encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`terraform ${args.join(" ")} failed in ${dir}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export interface PlannedStack {
  readonly dir: string;
  readonly plan: any;
}

/**
 * init and plan a stack folder offline; returns `terraform show -json` of the plan. No separate
 * `terraform validate`: plan validates the configuration first and fails on what validate reports
 * as an error, and each terraform command that loads the AWS provider's schema costs about 2.5 s.
 */
export function initAndPlan(stackDir: string): PlannedStack {
  fs.writeFileSync(path.join(stackDir, "offline_override.tf.json"), JSON.stringify(offlineOverride(stackDir)));
  tf(stackDir, ["init", "-input=false"]);
  tf(stackDir, ["plan", "-input=false", "-refresh=false", "-lock=false", "-out=plan.bin"]);
  const plan = JSON.parse(tf(stackDir, ["show", "-json", "plan.bin"]));
  return { dir: stackDir, plan };
}

/** resource changes of a plan: address -> actions */
export function changes(plan: any): Record<string, string[]> {
  return Object.fromEntries((plan.resource_changes ?? []).map((c: any) => [c.address, c.change.actions]));
}

export interface StateResource {
  readonly type: string;
  readonly name: string;
  readonly attributes: Record<string, unknown>;
}

/**
 * Plan a stack against a prior state that holds the given resources, as if
 * they had been applied: a local state file written by the test (the offline
 * override also points the backend at it). Returns the plan's exit status and output.
 */
export function planAgainstState(stackDir: string, resources: readonly StateResource[]): { status: number; output: string } {
  const state = {
    version: 4,
    terraform_version: "1.11.4",
    serial: 1,
    lineage: "00000000-0000-4000-8000-000000000000",
    outputs: {},
    resources: resources.map((r) => ({
      mode: "managed",
      type: r.type,
      name: r.name,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ schema_version: 0, attributes: r.attributes, sensitive_attributes: [] }],
    })),
  };
  initWithState(stackDir, state);
  const bin = terraformBinary();
  const r = spawnSync(bin, ["plan", "-input=false", "-refresh=false", "-lock=false", "-no-color"], {
    cwd: stackDir,
    env: terraformEnv(),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status ?? 1, output: `${r.stdout}\n${r.stderr}` };
}

/** run terraform asynchronously (for running module tests side by side); resolves with status and output */
export function tfAsync(dir: string, args: string[]): Promise<{ status: number; output: string }> {
  const bin = terraformBinary();
  return new Promise((resolve) => {
    const child = spawn(bin, [...args, "-no-color"], { cwd: dir, env: terraformEnv() });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (code) => resolve({ status: code ?? 1, output }));
  });
}

/** run tasks with at most `limit` at a time (the synth's own pool) */
export { pool } from "../../modules/private/pool";

/**
 * resource type -> schema version of hashicorp/aws, from `terraform providers schema -json` (5 s: the
 * provider's whole schema). Kept per worker, and on disk beside the CLI config for the next test
 * files, under a name made of the terraform version and the folder's lock file (the provider
 * package's hashes): another terraform or provider is another file.
 */
let schemaVersions: Record<string, number> | undefined;
function resourceSchemaVersions(initialisedDir: string): Record<string, number> {
  if (schemaVersions) return schemaVersions;
  const lock = fs.readFileSync(path.join(initialisedDir, ".terraform.lock.hcl"), "utf8");
  const key = createHash("sha256")
    .update(tf(initialisedDir, ["version", "-json"]))
    .update(lock)
    .digest("hex")
    .slice(0, 16);
  const file = path.join(os.tmpdir(), "snowplow-iac-terraform", `schema-versions-${key}.json`);
  try {
    schemaVersions = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, number>;
    return schemaVersions;
  } catch {
    // not there yet (or torn by a crash): read the schema
  }
  const schema = JSON.parse(tf(initialisedDir, ["providers", "schema", "-json"]));
  const aws = schema.provider_schemas["registry.terraform.io/hashicorp/aws"].resource_schemas;
  schemaVersions = Object.fromEntries(Object.entries<any>(aws).map(([type, s]) => [type, s.version ?? 0])) as Record<string, number>;
  // written whole, then renamed: a reader never sees half a file
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const part = `${file}.${process.pid}`;
  fs.writeFileSync(part, JSON.stringify(schemaVersions));
  fs.renameSync(part, file);
  return schemaVersions;
}

/**
 * A state as if a plan had been applied: each planned resource with its
 * planned values, plus ids and ARNs for what only AWS would know, and
 * references between resources resolved from the plan's configuration.
 */
export function stateFromPlan(plan: any, initialisedDir: string): object {
  const versions = resourceSchemaVersions(initialisedDir);
  const planned: any[] = plan.planned_values?.root_module?.resources ?? [];
  const config: any[] = plan.configuration?.root_module?.resources ?? [];
  const values = new Map<string, Record<string, any>>();
  for (const r of planned) {
    const v: Record<string, any> = { ...r.values };
    const name = v.name ?? v.bucket ?? v.email ?? r.name;
    v.id ??= typeof name === "string" ? name : r.address;
    v.arn ??= `arn:aws:${r.type.replace(/^aws_/, "").split("_")[0]}:::${r.name}`;
    values.set(r.address, v);
  }
  // computed lists AWS fills in (a role's managed_policy_arns): empty, as after an apply with nothing else attached
  for (const r of planned) {
    const v = values.get(r.address)!;
    for (const attr of ["managed_policy_arns", "inline_policy"]) if (r.type === "aws_iam_role" && v[attr] == null) v[attr] = [];
  }
  // nested attributes unknown at plan time that point at other resources (an encryption rule's kms_master_key_id)
  const fillNested = (value: any, expr: any): void => {
    if (!value || !expr || typeof expr !== "object") return;
    if (Array.isArray(expr)) {
      expr.forEach((e, i) => fillNested(Array.isArray(value) ? value[i] : undefined, e));
      return;
    }
    for (const [k, e] of Object.entries<any>(expr)) {
      if (e && Array.isArray(e.references) && value[k] == null) {
        const ref = e.references.find((x: string) => x.split(".").length === 3);
        if (!ref) continue;
        const [t, n, a] = ref.split(".");
        const target = values.get(`${t}.${n}`);
        if (target) value[k] = target[a] ?? target.id;
      } else if (e && typeof e === "object" && !Array.isArray(e.references)) fillNested(value[k], e);
    }
  };
  // attributes unknown at plan time that point at other resources (policy_arn = aws_iam_policy.x.arn)
  for (const c of config) {
    const v = values.get(c.address);
    if (!v) continue;
    for (const [attr, expr] of Object.entries<any>(c.expressions ?? {})) {
      if (Array.isArray(expr) || (expr && typeof expr === "object" && !Array.isArray(expr.references) && !("constant_value" in expr))) {
        fillNested(v[attr], expr);
        continue;
      }
      const ref: string | undefined = expr?.references?.find((x: string) => x.split(".").length === 3);
      if (v[attr] !== undefined && v[attr] !== null) {
        // the referenced attribute must exist in the target's state too, or the next plan reads null
        if (ref) {
          const [t, n, a] = ref.split(".");
          const target = values.get(`${t}.${n}`);
          if (target) target[a] ??= v[attr];
        }
        continue;
      }
      if (!ref) continue;
      const [type, name, refAttr] = ref.split(".");
      const target = values.get(`${type}.${name}`);
      // what AWS would have filled in (a KMS key's key_id, ...): the target's id stands in, on both sides
      if (target) {
        target[refAttr] ??= target.id;
        v[attr] = target[refAttr];
      }
    }
  }
  return {
    version: 4,
    terraform_version: "1.11.4",
    serial: 1,
    lineage: "00000000-0000-4000-8000-000000000001",
    outputs: {},
    resources: planned.map((r) => ({
      mode: "managed",
      type: r.type,
      name: r.name,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ schema_version: versions[r.type] ?? 0, attributes: values.get(r.address), sensitive_attributes: [] }],
    })),
  };
}

/**
 * planFromState in two steps, so that plans can run side by side: prepare
 * (state, override, init: sequential, as the shared plugin cache is not safe
 * for concurrent installs), then plan (async).
 */
export function preparePlanFromState(stackDir: string, state: object): () => Promise<any> {
  initWithState(stackDir, state);
  return async () => {
    const plan = await tfAsync(stackDir, ["plan", "-input=false", "-refresh=false", "-lock=false", "-out=plan.bin"]);
    if (plan.status !== 0) throw new Error(`terraform plan failed in ${stackDir}:\n${plan.output}`);
    const show = await tfAsync(stackDir, ["show", "-json", "plan.bin"]);
    return JSON.parse(show.output);
  };
}

/** the offline override with a local backend on a state the test writes, and init: before planning against a prior state */
function initWithState(stackDir: string, state: object): void {
  const override = { ...offlineOverride(stackDir), terraform: { backend: { local: { path: "prior.tfstate" } } } };
  fs.writeFileSync(path.join(stackDir, "offline_override.tf.json"), JSON.stringify(override));
  fs.writeFileSync(path.join(stackDir, "prior.tfstate"), JSON.stringify(state));
  tf(stackDir, ["init", "-input=false", "-reconfigure"]);
}

export interface TogetherEntry {
  /** the module's name in the shared root: letters, digits, _ */
  readonly name: string;
  /** the stack folder */
  readonly dir: string;
  /** a prior state for the stack, as stateFromPlan builds it (its resources at the root) */
  readonly state?: { resources: any[] };
}

/**
 * Plan several stack folders in one terraform root, each called as a module: one init, one plan
 * and one show for all of them, where each folder alone takes its own three (each terraform
 * command that loads the AWS provider's schema costs about 2.5 s here; each module's provider
 * block still starts its own provider process). Terraform ignores a child module's backend block,
 * with a warning. The root sits beside the first stack folder, so relative paths (local state of
 * other stacks) resolve as from a stack folder; a stack of another output folder that reads
 * remote state is refused rather than pointed at the wrong files. Returns each entry's plan shaped
 * as if its folder had been planned alone (splitPlan).
 */
export async function planTogether(entries: readonly TogetherEntry[]): Promise<Record<string, PlannedStack>> {
  if (entries.length === 0) return {};
  const root = fs.mkdtempSync(path.join(path.dirname(entries[0].dir), "_together-"));
  const modules: Record<string, { source: string }> = {};
  const resources: any[] = [];
  for (const e of entries) {
    if (!/^[a-z][a-z0-9_]*$/.test(e.name) || modules[e.name]) throw new Error(`planTogether: bad or repeated module name ${e.name}`);
    const stack = JSON.parse(fs.readFileSync(path.join(e.dir, "cdk.tf.json"), "utf8"));
    if (stack.data?.terraform_remote_state && path.dirname(e.dir) !== path.dirname(entries[0].dir)) {
      throw new Error(`planTogether: ${e.dir} reads remote state relative to its own output folder; plan it with entries of that folder only`);
    }
    fs.writeFileSync(path.join(e.dir, "offline_override.tf.json"), JSON.stringify(offlineOverride(e.dir)));
    modules[e.name] = { source: `./${path.relative(root, e.dir).split(path.sep).join("/")}`.replace(/^\.\/\.\.\//, "../") };
    for (const r of e.state?.resources ?? [])
      resources.push({ ...r, module: `module.${e.name}`, provider: `module.${e.name}.provider["registry.terraform.io/hashicorp/aws"]` });
  }
  fs.writeFileSync(path.join(root, "main.tf.json"), JSON.stringify({ module: modules }, null, 2));
  if (resources.length > 0) {
    fs.writeFileSync(
      path.join(root, "terraform.tfstate"),
      JSON.stringify({ version: 4, terraform_version: "1.11.4", serial: 1, lineage: "00000000-0000-4000-8000-000000000002", outputs: {}, resources }),
    );
  }
  for (const args of [
    ["init", "-input=false"],
    ["plan", "-input=false", "-refresh=false", "-lock=false", "-out=plan.bin"],
  ]) {
    const r = await tfAsync(root, args);
    if (r.status !== 0) throw new Error(`terraform ${args[0]} failed in ${root}:\n${r.output}`);
  }
  const show = await tfAsync(root, ["show", "-json", "plan.bin"]);
  if (show.status !== 0) throw new Error(`terraform show failed in ${root}:\n${show.output}`);
  const plan = JSON.parse(show.output);
  return Object.fromEntries(entries.map((e) => [e.name, { dir: root, plan: splitPlan(plan, e.name) }]));
}

/**
 * One module's part of a plan, shaped as the plan of that module's folder alone: resource changes,
 * planned values, prior state and configuration, with the `module.<name>.` prefix taken off.
 */
export function splitPlan(plan: any, name: string): any {
  const prefix = `module.${name}.`;
  const strip = (a: string) => (a.startsWith(prefix) ? a.slice(prefix.length) : a);
  const mine = (c: any) => c.module_address === `module.${name}`;
  const change = ({ module_address: _m, ...c }: any) => ({
    ...c,
    address: strip(c.address),
    ...(c.previous_address ? { previous_address: strip(c.previous_address) } : {}),
  });
  const rootOf = (mod: any) => {
    const m = (mod?.child_modules ?? []).find((x: any) => x.address === `module.${name}`);
    return { resources: (m?.resources ?? []).map(({ module_address: _m, ...r }: any) => ({ ...r, address: strip(r.address) })) };
  };
  return {
    ...plan,
    resource_changes: (plan.resource_changes ?? []).filter(mine).map(change),
    resource_drift: (plan.resource_drift ?? []).filter(mine).map(change),
    relevant_attributes: (plan.relevant_attributes ?? [])
      .filter((r: any) => r.resource.startsWith(prefix))
      .map((r: any) => ({ ...r, resource: strip(r.resource) })),
    planned_values: { ...plan.planned_values, outputs: undefined, root_module: rootOf(plan.planned_values?.root_module) },
    ...(plan.prior_state
      ? { prior_state: { ...plan.prior_state, values: { ...plan.prior_state.values, root_module: rootOf(plan.prior_state.values?.root_module) } } }
      : {}),
    configuration: { ...plan.configuration, root_module: plan.configuration?.root_module?.module_calls?.[name]?.module ?? {} },
  };
}

/**
 * Several `terraform test` files of one folder in one run (one provider schema load, not one per
 * file): writes tests/<name>.tftest.hcl for each, runs `terraform test -json`, and returns each
 * file's messages and diagnostics (terraform tags each with its file) and its verdict.
 */
export function tfTestFiles(
  dir: string,
  files: Record<string, string>,
): { status: number; output: string; byFile: Record<string, { passed: boolean; text: string }> } {
  fs.mkdirSync(path.join(dir, "tests"), { recursive: true });
  for (const [name, hcl] of Object.entries(files)) fs.writeFileSync(path.join(dir, "tests", `${name}.tftest.hcl`), hcl);
  const all = tfTest(dir, ["-json"]);
  const byFile: Record<string, { passed: boolean; text: string }> = Object.fromEntries(Object.keys(files).map((n) => [n, { passed: false, text: "" }]));
  for (const line of all.output.split("\n")) {
    if (!line.startsWith("{")) continue;
    const m = JSON.parse(line) as {
      "@testfile"?: string;
      "@message": string;
      diagnostic?: { summary: string; detail?: string };
      test_file?: { progress: string; status?: string };
    };
    const name = /^tests\/(.+)\.tftest\.hcl$/.exec(m["@testfile"] ?? "")?.[1];
    if (name === undefined || !byFile[name]) continue;
    byFile[name].text += `${m["@message"]}\n${m.diagnostic ? `${m.diagnostic.summary}: ${m.diagnostic.detail ?? ""}\n` : ""}`;
    if (m.test_file?.progress === "complete") byFile[name].passed = m.test_file.status === "pass";
  }
  return { ...all, byFile };
}
