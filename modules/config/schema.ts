/**
 * The one configuration file: its shape, its defaults and its rules.
 * Unknown keys are errors everywhere (strict objects): a misspelt switch must
 * never be silently ignored in a security tool.
 */
import { z } from "zod";
import * as rules from "./rules";
import type { NameRule } from "./rules";

/** a string that follows one of AWS's naming rules */
function named(rule: NameRule) {
  const error = `expected ${rule.accepts}, e.g. ${JSON.stringify(rule.example)}`;
  const checked = rule.pattern ? z.string().regex(rule.pattern, { error }) : z.string().refine(rule.test, { error });
  // patternErrorMessage: what editors (VS Code's JSON support) show instead of the raw regular expression
  return checked.meta({ description: rule.accepts, examples: [rule.example], ...(rule.pattern ? { patternErrorMessage: error } : {}) });
}

const accountId = named(rules.accountId);
const region = z.enum(rules.AWS_REGIONS, {
  error: 'expected a region code such as "eu-west-1" (one of AWS\'s regions)',
});
const accessRoleName = named(rules.iamRoleName)
  .default("OrganizationAccountAccessRole")
  .describe("role in the account that the management account's credentials assume to reach it");

const userOptions = {
  pgpKey: named(rules.pgpKey)
    .optional()
    .describe("PGP public key (base64) or keybase:<user> that encrypts the access key secret and the console password in the Terraform state"),
  accessKey: z.boolean().default(false).describe("create an access key (needs pgpKey); prefer roles or IAM Identity Center"),
  consoleLogin: z.boolean().default(false).describe("create a console login profile whose generated password must be reset at first sign-in (needs pgpKey)"),
};

const KeyAttribute = z.strictObject({
  name: named(rules.dynamoAttributeName),
  type: z.enum(["S", "N", "B"]).describe("S (string), N (number) or B (binary)"),
});

const TableKey = z.strictObject({
  hashKey: KeyAttribute.describe("the table's partition key, exactly as it is"),
  rangeKey: KeyAttribute.optional().describe("the table's sort key, when it has one"),
});

const SourceAccount = z.strictObject({
  name: named(rules.shortName).describe("short name of the production account; names its stack (source-<name>) and its Sids"),
  id: accountId,
  region: region.optional().describe("region of the account's DynamoDB tables; default: the top-level region"),
  accessRoleName,
  method: z
    .enum(["native-export", "data-pipeline"])
    .default("native-export")
    .describe(
      "native-export: DynamoDB ExportTableToPointInTime (default; AWS Data Pipeline is closed to new customers). data-pipeline: the seed's Data Pipeline resource role",
    ),
  tables: z.array(named(rules.dynamoTableName)).default([]).describe("DynamoDB tables this account exports into the backup bucket"),
  pointInTimeRecovery: z
    .enum(["verify", "enable", "ignore"])
    .optional()
    .describe(
      "native-export needs point-in-time recovery on each table. verify (default for native-export): plan fails unless each table has it on. enable: the source stack imports each table and turns it on, changing nothing else (needs tableKeys). ignore (default for data-pipeline): no check",
    ),
  tableKeys: z
    .record(named(rules.dynamoTableName), TableKey)
    .default({})
    .describe("key schema of each table, by table name; needed by pointInTimeRecovery 'enable' so an imported table is never replaced"),
  retire: z
    .boolean()
    .default(false)
    .describe(
      "retire this source account: its stack keeps only what forgets its tables (removed blocks) and destroys its writer role, and the bucket stops admitting it; apply, then delete the source (README, Retiring a source account)",
    ),
  writerRoleName: named(rules.iamRoleName)
    .optional()
    .describe("role that writes the backups: default 'snowplow-backup-writer' (native-export) or 'DataPipelineDefaultResourceRole' (data-pipeline)"),
});

const Stream = z.strictObject({
  name: named(rules.kinesisStreamName),
  kmsKeyArn: named(rules.kmsKeyArn).optional().describe("KMS key that encrypts the stream; producers get kms:GenerateDataKey and consumers kms:Decrypt on it"),
});

const streamList = (what: string) => z.array(named(rules.kinesisStreamName)).optional().describe(what);

const S3Write = z.strictObject({
  bucket: named(rules.s3BucketName).describe("bucket the application writes objects into"),
  prefix: named(rules.s3KeyPrefix).optional().describe('key prefix it writes under (e.g. "enriched/"); default: the whole bucket'),
  kmsKeyArn: named(rules.kmsKeyArn)
    .optional()
    .describe("KMS key of the bucket's SSE-KMS default encryption; adds kms:GenerateDataKey and kms:Decrypt through S3"),
});

const Application = z.strictObject({
  name: named(rules.kclApplicationName).describe("application name; also the KCL lease table, role and CloudWatch namespace name"),
  reads: streamList("streams it consumes with the KCL (Snowplow enrich reads the raw stream): read, lease tables, KCL metrics"),
  writes: streamList("streams it produces to (enrich writes enriched good and bad): PutRecord(s), ListShards, KPL metrics"),
  s3: z.array(S3Write).optional().describe("buckets it writes objects into (the S3 loader): s3:PutObject and s3:AbortMultipartUpload under the prefix"),
  kind: z
    .enum(["producer", "consumer"])
    .optional()
    .describe("older form: producer (streams are written) or consumer (streams are read); use reads/writes to do both in one process"),
  streams: streamList("older form, with kind: the streams the producer writes or the consumer reads"),
  kclVersion: z
    .union([z.literal(1), z.literal(2), z.literal(3)], { error: "expected 1, 2 or 3" })
    .default(2)
    .describe("KCL (reads) and KPL/SDK (writes) generation: 1, 2 or 3; Snowplow's apps since 2024 use KCL 3 (common-streams)"),
  enhancedFanOut: z
    .boolean()
    .optional()
    .describe("consumer reads with enhanced fan-out (default for KCL 2 and 3, as in the KCL itself): adds the stream consumer permissions"),
  producerMetrics: z
    .boolean()
    .default(true)
    .describe("the KPL uploads its metrics to CloudWatch by default (metrics_level detailed); false drops cloudwatch:PutMetricData for writers"),
  producerMetricsNamespace: named(rules.cloudwatchNamespace)
    .default("KinesisProducerLibrary")
    .describe("CloudWatch namespace of the KPL's metrics (its MetricsNamespace setting)"),
  runAs: z.enum(["ec2", "ecs", "eks"]).default("ec2").describe("what assumes the application's role: an EC2 instance profile, an ECS task or an EKS pod"),
  eks: z
    .strictObject({
      oidcProviderArn: named(rules.oidcProviderArn),
      namespace: named(rules.kubernetesName),
      serviceAccount: named(rules.kubernetesName),
    })
    .optional()
    .describe("required when runAs is eks: the cluster's OIDC provider and the pod's service account"),
  createUser: z.boolean().default(false).describe("also create an IAM user with the policy (seed 002's StockTradeStreamUser); roles are better"),
  user: z.strictObject(userOptions).optional().describe("access key and console options for that user"),
  createLeaseTable: z
    .boolean()
    .default(false)
    .describe("create the KCL lease table here (on-demand, point-in-time recovery) and drop dynamodb:CreateTable from the policy"),
});

const Buckets = z
  .strictObject({
    log: named(rules.s3BucketName).describe("collector and EMR logs (write)"),
    rawIn: named(rules.s3BucketName).describe("raw events in (read, delete)"),
    processing: named(rules.s3BucketName).describe("processing (read, write, delete)"),
    enrichedOut: named(rules.s3BucketName).describe("enriched and shredded out (read, write, delete)"),
    archive: named(rules.s3BucketName).describe("archive of raw and enriched data (write)"),
    badRows: named(rules.s3BucketName).describe("bad rows (write)"),
    hostedAssets: named(rules.s3BucketName)
      .optional()
      .describe(
        "Snowplow's hosted assets (read only); default as EmrEtlRunner picks it: snowplow-hosted-assets in eu-west-1, snowplow-hosted-assets-<region> elsewhere",
      ),
  })
  .describe("the pipeline's S3 buckets by role");

export const ConfigSchema = z
  .strictObject({
    $schema: z.string().optional().describe("path of the JSON Schema, for editors"),
    company: named(rules.companyName),
    region: region.describe("default region of every account"),
    tags: z
      .record(named(rules.tagKey), named(rules.tagValue))
      .default({})
      .describe("tags put on every taggable resource (through the provider's default_tags)"),
    backend: z
      .discriminatedUnion("type", [
        z.strictObject({ type: z.literal("local").describe("local: a state file per stack in the project folder") }),
        z.strictObject({
          type: z.literal("s3").describe("s3: state in an S3 bucket with a lock file (use_lockfile), a key per stack"),
          bucket: named(rules.s3BucketName),
          region: region.describe("region of the state bucket"),
          keyPrefix: named(rules.s3KeyPrefix).default("snowplow-iac").describe("state key is <keyPrefix>/<stack>.tfstate"),
          roleArn: named(rules.iamRoleArn).optional().describe("role to assume to reach the state bucket"),
        }),
      ])
      .default({ type: "local" })
      .describe("state backend: local (default, a state file per stack in the project folder) or s3 (use_lockfile, a key per stack)"),
    iam: z
      .strictObject({
        path: named(rules.iamPath).default("/").describe("IAM path of every user, group, role and policy"),
        permissionsBoundaryArn: named(rules.iamManagedPolicyArn).optional().describe("permissions boundary put on every user and role"),
        enableMfaEnforcement: z.boolean().default(true).describe("deny everything but MFA self-setup to group members signed in without MFA"),
      })
      .default({ path: "/", enableMfaEnforcement: true })
      .describe("IAM settings shared by every user, group, role and policy the stacks create"),
    organization: z
      .strictObject({
        id: named(rules.organizationId)
          .optional()
          .describe("organisation id; when given, bucket policies only admit principals of this organisation (aws:PrincipalOrgID)"),
        serviceControlPolicy: z
          .strictObject({
            enabled: z
              .boolean()
              .default(true)
              .describe("attach the service control policy to the Snowplow account (off for an account that already runs other workloads)"),
            allowedRegions: z.array(region).optional().describe("deny regional services outside these regions"),
          })
          .default({ enabled: true })
          .describe("limit the Snowplow account to the services of the chosen flow"),
      })
      .default({ serviceControlPolicy: { enabled: true } })
      .describe("the AWS Organization the Snowplow account belongs to"),
    accounts: z
      .strictObject({
        management: z
          .strictObject({
            id: accountId,
            region: region.optional().describe("region of the management stack's provider; default: the top-level region"),
            roleArn: named(rules.iamRoleArn).optional().describe("role to assume in the management account; default: use the caller's credentials as they are"),
          })
          .describe("the organisation's management account, which creates or adopts the Snowplow member account"),
        snowplow: z
          .strictObject({
            mode: z.enum(["create", "adopt"]).describe("create the member account, or adopt an existing one (imported into state)"),
            id: accountId
              .optional()
              .describe("account id; required for adopt; optional for create (the pipeline stack then reads it from the management stack's state)"),
            name: named(rules.accountName).optional().describe("account name; default snowplow-<company>"),
            email: named(rules.email),
            parentId: named(rules.organizationParentId).optional().describe("root or organisational unit to place the account in"),
            accessRoleName,
            iamUserAccessToBilling: z
              .enum(["ALLOW", "DENY"])
              .default("DENY")
              .describe("WARNING: changing this after creation replaces (re-creates) the account"),
            region: region.optional().describe("region of the pipeline stack; default: the top-level region"),
          })
          .describe("the member account the Snowplow pipeline runs in"),
        backup: z
          .strictObject({ id: accountId, region: region.optional().describe("region of the backup bucket; default: the top-level region"), accessRoleName })
          .optional()
          .describe("the separate, locked-down account that holds the backup bucket"),
        sources: z.array(SourceAccount).default([]).describe("production accounts that export DynamoDB backups into the backup bucket"),
      })
      .describe("the AWS accounts involved, by role"),
    pipeline: z
      .strictObject({
        flow: z
          .enum(["batch", "real-time", "both"])
          .describe("batch: EmrEtlRunner on EMR; real-time: Kinesis apps (collector, enrich, loaders); both: the two together"),
        phase: z.enum(["install", "operate"]).default("install").describe("install: the installer user is in the setup group; operate: it is removed from it"),
        installer: z
          .strictObject({
            userName: named(rules.iamUserName).default("snowplow-setup"),
            groupName: named(rules.iamGroupName)
              .default("snowplow-setup")
              .describe("the installer group (seed 001's name by default; an older install's name to adopt it)"),
            deleteUserWhenOperating: z
              .boolean()
              .default(false)
              .describe("in the operate phase, delete the installer user instead of only removing it from the group"),
            ...userOptions,
          })
          .default({ userName: "snowplow-setup", groupName: "snowplow-setup", deleteUserWhenOperating: false, accessKey: false, consoleLogin: false })
          .describe("the installer user that sets the pipeline up (seed 001), in the snowplow-setup group"),
        operator: z
          .strictObject({
            level: z
              .enum(["least-privilege", "compatible"])
              .default("least-privilege")
              .describe("least-privilege: named resources; compatible: Snowplow's published policy as it is"),
            userName: named(rules.iamUserName).default("snowplow-operator"),
            groupName: named(rules.iamGroupName)
              .default("snowplow-data-pipeline")
              .describe("the operator group (seed 000's name by default; an older install's name to adopt it)"),
            snsMonitoring: z.boolean().default(false).describe("grant sns:Publish on snsTopicName, for monitoring by SNS"),
            snsTopicName: named(rules.snsTopicName).default("snowplow-monitoring"),
            emrServiceRoleName: named(rules.iamRoleName).default("EMR_DefaultRole"),
            emrInstanceProfileRoleName: named(rules.iamRoleName).default("EMR_EC2_DefaultRole"),
            legacyFileMoves: z
              .boolean()
              .default(false)
              .describe(
                "least-privilege only: also grant what releases before S3DistCp staging needed (Sluice moved files with the operator's keys; StorageLoader read Redshift). EmrEtlRunner 1.0.x needs none of it",
              ),
            ...userOptions,
          })
          .default({
            level: "least-privilege",
            userName: "snowplow-operator",
            groupName: "snowplow-data-pipeline",
            snsMonitoring: false,
            snsTopicName: "snowplow-monitoring",
            emrServiceRoleName: "EMR_DefaultRole",
            emrInstanceProfileRoleName: "EMR_EC2_DefaultRole",
            legacyFileMoves: false,
            accessKey: false,
            consoleLogin: false,
          })
          .describe("the operator user that runs EmrEtlRunner day to day (batch flow), in the snowplow-data-pipeline group"),
        buckets: Buckets.optional().describe(
          "the pipeline's S3 buckets by role; required unless flow is real-time (the batch operator and Spark nodes use them)",
        ),
      })
      .describe("the Snowplow pipeline: its flow, phase, installer, operator and buckets"),
    kinesis: z
      .strictObject({
        streams: z.array(Stream).default([]).describe("the Kinesis streams the applications use (created outside this project)"),
        applications: z.array(Application).default([]).describe("the applications that read or write the streams, each with its own role"),
      })
      .default({ streams: [], applications: [] })
      .describe("Kinesis streams and the producer and consumer applications that use them (real-time flow)"),
    spark: z
      .strictObject({
        enabled: z.boolean().default(true).describe("false keeps the block but creates nothing"),
        launcher: z
          .strictObject({
            policyName: named(rules.iamPolicyName).default("snowplow-spark-launcher"),
            groupName: named(rules.iamGroupName).optional().describe("attach the launcher policy to this new group (for people)"),
            roleName: named(rules.iamRoleName).optional().describe("attach the launcher policy to this existing role (for automation)"),
          })
          .default({ policyName: "snowplow-spark-launcher" })
          .describe("the policy Flintrock's user or role launches and destroys clusters with"),
        instanceProfileName: named(rules.iamRoleName).default("snowplow-spark-node"),
        nodeRoleName: named(rules.iamRoleName).default("snowplow-spark-node"),
        instanceProfilePath: named(rules.iamPath)
          .optional()
          .describe(
            "IAM path of the instance profile and its role, as in their ARNs; default: iam.path when createInstanceProfile is on, else '/' (where seed 003's EMR_EC2_DefaultRole and profiles made in the console live)",
          ),
        createInstanceProfile: z.boolean().default(true).describe("create the Spark nodes' role and instance profile, with access to the pipeline's buckets"),
      })
      .optional()
      .describe("Flintrock Spark launcher (seed 003)"),
    backup: z
      .strictObject({
        bucketName: named(rules.s3BucketName),
        encryption: z
          .enum(["sse-s3", "sse-kms"])
          .default("sse-s3")
          .describe("default encryption: sse-s3 (AES256), or sse-kms with a customer managed key created in the backup account"),
        admit: z
          .enum(["listed-accounts", "organization"])
          .default("listed-accounts")
          .describe(
            "listed-accounts: the writer role of each source account, listed in the bucket policy (up to about 300 accounts). organization: the writer role of any account of organization.id, each under its own prefix (for more accounts)",
          ),
        noncurrentVersionExpirationDays: z
          .number()
          .int()
          .min(1)
          .max(36500)
          .default(90)
          .describe("days a replaced or deleted backup version is kept before it expires"),
        abortIncompleteUploadDays: z.number().int().min(1).max(365).default(7).describe("days before an unfinished multipart upload is cleaned up"),
        accessLogs: z
          .strictObject({
            bucketName: named(rules.s3BucketName),
            prefix: named(rules.s3KeyPrefix).default("backup-access-logs/"),
          })
          .optional()
          .describe("write server access logs of the backup bucket to this bucket in the backup account"),
        cloudTrailDataEvents: z
          .boolean()
          .default(false)
          .describe(
            "say that a CloudTrail trail you run records S3 data events of the backup bucket; without it or accessLogs, synth warns that cross-account writes go unrecorded",
          ),
      })
      .optional()
      .describe("the cross-account backup bucket (seed 004); needs accounts.backup"),
    adopt: z
      .strictObject({
        installer: z.boolean().default(false).describe("the installer group and user exist (seed 001): import them"),
        operator: z.boolean().default(false).describe("the operator group, policy, user and membership exist (seed 000): import them"),
        applications: z.array(named(rules.kclApplicationName)).default([]).describe("Kinesis applications whose role, policy and instance profile exist"),
        spark: z.boolean().default(false).describe("the Spark launcher policy, group, node role and instance profile exist"),
        backupBucket: z.boolean().default(false).describe("the backup bucket, its settings, policy, key and alias exist (seed 004)"),
        backupKmsKeyId: z
          .string()
          .regex(/^(mrk-)?[a-f0-9-]{32,36}$/, { error: 'expected the key id, e.g. "1234abcd-12ab-34cd-56ef-1234567890ab"' })
          .meta({ patternErrorMessage: 'expected the key id, e.g. "1234abcd-12ab-34cd-56ef-1234567890ab"' })
          .optional()
          .describe("id of the backup bucket's existing KMS key (sse-kms), for its import"),
        sourceWriters: z.array(named(rules.shortName)).default([]).describe("source accounts (by name) whose backup writer role and policy exist"),
        inlinePolicies: z
          .array(
            z.union(
              [
                z.strictObject({ group: named(rules.iamGroupName), policy: named(rules.iamPolicyName) }),
                z.strictObject({ role: named(rules.iamRoleName), policy: named(rules.iamPolicyName) }),
                z.strictObject({ user: named(rules.iamUserName), policy: named(rules.iamPolicyName) }),
              ],
              { error: 'expected { "group" | "role" | "user": <name>, "policy": <inline policy name> }' },
            ),
          )
          .default([])
          .describe(
            "policies of an adopted part that exist as inline policies of their group, role or user (not managed policies): the stacks then manage them inline, imported as <principal>:<policy>, instead of creating a managed policy beside them",
          ),
        except: z
          .array(z.string().min(1))
          .default([])
          .describe("import IDs of resources in adopted parts that do not exist yet: created, not imported (npm run adopt writes this list)"),
      })
      .default({ installer: false, operator: false, applications: [], spark: false, backupBucket: false, sourceWriters: [], inlinePolicies: [], except: [] })
      .describe("parts that already exist, built by hand from the seed procedures: each resource gets an import block (README, Adopting an existing setup)"),
    ci: z
      .strictObject({
        github: z
          .strictObject({
            repository: z
              .string()
              .regex(/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/, { error: 'expected "owner/name" of a GitHub repository, e.g. "acme/snowplow-infra"' })
              .meta({
                description: "the repository whose pull-request workflows may plan",
                patternErrorMessage: 'expected "owner/name" of a GitHub repository, e.g. "acme/snowplow-infra"',
              }),
          })
          .describe("GitHub Actions, through GitHub's OIDC provider"),
        hubRoleName: named(rules.iamRoleName).default("snowplow-iac-plan-hub").describe("the role the plan workflow assumes, in the management account"),
        planRoleName: named(rules.iamRoleName).default("snowplow-iac-plan").describe("the read-only role each stack's plan runs under, one per account"),
        createOidcProvider: z
          .boolean()
          .default(true)
          .describe("create GitHub's OIDC provider in the management account (false when the account has one: there is one per account)"),
      })
      .optional()
      .describe("read-only plans of pull requests in CI (needs backend s3): a hub role for the workflow and a plan role in every account"),
    dataSafety: z
      .strictObject({
        destroy: z
          .array(
            z
              .string()
              .regex(/^[a-z0-9-]+:[^\s]+$/, { error: 'expected "<stack>:<name>", e.g. "backup:acme-dynamodb-backups" or "source-shop:orders"' })
              .meta({
                description: "a stack and the bucket, table or account e-mail (or Terraform address) in it",
                patternErrorMessage: 'expected "<stack>:<name>", e.g. "backup:acme-dynamodb-backups" or "source-shop:orders"',
              }),
          )
          .default([])
          .describe(
            "resources whose data may be destroyed on purpose: each loses prevent_destroy (a replacement is allowed) and, when it leaves the config, is destroyed instead of forgotten",
          ),
      })
      .default({ destroy: [] })
      .describe("what happens to resources that hold data (README, Data safety)"),
    guardrails: z
      .strictObject({
        neverGranted: z
          .array(
            z.strictObject({
              id: z
                .string()
                .regex(/^[a-z0-9-]{1,64}$/, { error: 'expected 1-64 lowercase letters, digits and "-", e.g. "no-kinesis-delete"' })
                .meta({
                  description: "the guardrail's name, shown in findings",
                  patternErrorMessage: 'expected 1-64 lowercase letters, digits and "-", e.g. "no-kinesis-delete"',
                }),
              reason: z.string().min(1).describe("what must never be granted, in words (shown in every finding)"),
              actions: z
                .array(
                  z
                    .string()
                    .regex(/^([a-zA-Z0-9-]+:[A-Za-z0-9*?]+|\*)$/, { error: 'expected an IAM action pattern such as "kinesis:Delete*"' })
                    .meta({ patternErrorMessage: 'expected an IAM action pattern such as "kinesis:Delete*"' }),
                )
                .min(1)
                .describe('IAM action patterns that must never be granted, e.g. ["kinesis:Delete*"]'),
              resources: z
                .array(z.string().min(1))
                .optional()
                .describe('resource ARN patterns it is forbidden on; default: any, e.g. ["arn:aws:kinesis:*:*:stream/acme-*"]'),
            }),
          )
          .default([])
          .describe("access no policy the stacks emit may grant, beside the built-in list; checked at synth (and by npm run review for the built-in ones)"),
      })
      .default({ neverGranted: [] })
      .describe("guardrails: access that must never be granted"),
  })
  .describe("Snowplow AWS infrastructure: one file for every account");

/** the config as written in a file (defaults optional) */
export type ConfigInput = z.input<typeof ConfigSchema>;
/** the config after validation, defaults filled in */
export type Config = z.output<typeof ConfigSchema>;
export type SourceAccountConfig = Config["accounts"]["sources"][number];
export type StreamConfig = Config["kinesis"]["streams"][number];
export type ApplicationConfig = Config["kinesis"]["applications"][number];
export type BucketsConfig = Config["pipeline"]["buckets"];
export type UserOptions = Config["pipeline"]["operator"];

/**
 * what an application reads and writes, from either form: `reads`/`writes`,
 * or the older `kind` + `streams` (a producer writes its streams, a consumer reads them)
 */
export function appStreams(app: Pick<ApplicationConfig, "kind" | "streams" | "reads" | "writes">): { reads: string[]; writes: string[] } {
  const legacy = app.streams ?? [];
  return {
    reads: [...(app.reads ?? []), ...(app.kind === "consumer" ? legacy : [])],
    writes: [...(app.writes ?? []), ...(app.kind === "producer" ? legacy : [])],
  };
}

/** for TypeScript config files: `export default defineConfig({...})` */
export function defineConfig(config: ConfigInput): ConfigInput {
  return config;
}

/** JSON Schema of the file, for editors */
export function configJsonSchema(): object {
  return z.toJSONSchema(ConfigSchema, { io: "input", unrepresentable: "any" });
}
