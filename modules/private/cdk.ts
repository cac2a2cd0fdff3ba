/**
 * Every import of CDK for Terraform and its AWS bindings goes through this
 * file, so moving to the community fork (cdktn, @cdktn/provider-aws) is a
 * rename here and nowhere else (README, "CDKTF's archival"; npm run check:cdktn).
 * The provider classes stay deep imports: the package root loads every AWS
 * resource class and costs seconds per synth.
 */
export {
  Annotations,
  App,
  Aspects,
  DataTerraformRemoteStateLocal,
  DataTerraformRemoteStateS3,
  Fn,
  Lazy,
  LocalBackend,
  S3Backend,
  TerraformElement,
  TerraformOutput,
  TerraformStack,
  TerraformVariable,
  Token,
} from "cdktf";
export type { IAspect } from "cdktf";
export { DataAwsDynamodbTable } from "@cdktf/provider-aws/lib/data-aws-dynamodb-table";
export { DataAwsOrganizationsOrganization } from "@cdktf/provider-aws/lib/data-aws-organizations-organization";
export { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
export { IamAccessKey } from "@cdktf/provider-aws/lib/iam-access-key";
export { IamGroup } from "@cdktf/provider-aws/lib/iam-group";
export { IamGroupPolicy } from "@cdktf/provider-aws/lib/iam-group-policy";
export { IamGroupPolicyAttachment } from "@cdktf/provider-aws/lib/iam-group-policy-attachment";
export { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
export { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
export { IamRole } from "@cdktf/provider-aws/lib/iam-role";
export { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
export { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
export { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
export { IamUser } from "@cdktf/provider-aws/lib/iam-user";
export { IamUserGroupMembership } from "@cdktf/provider-aws/lib/iam-user-group-membership";
export { IamUserLoginProfile } from "@cdktf/provider-aws/lib/iam-user-login-profile";
export { IamUserPolicyAttachment } from "@cdktf/provider-aws/lib/iam-user-policy-attachment";
export { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
export { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
export { OrganizationsAccount } from "@cdktf/provider-aws/lib/organizations-account";
export { OrganizationsPolicy } from "@cdktf/provider-aws/lib/organizations-policy";
export { OrganizationsPolicyAttachment } from "@cdktf/provider-aws/lib/organizations-policy-attachment";
export { AwsProvider } from "@cdktf/provider-aws/lib/provider";
export { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
export { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
export { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
export { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
export { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
export { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
export { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
export { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";

/**
 * CDKTF captures a full stack trace for every token it creates (Lazy,
 * Intrinsic, references), kept only to decorate its own error messages; the
 * App's `stackTraces: false` does not reach them. Preparing those traces was
 * about a quarter of a 1,000-stream synth. Unless SNOWPLOW_IAC_DEBUG is set,
 * the capture returns no frames (CDKTF's errors keep their messages). The
 * module's export is read at each call, so replacing it reaches every caller.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the export is replaced, which an ES import binding cannot do
const tokenStacks = require("cdktf/lib/tokens/private/stack-trace") as { captureStackTrace: (below?: unknown) => string[] };
const captureStackTrace = tokenStacks.captureStackTrace;
export function tokenStackTraces(env: NodeJS.ProcessEnv = process.env): void {
  tokenStacks.captureStackTrace = env.SNOWPLOW_IAC_DEBUG ? captureStackTrace : () => [];
}

/**
 * CDKTF internals that its own synth calls and that the in-memory synth
 * (synth-memory.ts) calls the same way; not in CDKTF's public exports. A move
 * to the fork renames these paths too (cdktn/lib/...); test/synth-memory.test.ts
 * proves them against the stock synth.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- internal modules, by path */
export const cdktfInternals = {
  resolve: (require("cdktf/lib/_tokens") as { resolve: (scope: unknown, obj: unknown, preparing?: boolean) => unknown }).resolve,
  deepMerge: (require("cdktf/lib/util") as { deepMerge: (target: object, ...sources: unknown[]) => object }).deepMerge,
  ...(require("cdktf/lib/errors") as {
    encounteredAnnotationWithLevelError: (message: string) => Error;
    appValidationFailure: (message: string) => Error;
  }),
  ValidateTerraformVersion: (
    require("cdktf/lib/validations/validate-terraform-version") as {
      ValidateTerraformVersion: new (constraint: string, message: string) => { validate(): string[] };
    }
  ).ValidateTerraformVersion,
};
/* eslint-enable @typescript-eslint/no-require-imports */
