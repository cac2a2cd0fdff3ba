/**
 * Statements every human IAM user's group carries: manage your own password,
 * access keys and MFA device, and nothing else until signed in with MFA.
 * After AWS's "Allows MFA-authenticated IAM users to manage their own
 * credentials" example and terraform-aws-modules/iam's iam-group.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage.html
 */
import { arns, type AccountEnv } from "./arn";
import type { StatementProps } from "./policy";

export function selfServiceStatements(env: AccountEnv, enableMfaEnforcement: boolean): StatementProps[] {
  const self = arns.iamUserSelf(env);
  const statements: StatementProps[] = [
    {
      sid: "AllowViewAccountInfo",
      actions: ["iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices"],
      // Neither action supports resource-level permissions.
      resources: ["*"],
      reason: "see the password rules and pick a free virtual MFA device when setting up",
    },
    {
      sid: "AllowManageOwnPasswordAndKeys",
      actions: [
        "iam:ChangePassword",
        "iam:GetUser",
        "iam:GetLoginProfile",
        "iam:UpdateLoginProfile",
        "iam:CreateAccessKey",
        "iam:DeleteAccessKey",
        "iam:ListAccessKeys",
        "iam:UpdateAccessKey",
        "iam:GetAccessKeyLastUsed",
      ],
      resources: [self],
      reason: "users rotate their own password and access keys",
    },
    {
      sid: "AllowManageOwnVirtualMFADevice",
      actions: ["iam:CreateVirtualMFADevice"],
      resources: [arns.iamMfaSelf(env)],
      reason: "users create their own virtual MFA device",
    },
    {
      sid: "AllowManageOwnUserMFA",
      actions: ["iam:EnableMFADevice", "iam:ListMFADevices", "iam:ResyncMFADevice"],
      resources: [self],
      reason: "users enable and resync their own MFA device",
    },
    {
      sid: "AllowDeactivateOwnUserMFAWithMFA",
      actions: ["iam:DeactivateMFADevice"],
      resources: [self],
      conditions: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
      reason: "only a user signed in with MFA may turn their MFA off",
    },
  ];
  if (enableMfaEnforcement) {
    statements.push({
      sid: "DenyAllExceptListedIfNoMFA",
      effect: "Deny",
      notActions: [
        "iam:ChangePassword",
        "iam:CreateVirtualMFADevice",
        "iam:EnableMFADevice",
        "iam:GetAccountPasswordPolicy",
        "iam:GetUser",
        "iam:ListMFADevices",
        "iam:ListVirtualMFADevices",
        "iam:ResyncMFADevice",
        "sts:GetSessionToken",
      ],
      resources: ["*"],
      // Bool, not BoolIfExists: console sessions always carry the key and are
      // held to MFA; long-term access keys (EmrEtlRunner's) carry none and would
      // otherwise be locked out of the pipeline.
      conditions: { Bool: { "aws:MultiFactorAuthPresent": "false" } },
      reason: "console sessions without MFA can do nothing but set up MFA",
    });
  }
  return statements;
}
