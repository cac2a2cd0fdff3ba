import { IamOpenidConnectProvider, IamRole, IamRolePolicy, IamRolePolicyAttachment } from "./private/cdk";
import { Construct } from "constructs";
import { arns, type AccountEnv } from "./private/arn";
import { stackOutput } from "./private/outputs";
import { PolicyDocument } from "./private/policy";
import { registerPolicy } from "./private/policy-registry";

/**
 * Read-only plans in CI, without the organisation's admin role (issue #15).
 *
 * - `PlanHub` (management account): the one role a workflow assumes through
 *   GitHub's OIDC provider, for pull requests of one repository only. It reads
 *   the Terraform state and may assume each account's plan role, nothing else.
 * - `PlanRole` (every account): assumed by the hub only; AWS's `ReadOnlyAccess`
 *   (what `terraform plan` refreshes: Get, List, Describe of every service)
 *   with the data itself denied: objects, items, records, secrets, key use.
 *
 * In CI the stacks' providers assume the plan role instead of the access role
 * (`TF_VAR_assume_role_arn`); applies keep the access role.
 *
 * Sources of each grant:
 * - GitHub's OIDC trust, `sub` = `repo:<owner>/<repo>:pull_request` for pull-request runs, `aud` =
 *   `sts.amazonaws.com`: https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
 * - the S3 backend's reads, `s3:ListBucket` on the bucket and `s3:GetObject` on the state key (a plan
 *   with `-lock=false` writes no lock file): https://developer.hashicorp.com/terraform/language/backend/s3 ("S3 Bucket Permissions")
 * - the provider's refresh reads: AWS's `ReadOnlyAccess` managed policy,
 *   https://docs.aws.amazon.com/aws-managed-policy/latest/reference/ReadOnlyAccess.html
 * test/ci.test.ts replays these calls against the synthesized documents in the IAM simulator.
 */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

export interface PlanHubProps {
  readonly env: AccountEnv;
  /** "owner/name" of the repository whose pull requests plan */
  readonly repository: string;
  readonly hubRoleName: string;
  readonly planRoleName: string;
  readonly path: string;
  readonly permissionsBoundaryArn?: string;
  /** create the account's GitHub OIDC provider (one per account; false when it exists) */
  readonly createOidcProvider: boolean;
  /** the state bucket and key prefix the plans read */
  readonly state: { readonly bucket: string; readonly keyPrefix: string };
  /** the organisation, to keep the plan roles the hub may assume inside it */
  readonly organizationId?: string;
}

/** what reads data rather than configuration: denied to the plan roles on top of ReadOnlyAccess */
export const DATA_READ_ACTIONS = [
  "s3:GetObject",
  "s3:GetObjectVersion",
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:Scan",
  "dynamodb:GetRecords",
  "kinesis:GetRecords",
  "kinesis:GetShardIterator",
  "kinesis:SubscribeToShard",
  "kms:Decrypt",
  "secretsmanager:GetSecretValue",
  "ssm:GetParameter",
  "ssm:GetParameters",
  "ssm:GetParametersByPath",
  "sqs:ReceiveMessage",
  "logs:GetLogEvents",
  "logs:FilterLogEvents",
];

export class PlanHub extends Construct {
  readonly role: IamRole;
  constructor(scope: Construct, id: string, props: PlanHubProps) {
    super(scope, id);
    const e = props.env;
    const providerArn = arns.iam(e, `oidc-provider/${GITHUB_OIDC_HOST}`);
    if (props.createOidcProvider) {
      new IamOpenidConnectProvider(this, "github_oidc", { url: `https://${GITHUB_OIDC_HOST}`, clientIdList: ["sts.amazonaws.com"] });
    }
    const trust = new PolicyDocument([
      {
        sid: "AssumeFromPullRequestWorkflows",
        actions: ["sts:AssumeRoleWithWebIdentity"],
        principals: { Federated: [providerArn] },
        conditions: {
          StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: "sts.amazonaws.com", [`${GITHUB_OIDC_HOST}:sub`]: `repo:${props.repository}:pull_request` },
        },
        reason: `GitHub Actions runs of pull requests in ${props.repository} (the plan workflow), through GitHub's OIDC provider; no other repository, branch or event`,
      },
    ]);
    const keyPrefix = props.state.keyPrefix.replace(/\/+$/, "");
    const document = new PolicyDocument([
      {
        sid: "ListState",
        actions: ["s3:ListBucket"],
        resources: [arns.s3Bucket(e, props.state.bucket)],
        conditions: { StringLike: { "s3:prefix": [`${keyPrefix}/*`] } },
        reason: "terraform init with the S3 backend lists the state keys of the stacks",
      },
      {
        sid: "ReadState",
        actions: ["s3:GetObject"],
        resources: [arns.s3Objects(e, props.state.bucket, `${keyPrefix}/*`)],
        reason: "terraform plan reads each stack's state (plans run with -lock=false, so no lock file is written)",
      },
      {
        sid: "AssumePlanRoles",
        actions: ["sts:AssumeRole"],
        // every account of the organisation has one: the stacks' accounts are listed in the config, but a wildcard keeps the
        // policy one size for any number of source accounts; the organisation condition keeps it inside
        resources: [arns.iamRole({ ...e, account: "*" }, props.planRoleName, props.path)],
        conditions: props.organizationId ? { StringEquals: { "aws:ResourceOrgID": props.organizationId } } : undefined,
        reason: "each stack's provider assumes the plan role of its account (TF_VAR_assume_role_arn) to refresh what the stack manages",
      },
    ]);
    this.role = new IamRole(this, "role", {
      name: props.hubRoleName,
      path: props.path,
      description: `Pull-request plans of ${props.repository}: reads state, assumes the plan roles`,
      assumeRolePolicy: trust.toTerraform(),
      permissionsBoundary: props.permissionsBoundaryArn,
      maxSessionDuration: 3600,
    });
    new IamRolePolicy(this, "policy", { name: "snowplow-iac-plan-hub", role: this.role.name, policy: document.toTerraform() });
    const targets = [{ type: "role" as const, name: props.hubRoleName }];
    registerPolicy(this, { name: "snowplow-iac-plan-hub", kind: "inline", document, targets, account: e.account });
    registerPolicy(this, { name: `${props.hubRoleName} trust`, kind: "trust", document: trust, targets, account: e.account });
    stackOutput(this, "ci_plan_hub_role_arn", this.role.arn, "the role the plan workflow assumes (repository variable SNOWPLOW_IAC_PLAN_HUB_ROLE_ARN)");
  }
}

export interface PlanRoleProps {
  readonly env: AccountEnv;
  /** the hub role's ARN (in the management account) */
  readonly hubRoleArn: string;
  readonly planRoleName: string;
  readonly path: string;
  readonly permissionsBoundaryArn?: string;
}

export class PlanRole extends Construct {
  constructor(scope: Construct, id: string, props: PlanRoleProps) {
    super(scope, id);
    const e = props.env;
    const trust = new PolicyDocument([
      {
        sid: "AssumeFromPlanHub",
        actions: ["sts:AssumeRole"],
        principals: { AWS: [props.hubRoleArn] },
        reason: "the pull-request plan workflow's hub role; nothing else assumes this role",
      },
    ]);
    const document = new PolicyDocument([
      {
        sid: "DenyReadingData",
        effect: "Deny",
        actions: DATA_READ_ACTIONS,
        resources: ["*"],
        reason: "a plan reads configuration, never data: ReadOnlyAccess would also read objects, items, records, secrets and decrypt; denied on every resource",
      },
    ]);
    const role = new IamRole(this, "role", {
      name: props.planRoleName,
      path: props.path,
      description: "Read-only terraform plan of this account's stack, from the plan workflow",
      assumeRolePolicy: trust.toTerraform(),
      permissionsBoundary: props.permissionsBoundaryArn,
      maxSessionDuration: 3600,
    });
    new IamRolePolicyAttachment(this, "read_only", { role: role.name, policyArn: arns.awsManagedPolicy(e, "ReadOnlyAccess") });
    new IamRolePolicy(this, "deny_data", { name: "snowplow-iac-plan-deny-data", role: role.name, policy: document.toTerraform() });
    const targets = [{ type: "role" as const, name: props.planRoleName }];
    registerPolicy(this, { name: "snowplow-iac-plan-deny-data", kind: "inline", document, targets, account: e.account });
    registerPolicy(this, { name: `${props.planRoleName} trust`, kind: "trust", document: trust, targets, account: e.account });
    stackOutput(this, "ci_plan_role_arn", role.arn, "the read-only role this stack's plan runs under in CI");
  }
}
