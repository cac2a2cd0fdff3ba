/**
 * Statements every human IAM user's group carries: manage your own password,
 * access keys and MFA device, and nothing else until signed in with MFA.
 * After AWS's "Allows MFA-authenticated IAM users to manage their own
 * credentials" example and terraform-aws-modules/iam's iam-group.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage.html
 */
import { arns, type AccountEnv } from "./arn";
import type { StatementProps } from "./policy";

/**
 * How the MFA deny tests for a session without MFA.
 * - `Bool`: only console sessions and MFA-less STS sessions are held to MFA;
 *   calls signed with a long-term access key carry no `aws:MultiFactorAuthPresent`
 *   and pass. Right for the operator, whose key EmrEtlRunner uses and cannot do MFA.
 * - `BoolIfExists`: calls with a long-term access key are denied too, unless the
 *   caller first gets an MFA session (`sts:GetSessionToken` with a code). Right for
 *   people (the installer), so a key they create cannot bypass MFA with `iam:*`.
 */
export type MfaEnforcement = "Bool" | "BoolIfExists";

export function selfServiceStatements(env: AccountEnv, enableMfaEnforcement: boolean, mfaOperator: MfaEnforcement = "BoolIfExists"): StatementProps[] {
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
      resources: self,
      reason: "users rotate their own password and access keys",
    },
    {
      sid: "AllowManageOwnVirtualMFADevice",
      actions: ["iam:CreateVirtualMFADevice"],
      // AWS's example: a virtual device may have any name (the console suggests one).
      resources: [arns.iamMfaAny(env)],
      reason: "users create their own virtual MFA device, named as they like",
    },
    {
      sid: "AllowManageOwnUserMFA",
      actions: ["iam:EnableMFADevice", "iam:GetMFADevice", "iam:ListMFADevices", "iam:ResyncMFADevice"],
      resources: self,
      reason: "users enable and resync their own MFA device",
    },
    {
      sid: "AllowDeactivateOwnUserMFAWithMFA",
      actions: ["iam:DeactivateMFADevice"],
      resources: self,
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
        "iam:GetMFADevice",
        "iam:GetUser",
        "iam:ListMFADevices",
        "iam:ListVirtualMFADevices",
        "iam:ResyncMFADevice",
        "sts:GetSessionToken",
      ],
      resources: ["*"],
      // See MfaEnforcement: BoolIfExists for people, Bool for the operator's key.
      conditions: { [mfaOperator]: { "aws:MultiFactorAuthPresent": "false" } },
      reason:
        mfaOperator === "Bool"
          ? "console sessions without MFA can do nothing but set up MFA (long-term access keys, which cannot carry MFA, are exempt)"
          : "without MFA (console, or an access key without an MFA session) a user can do nothing but set up MFA",
    });
  }
  return statements;
}
