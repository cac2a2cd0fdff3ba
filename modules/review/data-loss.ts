/**
 * Data loss in a plan: destroys and replacements of resources that hold data
 * or guard it, and updates that lose data without a destroy (versioning
 * suspended, lifecycle expiry added or shortened, retention shortened,
 * deletion protection or point-in-time recovery turned off, force_destroy
 * turned on, a key disabled, a table's time to live turned on, a backup
 * plan's recovery points deleted sooner). What a plan cannot show (a lifted
 * `prevent_destroy`) is compared on the synthesized configuration
 * (`compareSynth`).
 */
import { kind, type ResourceChange, type Values } from "./plan-model";

/** resources that hold data, or guard it: a destroy or replace of one is called out loudly */
export const DATA_RESOURCES: Readonly<Record<string, string>> = {
  aws_organizations_account: "the member account",
  aws_s3_bucket: "a bucket",
  aws_s3_bucket_policy: "a bucket's policy",
  aws_s3_bucket_versioning: "a bucket's versioning",
  aws_s3_bucket_server_side_encryption_configuration: "a bucket's encryption",
  aws_s3_bucket_object_lock_configuration: "a bucket's object lock",
  aws_s3_object: "an S3 object",
  aws_kms_key: "a KMS key",
  aws_dynamodb_table: "a DynamoDB table",
  aws_kinesis_stream: "a Kinesis stream",
  aws_kinesis_firehose_delivery_stream: "a Firehose delivery stream",
  aws_sqs_queue: "an SQS queue",
  aws_sns_topic: "an SNS topic",
  aws_db_instance: "a database instance",
  aws_rds_cluster: "a database cluster",
  aws_docdb_cluster: "a DocumentDB cluster",
  aws_neptune_cluster: "a Neptune cluster",
  aws_redshift_cluster: "a Redshift cluster",
  aws_elasticache_cluster: "an ElastiCache cluster",
  aws_elasticache_replication_group: "an ElastiCache replication group",
  aws_efs_file_system: "an EFS file system",
  aws_ebs_volume: "an EBS volume",
  aws_ebs_snapshot: "an EBS snapshot",
  aws_fsx_lustre_file_system: "an FSx file system",
  aws_opensearch_domain: "an OpenSearch domain",
  aws_elasticsearch_domain: "an Elasticsearch domain",
  aws_msk_cluster: "an MSK cluster",
  aws_ecr_repository: "an ECR repository",
  aws_secretsmanager_secret: "a secret",
  aws_ssm_parameter: "an SSM parameter",
  aws_cloudwatch_log_group: "a log group",
  aws_backup_vault: "a backup vault",
  aws_glacier_vault: "a Glacier vault",
  aws_timestream_table: "a Timestream table",
  aws_emr_cluster: "an EMR cluster (HDFS)",
  aws_dynamodb_table_replica: "a DynamoDB table replica",
  aws_dynamodb_global_table: "a DynamoDB global table",
  aws_keyspaces_table: "a Keyspaces table",
  aws_qldb_ledger: "a QLDB ledger",
  aws_memorydb_cluster: "a MemoryDB cluster",
  aws_fsx_windows_file_system: "an FSx file system",
  aws_fsx_ontap_file_system: "an FSx file system",
  aws_fsx_openzfs_file_system: "an FSx file system",
  aws_db_snapshot: "a database snapshot",
  aws_db_cluster_snapshot: "a database cluster snapshot",
  aws_redshiftserverless_namespace: "a Redshift Serverless namespace",
  aws_s3_directory_bucket: "a directory bucket",
  aws_s3tables_table: "an S3 table",
  aws_kinesis_video_stream: "a Kinesis video stream",
  aws_lightsail_database: "a Lightsail database",
};

const num = (v: unknown): number | undefined => (typeof v === "number" ? v : typeof v === "string" && v !== "" && !isNaN(Number(v)) ? Number(v) : undefined);
const first = (v: unknown): Values => (Array.isArray(v) && v[0] && typeof v[0] === "object" ? (v[0] as Values) : {});

/** per lifecycle rule filter: the shortest expiry of current and of noncurrent versions among enabled rules */
function expiries(values: Values): Map<string, { current?: number; noncurrent?: number; deleteMarkers?: boolean }> {
  const out = new Map<string, { current?: number; noncurrent?: number; deleteMarkers?: boolean }>();
  for (const rule of Array.isArray(values.rule) ? (values.rule as Values[]) : []) {
    if (rule.status !== "Enabled") continue;
    const filter = JSON.stringify([rule.filter ?? null, rule.prefix ?? null]);
    const e = out.get(filter) ?? {};
    const exp = first(rule.expiration);
    const days = num(exp.days) ?? (exp.date ? 0 : undefined);
    if (days !== undefined) e.current = Math.min(e.current ?? Infinity, days);
    const nc = num(first(rule.noncurrent_version_expiration).noncurrent_days);
    if (nc !== undefined) e.noncurrent = Math.min(e.noncurrent ?? Infinity, nc);
    out.set(filter, e);
  }
  return out;
}

/** updates that lose data without a destroy */
function updateLosses(rc: ResourceChange): string[] {
  const b = rc.change.before ?? {};
  const a = rc.change.after ?? {};
  const at = `\`${rc.address}\``;
  const out: string[] = [];
  const shortened = (name: string, before: number | undefined, after: number | undefined, unit: string, zeroIsForever = false) => {
    const norm = (x: number | undefined) => (x === undefined || (zeroIsForever && x === 0) ? Infinity : x);
    if (norm(after) < norm(before)) out.push(`${name} shortened from ${norm(before) === Infinity ? "never" : `${before} ${unit}`} to ${after} ${unit}: ${at}`);
  };
  switch (rc.type) {
    case "aws_s3_bucket_versioning": {
      const sb = first(b.versioning_configuration).status;
      const sa = first(a.versioning_configuration).status;
      if (sb === "Enabled" && sa !== "Enabled")
        out.push(`a bucket's versioning would be ${String(sa ?? "turned off").toUpperCase()}: old versions stop being kept: ${at}`);
      break;
    }
    case "aws_s3_bucket_lifecycle_configuration": {
      const eb = expiries(b);
      for (const [filter, e] of expiries(a)) {
        const was = eb.get(filter) ?? {};
        const where = filter === JSON.stringify([null, null]) ? "" : ` (rule filter ${filter})`;
        if (e.current !== undefined && (was.current === undefined || e.current < was.current))
          out.push(`lifecycle now expires current objects after ${e.current} days${was.current === undefined ? "" : ` (was ${was.current})`}${where}: ${at}`);
        if (e.noncurrent !== undefined && (was.noncurrent === undefined || e.noncurrent < was.noncurrent))
          out.push(
            `lifecycle now deletes old versions after ${e.noncurrent} days${was.noncurrent === undefined ? "" : ` (was ${was.noncurrent})`}${where}: ${at}`,
          );
      }
      break;
    }
    case "aws_kinesis_stream":
      shortened("stream retention", num(b.retention_period), num(a.retention_period), "hours");
      break;
    case "aws_sqs_queue":
      shortened("queue retention", num(b.message_retention_seconds), num(a.message_retention_seconds), "seconds");
      break;
    case "aws_cloudwatch_log_group":
      shortened("log retention", num(b.retention_in_days), num(a.retention_in_days), "days", true);
      break;
    case "aws_dynamodb_table": {
      if (b.deletion_protection_enabled === true && a.deletion_protection_enabled !== true) out.push(`a table's deletion protection is turned off: ${at}`);
      // time to live: DynamoDB deletes items whose attribute holds a time in the past
      const tb = first(b.ttl);
      const ta = first(a.ttl);
      if (ta.enabled === true && (tb.enabled !== true || tb.attribute_name !== ta.attribute_name))
        out.push(`a table's time to live is turned on (attribute ${String(ta.attribute_name)}): DynamoDB deletes items whose time has passed: ${at}`);
      if (first(b.point_in_time_recovery).enabled === true && first(a.point_in_time_recovery).enabled !== true)
        out.push(`a table's point-in-time recovery is turned off: ${at}`);
      break;
    }
    case "aws_backup_plan": {
      // per rule: the days after which AWS Backup deletes its recovery points (none: kept)
      const deletes = (v: Values) =>
        new Map((Array.isArray(v.rule) ? (v.rule as Values[]) : []).map((r) => [String(r.rule_name), num(first(r.lifecycle).delete_after)]));
      const was = deletes(b);
      for (const [rule, days] of deletes(a)) {
        // a new rule deletes only the recovery points it makes
        if (!was.has(rule)) continue;
        const before = was.get(rule);
        if (days !== undefined && (before === undefined || days < before))
          out.push(`backup plan rule ${rule} now deletes recovery points after ${days} days${before === undefined ? "" : ` (was ${before})`}: ${at}`);
      }
      break;
    }
    case "aws_s3_bucket":
      if (b.force_destroy !== true && a.force_destroy === true) out.push(`a bucket's force_destroy is turned on (a destroy would empty it): ${at}`);
      break;
    case "aws_kms_key":
      if (b.is_enabled !== false && a.is_enabled === false) out.push(`a KMS key is disabled: what it encrypts becomes unreadable: ${at}`);
      break;
    case "aws_db_instance":
    case "aws_rds_cluster":
      if (b.deletion_protection === true && a.deletion_protection !== true) out.push(`a database's deletion protection is turned off: ${at}`);
      if (b.skip_final_snapshot === false && a.skip_final_snapshot === true) out.push(`a database will be destroyed without a final snapshot: ${at}`);
      shortened("backup retention", num(b.backup_retention_period), num(a.backup_retention_period), "days");
      break;
  }
  return out;
}

export function dataWarnings(changes: readonly ResourceChange[]): string[] {
  const out: string[] = [];
  for (const rc of changes) {
    const k = kind(rc.change.actions);
    if ((k === "destroy" || k === "replace") && DATA_RESOURCES[rc.type]) {
      out.push(`${DATA_RESOURCES[rc.type]} would be ${k === "destroy" ? "DESTROYED" : "REPLACED (destroyed, then created empty)"}: \`${rc.address}\``);
    }
    if (k === "update" || k === "replace") out.push(...updateLosses(rc));
  }
  return out;
}

/**
 * What a plan cannot show: `prevent_destroy` lifted between two synthesized
 * configurations (base and head of a pull request), per stack and resource.
 */
export function comparePreventDestroy(base: Record<string, unknown>, head: Record<string, unknown>, stack: string): string[] {
  const guarded = (doc: Record<string, unknown>) => {
    const out = new Map<string, boolean>();
    for (const [type, byName] of Object.entries((doc.resource as Record<string, Record<string, Values>>) ?? {})) {
      for (const [name, r] of Object.entries(byName)) out.set(`${type}.${name}`, (r.lifecycle as Values | undefined)?.prevent_destroy === true);
    }
    return out;
  };
  const b = guarded(base);
  const h = guarded(head);
  const out: string[] = [];
  for (const [address, on] of b) {
    if (!on) continue;
    if (!h.has(address))
      out.push(
        `${stack}: \`${address}\` leaves the configuration, and its prevent_destroy with it (the plan will show a destroy unless a removed block keeps it)`,
      );
    else if (!h.get(address)) out.push(`${stack}: prevent_destroy is lifted from \`${address}\``);
  }
  return out;
}
