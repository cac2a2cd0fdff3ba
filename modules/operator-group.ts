import { IamGroup, IamGroupPolicy, IamGroupPolicyAttachment, IamUserGroupMembership } from "./private/cdk";
import type { IamPolicy } from "./private/cdk";
import { Construct } from "constructs";
import { arns, type AccountEnv } from "./private/arn";
import { PipelineUser, type PipelineUserProps } from "./private/pipeline-user";
import { PolicyDocument, type StatementProps } from "./private/policy";
import { selfServiceStatements } from "./private/self-service";
import { createManagedPolicies } from "./private/managed-policy";
import { registerMembership, registerPolicy, type Acknowledgement } from "./private/policy-registry";
import { stackOutput } from "./private/outputs";

/** the pipeline's S3 buckets by role (seed 000, "place them on specific resources") */
export interface PipelineBuckets {
  readonly log: string;
  readonly rawIn: string;
  readonly processing: string;
  readonly enrichedOut: string;
  readonly archive: string;
  readonly badRows: string;
  readonly hostedAssets: string;
}

/**
 * Actions of the least-privilege operator that AWS offers no resource-level
 * permission for, so `Resource: "*"` is the only possible value. One place,
 * each with its reason; tests assert nothing else gets `*`.
 */
export const OPERATOR_STAR_RESOURCE_ACTIONS: Readonly<Record<string, string>> = {
  "elasticmapreduce:RunJobFlow": "a cluster does not exist before it is started",
  "elasticmapreduce:ListClusters": "lists all clusters of the account; no resource type",
  // legacyFileMoves only:
  "ec2:DescribeInstances": "EC2 Describe* calls support no resource-level permission",
  "ec2:DescribeSubnets": "EC2 Describe* calls support no resource-level permission",
  "ec2:DescribeSecurityGroups": "EC2 Describe* calls support no resource-level permission",
  "ec2:DescribeSpotPriceHistory": "EC2 Describe* calls support no resource-level permission",
  "cloudwatch:GetMetricStatistics": "CloudWatch metric reads support no resource-level permission",
};

/**
 * Acknowledged finding for the `compatible` level (cdk-nag style): Snowplow's
 * published policy, service-wide wildcards on `*`, for users migrating as-is.
 */
export const COMPATIBLE_WILDCARD_ACKNOWLEDGEMENT = {
  reason: "reproduces Snowplow's published operator policy exactly (level 'compatible'); use 'least-privilege' to remove it",
} as const;

/** the compatible level's accepted findings, for the synth-time checks */
export const COMPATIBLE_ACKNOWLEDGEMENTS: readonly Acknowledgement[] = [
  { rule: "no-wildcard-action", reason: COMPATIBLE_WILDCARD_ACKNOWLEDGEMENT.reason },
  { rule: "star-resource", reason: COMPATIBLE_WILDCARD_ACKNOWLEDGEMENT.reason },
  { rule: "pass-role", reason: "Snowplow's published operator policy passes any role (iam:PassRole on *); use 'least-privilege' for the two EMR roles only" },
];

export interface OperatorPolicyOptions {
  readonly env: AccountEnv;
  readonly level: "least-privilege" | "compatible";
  readonly buckets: PipelineBuckets;
  /** grant sns:Publish on snsTopicName @default false */
  readonly snsMonitoring?: boolean;
  /** @default "snowplow-monitoring" */
  readonly snsTopicName?: string;
  /** EMR service role passed to RunJobFlow @default "EMR_DefaultRole" */
  readonly emrServiceRoleName?: string;
  /** role of the EMR nodes' instance profile @default "EMR_EC2_DefaultRole" */
  readonly emrInstanceProfileRoleName?: string;
  /** path of the two EMR roles @default "/" */
  readonly emrRolePath?: string;
  /**
   * add the grants of releases that moved files with the operator's keys (Sluice) and ran
   * StorageLoader: bucket reads, writes and deletes, EC2 and CloudWatch reads, Redshift
   * @default false
   */
  readonly legacyFileMoves?: boolean;
}

/** Snowplow's final published operator policy (wiki 2016, docs 2020), as it is */
function compatibleStatements(): StatementProps[] {
  return [
    {
      sid: "SnowplowPublishedOperatorPolicy",
      actions: [
        "ec2:*",
        "elasticbeanstalk:*",
        "elasticmapreduce:*",
        "s3:*",
        "sns:*",
        "iam:PassRole",
        "cloudformation:ListStackResources",
        "cloudformation:DescribeStacks",
        "autoscaling:DescribeAutoScalingGroups",
        "redshift:DescribeClusters",
      ],
      resources: ["*"],
      reason: "Snowplow's published operator policy, unchanged (level 'compatible')",
    },
  ];
}

/**
 * Snowplow's hosted-assets bucket as EmrEtlRunner picks it: the bare name in
 * eu-west-1, `-<region>` appended elsewhere (snowplow/emr-etl-runner 1.0.4,
 * lib/snowplow-emr-etl-runner/utils.rb:34-37).
 */
export function hostedAssetsBucket(region: string): string {
  return region === "eu-west-1" ? "snowplow-hosted-assets" : `snowplow-hosted-assets-${region}`;
}

/**
 * What EmrEtlRunner 1.0.4 (the last release, with the Elasticity gem 6.0.x)
 * calls with the operator's keys. The data itself moves on the cluster, under
 * EMR_EC2_DefaultRole (S3DistCp steps), not with these keys. Line numbers are
 * in snowplow/emr-etl-runner 1.0.4; test/conformance/emr-etl-runner.ts replays them.
 */
function leastPrivilegeStatements(o: OperatorPolicyOptions): StatementProps[] {
  const e = o.env;
  const b = o.buckets;
  const path = o.emrRolePath ?? "/";
  const statements: StatementProps[] = [
    {
      sid: "StartEmrJobFlows",
      // RunJobFlow: Elasticity JobFlow#run (emr_job.rb:798); ListClusters: emr.rb:69 (persistent clusters)
      actions: ["elasticmapreduce:RunJobFlow", "elasticmapreduce:ListClusters"],
      resources: ["*"],
      reason: "EmrEtlRunner starts the enrich/shred cluster and finds running ones",
    },
    {
      sid: "ManageEmrJobFlows",
      // AddJobFlowSteps: JobFlow#add_step (emr_job.rb:959); DescribeCluster: cluster_status (1326);
      // ListSteps: cluster_step_status (1317); TerminateJobFlows: JobFlow#shutdown (828, 933)
      actions: ["elasticmapreduce:AddJobFlowSteps", "elasticmapreduce:DescribeCluster", "elasticmapreduce:ListSteps", "elasticmapreduce:TerminateJobFlows"],
      resources: [arns.emrCluster(e)],
      reason: "EmrEtlRunner adds its steps, watches them and terminates its clusters",
    },
    {
      sid: "PassEmrServiceRole",
      actions: ["iam:PassRole"],
      resources: [arns.iamRole(e, o.emrServiceRoleName ?? "EMR_DefaultRole", path)],
      conditions: { StringLike: { "iam:PassedToService": "elasticmapreduce.amazonaws.com*" } },
      // service_role (emr_job.rb:145)
      reason: "RunJobFlow passes the EMR service role to EMR, and to nothing else",
    },
    {
      sid: "PassEmrInstanceProfileRole",
      actions: ["iam:PassRole"],
      resources: [arns.iamRole(e, o.emrInstanceProfileRoleName ?? "EMR_EC2_DefaultRole", path)],
      conditions: { StringLike: { "iam:PassedToService": "ec2.amazonaws.com*" } },
      // job_flow_role (emr_job.rb:144)
      reason: "RunJobFlow passes the nodes' instance profile role to EC2, and to nothing else",
    },
    {
      sid: "ListPipelineBuckets",
      // ListObjectsV2 in S3#empty? (s3.rb:106), called on raw in, processing, enriched and shredded
      // locations and the RDB Loader log folder (emr_job.rb:179-186, 364, 441, 485, 583, 1003)
      actions: ["s3:ListBucket"],
      resources: [...new Set([b.log, b.rawIn, b.processing, b.enrichedOut])].map((n) => arns.s3Bucket(e, n)),
      reason: "EmrEtlRunner checks whether the pipeline's folders are empty before each step",
    },
    {
      sid: "MoveRdbLoaderLogs",
      // get_object, copy_object, delete_object on <log bucket>/rdb-loader/<run>/ (emr_job.rb:88, 1013, 1031, 1036)
      actions: ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
      resources: [arns.s3Objects(e, b.log, "rdb-loader/*")],
      reason: "EmrEtlRunner prints RDB Loader's logs and renames each one after reading it (copy, then delete)",
    },
  ];
  if (o.legacyFileMoves) statements.push(...legacyFileMoveStatements(o));
  if (o.snsMonitoring) {
    statements.push({
      sid: "PublishMonitoringNotifications",
      actions: ["sns:Publish"],
      resources: [arns.snsTopic(e, o.snsTopicName ?? "snowplow-monitoring")],
      reason: "the pipeline reports its runs to the monitoring topic",
    });
  }
  return statements;
}

/**
 * Behind `legacyFileMoves`: Snowplow's 2015 least-privilege list for releases
 * that moved files between buckets with the operator's own keys (Sluice, before
 * EmrEtlRunner moved them with S3DistCp on the cluster) and ran StorageLoader
 * outside the cluster. EmrEtlRunner 1.0.4 makes none of these calls.
 */
function legacyFileMoveStatements(o: OperatorPolicyOptions): StatementProps[] {
  const e = o.env;
  const b = o.buckets;
  const objects = (...names: string[]) => names.map((n) => arns.s3Objects(e, n));
  const all = [b.log, b.rawIn, b.processing, b.enrichedOut, b.archive, b.badRows, b.hostedAssets];
  return [
    {
      sid: "LegacyDescribeEc2ForEmr",
      actions: ["ec2:DescribeInstances", "ec2:DescribeSecurityGroups", "ec2:DescribeSpotPriceHistory", "ec2:DescribeSubnets"],
      resources: ["*"],
      reason: "older EmrEtlRunner releases checked subnets, instances and spot prices themselves (legacyFileMoves)",
    },
    {
      sid: "LegacyReadCloudWatchMetrics",
      actions: ["cloudwatch:GetMetricStatistics"],
      resources: ["*"],
      reason: "older EmrEtlRunner releases read cluster metrics (legacyFileMoves)",
    },
    {
      sid: "LegacyLocatePipelineBuckets",
      actions: ["s3:GetBucketLocation", "s3:ListBucket"],
      resources: [...new Set(all)].map((n) => arns.s3Bucket(e, n)),
      reason: "Sluice listed and located every bucket it moved files between (legacyFileMoves)",
    },
    {
      sid: "LegacyReadPipelineData",
      actions: ["s3:GetObject"],
      resources: objects(b.rawIn, b.processing, b.enrichedOut, b.hostedAssets),
      reason: "Sluice read the files it moved, and the hosted assets (legacyFileMoves)",
    },
    {
      sid: "LegacyWritePipelineData",
      actions: ["s3:AbortMultipartUpload", "s3:PutObject"],
      resources: objects(b.log, b.processing, b.enrichedOut, b.archive, b.badRows),
      reason: "Sluice wrote the moved files: processing, enriched output, archive, bad rows, logs (legacyFileMoves)",
    },
    {
      sid: "LegacyDeleteMovedPipelineData",
      actions: ["s3:DeleteObject"],
      resources: objects(b.rawIn, b.processing, b.enrichedOut),
      reason: "a Sluice move is a copy then a delete; the archive and bad rows are never deleted (legacyFileMoves)",
    },
    {
      sid: "LegacyDescribeRedshiftClusters",
      actions: ["redshift:DescribeClusters"],
      resources: [arns.redshiftClusters(e)],
      reason: "StorageLoader, run beside EmrEtlRunner, found the Redshift cluster it loaded into (legacyFileMoves)",
    },
  ];
}

export function operatorStatements(o: OperatorPolicyOptions): StatementProps[] {
  return o.level === "compatible" ? compatibleStatements() : leastPrivilegeStatements(o);
}

export interface OperatorGroupProps extends OperatorPolicyOptions {
  /** @default "snowplow-data-pipeline" */
  readonly groupName?: string;
  /** @default "snowplow-policy-operate-datapipeline" */
  readonly policyName?: string;
  /** the operator user; its `userName` defaults to "snowplow-operator" */
  readonly user: Partial<PipelineUserProps>;
  /** @default "/" */
  readonly path?: string;
  /** deny all but MFA setup to members signed in without MFA @default true */
  readonly enableMfaEnforcement?: boolean;
}

/** The "Snowplow Operator" group, policy and user (seed 000). */
export class OperatorGroup extends Construct {
  readonly group: IamGroup;
  /** the first of `policies` */
  readonly policy: IamPolicy;
  /** the managed policies, more than one only past AWS's 6,144-character quota */
  readonly policies: IamPolicy[];
  readonly document: PolicyDocument;
  readonly selfService: PolicyDocument;
  readonly user: PipelineUser;

  constructor(scope: Construct, id: string, props: OperatorGroupProps) {
    super(scope, id);
    const path = props.path ?? "/";
    this.group = new IamGroup(this, "group", { name: props.groupName ?? "snowplow-data-pipeline", path });
    this.document = new PolicyDocument(operatorStatements(props));
    const groupName = props.groupName ?? "snowplow-data-pipeline";
    const targets = [{ type: "group" as const, name: groupName }];
    const account = props.env.account;
    const managed = createManagedPolicies(this, "policy", {
      name: props.policyName ?? "snowplow-policy-operate-datapipeline",
      path,
      // Not the level: a policy's description cannot change without replacing the policy.
      description: "Snowplow operator: what EmrEtlRunner and StorageLoader need to run the pipeline",
      document: this.document,
      account,
      targets,
      acknowledgements: props.level === "compatible" ? COMPATIBLE_ACKNOWLEDGEMENTS : [],
    });
    this.policies = managed.policies;
    this.policy = this.policies[0];
    this.policies.forEach(
      (policy, i) =>
        new IamGroupPolicyAttachment(this, i === 0 ? "policy_attachment" : `policy_attachment_${i + 1}`, { group: this.group.name, policyArn: policy.arn }),
    );
    // Bool, not BoolIfExists: EmrEtlRunner signs with the operator's long-term key, which cannot carry MFA.
    this.selfService = new PolicyDocument(selfServiceStatements(props.env, props.enableMfaEnforcement ?? true, "Bool"));
    new IamGroupPolicy(this, "self_service", {
      name: "snowplow-self-service",
      group: this.group.name,
      policy: this.selfService.toTerraform(),
    });
    registerPolicy(this, { name: "snowplow-self-service", kind: "inline", document: this.selfService, targets, account });
    const userName = props.user.userName ?? "snowplow-operator";
    this.user = new PipelineUser(this, "user", { path, ...props.user, userName });
    new IamUserGroupMembership(this, "membership", { user: this.user.user.name, groups: [this.group.name] });
    stackOutput(this, "operator_user_arn", this.user.user.arn, "the operator user, whose access key EmrEtlRunner uses");
    stackOutput(this, "operator_policy_arn", this.policy.arn, "the operator's managed policy");
    registerMembership(this, userName, groupName);
  }
}
