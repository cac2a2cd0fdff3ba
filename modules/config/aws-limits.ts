/**
 * Rules AWS enforces at apply time that no single field shows: one partition
 * per organisation, the tag limits, DynamoDB key schemas, and Sids that two
 * names would share once reduced to letters and digits. Each problem names
 * the fields involved, so a config that passes here does not fail at apply
 * for these reasons.
 */
import type { ConfigProblem } from "./errors";
import { partitionOf, type Partition } from "./rules";
import type { Config } from "./schema";
import { sidPart } from "../private/policy";

/** AWS allows 50 tags per resource (IAM, S3, KMS, DynamoDB, Organizations); every resource gets all of the config's */
export const MAX_TAGS = 50;

type Add = (field: string, message: string, value?: unknown) => void;

export function awsLimits(c: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add: Add = (field, message, value) => problems.push({ field, message, value });
  partitions(c, add);
  tags(c, add);
  keySchemas(c, add);
  sids(c, add);
  guardrailIds(c, add);
  return problems;
}

function partitions(c: Config, add: Add) {
  const home = partitionOf(c.region);
  const a = c.accounts;
  const regions: [string, string | undefined][] = [
    ["accounts.management.region", a.management.region],
    ["accounts.snowplow.region", a.snowplow.region],
    ["accounts.backup.region", a.backup?.region],
    ...a.sources.map((s, i) => [`accounts.sources[${i}].region`, s.region] as [string, string | undefined]),
    ["backend.region", c.backend.type === "s3" ? c.backend.region : undefined],
    ...(c.organization.serviceControlPolicy.allowedRegions ?? []).map(
      (r, i) => [`organization.serviceControlPolicy.allowedRegions[${i}]`, r] as [string, string | undefined],
    ),
  ];
  const name = (p: Partition) => ({ aws: "aws (commercial)", "aws-cn": "aws-cn (China)", "aws-us-gov": "aws-us-gov (GovCloud)" })[p];
  for (const [field, region] of regions) {
    if (region !== undefined && partitionOf(region) !== home) {
      add(
        field,
        `is in partition ${name(partitionOf(region))}, but region "${c.region}" is in ${name(home)}: an organisation and its accounts live in one partition`,
        region,
      );
    }
  }
  const arns: [string, string | undefined][] = [
    ["iam.permissionsBoundaryArn", c.iam.permissionsBoundaryArn],
    ["accounts.management.roleArn", a.management.roleArn],
    ["backend.roleArn", c.backend.type === "s3" ? c.backend.roleArn : undefined],
    ...c.kinesis.streams.map((s, i) => [`kinesis.streams[${i}].kmsKeyArn`, s.kmsKeyArn] as [string, string | undefined]),
    ...c.kinesis.applications.flatMap((x, i) => [
      [`kinesis.applications[${i}].eks.oidcProviderArn`, x.eks?.oidcProviderArn] as [string, string | undefined],
      ...(x.s3 ?? []).map((w, j) => [`kinesis.applications[${i}].s3[${j}].kmsKeyArn`, w.kmsKeyArn] as [string, string | undefined]),
    ]),
  ];
  for (const [field, arn] of arns) {
    const p = arn?.split(":")[1];
    if (p !== undefined && p !== home)
      add(field, `is an ARN in partition ${p}, but the organisation is in ${home} (region "${c.region}"); use an ARN of ${home}`, arn);
  }
}

function tags(c: Config, add: Add) {
  const keys = Object.keys(c.tags);
  if (keys.length > MAX_TAGS) {
    add("tags", `has ${keys.length} tags; AWS allows ${MAX_TAGS} per resource, and every resource gets all of them (default_tags)`);
  }
  const seen = new Map<string, string>();
  for (const k of keys) {
    const first = seen.get(k.toLowerCase());
    if (first !== undefined) {
      add(`tags.${k}`, `differs from the tag key "${first}" only in case; IAM treats tag keys without regard to case, so the two collide: keep one`, k);
    } else seen.set(k.toLowerCase(), k);
  }
}

function keySchemas(c: Config, add: Add) {
  c.accounts.sources.forEach((s, i) => {
    for (const [table, k] of Object.entries(s.tableKeys)) {
      if (k.rangeKey !== undefined && k.rangeKey.name === k.hashKey.name) {
        add(
          `accounts.sources[${i}].tableKeys.${table}.rangeKey.name`,
          `is the hash key's attribute too ("${k.hashKey.name}"); DynamoDB needs two different attributes, or no range key`,
          k.rangeKey.name,
        );
      }
    }
  });
}

/**
 * In the backup bucket policy of an "organization" admit, each (method,
 * writer role) pair has statements whose Sid is built from the two names
 * reduced to letters and digits: two role names that reduce alike would give
 * one policy two statements of one Sid, which S3 refuses.
 */
function sids(c: Config, add: Add) {
  if (c.backup?.admit !== "organization") return;
  const seen = new Map<string, { field: string; name: string }>();
  c.accounts.sources.forEach((s, i) => {
    const role = s.writerRoleName ?? (s.method === "native-export" ? "snowplow-backup-writer" : "DataPipelineDefaultResourceRole");
    const key = `${sidPart(s.method)}${sidPart(role)}`;
    const field = `accounts.sources[${i}].writerRoleName`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, { field, name: role });
    else if (first.name !== role) {
      add(
        field,
        `"${role}" and ${first.field} "${first.name}" become the same statement id "${key}" in the backup bucket policy (names reduced to letters and digits); use one role name, or names that differ in letters or digits`,
        role,
      );
    }
  });
}

function guardrailIds(c: Config, add: Add) {
  const seen = new Map<string, number>();
  c.guardrails.neverGranted.forEach((g, i) => {
    const first = seen.get(g.id);
    if (first !== undefined)
      add(`guardrails.neverGranted[${i}].id`, `is the id of guardrails.neverGranted[${first}] too; ids name findings, so each is unique`, g.id);
    else seen.set(g.id, i);
  });
}
