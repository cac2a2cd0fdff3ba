import { DataAwsOrganizationsOrganization, OrganizationsPolicy, OrganizationsPolicyAttachment } from "./private/cdk";
import { Construct } from "constructs";
import { PolicyDocument, type StatementProps } from "./private/policy";
import { registerPolicy } from "./private/policy-registry";

export type SnowplowFlow = "batch" | "real-time" | "both";

/** services seed 001 says to enable, by flow ("Enable the services that Snowplow requires") */
export const FLOW_SERVICES: Readonly<Record<"batch" | "realTime", Readonly<Record<string, string>>>> = {
  batch: {
    cloudfront: "CloudFront: the batch collector's pixel",
    cloudformation: "CloudFormation: stacks of the Snowplow setup",
    ec2: "EC2: collector instances and EMR nodes",
    elasticbeanstalk: "Elastic Beanstalk: the Clojure collector",
    elasticmapreduce: "Elastic MapReduce: enrich and shred jobs",
    s3: "S3: raw, enriched and archived events",
    redshift: "Redshift: the storage target",
  },
  realTime: {
    kinesis: "Kinesis: the real-time streams",
    dynamodb: "DynamoDB: KCL lease tables of the Kinesis apps",
  },
};

/** what any account needs to be managed and run, beyond the flow's services */
export const ACCOUNT_SERVICES: Readonly<Record<string, string>> = {
  iam: "IAM: the pipeline's users, groups, roles and policies (managed by these stacks)",
  sts: "STS: assuming the organisation access role and the pipeline's roles",
  cloudwatch: "CloudWatch: metrics and alarms (the KCL and EMR publish metrics)",
  logs: "CloudWatch Logs: logs of Elastic Beanstalk, EMR and the apps",
  kms: "KMS: keys that encrypt streams, buckets and volumes",
  autoscaling: "Auto Scaling: the collector's instance groups (Elastic Beanstalk)",
  elasticloadbalancing: "Elastic Load Balancing: the collector's load balancer",
  acm: "ACM: the collector's TLS certificate",
  sns: "SNS: Elastic Beanstalk and pipeline monitoring notifications",
  cloudtrail: "CloudTrail: the account's audit trail",
  tag: "Resource Groups Tagging: finding resources by tag (consoles, Terraform)",
  support: "Support: opening AWS support cases",
  health: "AWS Health: service events for the account",
};

/** services that are global or served from us-east-1 whatever the region (not region-restricted) */
export const GLOBAL_SERVICES: readonly string[] = ["iam", "sts", "organizations", "cloudfront", "route53", "support", "health", "acm", "kms"];

export interface ServiceControlPolicyProps {
  /** the Snowplow flow whose services the account may use */
  readonly flow: SnowplowFlow;
  /** account the policy is attached to (a token while the account is being created) */
  readonly targetId: string;
  /** the target's account id when known, so checks can match the principals it governs @default - unknown */
  readonly targetAccountId?: string;
  /** the target's name in reports @default "target account" */
  readonly targetName?: string;
  /** policy name @default "snowplow-<flow>-services" */
  readonly name?: string;
  /** further services, each with the reason it is needed @default - none */
  readonly extraServices?: Readonly<Record<string, string>>;
  /** deny regional services outside these regions @default - no region restriction */
  readonly allowedRegions?: readonly string[];
}

/** the services an SCP for this flow leaves open, each with its reason */
export function allowedServices(flow: SnowplowFlow, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    ...FLOW_SERVICES.batch,
    ...(flow === "batch" ? {} : FLOW_SERVICES.realTime),
    ...ACCOUNT_SERVICES,
    ...extra,
  };
}

/** the SCP document (exported for tests and reports) */
export function serviceControlPolicyDocument(props: ServiceControlPolicyProps): PolicyDocument {
  const services = Object.keys(allowedServices(props.flow, props.extraServices)).sort();
  const statements: StatementProps[] = [
    {
      // A Deny with NotAction, not an Allow list: a new account also has
      // FullAWSAccess attached directly, and SCP Allows at one level add up,
      // so an Allow list would restrict nothing. A Deny always wins.
      sid: "DenyServicesOutsideSnowplowFlow",
      effect: "Deny",
      notActions: services.map((s) => `${s}:*`),
      resources: ["*"],
      reason: `only the services of the ${props.flow} flow and account management stay usable`,
    },
  ];
  if (props.allowedRegions !== undefined && props.allowedRegions.length > 0) {
    statements.push({
      sid: "DenyRegionsOutsideAllowList",
      effect: "Deny",
      notActions: GLOBAL_SERVICES.map((s) => `${s}:*`),
      resources: ["*"],
      conditions: { StringNotEquals: { "aws:RequestedRegion": [...props.allowedRegions] } },
      reason: "regional services only in the allowed regions; global services are served from us-east-1 and stay open",
    });
  }
  return new PolicyDocument(statements);
}

/**
 * Limits the Snowplow account to the services of its flow (seed 001, step 4),
 * as a service control policy attached to that account only.
 */
export class ServiceControlPolicy extends Construct {
  readonly policy: OrganizationsPolicy;
  readonly document: PolicyDocument;

  constructor(scope: Construct, id: string, props: ServiceControlPolicyProps) {
    super(scope, id);
    this.document = serviceControlPolicyDocument(props);
    // Attaching an SCP fails (PolicyTypeNotEnabledException) unless the organisation has all
    // features and the SCP policy type is enabled on its root: say so at plan time instead.
    // https://docs.aws.amazon.com/organizations/latest/userguide/enable-policy-type.html
    const organization = new DataAwsOrganizationsOrganization(this, "organization", {
      lifecycle: {
        postcondition: [
          {
            condition: '${self.feature_set == "ALL"}',
            errorMessage:
              "The organization has only consolidated billing features; service control policies need all features. Enable them (aws organizations enable-all-features) or set organization.serviceControlPolicy.enabled to false.",
          },
          {
            condition:
              '${length([for r in self.roots : r if contains([for t in r.policy_types : t.type if t.status == "ENABLED"], "SERVICE_CONTROL_POLICY")]) > 0}',
            errorMessage:
              "Service control policies are not enabled on the organization's root, so the SCP cannot be attached. Enable them (aws organizations enable-policy-type --root-id <root id> --policy-type SERVICE_CONTROL_POLICY) or set organization.serviceControlPolicy.enabled to false.",
          },
        ],
      },
    });
    organization.overrideLogicalId("organization_scp_prerequisites");
    this.policy = new OrganizationsPolicy(this, "policy", {
      name: props.name ?? `snowplow-${props.flow}-services`,
      description: `Snowplow ${props.flow} flow: deny services the pipeline does not use`,
      type: "SERVICE_CONTROL_POLICY",
      // AWS counts whitespace in an SCP's 5,120-character limit.
      content: this.document.toTerraform({ compact: true }),
    });
    registerPolicy(this, {
      name: props.name ?? `snowplow-${props.flow}-services`,
      kind: "scp",
      document: this.document,
      targets: [{ type: "account", name: props.targetName ?? "target account" }],
      governs: props.targetAccountId,
    });
    new OrganizationsPolicyAttachment(this, "attachment", {
      policyId: this.policy.id,
      targetId: props.targetId,
      dependsOn: [organization],
    });
  }
}
