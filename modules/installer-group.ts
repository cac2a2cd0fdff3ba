import { IamGroup, IamGroupPolicy, IamUserGroupMembership } from "./private/cdk";
import { Construct } from "constructs";
import type { SnowplowFlow } from "./service-control-policy";
import type { AccountEnv } from "./private/arn";
import { PipelineUser, type PipelineUserProps } from "./private/pipeline-user";
import { PolicyDocument, type StatementProps } from "./private/policy";
import { selfServiceStatements } from "./private/self-service";
import { registerMembership, registerPolicy, type Acknowledgement } from "./private/policy-registry";

/**
 * Service lists of Snowplow's "IAM permissions for installing Snowplow" page, per flow.
 * The page itself warns they are broader than needed: that is why the installer
 * leaves the group once the stack is up.
 */
const BATCH_SERVICES = [
  "acm",
  "autoscaling",
  "cloudformation",
  "cloudfront",
  "cloudwatch",
  "ec2",
  "elasticbeanstalk",
  "elasticloadbalancing",
  "elasticmapreduce",
  "es",
  "iam",
  "rds",
  "redshift",
  "s3",
  "sns",
];
const REAL_TIME_SERVICES = [
  "autoscaling",
  "elasticloadbalancing",
  "kinesis",
  "iam",
  "cloudwatch",
  "ec2",
  "cloudformation",
  "cloudfront",
  "logs",
  "dynamodb",
  "sns",
];

/**
 * Acknowledged finding (cdk-nag style): the installer's policy grants whole
 * services on `*`. Reason: it reproduces Snowplow's published installer policy,
 * which sets up resources whose names are not known before setup; the user is
 * removed from the group in the operate phase.
 */
export const INSTALLER_WILDCARD_ACKNOWLEDGEMENT = {
  reason:
    "Snowplow's published installer policy; setup creates resources whose names are not known in advance, and the installer leaves the group in the operate phase",
} as const;

/** the installer's accepted findings, for the synth-time checks */
export const INSTALLER_ACKNOWLEDGEMENTS: readonly Acknowledgement[] = [
  { rule: "no-wildcard-action", reason: INSTALLER_WILDCARD_ACKNOWLEDGEMENT.reason },
  { rule: "star-resource", reason: INSTALLER_WILDCARD_ACKNOWLEDGEMENT.reason },
  {
    rule: "pass-role",
    reason:
      "iam:* is in Snowplow's published installer policy: setup creates and passes roles whose names it chooses; the installer leaves the group in the operate phase",
  },
  {
    rule: "guardrail",
    reason:
      "iam:* is in Snowplow's published installer policy (setup creates the operator user and its keys); the installer is held to MFA and leaves the group in the operate phase",
    sids: ["SetupSnowplowServices"],
  },
];

/**
 * The published installer policy for the flow. When the account's service
 * control policy leaves only `scpServices` open, services outside it are left
 * out: the SCP denies them anyway (the batch list's `es`, `rds` and
 * `aws-marketplace` are not among the services seed 001 enables), and a grant
 * that can never work only misleads the reader of the policy.
 */
export function installerStatements(flow: SnowplowFlow, scpServices?: ReadonlySet<string>): StatementProps[] {
  const open = (service: string) => scpServices === undefined || scpServices.has(service);
  const services = new Set<string>(flow === "real-time" ? REAL_TIME_SERVICES : BATCH_SERVICES);
  if (flow === "both") ["dynamodb", "kinesis", "logs"].forEach((s) => services.add(s));
  const statements: StatementProps[] = [
    {
      sid: "SetupSnowplowServices",
      actions: [...services].filter(open).map((s) => `${s}:*`),
      resources: ["*"],
      reason: `everything Snowplow's ${flow} setup creates (published installer policy${scpServices ? ", less the services the account's SCP denies" : ""})`,
    },
  ];
  if (flow === "real-time") {
    statements.push({
      sid: "ReadCollectorCertificates",
      actions: ["acm:DescribeCertificate", "acm:ListCertificates"],
      resources: ["*"],
      reason: "pick the collector's TLS certificate (published real-time installer policy)",
    });
  } else if (open("aws-marketplace")) {
    statements.push({
      sid: "SubscribeMarketplaceImages",
      actions: ["aws-marketplace:ViewSubscriptions", "aws-marketplace:Subscribe", "aws-marketplace:Unsubscribe"],
      resources: ["*"],
      reason: "subscribe to Marketplace images used by the batch setup (published installer policy)",
    });
  }
  return statements;
}

export interface InstallerGroupProps {
  readonly env: AccountEnv;
  /** the Snowplow flow being set up */
  readonly flow: SnowplowFlow;
  /**
   * `install`: the installer user is a member of the group; `operate`: it is not.
   * Adding a new installer later is setting this back to `install` (with a new userName if wanted).
   */
  readonly phase: "install" | "operate";
  /** @default "snowplow-setup" */
  readonly groupName?: string;
  /** @default "snowplow-policy-setup-infrastructure" */
  readonly policyName?: string;
  /** the installer user; its `userName` defaults to "snowplow-setup" */
  readonly user: Partial<PipelineUserProps>;
  /** in the operate phase, delete the user rather than only removing it from the group @default false */
  readonly deleteUserWhenOperating?: boolean;
  /** @default "/" */
  readonly path?: string;
  /** deny all but MFA setup to members signed in without MFA @default true */
  readonly enableMfaEnforcement?: boolean;
  /**
   * services the account's service control policy leaves open; the published
   * policy's other services are left out (the SCP would deny them)
   * @default - no SCP: the published list as it is
   */
  readonly scpServices?: ReadonlySet<string>;
}

/** The "Snowplow Installer" group, policy and user (seed 001 links it; seed 000 retires it). */
export class InstallerGroup extends Construct {
  readonly group: IamGroup;
  readonly document: PolicyDocument;
  readonly selfService: PolicyDocument;
  readonly user?: PipelineUser;

  constructor(scope: Construct, id: string, props: InstallerGroupProps) {
    super(scope, id);
    const path = props.path ?? "/";
    this.group = new IamGroup(this, "group", { name: props.groupName ?? "snowplow-setup", path });
    this.document = new PolicyDocument(installerStatements(props.flow, props.scpServices));
    const groupName = props.groupName ?? "snowplow-setup";
    const policyName = props.policyName ?? "snowplow-policy-setup-infrastructure";
    new IamGroupPolicy(this, "policy", {
      name: policyName,
      group: this.group.name,
      policy: this.document.toTerraform(),
    });
    const account = props.env.account;
    const targets = [{ type: "group" as const, name: groupName }];
    registerPolicy(this, {
      name: policyName,
      kind: "inline",
      document: this.document,
      targets,
      account,
      acknowledgements: INSTALLER_ACKNOWLEDGEMENTS,
    });
    // BoolIfExists: an access key the installer makes must not skip MFA while the group grants iam:*.
    this.selfService = new PolicyDocument(selfServiceStatements(props.env, props.enableMfaEnforcement ?? true, "BoolIfExists"));
    new IamGroupPolicy(this, "self_service", {
      name: "snowplow-self-service",
      group: this.group.name,
      policy: this.selfService.toTerraform(),
    });
    registerPolicy(this, { name: "snowplow-self-service", kind: "inline", document: this.selfService, targets, account });

    const keepUser = props.phase === "install" || !(props.deleteUserWhenOperating ?? false);
    if (keepUser) {
      this.user = new PipelineUser(this, "user", { path, ...props.user, userName: props.user.userName ?? "snowplow-setup" });
    }
    if (props.phase === "install" && this.user) {
      // Per-user membership, not aws_iam_group_membership: that resource owns the
      // whole member list and would remove members added outside Terraform.
      new IamUserGroupMembership(this, "membership", { user: this.user.user.name, groups: [this.group.name] });
      registerMembership(this, props.user.userName ?? "snowplow-setup", groupName);
    }
  }
}
