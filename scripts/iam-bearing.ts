/**
 * npm run iam-bearing: regenerate modules/review/iam-bearing.json from the
 * AWS provider's own schema (`terraform providers schema -json`, hashicorp/aws
 * 5.100.0 from the local mirror): every resource type, and for each one the
 * attributes that carry a policy, a principal or public access. The review
 * evaluates some of them and marks a change of any other as "unknown";
 * test/terraform/iam-bearing.test.ts fails when this file is stale.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { terraformEnv } from "../test/support/terraform";
import { parseCommand, type CommandSpec } from "../modules/cli/command";

/** attribute names that decide who can do what (top level; nested ones are named by their block) */
export const IAM_ATTRIBUTE_NAMES = new Set([
  "policy",
  "policy_document",
  "base_policy_document",
  "assume_role_policy",
  "inline_policy",
  "managed_policy_arns",
  "permissions_boundary",
  "session_policy",
  "access_policy",
  "access_policies",
  "resource_policy",
  "repository_policy",
  "redrive_allow_policy",
  "access_control_policy",
  "principal",
  "principals",
  "service_principal",
  "grantee_principal",
  "retiring_principal",
  "authorized_principal",
  "allowed_principals",
  "share_principals",
  "aws_service_access_principals",
  "allow_external_principals",
  "principal_org_id",
  "operations",
  "source_arn",
  "source_account",
  "acl",
  "object_acl",
  "block_public_acls",
  "block_public_policy",
  "ignore_public_acls",
  "restrict_public_buckets",
  "cidr_blocks",
  "ipv6_cidr_blocks",
  "cidr_ipv4",
  "cidr_ipv6",
  "function_url_auth_type",
  "authorization_type",
  "principal_id",
  "principal_arn",
  "managed_policy_arn",
  "permission_set_arn",
]);
/** types whose rules are nested in blocks the name list does not reach */
const EXTRA: Record<string, string[]> = {
  aws_security_group: ["ingress", "egress"],
  aws_network_acl: ["ingress", "egress"],
  aws_default_security_group: ["ingress", "egress"],
  // credentials and trust anchors: whoever holds them acts as the user, or federates into roles
  aws_iam_access_key: ["status", "user"],
  aws_iam_user_login_profile: ["user"],
  aws_iam_service_specific_credential: ["status", "user_name"],
  aws_iam_signing_certificate: ["status", "user_name"],
  aws_iam_user_ssh_key: ["status", "username"],
  aws_iam_openid_connect_provider: ["client_id_list", "thumbprint_list", "url"],
  aws_iam_saml_provider: ["saml_metadata_document"],
  // sharing outside the account, or public: AMIs, snapshots, documents, RAM shares
  aws_ami_launch_permission: ["account_id", "group", "organization_arn", "organizational_unit_arn"],
  aws_snapshot_create_volume_permission: ["account_id"],
  aws_ssm_document: ["permissions"],
  aws_db_snapshot: ["shared_accounts"],
  aws_db_cluster_snapshot: ["shared_accounts"],
  aws_db_snapshot_copy: ["shared_accounts"],
  aws_rds_cluster_snapshot_copy: ["shared_accounts"],
  aws_ram_resource_association: ["resource_arn", "resource_share_arn"],
  aws_ec2_image_block_public_access: ["state"],
  aws_ebs_snapshot_block_public_access: ["state"],
  aws_s3control_multi_region_access_point_policy: ["details"],
  aws_s3control_access_grant: ["access_grants_location_id", "grantee", "permission"],
  aws_s3control_access_grants_location: ["iam_role_arn", "location_scope"],
  // who acts as a role: web identities through a pool (EC2 instances through a profile: roleHolders)
  aws_cognito_identity_pool_roles_attachment: ["role_mapping", "roles"],
  // root access management: the management account may take root sessions in member accounts
  aws_iam_organizations_features: ["enabled_features"],
  // a service-linked role: the AWS service gets the role's permissions in the account
  aws_iam_service_linked_role: ["aws_service_name", "custom_suffix"],
  // resources made from an opaque template or document (IAM roles and policies included), or code
  // run at apply time: what they grant is not in the plan
  aws_cloudformation_stack: ["capabilities", "parameters", "template_body", "template_url"],
  aws_cloudformation_stack_set: ["capabilities", "parameters", "template_body", "template_url"],
  aws_cloudformation_stack_set_instance: ["account_id", "deployment_targets", "parameter_overrides", "region", "stack_set_name"],
  aws_cloudformation_stack_instances: ["accounts", "deployment_targets", "parameter_overrides", "regions", "stack_set_name"],
  aws_serverlessapplicationrepository_cloudformation_stack: ["application_id", "capabilities", "parameters", "semantic_version"],
  aws_servicecatalog_provisioned_product: ["product_id", "product_name", "provisioning_artifact_id", "provisioning_artifact_name", "provisioning_parameters"],
  aws_cloudcontrolapi_resource: ["desired_state", "type_name"],
  aws_lambda_invocation: ["function_name", "input", "qualifier", "triggers"],
  // memberships outside IAM that carry access: IAM Identity Center groups (their account
  // assignments), Cognito user pool groups (their role)
  aws_identitystore_group_membership: ["group_id", "member_id"],
  aws_cognito_user_in_group: ["group_name", "username"],
  aws_ssoadmin_account_assignment: ["target_id"],
  aws_ssoadmin_customer_managed_policy_attachment: ["customer_managed_policy_reference"],
  aws_ssoadmin_trusted_token_issuer: ["trusted_token_issuer_configuration"],
  // an account made the organization's administrator of a service
  aws_organizations_delegated_administrator: ["account_id"],
  aws_cloudtrail_organization_delegated_admin_account: ["account_id"],
  aws_auditmanager_organization_admin_account_registration: ["admin_account_id"],
  aws_detective_organization_admin_account: ["account_id"],
  aws_fms_admin_account: ["account_id"],
  aws_guardduty_organization_admin_account: ["admin_account_id"],
  aws_inspector2_delegated_admin_account: ["account_id"],
  aws_macie2_organization_admin_account: ["admin_account_id"],
  aws_securityhub_organization_admin_account: ["admin_account_id"],
  aws_vpc_ipam_organization_admin_account: ["delegated_admin_account_id"],
};

/**
 * Attributes that name the role (or instance profile) a workload runs as: a
 * function, a task, an instance, a cluster, a delivery stream. Another role
 * there gives the workload, and whoever controls it, that role's access.
 */
const ROLE_HOLDER_NAME = /(^|_)(role|roles|role_arn|role_arns|role_name|instance_profile|instance_profile_arn|instance_profile_name)$/;
/** names that match but hold no role: a kind, a flag, an id, or values mapped to a role */
const NOT_ROLE_HOLDERS = new Set(["role_type", "role_arn_association_id", "use_service_linked_role", "enable_iot_role_alias"]);

export interface IamBearing {
  readonly provider: string;
  readonly types: Record<string, string[]>;
  /** per type, the arguments (attributes or blocks) that name the role a workload runs as */
  readonly roleHolders: Record<string, string[]>;
  readonly allTypes: string[];
}

/** the role arguments of a block and of the blocks in it (a delivery stream's destination), as dotted paths */
function roleArguments(block: any, prefix: string, depth: number): string[] {
  const settable = Object.entries<any>(block.attributes ?? {})
    .filter(([, a]) => a.optional || a.required)
    .map(([n]) => n);
  const own = [...settable, ...Object.keys(block.block_types ?? {})].filter((n) => ROLE_HOLDER_NAME.test(n) && !NOT_ROLE_HOLDERS.has(n)).map((n) => prefix + n);
  const nested =
    depth >= 3
      ? []
      : Object.entries<any>(block.block_types ?? {})
          .filter(([n]) => !ROLE_HOLDER_NAME.test(n))
          .flatMap(([n, b]) => roleArguments(b.block, `${prefix}${n}.`, depth + 1));
  return [...own, ...nested];
}

export function iamBearingFromSchema(schema: any): IamBearing {
  const rs = schema.provider_schemas["registry.terraform.io/hashicorp/aws"].resource_schemas as Record<string, any>;
  const types: Record<string, string[]> = {};
  for (const t of Object.keys(rs).sort()) {
    const block = rs[t].block;
    const names = [...Object.keys(block.attributes ?? {}), ...Object.keys(block.block_types ?? {})].filter((n) => IAM_ATTRIBUTE_NAMES.has(n));
    const all = [...new Set([...names, ...(EXTRA[t] ?? [])])].sort();
    if (all.length > 0) types[t] = all;
  }
  // the IAM types' own role arguments (a policy's role, an attachment's role) are modelled by the review
  const roleHolders: Record<string, string[]> = {};
  for (const t of Object.keys(rs).sort()) {
    if (t.startsWith("aws_iam_") && t !== "aws_iam_instance_profile") continue;
    // a new account's role_name names the role Organizations creates in it (judged as an Organizations change)
    if (t === "aws_organizations_account") continue;
    const names = roleArguments(rs[t].block, "", 0).sort();
    if (names.length > 0) roleHolders[t] = names;
  }
  return { provider: "registry.terraform.io/hashicorp/aws 5.100.0", types, roleHolders, allTypes: Object.keys(rs).sort() };
}

export function providerSchema(): any {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snowplow-iac-schema-"));
  fs.writeFileSync(path.join(dir, "main.tf"), 'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws", version = "5.100.0" }\n  }\n}\n');
  try {
    const env = terraformEnv();
    const init = spawnSync("terraform", ["init", "-input=false", "-backend=false"], { cwd: dir, env, encoding: "utf8" });
    if (init.status !== 0) throw new Error(`terraform init failed: ${init.stderr}`);
    const out = spawnSync("terraform", ["providers", "schema", "-json"], { cwd: dir, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    if (out.status !== 0) throw new Error(`terraform providers schema failed: ${out.stderr}`);
    return JSON.parse(out.stdout);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const IAM_BEARING_FILE = path.join(__dirname, "..", "modules", "review", "iam-bearing.json");

export const IAM_BEARING_COMMAND: CommandSpec = {
  name: "npm run iam-bearing --",
  summary:
    "Regenerate modules/review/iam-bearing.json (the resource types and attributes that carry IAM, which the plan review reads) from the AWS provider's schema (needs terraform and the provider mirror).",
  config: false,
  examples: ["npm run iam-bearing"],
};

if (require.main === module) {
  const parsed = parseCommand(IAM_BEARING_COMMAND, process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l) });
  if (parsed.kind === "exit") process.exitCode = parsed.code;
  else {
    fs.writeFileSync(IAM_BEARING_FILE, JSON.stringify(iamBearingFromSchema(providerSchema()), null, 1) + "\n");
    console.log(`wrote ${path.relative(process.cwd(), IAM_BEARING_FILE)}`);
  }
}
