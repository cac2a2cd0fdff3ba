import { DynamodbTable, IamInstanceProfile, IamRole, IamRolePolicyAttachment, IamUserPolicyAttachment } from "./private/cdk";
import type { IamPolicy } from "./private/cdk";
import { Construct } from "constructs";
import { arns, type AccountEnv } from "./private/arn";
import { PipelineUser, type PipelineUserProps } from "./private/pipeline-user";
import { PolicyDocument, type StatementProps } from "./private/policy";
import { ec2TrustPolicy } from "./private/trust";
import { PropsError } from "./private/props-error";
import { createManagedPolicies } from "./private/managed-policy";
import { registerPolicy } from "./private/policy-registry";
import { outputName, stackOutput } from "./private/outputs";

export interface KinesisStreamRef {
  readonly name: string;
  /** KMS key that encrypts the stream @default - not encrypted with a customer key */
  readonly kmsKeyArn?: string;
}

/** a bucket the application writes objects into (Snowplow's S3 loader) */
export interface S3WriteRef {
  readonly bucket: string;
  /** key prefix @default - the whole bucket */
  readonly prefix?: string;
  /** the bucket's SSE-KMS key @default - SSE-S3, no key permissions */
  readonly kmsKeyArn?: string;
}

export interface KinesisAppPolicyOptions {
  readonly env: AccountEnv;
  /** application name: the KCL lease table, CloudWatch namespace and role name */
  readonly appName: string;
  /** streams it consumes with the KCL @default [] */
  readonly reads?: readonly KinesisStreamRef[];
  /** streams it produces to @default [] */
  readonly writes?: readonly KinesisStreamRef[];
  /** buckets it writes objects into @default [] */
  readonly s3?: readonly S3WriteRef[];
  /** client generation: KCL 1 (1.9+), 2 or 3, or the matching producer SDK @default 2 */
  readonly kclVersion?: 1 | 2 | 3;
  /** consumer reads with enhanced fan-out @default - true for KCL 2 and 3, as the KCL does */
  readonly enhancedFanOut?: boolean;
  /** the lease table is created by Terraform, so the app needs no dynamodb:CreateTable @default false */
  readonly leaseTableManaged?: boolean;
  /**
   * CloudWatch namespace the KPL publishes its metrics under, or false when its
   * metrics are off (`metrics_level = none`)
   * @default "KinesisProducerLibrary"
   */
  readonly producerMetricsNamespace?: string | false;
}

/** actions of seed 002 on the KCL lease table ("CreateTable ... DeleteItem") */
const SEED_LEASE_ACTIONS = ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Scan", "dynamodb:UpdateItem", "dynamodb:DeleteItem"];

const kmsKeysOf = (refs: readonly { readonly kmsKeyArn?: string }[]) => [...new Set(refs.flatMap((s) => (s.kmsKeyArn ? [s.kmsKeyArn] : [])))];

/**
 * The statements of one application's policy; exported for tests and reports.
 * Sources of each call: test/conformance/ (file and line of the KCL, KPL and
 * Snowplow's common-streams), replayed through the simulator.
 */
export function kinesisAppStatements(o: KinesisAppPolicyOptions): StatementProps[] {
  return [...readStatements(o), ...writeStatements(o), ...s3Statements(o)];
}

/** a KCL consumer: read the streams, keep leases, publish the KCL's metrics */
function readStatements(o: KinesisAppPolicyOptions): StatementProps[] {
  const e = o.env;
  const v = o.kclVersion ?? 2;
  const reads = o.reads ?? [];
  if (reads.length === 0) return [];
  const streamArns = reads.map((s) => arns.kinesisStream(e, s.name));
  const statements: StatementProps[] = [];
  statements.push({
    sid: "ReadStreams",
    actions: [
      "kinesis:DescribeStream",
      "kinesis:GetRecords",
      "kinesis:GetShardIterator",
      // KCL 1.9+ lists shards; https://docs.aws.amazon.com/streams/latest/dev/kcl-iam-permissions.html
      "kinesis:ListShards",
      ...(v >= 2 ? ["kinesis:DescribeStreamSummary"] : []),
    ],
    resources: streamArns,
    reason: "find the shards and read their records (seed 002, consumer)",
  });
  const fanOut = o.enhancedFanOut ?? v >= 2;
  if (fanOut) {
    statements.push({
      sid: "RegisterFanOutConsumer",
      actions: ["kinesis:RegisterStreamConsumer"],
      resources: streamArns,
      reason: "KCL 2+ registers the application as an enhanced fan-out consumer of the stream",
    });
    statements.push({
      sid: "ReadWithFanOut",
      actions: ["kinesis:DescribeStreamConsumer", "kinesis:SubscribeToShard"],
      resources: reads.map((s) => arns.kinesisStreamConsumers(e, s.name)),
      reason: "KCL 2+ reads shards through its own fan-out consumer",
    });
  }
  statements.push({
    sid: "UseLeaseTable",
    actions: [...(o.leaseTableManaged ? [] : ["dynamodb:CreateTable"]), ...SEED_LEASE_ACTIONS, ...(v >= 3 ? ["dynamodb:UpdateTable"] : [])],
    resources: [arns.dynamoTable(e, o.appName)],
    reason: "the KCL tracks its shard leases in a table named after the application (seed 002)",
  });
  if (v >= 3) {
    statements.push({
      sid: "QueryLeaseTableIndexes",
      actions: ["dynamodb:Query"],
      resources: [arns.dynamoTableIndexes(e, o.appName)],
      reason: "KCL 3 finds a worker's leases through the lease table's index",
    });
    statements.push({
      sid: "UseKcl3StateTables",
      actions: ["dynamodb:CreateTable", ...SEED_LEASE_ACTIONS],
      resources: [arns.dynamoTable(e, `${o.appName}-WorkerMetricStats`), arns.dynamoTable(e, `${o.appName}-CoordinatorState`)],
      reason: "KCL 3 keeps worker metrics and coordinator state in two more tables it creates",
    });
  }
  statements.push({
    sid: "PublishAppMetrics",
    actions: ["cloudwatch:PutMetricData"],
    resources: ["*"],
    conditions: { StringEquals: { "cloudwatch:namespace": o.appName } },
    reason: "the KCL publishes metrics under the application's name; the namespace condition is the only narrowing CloudWatch offers",
  });
  const keys = kmsKeysOf(reads);
  if (keys.length > 0) {
    statements.push({
      sid: "DecryptStreamRecords",
      actions: ["kms:Decrypt"],
      resources: keys,
      conditions: { StringEquals: { "kms:ViaService": `kinesis.${e.region}.amazonaws.com` } },
      reason: "read streams encrypted with a customer key, only through Kinesis",
    });
  }
  return statements;
}

/** a KPL or SDK producer: find the shards, write records, publish the KPL's metrics */
function writeStatements(o: KinesisAppPolicyOptions): StatementProps[] {
  const e = o.env;
  const v = o.kclVersion ?? 2;
  const writes = o.writes ?? [];
  if (writes.length === 0) return [];
  const statements: StatementProps[] = [
    {
      sid: "WriteStreams",
      actions: [
        "kinesis:DescribeStream",
        // The KPL builds its shard map with ListShards in every release since 0.14, SDK v1
        // builds included (amazon-kinesis-producer v1.0.7 aws/kinesis/core/pipeline.h:71);
        // Snowplow's sinks check for open shards the same way (common-streams KinesisSink.scala:103).
        "kinesis:ListShards",
        "kinesis:PutRecord",
        "kinesis:PutRecords",
        ...(v >= 2 ? ["kinesis:DescribeStreamSummary"] : []),
      ],
      resources: writes.map((s) => arns.kinesisStream(e, s.name)),
      reason: "check the stream is active, list its shards, then write records (seed 002, producer)",
    },
  ];
  const keys = kmsKeysOf(writes);
  if (keys.length > 0) {
    statements.push({
      sid: "EncryptStreamRecords",
      actions: ["kms:GenerateDataKey"],
      resources: keys,
      conditions: { StringEquals: { "kms:ViaService": `kinesis.${e.region}.amazonaws.com` } },
      reason: "write to streams encrypted with a customer key, only through Kinesis",
    });
  }
  const namespace = o.producerMetricsNamespace ?? "KinesisProducerLibrary";
  if (namespace !== false) {
    statements.push({
      sid: "PublishProducerMetrics",
      actions: ["cloudwatch:PutMetricData"],
      resources: ["*"],
      conditions: { StringEquals: { "cloudwatch:namespace": namespace } },
      // KinesisProducerConfiguration.java:369-370 (metricsLevel "detailed", metricsNamespace
      // "KinesisProducerLibrary"); aws/metrics/metrics_manager.cc:122-154 (PutMetricData).
      reason: "the KPL uploads its metrics by default, under its own namespace; switch off with producerMetrics: false",
    });
  }
  return statements;
}

/** an application that writes objects to S3 (Snowplow's S3 loader) */
function s3Statements(o: KinesisAppPolicyOptions): StatementProps[] {
  const e = o.env;
  const s3 = o.s3 ?? [];
  if (s3.length === 0) return [];
  const statements: StatementProps[] = [
    {
      sid: "WriteS3Objects",
      // PutObject for whole files, AbortMultipartUpload to clean up a failed multipart upload
      // (multipart parts are authorized as s3:PutObject).
      actions: ["s3:AbortMultipartUpload", "s3:PutObject"],
      resources: s3.map((w) => arns.s3Objects(e, w.bucket, `${w.prefix ?? ""}*`)),
      reason: "write the files the application produces under its prefix; no read, list or delete",
    },
  ];
  const keys = kmsKeysOf(s3);
  if (keys.length > 0) {
    statements.push({
      sid: "EncryptS3Objects",
      // A multipart upload to an SSE-KMS bucket needs kms:Decrypt as well as kms:GenerateDataKey:
      // https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions
      actions: ["kms:Decrypt", "kms:GenerateDataKey"],
      resources: keys,
      // S3 calls KMS in the bucket's region, which is the key's region
      conditions: { StringEquals: { "kms:ViaService": [...new Set(keys.map((k) => `s3.${k.split(":")[3]}.amazonaws.com`))] } },
      reason: "write to buckets encrypted with a customer key, only through S3",
    });
  }
  return statements;
}

export interface KinesisAppProps extends KinesisAppPolicyOptions {
  /**
   * the older single-purpose form's label, kept so its policy keeps its name
   * (`<app>-kinesis-producer|consumer`): a renamed managed policy is replaced
   * @default - "app": the policy is `<app>-kinesis-app`
   */
  readonly legacyKind?: "producer" | "consumer";
  /** what assumes the application's role (seed 000: run Kinesis apps under roles) */
  readonly runAs: "ec2" | "ecs" | "eks";
  /** the EKS cluster's OIDC provider and the pod's service account; required for eks */
  readonly eks?: { readonly oidcProviderArn: string; readonly namespace: string; readonly serviceAccount: string };
  /** @default "/" */
  readonly path?: string;
  /** @default - no permissions boundary */
  readonly permissionsBoundaryArn?: string;
  /** also create an IAM user with the policy (seed 002's StockTradeStreamUser) @default - no user */
  readonly user?: Partial<PipelineUserProps>;
  /** create the KCL lease table (on-demand, point-in-time recovery, guarded) @default false */
  readonly createLeaseTable?: boolean;
}

function trustPolicy(p: KinesisAppProps): PolicyDocument {
  const e = p.env;
  if (p.runAs === "eks") {
    if (!p.eks) throw new PropsError(`KinesisApp ${p.appName}`, "runAs eks needs eks (the cluster's OIDC provider and service account)");
    const issuer = p.eks.oidcProviderArn.replace(/^arn:[^:]+:iam::\d{12}:oidc-provider\//, "");
    return new PolicyDocument([
      {
        sid: "AssumeFromServiceAccount",
        actions: ["sts:AssumeRoleWithWebIdentity"],
        principals: { Federated: [p.eks.oidcProviderArn] },
        conditions: {
          StringEquals: {
            [`${issuer}:aud`]: "sts.amazonaws.com",
            [`${issuer}:sub`]: `system:serviceaccount:${p.eks.namespace}:${p.eks.serviceAccount}`,
          },
        },
        reason: "only the application's Kubernetes service account gets the role (IRSA)",
      },
    ]);
  }
  if (p.runAs === "ecs") {
    return new PolicyDocument([
      {
        sid: "AssumeFromEcsTasks",
        actions: ["sts:AssumeRole"],
        principals: { Service: ["ecs-tasks.amazonaws.com"] },
        conditions: { StringEquals: { "aws:SourceAccount": e.account } },
        reason: "ECS tasks of this account run the application (confused-deputy guard on the source account)",
      },
    ]);
  }
  return ec2TrustPolicy("EC2 instances run the application through its instance profile");
}

/**
 * One Kinesis producer or consumer application (seed 002) running under an
 * IAM role (seed 000): its managed policy, its role, its instance profile
 * (EC2), optionally its lease table and an IAM user.
 */
export class KinesisApp extends Construct {
  /** the first of `policies` */
  readonly policy: IamPolicy;
  /** the managed policies, more than one only when the policy outgrows AWS's 6,144-character quota */
  readonly policies: IamPolicy[];
  readonly role: IamRole;
  readonly document: PolicyDocument;
  readonly trust: PolicyDocument;
  readonly leaseTable?: DynamodbTable;

  constructor(scope: Construct, id: string, props: KinesisAppProps) {
    super(scope, id);
    const path = props.path ?? "/";
    const reads = (props.reads ?? []).length > 0;
    const managed = (props.createLeaseTable ?? false) && reads;
    this.document = new PolicyDocument(kinesisAppStatements({ ...props, leaseTableManaged: managed }));
    const name = props.appName;
    const label = props.legacyKind ?? "app";
    const managedPolicies = createManagedPolicies(this, "policy", {
      name: `${name}-kinesis-${label}`,
      path,
      // No stream names here: a policy's description cannot change without replacing the policy.
      description: `Kinesis ${label} ${name}`,
      document: this.document,
      account: props.env.account,
      targets: [{ type: "role", name }, ...(props.user ? [{ type: "user" as const, name: props.user.userName ?? name }] : [])],
    });
    this.policies = managedPolicies.policies;
    this.policy = this.policies[0];
    this.trust = trustPolicy(props);
    this.role = new IamRole(this, "role", {
      name,
      path,
      description: `Kinesis ${label} ${name} (${props.runAs})`,
      assumeRolePolicy: this.trust.toTerraform(),
      permissionsBoundary: props.permissionsBoundaryArn,
    });
    registerPolicy(this, { name: `${name} trust`, kind: "trust", document: this.trust, targets: [{ type: "role", name }], account: props.env.account });
    this.policies.forEach(
      (policy, i) => new IamRolePolicyAttachment(this, i === 0 ? "role_policy" : `role_policy_${i + 1}`, { role: this.role.name, policyArn: policy.arn }),
    );
    stackOutput(this, outputName("app", name, "role_arn"), this.role.arn, `ARN of ${name}'s role (EKS service-account annotation, ECS task role)`);
    if (props.runAs === "ec2") {
      const profile = new IamInstanceProfile(this, "instance_profile", { name, path, role: this.role.name });
      stackOutput(this, outputName("app", name, "instance_profile_name"), profile.name, `instance profile to launch ${name}'s EC2 instances with`);
    }
    if (props.user !== undefined) {
      const user = new PipelineUser(this, "user", {
        path,
        permissionsBoundaryArn: props.permissionsBoundaryArn,
        ...props.user,
        userName: props.user.userName ?? name,
      });
      this.policies.forEach(
        (policy, i) => new IamUserPolicyAttachment(this, i === 0 ? "user_policy" : `user_policy_${i + 1}`, { user: user.user.name, policyArn: policy.arn }),
      );
    }
    if (managed) {
      this.leaseTable = new DynamodbTable(this, "lease_table", {
        name: props.appName,
        billingMode: "PAY_PER_REQUEST",
        hashKey: "leaseKey",
        attribute: [{ name: "leaseKey", type: "S" }],
        pointInTimeRecovery: { enabled: true },
        deletionProtectionEnabled: true,
        // KCL 3 adds its own index to the lease table.
        lifecycle: { preventDestroy: true, ignoreChanges: ["global_secondary_index", "attribute"] },
      });
    }
  }
}
