/**
 * Call-trace conformance: the API calls the real tools make, taken from their
 * own source (file and line, at the pinned version) or AWS's documentation,
 * replayed through the IAM simulator against the synthesized policies (identity
 * policies with the SCP). Every call a tool makes must be Allowed; every call
 * listed under `never` must be denied. Runs on the example config and on a
 * maximal config (every option on).
 *
 * Pinned sources:
 * - Flintrock v2.1.0, flintrock/ec2.py
 * - amazon-kinesis-client v1.15.3, v2.6.0, v3.0.0
 * - amazon-kinesis-producer v1.0.7
 * - snowplow-incubator/common-streams 0.24.1 (Snowplow's collector, enrich and loaders since 2024)
 * - snowplow/emr-etl-runner 1.0.4 (lib/snowplow-emr-etl-runner/)
 * - DynamoDB ExportTableToPointInTime (AWS documentation) and Data Pipeline's export (seed 004)
 *
 * KMS calls need the key's own policy, which these stacks do not create for
 * stream keys: test/access-matrix.test.ts evaluates them with AWS's default key policy.
 */
import { bucketPolicy, identityPolicies, serviceControlPolicies, simulate, type Outcome } from "./support/simulate";
import { exampleConfig, synthStacks, type StackJson } from "./support/synth";

jest.setTimeout(120_000);

const P = "444455556666";
const R = "eu-west-1";
const stream = (n: string) => `arn:aws:kinesis:${R}:${P}:stream/${n}`;
const table = (n: string) => `arn:aws:dynamodb:${R}:${P}:table/${n}`;
const ec2 = (type: string, id = "i-0123456789abcdef0") => `arn:aws:ec2:${R}:${P}:${type}/${id}`;
const inRegion = { "aws:RequestedRegion": R };

/** one API call: what IAM authorizes, with the request context the tool's call carries */
interface Call {
  readonly source: string;
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
}

interface Principal {
  readonly stack: string;
  readonly type: "role" | "user" | "group";
  readonly name: string;
  readonly arn: string;
  /** a resource policy evaluated with the identity policies: the backup bucket's */
  readonly bucketPolicy?: boolean;
}

/** the KCL's calls for one application reading one stream (polling; lease table created by the app unless managed) */
function kclCalls(app: string, s: string, version: 1 | 2 | 3): Call[] {
  const calls: Call[] = [
    { source: "KCL 1.15.3 KinesisProxy.java:342 / 2.6.0 and 3.0.0 KinesisShardDetector.java:306,313", action: "kinesis:ListShards", resource: stream(s) },
    { source: "KCL 1.15.3 KinesisProxy.java:587 / 3.0.0 KinesisDataFetcher.java:361", action: "kinesis:GetShardIterator", resource: stream(s) },
    { source: "KCL 1.15.3 KinesisProxy.java:268 / 3.0.0 KinesisDataFetcher.java:338", action: "kinesis:GetRecords", resource: stream(s) },
    { source: "KCL 3.0.0 DynamoDBLeaseRefresher.java:279 (1.15.3 LeaseManager.java:177)", action: "dynamodb:DescribeTable", resource: table(app) },
    { source: "KCL 3.0.0 DynamoDBLeaseRefresher.java:609", action: "dynamodb:Scan", resource: table(app) },
    { source: "KCL 3.0.0 DynamoDBLeaseRefresher.java:750", action: "dynamodb:PutItem", resource: table(app) },
    { source: "KCL 3.0.0 DynamoDBLeaseRefresher.java:784", action: "dynamodb:GetItem", resource: table(app) },
    { source: "KCL 3.0.0 DynamoDBLeaseRefresher.java:845", action: "dynamodb:UpdateItem", resource: table(app) },
    { source: "KCL 3.0.0 DynamoDBLeaseRefresher.java:1207", action: "dynamodb:DeleteItem", resource: table(app) },
  ];
  if (version === 1) calls.push({ source: "KCL 1.15.3 KinesisProxy.java:293", action: "kinesis:DescribeStream", resource: stream(s) });
  if (version === 3) {
    calls.push(
      { source: "KCL 3.0.0 DynamoDBLeaseRefresher.java:393", action: "dynamodb:UpdateTable", resource: table(app) },
      { source: "KCL 3.0.0 DynamoDBLeaseRefresher.java:511", action: "dynamodb:Query", resource: `${table(app)}/index/LeaseOwnerToLeaseKeyIndex` },
      {
        source: "KCL 3.0.0 CoordinatorStateDAO.java:290 (CoordinatorConfig.java:145)",
        action: "dynamodb:CreateTable",
        resource: table(`${app}-CoordinatorState`),
      },
      { source: "KCL 3.0.0 CoordinatorStateDAO.java:265", action: "dynamodb:UpdateItem", resource: table(`${app}-CoordinatorState`) },
      { source: "KCL 3.0.0 CoordinatorStateDAO.java:124", action: "dynamodb:Scan", resource: table(`${app}-CoordinatorState`) },
      {
        source: "KCL 3.0.0 WorkerMetricStatsDAO.java:100 (LeaseManagementConfig.java:585)",
        action: "dynamodb:UpdateItem",
        resource: table(`${app}-WorkerMetricStats`),
      },
      { source: "KCL 3.0.0 WorkerMetricStatsDAO.java:170", action: "dynamodb:DescribeTable", resource: table(`${app}-WorkerMetricStats`) },
    );
  }
  return calls;
}

/** Snowplow's sink (and the KPL): check for open shards, then write (common-streams KinesisSink.scala) */
function sinkCalls(s: string): Call[] {
  return [
    { source: "common-streams 0.24.1 KinesisSink.scala:103; KPL 1.0.7 pipeline.h:71", action: "kinesis:ListShards", resource: stream(s) },
    { source: "common-streams 0.24.1 KinesisSink.scala:205; KPL 1.0.7 pipeline.h:186", action: "kinesis:PutRecords", resource: stream(s) },
  ];
}

/** calls a principal must never be able to make */
function denied(calls: readonly Call[]): readonly Call[] {
  return calls;
}

interface Fixture {
  readonly title: string;
  readonly principal: Principal;
  readonly calls: readonly Call[];
  readonly never: readonly Call[];
}

const role = (name: string): Principal => ({ stack: "snowplow-pipeline", type: "role", name, arn: `arn:aws:iam::${P}:role/snowplow/${name}` });
const user = (name: string): Principal => ({ stack: "snowplow-pipeline", type: "user", name, arn: `arn:aws:iam::${P}:user/snowplow/${name}` });
const SHOP = "123456789012";
const LEGACY = "111111111111";
const ORG = { "aws:PrincipalOrgID": "o-a1b2c3d4e5" };
const backup = (key: string) => `arn:aws:s3:::acme-dynamodb-backups/${key}`;

/** fixtures that hold for the example and for the maximal config (same names, same paths) */
function fixtures(): Fixture[] {
  return [
    {
      title: "Snowplow collector: writes the raw good and bad streams",
      principal: role("acme-collector"),
      calls: [...sinkCalls("acme-raw-good"), ...sinkCalls("acme-raw-bad")],
      never: denied([
        { source: "reads nothing", action: "kinesis:GetRecords", resource: stream("acme-raw-good") },
        { source: "another app's stream", action: "kinesis:PutRecords", resource: stream("acme-enriched-good") },
        { source: "no lease table", action: "dynamodb:PutItem", resource: table("acme-collector") },
      ]),
    },
    {
      title: "Snowplow enrich (KCL 3 via common-streams): reads raw, writes enriched good and bad, in one role",
      principal: role("acme-enrich"),
      calls: [
        // enrich config.kinesis.reference.hocon:9 (input.streamName), :12 (appName), :64 / :110 (outputs)
        ...kclCalls("acme-enrich", "acme-raw-good", 3),
        { source: "KCL 3.0.0 DynamoDBLeaseRefresher.java:236 (lease table made by the app)", action: "dynamodb:CreateTable", resource: table("acme-enrich") },
        ...sinkCalls("acme-enriched-good"),
        ...sinkCalls("acme-enriched-bad"),
      ],
      never: denied([
        { source: "another app's lease table", action: "dynamodb:PutItem", resource: table("acme-s3-loader") },
        { source: "its input is not an output", action: "kinesis:PutRecords", resource: stream("acme-raw-good") },
        { source: "deleting its lease table", action: "dynamodb:DeleteTable", resource: table("acme-enrich") },
        { source: "the key outside Kinesis", action: "kms:GenerateDataKey", resource: `arn:aws:kms:${R}:${P}:key/1234abcd-12ab-34cd-56ef-1234567890ab` },
      ]),
    },
    {
      title: "Snowplow S3 loader: reads enriched, writes S3 under its prefix and the bad stream",
      principal: role("acme-s3-loader"),
      calls: [
        ...kclCalls("acme-s3-loader", "acme-enriched-good", 3),
        ...sinkCalls("acme-enriched-bad"),
        {
          source: "S3 loader: PutObject of a finished file",
          action: "s3:PutObject",
          resource: "arn:aws:s3:::acme-snowplow-archive/enriched/2026/11/23/part-0.gz",
        },
        {
          source: "S3 loader: abort a failed multipart upload",
          action: "s3:AbortMultipartUpload",
          resource: "arn:aws:s3:::acme-snowplow-archive/enriched/x.gz",
        },
      ],
      never: denied([
        { source: "outside its prefix", action: "s3:PutObject", resource: "arn:aws:s3:::acme-snowplow-archive/raw/x.gz" },
        { source: "reading back", action: "s3:GetObject", resource: "arn:aws:s3:::acme-snowplow-archive/enriched/x.gz" },
        { source: "creating its lease table (Terraform manages it)", action: "dynamodb:CreateTable", resource: table("acme-s3-loader") },
      ]),
    },
    {
      title: "Operator (EmrEtlRunner 1.0.4 with Elasticity 6.0.x)",
      principal: user("snowplow-operator"),
      calls: [
        { source: "emr_job.rb:798 JobFlow#run", action: "elasticmapreduce:RunJobFlow", resource: "*" },
        { source: "emr.rb:69", action: "elasticmapreduce:ListClusters", resource: "*" },
        { source: "emr_job.rb:959 add_step", action: "elasticmapreduce:AddJobFlowSteps", resource: `arn:aws:elasticmapreduce:${R}:${P}:cluster/j-ABC` },
        { source: "emr_job.rb:1326 cluster_status", action: "elasticmapreduce:DescribeCluster", resource: `arn:aws:elasticmapreduce:${R}:${P}:cluster/j-ABC` },
        { source: "emr_job.rb:1317 cluster_step_status", action: "elasticmapreduce:ListSteps", resource: `arn:aws:elasticmapreduce:${R}:${P}:cluster/j-ABC` },
        { source: "emr_job.rb:828 shutdown", action: "elasticmapreduce:TerminateJobFlows", resource: `arn:aws:elasticmapreduce:${R}:${P}:cluster/j-ABC` },
        {
          source: "emr_job.rb:145 service_role",
          action: "iam:PassRole",
          resource: `arn:aws:iam::${P}:role/EMR_DefaultRole`,
          context: { "iam:PassedToService": "elasticmapreduce.amazonaws.com" },
        },
        {
          source: "emr_job.rb:144 job_flow_role",
          action: "iam:PassRole",
          resource: `arn:aws:iam::${P}:role/EMR_EC2_DefaultRole`,
          context: { "iam:PassedToService": "ec2.amazonaws.com" },
        },
        { source: "s3.rb:106 list_objects_v2 (raw in)", action: "s3:ListBucket", resource: "arn:aws:s3:::acme-snowplow-raw" },
        { source: "s3.rb:106 list_objects_v2 (rdb-loader logs)", action: "s3:ListBucket", resource: "arn:aws:s3:::acme-snowplow-logs" },
        { source: "emr_job.rb:1013 get_object", action: "s3:GetObject", resource: "arn:aws:s3:::acme-snowplow-logs/rdb-loader/2026-11-23/log" },
        {
          source: "emr_job.rb:1031 copy_object (destination)",
          action: "s3:PutObject",
          resource: "arn:aws:s3:::acme-snowplow-logs/rdb-loader/2026-11-23/log.1",
        },
        { source: "emr_job.rb:1036 delete_object", action: "s3:DeleteObject", resource: "arn:aws:s3:::acme-snowplow-logs/rdb-loader/2026-11-23/log" },
      ],
      never: denied([
        { source: "another role", action: "iam:PassRole", resource: `arn:aws:iam::${P}:role/admin`, context: { "iam:PassedToService": "ec2.amazonaws.com" } },
        { source: "IAM users", action: "iam:CreateUser", resource: `arn:aws:iam::${P}:user/x` },
        { source: "pipeline data (the cluster moves it)", action: "s3:DeleteObject", resource: "arn:aws:s3:::acme-snowplow-archive/run=1/part-0" },
      ]),
    },
    {
      title: "Spark launcher (Flintrock 2.1.0): launch, add/remove slaves, start, stop, destroy, spot, placement group",
      principal: user("flintrock-user"),
      calls: [
        ...["ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeImages", "ec2:DescribeInstances"].map((action) => ({
          source: "ec2.py:462, 485, 501, 663, 976",
          action,
          resource: "*",
        })),
        { source: "ec2.py:478 Vpc.describe_attribute", action: "ec2:DescribeVpcAttribute", resource: ec2("vpc", "vpc-1") },
        { source: "ec2.py:293 describe_instance_attribute", action: "ec2:DescribeInstanceAttribute", resource: ec2("instance") },
        { source: "ec2.py:573 create_security_group", action: "ec2:CreateSecurityGroup", resource: ec2("security-group", "sg-1") },
        { source: "ec2.py:573 create_security_group (in the VPC)", action: "ec2:CreateSecurityGroup", resource: ec2("vpc", "vpc-1") },
        { source: "ec2.py:621 authorize_ingress", action: "ec2:AuthorizeSecurityGroupIngress", resource: ec2("security-group", "sg-1") },
        ...["instance", "volume", "network-interface", "security-group", "subnet", "key-pair", "spot-instances-request", "placement-group"].map((type) => ({
          source: `ec2.py:766 create_instances (${type}; spot at :747, placement group at :762)`,
          action: "ec2:RunInstances",
          resource: ec2(type, "x-1"),
        })),
        { source: "ec2.py:766 create_instances (public AMI)", action: "ec2:RunInstances", resource: `arn:aws:ec2:${R}::image/ami-1` },
        {
          source: "ec2.py:737-739 TagSpecifications (instance)",
          action: "ec2:CreateTags",
          resource: ec2("instance"),
          context: { "ec2:CreateAction": "RunInstances" },
        },
        {
          source: "ec2.py:195, 393 modify_attribute(Groups=...) on the instance",
          action: "ec2:ModifyInstanceAttribute",
          resource: ec2("instance"),
          context: { "ec2:ResourceTag/flintrock-role": "slave" },
        },
        {
          source: "ec2.py:195, 393 modify_attribute(Groups=...) on the base group",
          action: "ec2:ModifyInstanceAttribute",
          resource: ec2("security-group", "sg-base"),
        },
        { source: "ec2.py:234 start", action: "ec2:StartInstances", resource: ec2("instance"), context: { "ec2:ResourceTag/flintrock-role": "master" } },
        { source: "ec2.py:260 stop", action: "ec2:StopInstances", resource: ec2("instance"), context: { "ec2:ResourceTag/flintrock-role": "master" } },
        {
          source: "ec2.py:213, 401 terminate",
          action: "ec2:TerminateInstances",
          resource: ec2("instance"),
          context: { "ec2:ResourceTag/flintrock-role": "slave" },
        },
        { source: "ec2.py:206 cluster_group.delete()", action: "ec2:DeleteSecurityGroup", resource: ec2("security-group", "sg-1") },
        {
          source: "ec2.py:856 iam.InstanceProfile(name).arn",
          action: "iam:GetInstanceProfile",
          resource: `arn:aws:iam::${P}:instance-profile/snowplow/snowplow-spark-node`,
        },
        {
          source: "RunInstances IamInstanceProfile (ec2.py:734)",
          action: "iam:PassRole",
          resource: `arn:aws:iam::${P}:role/snowplow/snowplow-spark-node`,
          context: { "iam:PassedToService": "ec2.amazonaws.com" },
        },
      ],
      never: denied([
        { source: "untagged instances", action: "ec2:TerminateInstances", resource: ec2("instance") },
        { source: "tags on existing instances", action: "ec2:CreateTags", resource: ec2("instance") },
        {
          source: "another region",
          action: "ec2:RunInstances",
          resource: `arn:aws:ec2:us-east-1:${P}:instance/x`,
          context: { "aws:RequestedRegion": "us-east-1" },
        },
        {
          source: "IAM beyond the one role",
          action: "iam:PassRole",
          resource: `arn:aws:iam::${P}:role/admin`,
          context: { "iam:PassedToService": "ec2.amazonaws.com" },
        },
      ]),
    },
    {
      title: "DynamoDB ExportTableToPointInTime into the backup account (native-export writer + bucket policy)",
      principal: {
        stack: "source-shop",
        type: "role",
        name: "snowplow-backup-writer",
        arn: `arn:aws:iam::${SHOP}:role/snowplow-backup-writer`,
        bucketPolicy: true,
      },
      // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport_Requesting.html
      // ("the caller needs dynamodb:ExportTableToPointInTime and s3:PutObject, s3:AbortMultipartUpload, s3:PutObjectAcl")
      calls: [
        {
          source: "AWS DynamoDB export: start the export",
          action: "dynamodb:ExportTableToPointInTime",
          resource: `arn:aws:dynamodb:${R}:${SHOP}:table/orders`,
          context: ORG,
        },
        {
          source: "AWS DynamoDB export: follow it",
          action: "dynamodb:DescribeExport",
          resource: `arn:aws:dynamodb:${R}:${SHOP}:table/orders/export/01700000000000-abcdef`,
          context: ORG,
        },
        ...["s3:PutObject", "s3:PutObjectAcl", "s3:AbortMultipartUpload"].map((action) => ({
          source: "AWS DynamoDB export: writes the export files with the caller's permissions",
          action,
          resource: backup(`${SHOP}/AWSDynamoDB/01700000000000-abcdef/data/part.json.gz`),
          context: ORG,
        })),
      ],
      never: denied([
        { source: "another account's prefix", action: "s3:PutObject", resource: backup(`${LEGACY}/x`), context: ORG },
        { source: "reading backups back", action: "s3:GetObject", resource: backup(`${SHOP}/x`), context: ORG },
        { source: "deleting backups", action: "s3:DeleteObject", resource: backup(`${SHOP}/x`), context: ORG },
        {
          source: "a table not named in the config",
          action: "dynamodb:ExportTableToPointInTime",
          resource: `arn:aws:dynamodb:${R}:${SHOP}:table/payments`,
          context: ORG,
        },
      ]),
    },
    {
      title: "AWS Data Pipeline's DynamoDB export (seed 004: EMR under DataPipelineDefaultResourceRole + bucket policy)",
      principal: {
        stack: "source-legacy",
        type: "role",
        name: "DataPipelineDefaultResourceRole",
        arn: `arn:aws:iam::${LEGACY}:role/DataPipelineDefaultResourceRole`,
        bucketPolicy: true,
      },
      calls: [
        { source: "seed 004: s3:PutObject* under its prefix", action: "s3:PutObject", resource: backup(`${LEGACY}/2026-11-23-00-00-00/part-0`), context: ORG },
        {
          source: "seed 004: s3:GetObject* under its prefix",
          action: "s3:GetObject",
          resource: backup(`${LEGACY}/2026-11-23-00-00-00/manifest`),
          context: ORG,
        },
        {
          source: "seed 004: list the bucket",
          action: "s3:ListBucket",
          resource: "arn:aws:s3:::acme-dynamodb-backups",
          context: { ...ORG, "s3:prefix": `${LEGACY}/2026-11-23-00-00-00/` },
        },
        { source: "seed 004: GetBucketLocation", action: "s3:GetBucketLocation", resource: "arn:aws:s3:::acme-dynamodb-backups", context: ORG },
        { source: "seed 004: delete EMR logs", action: "s3:DeleteObject", resource: backup(`${LEGACY}/2026-11-23-00-00-00/logs/step.log`), context: ORG },
        { source: "seed 004: delete folder markers", action: "s3:DeleteObject", resource: backup(`${LEGACY}/2026-11-23-00-00-00_$folder$`), context: ORG },
        { source: "seed 004: delete .instruction files", action: "s3:DeleteObject", resource: backup(`${LEGACY}/run.instruction`), context: ORG },
      ],
      never: denied([
        { source: "deleting backup data", action: "s3:DeleteObject", resource: backup(`${LEGACY}/2026-11-23-00-00-00/part-0`), context: ORG },
        {
          source: "listing another account's prefix",
          action: "s3:ListBucket",
          resource: "arn:aws:s3:::acme-dynamodb-backups",
          context: { ...ORG, "s3:prefix": `${SHOP}/` },
        },
      ]),
    },
    {
      title: "console user self-service (first login, MFA enrolment, key rotation) under the IAM path",
      principal: user("snowplow-operator"),
      calls: [
        { source: "first login: change password", action: "iam:ChangePassword", resource: `arn:aws:iam::${P}:user/snowplow/snowplow-operator` },
        { source: "MFA: create a virtual device of any name", action: "iam:CreateVirtualMFADevice", resource: `arn:aws:iam::${P}:mfa/my-phone` },
        { source: "MFA: enable it", action: "iam:EnableMFADevice", resource: `arn:aws:iam::${P}:user/snowplow/snowplow-operator` },
        { source: "MFA: read it back", action: "iam:GetMFADevice", resource: `arn:aws:iam::${P}:user/snowplow/snowplow-operator` },
        {
          source: "rotate an access key (signed in with MFA)",
          action: "iam:CreateAccessKey",
          resource: `arn:aws:iam::${P}:user/snowplow/snowplow-operator`,
          context: { "aws:MultiFactorAuthPresent": "true" },
        },
      ],
      never: denied([
        {
          source: "another user's key",
          action: "iam:CreateAccessKey",
          resource: `arn:aws:iam::${P}:user/snowplow/bob-snowplow-operator`,
          context: { "aws:MultiFactorAuthPresent": "true" },
        },
        { source: "another user's password", action: "iam:ChangePassword", resource: `arn:aws:iam::${P}:user/snowplow-setup` },
      ]),
    },
  ];
}

/** the principal's identity policies, as the stack applies them, plus the SCP; the flintrock user is a member of the launcher group */
function evaluatedFor(stacks: Record<string, StackJson>, p: Principal) {
  const stack = stacks[p.stack];
  const identity = p.name === "flintrock-user" ? identityPolicies(stack, "group", "snowplow-spark-launchers") : identityPolicies(stack, p.type, p.name);
  // the SCP governs the Snowplow account only
  if (p.bucketPolicy) return { identity, resourcePolicy: bucketPolicy(stacks.backup) };
  return { identity, scps: serviceControlPolicies(stacks.management) };
}

async function replay(stacks: Record<string, StackJson>): Promise<string[]> {
  const wrong: string[] = [];
  for (const f of fixtures()) {
    const e = evaluatedFor(stacks, f.principal);
    if (e.identity.length === 0) {
      wrong.push(`${f.title}: no policies found for ${f.principal.type} ${f.principal.name}`);
      continue;
    }
    // the principal's own name: what ${aws:username} resolves to
    const username: Record<string, string> = f.principal.type === "user" ? { "aws:username": f.principal.arn.split("/").pop() as string } : {};
    const run = async (c: Call, expected: (o: Outcome) => boolean, label: string) => {
      const resourceAccount = c.resource.startsWith("arn:aws:s3:::acme-dynamodb-backups")
        ? "777788889999"
        : c.resource === "*" || c.resource.startsWith("arn:aws:s3:::")
          ? P
          : c.resource.split(":")[4] || P;
      const got = await simulate(
        { principal: f.principal.arn, action: c.action, resource: c.resource, resourceAccount, context: { ...inRegion, ...username, ...c.context } },
        e,
      );
      if (!expected(got)) wrong.push(`${f.title}: ${label} ${c.action} on ${c.resource} (${c.source}) was ${got}`);
    };
    for (const c of f.calls) await run(c, (o) => o === "Allowed", "call");
    for (const c of f.never) await run(c, (o) => o !== "Allowed", "forbidden");
  }
  return wrong;
}

describe("call-trace conformance", () => {
  test("the example config: every traced call Allowed, every forbidden call denied", async () => {
    const stacks = synthStacks(exampleConfig((c) => (c.spark.launcher.groupName = "snowplow-spark-launchers")));
    expect(await replay(stacks)).toEqual([]);
  });

  test("a maximal config (every option on): the same calls", async () => {
    const stacks = synthStacks(
      exampleConfig((c) => {
        c.spark.launcher.groupName = "snowplow-spark-launchers";
        c.pipeline.operator.snsMonitoring = true;
        c.pipeline.operator.legacyFileMoves = true;
        c.iam.permissionsBoundaryArn = `arn:aws:iam::${P}:policy/boundary`;
        for (const a of c.kinesis.applications) {
          a.producerMetrics = true;
          if (a.reads) a.enhancedFanOut = true;
        }
      }),
    );
    expect(await replay(stacks)).toEqual([]);
  });

  test("fails when a traced call is missing from a policy (the suite can fail)", async () => {
    const stacks = synthStacks(exampleConfig((c) => (c.spark.launcher.groupName = "snowplow-spark-launchers")));
    // drop the Flintrock statement that lets destroy move instances to the base group
    const launcher = Object.values(stacks["snowplow-pipeline"].resource.aws_iam_policy as Record<string, any>).find(
      (p) => p.name === "snowplow-spark-launcher",
    );
    const doc = JSON.parse(launcher.policy.replace(/\$\$\{/g, "${"));
    doc.Statement = doc.Statement.filter((s: any) => s.Sid !== "MoveFlintrockInstancesToBaseGroup");
    launcher.policy = JSON.stringify(doc);
    expect((await replay(stacks)).join("\n")).toMatch(
      /ModifyInstanceAttribute on arn:aws:ec2:eu-west-1:444455556666:security-group\/sg-base .* was ImplicitlyDenied/,
    );
  });
});
