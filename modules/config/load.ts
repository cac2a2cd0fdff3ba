/**
 * Reading and validating the configuration. Everything that can be wrong with
 * a config is found here, before any construct exists, so a bad config never
 * leaves a partial stack behind.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { appStreams, ConfigSchema, type Config } from "./schema";
import { ConfigError, fieldPath, type ConfigProblem } from "./errors";
import { closest } from "../private/closest";
import { PROJECT_ROOT } from "../private/root";
import { loadCodeConfig, parseJsonText, readJsonConfig } from "./read";
import { salvage } from "./salvage";
import { awsLimits } from "./aws-limits";

/** environment variable naming the config file */
export const CONFIG_ENV = "SNOWPLOW_IAC_CONFIG";
/** the built-in example, used when no config is named */
export const EXAMPLE_CONFIG = path.join(PROJECT_ROOT, "config", "example.json");

/** a path as shown to users: relative to the working directory when inside it */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}

/** a path for generated files: relative when inside the working directory, else the file name only (never a machine path) */
export function portablePath(file: string): string {
  const shown = displayPath(file);
  return path.isAbsolute(shown) ? path.basename(shown) : shown.split(path.sep).join("/");
}

/** read, parse and validate a config file; throws ConfigError listing every problem */
export function loadConfig(file: string, via?: string): Config {
  const shown = displayPath(file);
  const raw = readConfigFile(file, shown, via);
  return validateConfig(raw, shown);
}

function readConfigFile(file: string, shown: string, via?: string): unknown {
  let isFolder = false;
  try {
    isFolder = fs.statSync(file).isDirectory();
  } catch {
    // not found: said below
  }
  if (isFolder) {
    throw new ConfigError(shown, [{ field: "", message: "is a folder; name the config file in it, e.g. --config configs/acme-prod.json" }]);
  }
  if (!fs.existsSync(file)) {
    const from = via ? ` (named by ${via})` : "";
    throw new ConfigError(shown, [
      { field: "", message: `config file not found${from}; give an existing .json or .ts file with --config, ${CONFIG_ENV} or .snowplow-iac.json` },
    ]);
  }
  if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(file)) return loadCodeConfig(file, shown);
  return readJsonConfig(file, shown);
}

/** JSON text to a value, every structural problem named (see read.ts) */
export function parseJson(text: string, shown: string): unknown {
  return parseJsonText(text, shown);
}

let example: unknown;
/** the built-in example as written: values that stand in for a wrong required part while the rest is checked */
function exampleRaw(): unknown {
  if (example === undefined) {
    try {
      example = JSON.parse(fs.readFileSync(EXAMPLE_CONFIG, "utf8"));
    } catch {
      example = null;
    }
  }
  return example ?? undefined;
}

/** validate a parsed config; throws ConfigError listing every problem */
export function validateConfig(input: unknown, shown = "config"): Config {
  const raw = contextualDefaults(input);
  const result = ConfigSchema.safeParse(raw);
  const problems: ConfigProblem[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(...describeIssue(issue, raw));
    // the cross-field rules still run on the parts the schema accepted (see salvage.ts)
    const rest = salvage(ConfigSchema, raw, exampleRaw());
    if (rest.data !== undefined) {
      const seen = new Set(problems.map((p) => p.field));
      problems.push(...rest.keep(crossChecks(rest.data as Config)).filter((p) => !seen.has(p.field)));
    }
  } else {
    problems.push(...crossChecks(result.data));
  }
  if (problems.length > 0) throw new ConfigError(shown, problems);
  return result.data as Config;
}

/**
 * Defaults that depend on another field: an adopted member account gets no
 * service control policy unless the config asks (a deny-most SCP could cut
 * off the workloads it already runs).
 */
function contextualDefaults(raw: unknown): unknown {
  const obj = (v: unknown): Record<string, unknown> | undefined =>
    v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  const r = obj(raw);
  if (r === undefined || obj(obj(r.accounts)?.snowplow)?.mode !== "adopt") return raw;
  if (r.organization !== undefined && obj(r.organization) === undefined) return raw;
  const org = obj(r.organization) ?? {};
  if (org.serviceControlPolicy !== undefined && obj(org.serviceControlPolicy) === undefined) return raw;
  const scp = obj(org.serviceControlPolicy) ?? {};
  if ("enabled" in scp) return raw;
  return { ...r, organization: { ...org, serviceControlPolicy: { ...scp, enabled: false } } };
}

function valueAt(raw: unknown, p: readonly PropertyKey[]): unknown {
  let cur: unknown = raw;
  for (const k of p) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

/** the object schema found at a path, to list the keys it accepts */
function shapeAt(p: readonly PropertyKey[]): string[] {
  let cur: z.ZodType = ConfigSchema;
  const unwrap = (s: z.ZodType): z.ZodType => {
    let t = s;
    for (;;) {
      if (t instanceof z.ZodDefault || t instanceof z.ZodOptional) t = t.unwrap() as z.ZodType;
      else if (t instanceof z.ZodPipe) t = t.in as z.ZodType;
      else return t;
    }
  };
  for (const k of p) {
    cur = unwrap(cur);
    if (cur instanceof z.ZodObject) cur = (cur.shape as Record<string, z.ZodType>)[String(k)];
    else if (cur instanceof z.ZodArray) cur = cur.element as z.ZodType;
    else if (cur instanceof z.ZodRecord) cur = cur.valueType as z.ZodType;
    else return [];
    if (cur === undefined) return [];
  }
  cur = unwrap(cur);
  if (cur instanceof z.ZodObject) return Object.keys(cur.shape);
  if (cur instanceof z.ZodDiscriminatedUnion) {
    const keys = new Set<string>();
    for (const o of cur.options) if (o instanceof z.ZodObject) Object.keys(o.shape).forEach((x) => keys.add(x));
    return [...keys];
  }
  return [];
}

/** a few values for a message, then how many more */
function listSome(values: readonly string[], n = 10): string {
  return values.length <= n ? values.join(", ") : `${values.slice(0, n).join(", ")} and ${values.length - n} more`;
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): ConfigProblem[] {
  const value = valueAt(raw, issue.path);
  if (issue.code === "unrecognized_keys") {
    const known = shapeAt(issue.path);
    return issue.keys.map((key) => {
      const guess = closest(key, known);
      const hint = guess ? ` (did you mean "${guess}"?)` : "";
      return {
        field: fieldPath([...issue.path, key]),
        message: `unknown key${hint}; remove it or use one of: ${known.join(", ")}`,
      };
    });
  }
  const field = fieldPath(issue.path);
  if (issue.code === "invalid_type" && value === undefined) {
    return [{ field, message: `missing; this field is required (${issue.expected})` }];
  }
  if (issue.code === "invalid_type") {
    const a = (t: string) => (t === "null" ? "null" : /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);
    if (issue.expected === "int" && typeof value === "number") return [{ field, message: "expected a whole number", value }];
    const expected = issue.expected === "int" ? "whole number" : String(issue.expected);
    return [{ field, message: `expected ${a(expected)}, not ${a(describeType(value))}`, value }];
  }
  if (issue.code === "invalid_key") {
    // a record's key (a tag key, a table name): the key's own rule says what is wrong
    const inner = issue.issues[0]?.message ?? issue.message;
    return [{ field, message: `the key ${inner.replace(/^expected /, "must be ")}` }];
  }
  if (issue.code === "invalid_value" && issue.values.length > 8) {
    return [{ field, message: issue.message, value }];
  }
  if (issue.code === "invalid_value") {
    return [{ field, message: `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`, value }];
  }
  if (issue.code === "invalid_union" && issue.path.length > 0 && shapeAt(issue.path).includes("type")) {
    return [{ field: `${field}.type`, message: `expected "local" or "s3"`, value: valueAt(value, ["type"]) }];
  }
  return [{ field, message: issue.message, value: typeof value === "object" ? undefined : value }];
}

function describeType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

/** rules that span several fields; run on a config whose shape is valid */
export function crossChecks(c: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (field: string, message: string, value?: unknown) => problems.push({ field, message, value });
  const a = c.accounts;

  if (a.snowplow.mode === "adopt" && a.snowplow.id === undefined) {
    add("accounts.snowplow.id", 'missing; an adopted account needs its 12-digit id, e.g. "444455556666"');
  }
  const accountName = a.snowplow.name ?? `snowplow-${c.company}`;
  if (accountName.length > 50) {
    add("company", `makes the account name "${accountName}" longer than 50 characters; set accounts.snowplow.name`, c.company);
  }

  // The backup account must be separate from the accounts it protects.
  if (a.backup !== undefined) {
    if (a.backup.id === a.snowplow.id) {
      add("accounts.backup.id", "must differ from accounts.snowplow.id: backups belong in a separate account", a.backup.id);
    }
    a.sources.forEach((s, i) => {
      if (s.id === a.backup?.id) {
        add(`accounts.sources[${i}].id`, "must differ from accounts.backup.id: a source cannot back up into its own account", s.id);
      }
    });
  }
  if (a.sources.length > 0 && (a.backup === undefined || c.backup === undefined)) {
    add(
      a.backup === undefined ? "accounts.backup" : "backup",
      "missing; accounts.sources export into the backup bucket, so both accounts.backup and backup are required",
    );
  }
  if (c.backup?.admit === "organization" && c.organization.id === undefined) {
    add("backup.admit", '"organization" needs organization.id (the bucket admits writer roles of that organisation only)', c.backup.admit);
  }
  if (c.backup !== undefined && a.backup === undefined) {
    add("accounts.backup", "missing; the backup bucket needs the backup account (id and region)");
  }
  duplicates(
    a.sources.map((s) => s.name),
    (i, v) => add(`accounts.sources[${i}].name`, "duplicate source name; each must be unique", v),
  );
  duplicates(
    a.sources.map((s) => s.id),
    (i, v) => add(`accounts.sources[${i}].id`, "duplicate source account id; list each account once", v),
  );
  a.sources.forEach((s, i) => {
    if (s.method === "native-export" && s.tables.length === 0) {
      add(`accounts.sources[${i}].tables`, 'expected at least one DynamoDB table name for native-export, e.g. ["orders"]');
    }
    duplicates(s.tables, (j, v) => add(`accounts.sources[${i}].tables[${j}]`, "duplicate table name", v));
    if (s.pointInTimeRecovery === "enable") {
      s.tables.forEach((t) => {
        if (s.tableKeys[t] === undefined) {
          add(
            `accounts.sources[${i}].tableKeys`,
            `has no key schema for table "${t}"; pointInTimeRecovery "enable" imports the table and needs its keys, e.g. {"${t}": {"hashKey": {"name": "id", "type": "S"}}}`,
          );
        }
      });
    }
    Object.keys(s.tableKeys).forEach((t) => {
      if (!s.tables.includes(t)) add(`accounts.sources[${i}].tableKeys.${t}`, "names a table that is not in tables; add it there or remove this key schema", t);
    });
    if (s.method === "data-pipeline" && (s.pointInTimeRecovery ?? "ignore") !== "ignore") {
      add(
        `accounts.sources[${i}].pointInTimeRecovery`,
        "applies to native-export only (Data Pipeline scans the table); remove it or use method native-export",
        s.pointInTimeRecovery,
      );
    }
  });

  // Kinesis: every application names streams that exist, in a flow that has Kinesis.
  const k = c.kinesis;
  const streams = new Set(k.streams.map((s) => s.name));
  duplicates(
    k.streams.map((s) => s.name),
    (i, v) => add(`kinesis.streams[${i}].name`, "duplicate stream name", v),
  );
  duplicates(
    k.applications.map((x) => x.name),
    (i, v) => add(`kinesis.applications[${i}].name`, "duplicate application name", v),
  );
  // names become Terraform output names (letters, digits, _): two apps must not meet there
  const seen = new Map<string, number>();
  k.applications.forEach((x, i) => {
    const key = x.name.replace(/[^A-Za-z0-9_]/g, "_");
    const first = seen.get(key);
    if (first !== undefined && k.applications[first].name !== x.name) {
      add(
        `kinesis.applications[${i}].name`,
        `becomes the same Terraform name "${key}" as kinesis.applications[${first}].name ("${k.applications[first].name}"); rename one`,
        x.name,
      );
    }
    if (first === undefined) seen.set(key, i);
  });
  if (c.pipeline.flow === "batch" && (k.streams.length > 0 || k.applications.length > 0)) {
    add("pipeline.flow", 'is "batch", which has no Kinesis; use "real-time" or "both", or remove kinesis', c.pipeline.flow);
  }
  k.applications.forEach((app, i) => {
    const at = `kinesis.applications[${i}]`;
    const legacy = app.kind !== undefined || app.streams !== undefined;
    const modern = app.reads !== undefined || app.writes !== undefined || app.s3 !== undefined;
    if (legacy && modern) {
      add(
        `${at}.kind`,
        'cannot be combined with reads, writes or s3; move the streams of a consumer to "reads" and of a producer to "writes", and remove kind and streams',
        app.kind,
      );
    } else if (app.kind !== undefined && app.streams === undefined) {
      add(`${at}.streams`, `missing; kind "${app.kind}" needs its streams, e.g. ["snowplow-raw-good"] (or use reads/writes)`);
    } else if (app.kind === undefined && app.streams !== undefined) {
      add(`${at}.kind`, 'missing; streams needs kind "producer" or "consumer" (or use reads/writes instead of kind and streams)');
    }
    const { reads, writes } = appStreams(app);
    if (reads.length === 0 && writes.length === 0 && (app.s3 ?? []).length === 0) {
      add(at, 'grants nothing; give reads, writes or s3, e.g. "reads": ["snowplow-raw-good"], "writes": ["snowplow-enriched-good"]');
    }
    const listed: [string, readonly string[] | undefined][] = [
      ["streams", app.streams],
      ["reads", app.reads],
      ["writes", app.writes],
    ];
    for (const [field, names] of listed) {
      (names ?? []).forEach((s, j) => {
        if (!streams.has(s)) add(`${at}.${field}[${j}]`, `unknown stream; expected one of kinesis.streams: ${listSome([...streams]) || "(none defined)"}`, s);
      });
      duplicates(names ?? [], (j, v) => add(`${at}.${field}[${j}]`, "duplicate stream", v));
    }
    if (app.name.length > 64) {
      add(`${at}.name`, `is ${app.name.length} characters; it also names the app's IAM role, which allows at most 64`, app.name);
    }
    if (app.runAs === "eks" && app.eks === undefined) add(`${at}.eks`, 'missing; runAs "eks" needs oidcProviderArn, namespace and serviceAccount');
    if (app.runAs !== "eks" && app.eks !== undefined) add(`${at}.eks`, `only allowed with runAs "eks" (runAs is "${app.runAs}")`);
    if (app.enhancedFanOut === true && (reads.length === 0 || app.kclVersion < 2)) {
      add(`${at}.enhancedFanOut`, "only for applications that read streams with kclVersion 2 or 3", app.enhancedFanOut);
    }
    if (app.createLeaseTable && reads.length === 0) add(`${at}.createLeaseTable`, "only applications that read streams have a KCL lease table", true);
    if (app.user !== undefined && !app.createUser) add(`${at}.user`, "only allowed with createUser: true");
    if (app.user !== undefined) userChecks(`${at}.user`, app.user, add);
  });

  // The batch operator and the Spark nodes work on the pipeline's buckets.
  const needsBuckets =
    c.pipeline.flow !== "real-time"
      ? `flow "${c.pipeline.flow}" runs EmrEtlRunner`
      : c.spark?.enabled && c.spark.createInstanceProfile
        ? "spark.createInstanceProfile gives the Spark nodes the buckets"
        : undefined;
  if (c.pipeline.buckets === undefined && needsBuckets !== undefined) {
    add("pipeline.buckets", `missing; ${needsBuckets}, so the buckets log, rawIn, processing, enrichedOut, archive and badRows are required`);
  }

  if (c.ci !== undefined && c.backend.type !== "s3") {
    add("ci", 'needs backend.type "s3": plans in CI must read the real state, which a local backend keeps on one machine');
  }
  nameCollisions(c, add);
  problems.push(...awsLimits(c));
  adoptionChecks(c, add);

  userChecks("pipeline.installer", c.pipeline.installer, add);
  userChecks("pipeline.operator", c.pipeline.operator, add);

  const regions = c.organization.serviceControlPolicy.allowedRegions;
  const home = a.snowplow.region ?? c.region;
  if (regions !== undefined && !regions.includes(home)) {
    add("organization.serviceControlPolicy.allowedRegions", `must include the Snowplow account's region "${home}"`, regions);
  }
  if (c.backup !== undefined) {
    const pipelineBuckets = Object.values(c.pipeline.buckets ?? {});
    if (pipelineBuckets.includes(c.backup.bucketName)) {
      add("backup.bucketName", "must differ from the pipeline's buckets", c.backup.bucketName);
    }
    if (c.backup.accessLogs?.bucketName === c.backup.bucketName) {
      add("backup.accessLogs.bucketName", "must differ from backup.bucketName (a bucket cannot log into itself without a loop)", c.backup.bucketName);
    }
  }
  return problems;
}

/**
 * IAM names are unique per account and kind without regard to case, and an
 * account or bucket plays one role: two of ours that meet fail at apply, so
 * they fail here, naming both fields.
 */
function nameCollisions(c: Config, add: (field: string, message: string, value?: unknown) => void) {
  const batch = c.pipeline.flow !== "real-time";
  const spark = c.spark?.enabled ? c.spark : undefined;
  const apps = c.kinesis.applications;
  const names: [kind: string, name: string, field: string][] = [
    ["user", c.pipeline.installer.userName, "pipeline.installer.userName"],
    ...(batch ? [["user", c.pipeline.operator.userName, "pipeline.operator.userName"] as [string, string, string]] : []),
    ...apps.flatMap((x, i) => (x.createUser ? [["user", x.name, `kinesis.applications[${i}].name (its user)`] as [string, string, string]] : [])),
    ["group", c.pipeline.installer.groupName, "pipeline.installer.groupName"],
    ...(batch ? [["group", c.pipeline.operator.groupName, "pipeline.operator.groupName"] as [string, string, string]] : []),
    ...(spark?.launcher.groupName ? [["group", spark.launcher.groupName, "spark.launcher.groupName"] as [string, string, string]] : []),
    ...apps.map((x, i) => ["role", x.name, `kinesis.applications[${i}].name (its role)`] as [string, string, string]),
    ...(spark?.createInstanceProfile ? [["role", spark.nodeRoleName, "spark.nodeRoleName"] as [string, string, string]] : []),
    ...apps.flatMap((x, i) =>
      x.runAs === "ec2" ? [["instance profile", x.name, `kinesis.applications[${i}].name (its instance profile)`] as [string, string, string]] : [],
    ),
    ...(spark?.createInstanceProfile ? [["instance profile", spark.instanceProfileName, "spark.instanceProfileName"] as [string, string, string]] : []),
    ...(batch
      ? [["policy", "snowplow-policy-operate-datapipeline", "the operator policy (snowplow-policy-operate-datapipeline)"] as [string, string, string]]
      : []),
    ...apps.map((x, i) => ["policy", `${x.name}-kinesis-${x.kind ?? "app"}`, `kinesis.applications[${i}].name (its policy)`] as [string, string, string]),
    ...(spark ? [["policy", spark.launcher.policyName, "spark.launcher.policyName"] as [string, string, string]] : []),
    // the plan role is in every account, the Snowplow account's included
    ...(c.ci ? [["role", c.ci.planRoleName, "ci.planRoleName"] as [string, string, string]] : []),
  ];
  const seen = new Map<string, { field: string; name: string }>();
  // one line per pair of fields, listing every kind of IAM name they share
  const pairs = new Map<string, { field: string; first: string; kinds: string[]; names: string[] }>();
  for (const [kind, name, field] of names) {
    const key = `${kind}\u0000${name.toLowerCase()}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, { field, name });
    // two applications of one name are reported once, as a duplicate name
    else if (!(first.name === name && field.startsWith("kinesis.applications[") && first.field.startsWith("kinesis.applications["))) {
      const at = field.replace(/ \(.*\)$/, "");
      const other = first.field.replace(/ \(.*\)$/, "");
      const pair = pairs.get(`${at}\u0000${other}`) ?? { field: at, first: other, kinds: [], names: [] };
      pair.kinds.push(kind);
      pair.names.push(name);
      pairs.set(`${at}\u0000${other}`, pair);
    }
  }
  for (const p of pairs.values()) {
    const what = p.kinds.map((k, i) => `IAM ${k} "${p.names[i]}"`).join(", ");
    add(p.field, `names the ${what}, which ${p.first} names too (IAM names are unique per account without regard to case); rename one`, p.names[0]);
  }
  const a = c.accounts;
  if (a.snowplow.id !== undefined && a.snowplow.id === a.management.id) {
    add("accounts.snowplow.id", "must differ from accounts.management.id: the pipeline runs in its own member account", a.snowplow.id);
  }
  if (a.backup !== undefined && a.backup.id === a.management.id) {
    add("accounts.backup.id", "must differ from accounts.management.id: backups belong in a separate account", a.backup.id);
  }
  a.sources.forEach((s, i) => {
    if (s.id === a.management.id) {
      add(
        `accounts.sources[${i}].id`,
        "must differ from accounts.management.id: the management account has no OrganizationAccountAccessRole to reach, and should hold no workloads",
        s.id,
      );
    }
  });
  const bucket = (name: string | undefined) => name?.toLowerCase();
  if (c.backend.type === "s3") {
    const state = bucket(c.backend.bucket);
    const others: [string, string | undefined][] = [
      ...Object.entries(c.pipeline.buckets ?? {}).map(([role, name]) => [`pipeline.buckets.${role}`, name] as [string, string | undefined]),
      ["backup.accessLogs.bucketName", c.backup?.accessLogs?.bucketName],
      ...apps.flatMap((x, i) => (x.s3 ?? []).map((w, j) => [`kinesis.applications[${i}].s3[${j}].bucket`, w.bucket] as [string, string | undefined])),
    ];
    for (const [field, name] of others) {
      if (name !== undefined && bucket(name) === state)
        add("backend.bucket", `must differ from ${field}: Terraform state gets a bucket of its own`, c.backend.bucket);
    }
  }
  const backupBucket = bucket(c.backup?.bucketName);
  if (c.backend.type === "s3" && backupBucket !== undefined && bucket(c.backend.bucket) === backupBucket) {
    add("backend.bucket", "must differ from backup.bucketName: Terraform state and backups do not share a bucket", c.backend.bucket);
  }
  const logs = bucket(c.backup?.accessLogs?.bucketName);
  if (logs !== undefined) {
    for (const [role, name] of Object.entries(c.pipeline.buckets ?? {})) {
      if (bucket(name) === logs) add("backup.accessLogs.bucketName", `must differ from pipeline.buckets.${role}: access logs get a bucket of their own`, name);
    }
  }
  apps.forEach((x, i) =>
    (x.s3 ?? []).forEach((w, j) => {
      if (backupBucket !== undefined && bucket(w.bucket) === backupBucket) {
        add(`kinesis.applications[${i}].s3[${j}].bucket`, "must differ from backup.bucketName: only source accounts' writer roles write there", w.bucket);
      }
    }),
  );
}

function adoptionChecks(c: Config, add: (field: string, message: string, value?: unknown) => void) {
  const d = c.adopt;
  const apps = new Set(c.kinesis.applications.map((x) => x.name));
  d.applications.forEach((name, i) => {
    if (!apps.has(name))
      add(`adopt.applications[${i}]`, `names no application; expected one of kinesis.applications: ${listSome([...apps]) || "(none)"}`, name);
  });
  const sources = new Set(c.accounts.sources.map((x) => x.name));
  d.sourceWriters.forEach((name, i) => {
    if (!sources.has(name))
      add(`adopt.sourceWriters[${i}]`, `names no source account; expected one of accounts.sources: ${listSome([...sources]) || "(none)"}`, name);
  });
  if (d.operator && c.pipeline.flow === "real-time")
    add("adopt.operator", 'a real-time pipeline has no operator; remove it or use flow "batch" or "both"', true);
  if (d.spark && !c.spark?.enabled) add("adopt.spark", "there is no enabled spark block to adopt", true);
  if (d.backupBucket && c.backup === undefined) add("adopt.backupBucket", "there is no backup block to adopt", true);
  if (d.backupBucket && c.backup?.encryption === "sse-kms" && d.backupKmsKeyId === undefined) {
    add("adopt.backupKmsKeyId", 'missing; an adopted sse-kms bucket\'s key is imported by its id, e.g. "1234abcd-12ab-34cd-56ef-1234567890ab"');
  }
  if (c.accounts.snowplow.id === undefined && (d.installer || d.operator || d.applications.length > 0 || d.spark)) {
    add("accounts.snowplow.id", "missing; parts adopted in the Snowplow account need its id (an account you built by hand exists already)");
  }
}

function userChecks(
  at: string,
  u: { pgpKey?: string; accessKey: boolean; consoleLogin: boolean },
  add: (field: string, message: string, value?: unknown) => void,
) {
  if ((u.accessKey || u.consoleLogin) && u.pgpKey === undefined) {
    add(`${at}.pgpKey`, "missing; accessKey and consoleLogin need a PGP public key so no secret lands in state in clear");
  }
}

function duplicates(values: readonly string[], report: (index: number, value: string) => void) {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (seen.has(v)) report(i, v);
    seen.add(v);
  });
}
