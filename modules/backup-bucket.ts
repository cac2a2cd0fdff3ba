import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import { accountEnv, arns, type AccountEnv } from "./private/arn";
import { PolicyDocument, sidPart, type StatementProps } from "./private/policy";

export interface BackupSource {
  /** short name of the production account, used in Sids */
  readonly name: string;
  readonly accountId: string;
  /** partition/region of the source account (for its role ARN) */
  readonly region: string;
  /** `native-export` (DynamoDB ExportTableToPointInTime) or `data-pipeline` (seed 004) */
  readonly method: "native-export" | "data-pipeline";
  /** the role in the source account that writes the backups */
  readonly writerRoleName: string;
}

export interface BackupBucketPolicyOptions {
  readonly env: AccountEnv;
  readonly bucketName: string;
  readonly sources: readonly BackupSource[];
  /** admit only principals of this organisation @default - no organisation condition */
  readonly organizationId?: string;
}

/** the alias of the backup key, which writers' policies name (its id is not known to them) */
export function backupKeyAlias(bucketName: string): string {
  return `alias/${bucketName}`;
}

/**
 * The bucket policy of seed 004, per source account: objects only under
 * `<bucket>/<account id>/`, deletes only of EMR/Data Pipeline scratch objects,
 * list only its own prefix; plus TLS-only and no deletion of backup versions.
 */
export function backupBucketStatements(o: BackupBucketPolicyOptions): StatementProps[] {
  const e = o.env;
  const bucket = arns.s3Bucket(e, o.bucketName);
  const statements: StatementProps[] = [
    {
      sid: "DenyInsecureTransport",
      effect: "Deny",
      principals: { AWS: ["*"] },
      actions: ["s3:*"],
      resources: [bucket, arns.s3Objects(e, o.bucketName)],
      conditions: { Bool: { "aws:SecureTransport": "false" } },
      reason: "backups travel only over TLS (terraform-aws-modules/s3-bucket denyInsecureTransport)",
    },
    {
      sid: "DenyDeletingBackupVersions",
      effect: "Deny",
      principals: { AWS: ["*"] },
      actions: ["s3:DeleteObjectVersion"],
      resources: [arns.s3Objects(e, o.bucketName)],
      reason: "no one removes a backup version; only the lifecycle rule expires old versions",
    },
  ];
  for (const s of o.sources) {
    const src = accountEnv(s.accountId, s.region);
    const id = `${sidPart(s.name)}${s.accountId}`;
    const prefix = `${s.accountId}/*`;
    const conditions: Record<string, Record<string, string>> = {
      ArnEquals: { "aws:PrincipalArn": arns.iamRole(src, s.writerRoleName) },
    };
    if (o.organizationId) conditions.StringEquals = { "aws:PrincipalOrgID": o.organizationId };
    const principals = { AWS: [arns.accountRoot(src)] };
    statements.push({
      sid: `${id}WriteOwnPrefix`,
      principals,
      actions:
        s.method === "native-export"
          ? ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject", "s3:PutObjectAcl"]
          : ["s3:AbortMultipartUpload", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:PutObject"],
      resources: [arns.s3Objects(e, o.bucketName, prefix)],
      conditions,
      reason:
        s.method === "native-export"
          ? `account ${s.name} exports its DynamoDB tables under its own prefix (ExportTableToPointInTime)`
          : `account ${s.name}'s Data Pipeline writes and re-reads backups under its own prefix (seed 004)`,
    });
    if (s.method === "data-pipeline") {
      statements.push({
        sid: `${id}DeleteScratchObjects`,
        principals,
        actions: ["s3:DeleteObject"],
        resources: [
          arns.s3Objects(e, o.bucketName, `${s.accountId}/*/logs/*`),
          arns.s3Objects(e, o.bucketName, `${s.accountId}/*_$folder$`),
          arns.s3Objects(e, o.bucketName, `${s.accountId}/*.instruction`),
        ],
        conditions,
        reason: "EMR and Data Pipeline remove their own logs and marker objects, never backup data (seed 004)",
      });
    }
    statements.push({
      sid: `${id}ListOwnPrefix`,
      principals,
      actions: ["s3:ListBucket"],
      resources: [bucket],
      conditions: { ...conditions, StringLike: { "s3:prefix": [`${s.accountId}/`, prefix] } },
      reason: `account ${s.name} lists only its own prefix`,
    });
    statements.push({
      sid: `${id}GetBucketLocation`,
      principals,
      actions: ["s3:GetBucketLocation"],
      resources: [bucket],
      conditions,
      reason: "clients look up the bucket's region before writing (seed 004)",
    });
  }
  return statements;
}

/** key policy of the SSE-KMS key: the backup account administers, writers encrypt through S3 only */
export function backupKeyStatements(o: BackupBucketPolicyOptions): StatementProps[] {
  const e = o.env;
  const statements: StatementProps[] = [
    {
      sid: "AdministerKeyFromBackupAccount",
      principals: { AWS: [arns.accountRoot(e)] },
      actions: ["kms:*"],
      // In a key policy, "*" means this key.
      resources: ["*"],
      reason: "the backup account's IAM policies decide who administers the key (AWS default key policy)",
    },
  ];
  if (o.sources.length > 0) {
    statements.push({
      sid: "EncryptBackupsThroughS3",
      principals: { AWS: o.sources.map((s) => arns.accountRoot(accountEnv(s.accountId, s.region))) },
      actions: ["kms:Decrypt", "kms:GenerateDataKey"],
      resources: ["*"],
      conditions: {
        StringEquals: { "kms:ViaService": `s3.${e.region}.amazonaws.com` },
        ArnLike: { "aws:PrincipalArn": o.sources.map((s) => arns.iamRole(accountEnv(s.accountId, s.region), s.writerRoleName)) },
      },
      reason: "source writers encrypt (and verify multipart uploads of) their backups, only through S3",
    });
  }
  return statements;
}

export interface BackupBucketProps extends BackupBucketPolicyOptions {
  /** `sse-s3` (AES256) or `sse-kms` (a key of this account, rotated) @default "sse-s3" */
  readonly encryption?: "sse-s3" | "sse-kms";
  /** days after which non-current versions expire @default 90 */
  readonly noncurrentVersionExpirationDays?: number;
  /** days after which incomplete multipart uploads are aborted @default 7 */
  readonly abortIncompleteUploadDays?: number;
  /** write server access logs to this bucket and prefix @default - no access logs */
  readonly accessLogs?: { readonly bucketName: string; readonly prefix: string };
}

/**
 * The locked-down backup bucket of seed 004, in its own account: versioned,
 * encrypted, owner-enforced, private, TLS-only, guarded against destroy.
 */
export class BackupBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly document: PolicyDocument;
  readonly keyDocument?: PolicyDocument;

  constructor(scope: Construct, id: string, props: BackupBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
    });
    const bucket = this.bucket.id;
    new S3BucketOwnershipControls(this, "ownership", {
      bucket,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    new S3BucketPublicAccessBlock(this, "public_access_block", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketVersioningA(this, "versioning", {
      bucket,
      versioningConfiguration: { status: "Enabled" },
      lifecycle: { preventDestroy: true },
    });

    let sse: { sseAlgorithm: string; kmsMasterKeyId?: string };
    if (props.encryption === "sse-kms") {
      this.keyDocument = new PolicyDocument(backupKeyStatements(props));
      const key = new KmsKey(this, "key", {
        description: `Encrypts the backups in ${props.bucketName}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: this.keyDocument.toTerraform(),
        lifecycle: { preventDestroy: true },
      });
      new KmsAlias(this, "key_alias", { name: backupKeyAlias(props.bucketName), targetKeyId: key.keyId });
      sse = { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn };
    } else {
      sse = { sseAlgorithm: "AES256" };
    }
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: sse, bucketKeyEnabled: props.encryption === "sse-kms" }],
      lifecycle: { preventDestroy: true },
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket,
      rule: [
        {
          id: "expire-noncurrent-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionExpirationDays ?? 90 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: props.abortIncompleteUploadDays ?? 7 }],
        },
      ],
    });
    if (props.accessLogs) {
      new S3BucketLoggingA(this, "access_logs", {
        bucket,
        targetBucket: props.accessLogs.bucketName,
        targetPrefix: props.accessLogs.prefix,
      });
    }
    this.document = new PolicyDocument(backupBucketStatements(props));
    new S3BucketPolicy(this, "policy", {
      bucket,
      policy: this.document.toTerraform(),
      lifecycle: { preventDestroy: true },
    });
  }
}
