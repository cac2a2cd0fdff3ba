/**
 * The differential property test (issue #19): a seeded generator of valid
 * configs across the schema, and the effective grants of both generators
 * (the CDKTF synth and the vendored HCL modules, planned by terraform) per
 * principal: identity policies (attached and inline), trust policies, bucket,
 * key and service control policies, each statement broken into
 * (effect, principal, action, resource, conditions) tuples, so that grouping,
 * Sids and order do not matter and every grant does.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { validateConfig } from "../../modules/config/load";
import { partitionOf } from "../../modules/config/rules";
import type { Config } from "../../modules/config/schema";
import { moduleCalls, renderModuleCall, vendorFiles, writeVendor } from "../../modules/vendor/vendor";
import { mulberry32 } from "./random";
import { parsePolicy, synthStacks, type StackJson } from "./synth";
import { OFFLINE_OVERRIDE, tf } from "./terraform";

/** choices from a seed: the same seed, the same configs */
export function random(seed: number) {
  const next = mulberry32(seed);
  const int = (n: number) => Math.floor(next() * n);
  return {
    int,
    bool: (p = 0.5) => next() < p,
    pick: <T>(xs: readonly T[]): T => xs[int(xs.length)],
    some: <T>(xs: readonly T[]): T[] => xs.filter(() => next() < 0.5),
  };
}

const REGIONS = [
  ["eu-west-1", "us-east-1"],
  ["us-east-2", "eu-central-1"],
  ["cn-north-1", "cn-northwest-1"],
  ["us-gov-west-1", "us-gov-east-1"],
] as const;

/** one valid config input from a seed, covering flows, phases, levels, partitions, paths, boundaries, app shapes, Spark, encryption, sources and admit modes */
export function generateInput(seed: number): Record<string, unknown> {
  const r = random(seed);
  const [region, other] = r.pick(REGIONS);
  const p = partitionOf(region);
  const company = r.pick(["acme", "globex", "initech", "umbrella"]);
  const snowplowId = "444455556666";
  const path_ = r.pick(["/", "/snowplow/", "/data/snowplow/"]);
  const flow = r.pick(["batch", "real-time", "both"] as const);
  const streams = Array.from({ length: flow === "batch" ? 0 : r.int(4) + 1 }, (_, i) => ({
    name: `${company}-stream-${i}`,
    ...(r.bool(0.3) ? { kmsKeyArn: `arn:${p}:kms:${region}:${snowplowId}:key/1234abcd-12ab-34cd-56ef-12345678900${i}` } : {}),
  }));
  const names = streams.map((s) => s.name);
  const applications =
    flow === "batch" || names.length === 0
      ? []
      : Array.from({ length: r.int(3) + 1 }, (_, i) => {
          const name = `${company}-app-${i}`;
          const kclVersion = r.pick([1, 2, 3]);
          const runAs = r.pick(["ec2", "ecs", "eks"] as const);
          const shape = r.int(3);
          const base: Record<string, unknown> =
            shape === 0
              ? { kind: r.pick(["producer", "consumer"]), streams: [r.pick(names)] }
              : {
                  reads: r.some(names),
                  writes: r.some(names),
                  ...(r.bool(0.3) ? { s3: [{ bucket: `${company}-archive`, prefix: r.pick(["enriched/", "raw/"]) }] } : {}),
                };
          if (shape !== 0 && (base.reads as string[]).length === 0 && (base.writes as string[]).length === 0) base.reads = [names[0]];
          const reads = shape === 0 ? base.kind === "consumer" : (base.reads as string[]).length > 0;
          return {
            name,
            ...base,
            kclVersion,
            ...(reads && kclVersion > 1 && r.bool(0.3) ? { enhancedFanOut: r.bool() } : {}),
            producerMetrics: r.bool(),
            runAs,
            ...(runAs === "eks"
              ? {
                  eks: {
                    oidcProviderArn: `arn:${p}:iam::${snowplowId}:oidc-provider/oidc.eks.${region}.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`,
                    namespace: "snowplow",
                    serviceAccount: name,
                  },
                }
              : {}),
            createLeaseTable: reads && r.bool(0.3),
            ...(r.bool(0.2) ? { createUser: true } : {}),
          };
        });
  const withBackup = r.bool(0.7);
  const sources = withBackup
    ? Array.from({ length: r.int(3) }, (_, i) => {
        const method = r.pick(["native-export", "data-pipeline"] as const);
        const tables = method === "native-export" ? [`orders${i}`, ...(r.bool() ? [`customers${i}`] : [])] : [];
        const recovery = method === "native-export" ? r.pick(["verify", "enable", "ignore"] as const) : undefined;
        return {
          name: `src${i}`,
          id: `12345678901${i}`,
          ...(r.bool(0.3) ? { region: other } : {}),
          method,
          tables,
          ...(recovery ? { pointInTimeRecovery: recovery } : {}),
          ...(recovery === "enable" ? { tableKeys: Object.fromEntries(tables.map((t) => [t, { hashKey: { name: "id", type: "S" } }])) } : {}),
          ...(r.bool(0.2) ? { writerRoleName: `backup-writer-${i}` } : {}),
        };
      })
    : [];
  const level = r.pick(["least-privilege", "compatible"] as const);
  const input: Record<string, unknown> = {
    company,
    region,
    iam: {
      path: path_,
      enableMfaEnforcement: r.bool(0.7),
      ...(r.bool(0.3) ? { permissionsBoundaryArn: `arn:${p}:iam::${snowplowId}:policy/boundary` } : {}),
    },
    organization: {
      id: "o-a1b2c3d4e5",
      serviceControlPolicy: { enabled: r.bool(0.7), ...(r.bool(0.3) ? { allowedRegions: [region] } : {}) },
    },
    accounts: {
      management: { id: "111122223333" },
      snowplow: { mode: "create", id: snowplowId, email: "aws-snowplow@example.com", parentId: "ou-ab12-cd34ef56" },
      ...(withBackup ? { backup: { id: "777788889999" }, sources } : {}),
    },
    pipeline: {
      flow,
      phase: r.pick(["install", "operate"]),
      installer: { deleteUserWhenOperating: r.bool(0.3) },
      operator: {
        level,
        snsMonitoring: r.bool(0.3),
        ...(level === "least-privilege" && r.bool(0.3) ? { legacyFileMoves: true } : {}),
      },
      buckets: {
        log: `${company}-logs`,
        rawIn: `${company}-raw`,
        processing: `${company}-processing`,
        enrichedOut: `${company}-enriched`,
        archive: `${company}-archive`,
        badRows: `${company}-bad-rows`,
      },
    },
    kinesis: { streams, applications },
    ...(r.bool(0.5)
      ? {
          spark: {
            enabled: true,
            launcher: {
              policyName: "snowplow-spark-launcher",
              ...(r.bool() ? { groupName: "snowplow-spark-launchers" } : {}),
              ...(r.bool(0.3) ? { roleName: "flintrock-runner" } : {}),
            },
            createInstanceProfile: r.bool(),
          },
        }
      : {}),
    ...(withBackup
      ? {
          backup: {
            bucketName: `${company}-dynamodb-backups`,
            encryption: r.pick(["sse-s3", "sse-kms"]),
            admit: r.pick(["listed-accounts", "organization"]),
            ...(r.bool(0.3) ? { accessLogs: { bucketName: `${company}-backup-logs` } } : {}),
          },
        }
      : {}),
  };
  return input;
}

export function generateConfig(seed: number): { input: Record<string, unknown>; config: Config } {
  const input = generateInput(seed);
  return { input, config: validateConfig(structuredClone(input), `differential seed ${seed}`) };
}

/** a grant: one (effect, principal, action, resource, conditions) of a statement, as a canonical string */
type Grants = Map<string, Set<string>>;

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
const canonical = (v: unknown): unknown => {
  if (Array.isArray(v))
    return v
      .map(canonical)
      .map((x) => JSON.stringify(x))
      .sort();
  if (v !== null && typeof v === "object")
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => {
          const x = (v as Record<string, unknown>)[k];
          // a one-element list and its element mean the same in a policy
          return [k, canonical(Array.isArray(x) ? x : typeof x === "object" && x !== null ? x : [x])];
        }),
    );
  return v;
};

function addDocument(grants: Grants, key: string, doc: { Statement: unknown }) {
  const set = grants.get(key) ?? new Set<string>();
  grants.set(key, set);
  for (const s of (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) as Record<string, unknown>[]) {
    const principal = JSON.stringify(canonical(s.Principal ?? null));
    const notPrincipal = JSON.stringify(canonical(s.NotPrincipal ?? null));
    const condition = JSON.stringify(canonical(s.Condition ?? {}));
    const actions = s.Action !== undefined ? list(s.Action).map((a) => `A ${a.toLowerCase()}`) : list(s.NotAction).map((a) => `NA ${a.toLowerCase()}`);
    const resources =
      s.Resource !== undefined ? list(s.Resource).map((x) => `R ${x}`) : s.NotResource !== undefined ? list(s.NotResource).map((x) => `NR ${x}`) : ["(none)"];
    for (const a of actions) for (const res of resources) set.add([s.Effect, principal, notPrincipal, a, res, condition].join(" | "));
  }
}

function addFact(grants: Grants, key: string, fact: string) {
  const set = grants.get(key) ?? new Set<string>();
  grants.set(key, set.add(fact));
}

/** what names a principal or a policy in a synthesized stack: `${aws_x.id.attr}` resolved to the literal */
function literal(stack: StackJson, v: unknown): string {
  const s = String(v);
  const m = /^\$\{(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.(name|arn|bucket|id)\}$/.exec(s);
  if (!m) return s;
  const r = stack.resource?.[m[1]]?.[m[2]];
  if (r === undefined) return s;
  return m[3] === "arn" && m[1] === "aws_iam_policy" ? `policy:${String(r.name)}` : String(r.name ?? r.bucket ?? s);
}

/** the effective grants of the synthesized stacks, per principal and document */
export function synthGrants(config: Config): Grants {
  const stacks = synthStacks(config);
  const grants: Grants = new Map();
  for (const stack of Object.values(stacks)) {
    const res = stack.resource ?? {};
    const policies = new Map<string, { Statement: unknown }>();
    for (const p of Object.values<any>(res.aws_iam_policy ?? {})) policies.set(`policy:${p.name}`, parsePolicy(p.policy));
    for (const kind of ["group", "role", "user"]) {
      for (const a of Object.values<any>(res[`aws_iam_${kind}_policy_attachment`] ?? {})) {
        const doc = policies.get(literal(stack, a.policy_arn));
        const key = `${kind}:${literal(stack, a[kind])}`;
        if (doc) addDocument(grants, key, doc);
        else grants.set(key, new Set([...(grants.get(key) ?? []), `attached ${String(a.policy_arn)}`]));
      }
      for (const p of Object.values<any>(res[`aws_iam_${kind}_policy`] ?? {})) addDocument(grants, `${kind}:${literal(stack, p[kind])}`, parsePolicy(p.policy));
    }
    for (const role of Object.values<any>(res.aws_iam_role ?? {})) addDocument(grants, `trust:${role.name}`, parsePolicy(role.assume_role_policy));
    // who exists, and which groups a user is in (a member holds its groups' grants)
    for (const kind of ["group", "role", "user"])
      for (const p of Object.values<any>(res[`aws_iam_${kind}`] ?? {})) addFact(grants, `${kind}:${p.name}`, `exists at ${p.path ?? "/"}`);
    for (const m of Object.values<any>(res.aws_iam_user_group_membership ?? {}))
      for (const g of m.groups as unknown[]) addFact(grants, `user:${literal(stack, m.user)}`, `member of ${literal(stack, g)}`);
    for (const p of Object.values<any>(res.aws_iam_instance_profile ?? {}))
      addFact(grants, `instance-profile:${p.name}`, `holds ${literal(stack, p.role)} at ${p.path ?? "/"}`);
    for (const b of Object.values<any>(res.aws_s3_bucket_policy ?? {})) addDocument(grants, `bucket:${literal(stack, b.bucket)}`, parsePolicy(b.policy));
    for (const k of Object.values<any>(res.aws_kms_key ?? {})) addDocument(grants, "kms:backup", parsePolicy(k.policy));
    for (const s of Object.values<any>(res.aws_organizations_policy ?? {})) addDocument(grants, `scp:${s.name}`, parsePolicy(s.content));
  }
  return grants;
}

/** the vendored modules' calls for config `i`, named apart so that many configs share one root and one plan */
export function vendoredCalls(config: Config, i: number): string {
  return moduleCalls(config, { verifyPointInTimeRecovery: false })
    .map((c) => renderModuleCall({ ...c, name: `c${i}_${c.name}` }, `./modules/${c.module}`))
    .join("\n\n");
}

/** one root that calls the vendored modules for every config, planned offline; the plan's JSON */
export function planVendored(dir: string, configs: readonly Config[]): any {
  writeVendor(path.join(dir, "modules"), vendorFiles(configs[0], "differential"));
  fs.writeFileSync(
    path.join(dir, "main.tf"),
    `terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "~> 5.100"\n    }\n  }\n}\n\nprovider "aws" {\n  region = "eu-west-1"\n}\n\n${configs
      .map((c, i) => vendoredCalls(c, i))
      .join("\n\n")}\n`,
  );
  fs.writeFileSync(path.join(dir, "offline_override.tf.json"), JSON.stringify(OFFLINE_OVERRIDE));
  tf(dir, ["init", "-input=false", "-backend=false"]);
  tf(dir, ["plan", "-input=false", "-refresh=false", "-lock=false", "-out=plan.bin"]);
  return JSON.parse(tf(dir, ["show", "-json", "plan.bin"]));
}

/** the effective grants the vendored plan builds for config `i` */
export function vendoredGrants(plan: any, i: number): Grants {
  const grants: Grants = new Map();
  const prefix = `c${i}_`;
  const modules = (plan.planned_values?.root_module?.child_modules ?? []).filter((m: any) => String(m.address).startsWith(`module.${prefix}`));
  const calls = plan.configuration?.root_module?.module_calls ?? {};
  const doc = (text: unknown, where: string) => {
    if (typeof text !== "string") throw new Error(`${where}: the policy is not known at plan`);
    return JSON.parse(text);
  };
  for (const m of modules) {
    const callName = String(m.address).slice("module.".length);
    const config = calls[callName]?.module?.resources ?? [];
    const resources: any[] = m.resources ?? [];
    const byAddress = (local: string) => resources.find((r) => `${r.type}.${r.name}` === local.replace(/\[\d+\]$/, ""));
    for (const r of resources) {
      const v = r.values ?? {};
      const kind = /^aws_iam_(group|role|user)_policy_attachment$/.exec(r.type)?.[1];
      if (kind) {
        // policy_arn is known after apply only: the configuration says which policy of the module it references
        const refs: string[] = config.find((c: any) => c.address === `${r.type}.${r.name}`)?.expressions?.policy_arn?.references ?? [];
        const target = refs.map((x) => byAddress(x.replace(/\.arn$/, ""))).find((x) => x?.type === "aws_iam_policy");
        const key = `${kind}:${v[kind]}`;
        if (target) addDocument(grants, key, doc(target.values.policy, r.address));
        else grants.set(key, new Set([...(grants.get(key) ?? []), `attached ${String(v.policy_arn ?? refs.join(","))}`]));
        continue;
      }
      const inline = /^aws_iam_(group|role|user)_policy$/.exec(r.type)?.[1];
      if (inline) addDocument(grants, `${inline}:${v[inline]}`, doc(v.policy, r.address));
      else if (r.type === "aws_iam_role") addDocument(grants, `trust:${v.name}`, doc(v.assume_role_policy, r.address));
      if (/^aws_iam_(group|role|user)$/.test(r.type)) addFact(grants, `${r.type.slice(8)}:${v.name}`, `exists at ${v.path ?? "/"}`);
      else if (r.type === "aws_iam_user_group_membership") for (const g of v.groups as string[]) addFact(grants, `user:${v.user}`, `member of ${g}`);
      else if (r.type === "aws_iam_instance_profile") addFact(grants, `instance-profile:${v.name}`, `holds ${v.role} at ${v.path ?? "/"}`);
      else if (r.type === "aws_s3_bucket_policy")
        // the bucket's id is known after apply: the module's bucket names it
        addDocument(grants, `bucket:${v.bucket ?? resources.find((x) => x.type === "aws_s3_bucket")?.values?.bucket}`, doc(v.policy, r.address));
      else if (r.type === "aws_kms_key") addDocument(grants, "kms:backup", doc(v.policy, r.address));
      else if (r.type === "aws_organizations_policy") addDocument(grants, `scp:${v.name}`, doc(v.content, r.address));
    }
  }
  return grants;
}

/** the differences, one line each: what one side grants and the other does not */
export function compareGrants(synth: Grants, vendored: Grants): string[] {
  const out: string[] = [];
  for (const key of [...new Set([...synth.keys(), ...vendored.keys()])].sort()) {
    const a = synth.get(key) ?? new Set<string>();
    const b = vendored.get(key) ?? new Set<string>();
    if (!synth.has(key)) out.push(`${key}: only in the vendored modules`);
    else if (!vendored.has(key)) out.push(`${key}: only in the synth`);
    for (const g of a) if (b.size > 0 && !b.has(g)) out.push(`${key}: synth only: ${g}`);
    for (const g of b) if (a.size > 0 && !a.has(g)) out.push(`${key}: vendored only: ${g}`);
  }
  return out;
}

/** which values of each dimension a set of generated inputs covers */
export function coverage(inputs: readonly Record<string, any>[]): Record<string, string[]> {
  const seen: Record<string, Set<string>> = {};
  const add = (k: string, v: unknown) => (seen[k] ??= new Set()).add(String(v));
  for (const i of inputs) {
    add("partition", partitionOf(i.region));
    add("flow", i.pipeline.flow);
    add("phase", i.pipeline.phase);
    add("operator level", i.pipeline.operator.level);
    add("iam path", i.iam.path);
    add("boundary", i.iam.permissionsBoundaryArn !== undefined);
    add("scp", i.organization.serviceControlPolicy.enabled);
    for (const a of i.kinesis.applications) {
      add("app shape", a.kind ?? `${a.reads?.length > 0 ? "reads" : ""}${a.writes?.length > 0 ? "+writes" : ""}${a.s3 ? "+s3" : ""}`.replace(/^\+/, ""));
      add("kcl", a.kclVersion);
      add("runAs", a.runAs);
      add("app user", a.createUser === true);
      add("lease table", a.createLeaseTable);
    }
    add("spark", i.spark === undefined ? "none" : i.spark.createInstanceProfile ? "with nodes" : "launcher only");
    add("backup", i.backup === undefined ? "none" : `${i.backup.encryption} ${i.backup.admit}`);
    if (i.backup !== undefined) add("sources", (i.accounts.sources ?? []).length === 0 ? "none" : "some");
    for (const s of i.accounts.sources ?? []) {
      add("source method", s.method);
      add("recovery", s.pointInTimeRecovery ?? "default");
    }
  }
  return Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, [...v].sort()]));
}
