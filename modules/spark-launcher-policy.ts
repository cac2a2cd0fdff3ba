import { IamGroup, IamGroupPolicyAttachment, IamInstanceProfile, IamRole, IamRolePolicy, IamRolePolicyAttachment } from "./private/cdk";
import type { IamPolicy } from "./private/cdk";
import { Construct } from "constructs";
import { arns, type AccountEnv } from "./private/arn";
import { PolicyDocument, type StatementProps } from "./private/policy";
import { ec2TrustPolicy } from "./private/trust";
import type { PipelineBuckets } from "./operator-group";
import { createManagedPolicies } from "./private/managed-policy";
import { registerPolicy } from "./private/policy-registry";
import { stackOutput } from "./private/outputs";

/** the tag Flintrock puts on every instance it launches (flintrock/ec2.py v2.1.0, `_tag_specs`, line 1071) */
export const FLINTROCK_ROLE_TAG = "flintrock-role";

// The oldest Flintrock this policy is written for is 2.1.0 (README, help): it tags instances at
// launch (`TagSpecifications`, ec2.py line 737) and asks for spot capacity through `RunInstances`
// (`InstanceMarketOptions`, line 747). 1.x and 2.0 tag after launch and call RequestSpotInstances:
// with this policy they cannot tag their instances, so they could never stop or destroy them.

export interface SparkLauncherPolicyOptions {
  readonly env: AccountEnv;
  /** instance profile Flintrock starts the Spark nodes with */
  readonly instanceProfileName: string;
  /** the role in that instance profile */
  readonly nodeRoleName: string;
  /**
   * IAM path of the instance profile and its role. Seed 003's
   * `EMR_EC2_DefaultRole` lives at `/`, like every profile made outside this project.
   * @default "/"
   */
  readonly path?: string;
}

/**
 * The calls Flintrock 2.1.0 makes (nchammas/flintrock v2.1.0, flintrock/ec2.py;
 * line numbers in each statement) instead of AmazonEC2FullAccess, and the two
 * IAM calls seed 003 pruned IAMFullAccess to. test/conformance/flintrock.ts
 * replays each call through the simulator.
 */
export function sparkLauncherStatements(o: SparkLauncherPolicyOptions): StatementProps[] {
  const e = o.env;
  const path = o.path ?? "/";
  const inRegion = { StringEquals: { "aws:RequestedRegion": e.region } };
  return [
    {
      sid: "DescribeEc2ForFlintrock",
      // DescribeVpcs: get_default_vpc (line 462); DescribeSubnets: ec2.Subnet(...) (lines 91, 485);
      // DescribeSecurityGroups: security_groups.filter (lines 182, 385, 501, 555); DescribeImages:
      // images.filter (line 663); DescribeInstances: instances.filter (lines 167, 976).
      actions: ["ec2:DescribeImages", "ec2:DescribeInstances", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs"],
      // These Describe* calls support no resource-level permission; the region condition narrows them.
      resources: ["*"],
      conditions: inRegion,
      reason: "Flintrock looks up the VPC, subnet, image, security groups and its cluster's instances",
    },
    {
      sid: "DescribeFlintrockAttributes",
      // describe_instance_attribute (add-slaves, lines 293, 299); Vpc.describe_attribute (line 478)
      actions: ["ec2:DescribeInstanceAttribute", "ec2:DescribeVpcAttribute"],
      resources: [arns.ec2(e, "instance"), arns.ec2(e, "vpc")],
      conditions: inRegion,
      reason: "Flintrock reads an instance's attributes and whether the VPC gives DNS hostnames",
    },
    {
      sid: "ManageFlintrockSecurityGroups",
      // create_security_group (lines 573, 612), authorize_ingress (621, 633), group.delete() (206)
      actions: ["ec2:AuthorizeSecurityGroupIngress", "ec2:CreateSecurityGroup", "ec2:DeleteSecurityGroup"],
      resources: [arns.ec2(e, "security-group"), arns.ec2(e, "vpc")],
      conditions: inRegion,
      reason: "Flintrock creates the cluster's security groups, opens SSH and Spark ports, and deletes them on destroy",
    },
    {
      sid: "LaunchFlintrockInstances",
      // ec2.create_instances (line 766): every resource RunInstances is authorized on
      actions: ["ec2:RunInstances"],
      resources: [
        arns.ec2(e, "instance"),
        arns.ec2(e, "volume"),
        arns.ec2(e, "network-interface"),
        arns.ec2(e, "security-group"),
        arns.ec2(e, "subnet"),
        arns.ec2(e, "key-pair"),
        // --spot-price: InstanceMarketOptions (line 747)
        arns.ec2(e, "spot-instances-request"),
        // --ec2-placement-group: Placement.GroupName (line 762)
        arns.ec2(e, "placement-group"),
        arns.ec2Public(e, "image"),
      ],
      conditions: inRegion,
      reason: "Flintrock launches the master and slaves (on-demand or spot, optionally in a placement group) from a public or own AMI",
    },
    {
      sid: "TagInstancesAtLaunch",
      // TagSpecifications has one ResourceType, 'instance' (lines 737-739): nothing else is tagged
      actions: ["ec2:CreateTags"],
      resources: [arns.ec2(e, "instance")],
      conditions: { StringEquals: { "ec2:CreateAction": "RunInstances", "aws:RequestedRegion": e.region } },
      reason: "Flintrock tags instances as it launches them; tags cannot be put on existing instances",
    },
    {
      sid: "ManageOwnFlintrockInstances",
      // modify_attribute(Groups=...) on destroy and remove-slaves (lines 195, 393); start (234),
      // stop (260), terminate (213, 401, 1144)
      actions: ["ec2:ModifyInstanceAttribute", "ec2:StartInstances", "ec2:StopInstances", "ec2:TerminateInstances"],
      resources: [arns.ec2(e, "instance")],
      conditions: {
        StringEquals: { "aws:RequestedRegion": e.region },
        StringLike: { [`ec2:ResourceTag/${FLINTROCK_ROLE_TAG}`]: ["master", "slave"] },
      },
      reason: "start, stop and destroy only instances Flintrock launched (tagged flintrock-role)",
    },
    {
      sid: "MoveFlintrockInstancesToBaseGroup",
      // ModifyInstanceAttribute(Groups=[flintrock base group]) (lines 195, 393) is authorized on the
      // instance (above) and on each security group named; Flintrock's groups carry no tag.
      actions: ["ec2:ModifyInstanceAttribute"],
      resources: [arns.ec2(e, "security-group")],
      conditions: inRegion,
      reason: "destroy and remove-slaves move instances to Flintrock's base group before deleting the cluster group",
    },
    {
      sid: "GetSparkInstanceProfile",
      // iam.InstanceProfile(name).arn (line 856)
      actions: ["iam:GetInstanceProfile"],
      resources: [arns.iamInstanceProfile(e, o.instanceProfileName, path)],
      reason: "Flintrock checks the instance profile it starts nodes with (seed 003)",
    },
    {
      sid: "PassSparkNodeRole",
      actions: ["iam:PassRole"],
      resources: [arns.iamRole(e, o.nodeRoleName, path)],
      conditions: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
      reason: "RunInstances passes the nodes' role to EC2, and to nothing else (seed 003)",
    },
  ];
}

/** what the Spark nodes themselves may do: read and write the pipeline's buckets */
export function sparkNodeStatements(env: AccountEnv, b: PipelineBuckets): StatementProps[] {
  const objects = (...names: string[]) => names.map((n) => arns.s3Objects(env, n));
  const buckets = [...new Set([b.rawIn, b.processing, b.enrichedOut, b.badRows, b.log, b.hostedAssets])];
  return [
    {
      sid: "ListPipelineBuckets",
      actions: ["s3:GetBucketLocation", "s3:ListBucket"],
      resources: buckets.map((n) => arns.s3Bucket(env, n)),
      reason: "Spark lists its input and output folders",
    },
    {
      sid: "ReadPipelineData",
      actions: ["s3:GetObject"],
      resources: objects(b.rawIn, b.processing, b.enrichedOut, b.hostedAssets),
      reason: "Spark jobs read raw and enriched events and Snowplow's hosted assets",
    },
    {
      sid: "WritePipelineData",
      actions: ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject"],
      resources: objects(b.processing, b.enrichedOut, b.badRows, b.log),
      reason: "Spark jobs write (and clean up temporary files of) their output, bad rows and logs",
    },
  ];
}

export interface SparkLauncherProps extends SparkLauncherPolicyOptions {
  /** @default "snowplow-spark-launcher" */
  readonly policyName?: string;
  /** create this group (for people) and attach the policy @default - no group */
  readonly groupName?: string;
  /** attach the policy to this existing role (automation) @default - none */
  readonly roleName?: string;
  /** create the nodes' role and instance profile with bucket access @default - not created */
  readonly createInstanceProfile?: { readonly buckets: PipelineBuckets };
  /** @default - no permissions boundary */
  readonly permissionsBoundaryArn?: string;
  /** IAM path of the launcher's policy and group @default "/" */
  readonly policyPath?: string;
}

/** Lets a person or role launch Spark clusters with Flintrock (seed 003). */
export class SparkLauncher extends Construct {
  readonly policy: IamPolicy;
  readonly document: PolicyDocument;
  readonly nodeDocument?: PolicyDocument;

  constructor(scope: Construct, id: string, props: SparkLauncherProps) {
    super(scope, id);
    // the project's own path for what it creates; the profile and role keep theirs (props.path)
    const path = props.policyPath ?? props.path ?? "/";
    this.document = new PolicyDocument(sparkLauncherStatements(props));
    const account = props.env.account;
    const targets = [
      ...(props.groupName ? [{ type: "group" as const, name: props.groupName }] : []),
      ...(props.roleName ? [{ type: "role" as const, name: props.roleName }] : []),
    ];
    const managed = createManagedPolicies(this, "policy", {
      name: props.policyName ?? "snowplow-spark-launcher",
      path,
      description: "Launch Spark clusters with Flintrock: its EC2 calls, one instance profile, one role",
      document: this.document,
      account,
      targets,
    });
    this.policy = managed.policies[0];
    stackOutput(this, "spark_launcher_policy_arn", this.policy.arn, "Flintrock's launcher policy");
    if (props.groupName) {
      const group = new IamGroup(this, "group", { name: props.groupName, path });
      managed.policies.forEach(
        (policy, i) => new IamGroupPolicyAttachment(this, i === 0 ? "group_policy" : `group_policy_${i + 1}`, { group: group.name, policyArn: policy.arn }),
      );
    }
    if (props.roleName) {
      const roleName = props.roleName;
      managed.policies.forEach(
        (policy, i) => new IamRolePolicyAttachment(this, i === 0 ? "role_policy" : `role_policy_${i + 1}`, { role: roleName, policyArn: policy.arn }),
      );
    }
    if (props.createInstanceProfile) {
      const trust = ec2TrustPolicy("the Spark nodes run under this role through their instance profile");
      const role = new IamRole(this, "node_role", {
        name: props.nodeRoleName,
        path: props.path ?? "/",
        description: "Spark nodes launched by Flintrock",
        assumeRolePolicy: trust.toTerraform(),
        permissionsBoundary: props.permissionsBoundaryArn,
      });
      this.nodeDocument = new PolicyDocument(sparkNodeStatements(props.env, props.createInstanceProfile.buckets));
      new IamRolePolicy(this, "node_policy", { name: "snowplow-spark-node-buckets", role: role.name, policy: this.nodeDocument.toTerraform() });
      const nodeRole = [{ type: "role" as const, name: props.nodeRoleName }];
      registerPolicy(this, { name: "snowplow-spark-node-buckets", kind: "inline", document: this.nodeDocument, targets: nodeRole, account });
      registerPolicy(this, { name: `${nodeRole[0].name} trust`, kind: "trust", document: trust, targets: nodeRole, account });
      const profile = new IamInstanceProfile(this, "instance_profile", { name: props.instanceProfileName, path: props.path ?? "/", role: role.name });
      stackOutput(this, "spark_node_role_arn", role.arn, "the Spark nodes' role");
      stackOutput(this, "spark_instance_profile_name", profile.name, "flintrock launch --ec2-instance-profile-name");
    }
  }
}
