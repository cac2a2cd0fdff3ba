import {
  KmsAlias,
  KmsKey,
  S3Bucket,
  S3BucketLifecycleConfiguration,
  S3BucketLoggingA,
  S3BucketOwnershipControls,
  S3BucketPolicy,
  S3BucketPublicAccessBlock,
  S3BucketServerSideEncryptionConfigurationA,
  S3BucketVersioningA,
} from "./private/cdk";
import { Construct } from "constructs";
import { accountEnv, arns, type AccountEnv } from "./private/arn";
import { PolicyDocument, sidPart, type StatementProps } from "./private/policy";
import { stackOutput } from "./private/outputs";
import { registerPolicy, type Acknowledgement } from "./private/policy-registry";
import { POLICY_SIZE_LIMITS, policySize, QuotaError } from "./private/quotas";

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
  /**
   * which writers the bucket admits. listed-accounts: the writer role of each
   * listed source account. organization: the writer role of any account of
   * the organisation (each still only under its own prefix), for more source
   * accounts than a 20 KB bucket policy can list (about 300). Needs organizationId.
   * @default "listed-accounts"
   */
  readonly admit?: "listed-accounts" | "organization";
}

/** the alias of the backup key, which writers' policies name (its id is not known to them) */
export function backupKeyAlias(bucketName: string): string {
  return `alias/${bucketName}`;
}

/** one writer's statement group: objects only under `<prefix>/`, scratch deletes for Data Pipeline, list its prefix, find the bucket */
function writerStatements(o: {
  readonly env: AccountEnv;
  readonly bucketName: string;
  readonly sid: string;
  readonly principals: Record<string, string[]>;
  readonly conditions: Record<string, Record<string, string | string[]>>;
  readonly method: BackupSource["method"];
  /** the key prefix: an account id, or the policy variable `${aws:PrincipalAccount}` */
  readonly prefix: string;
  /** who the group is for, in the reasons */
  readonly who: string;
}): StatementProps[] {
  const { env: e, sid, principals, conditions, prefix } = o;
  const bucket = arns.s3Bucket(e, o.bucketName);
  const objects = (pattern: string) => arns.s3Objects(e, o.bucketName, `${prefix}/${pattern}`);
  const statements: StatementProps[] = [
    {
      sid: `${sid}WriteOwnPrefix`,
      principals,
      actions:
        // ExportTableToPointInTime writes with PutObject, PutObjectAcl and AbortMultipartUpload only
        // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport_Requesting.html)
        o.method === "native-export"
          ? ["s3:AbortMultipartUpload", "s3:PutObject", "s3:PutObjectAcl"]
          : ["s3:AbortMultipartUpload", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:PutObject"],
      resources: [objects("*")],
      conditions,
      reason:
        o.method === "native-export"
          ? `${o.who}: DynamoDB exports (ExportTableToPointInTime) under the writer's own prefix only`
          : `${o.who}: Data Pipeline writes and re-reads backups under the writer's own prefix only (seed 004)`,
    },
  ];
  if (o.method === "data-pipeline") {
    statements.push({
      sid: `${sid}DeleteScratchObjects`,
      principals,
      actions: ["s3:DeleteObject"],
      resources: [objects("*/logs/*"), objects("*_$folder$"), objects("*.instruction")],
      conditions,
      reason: "EMR and Data Pipeline remove their own logs and marker objects, never backup data (seed 004)",
    });
  }
  // A DynamoDB export neither lists the bucket nor looks up its region: only Data Pipeline's EMR does.
  if (o.method === "native-export") return statements;
  statements.push(
    {
      sid: `${sid}ListOwnPrefix`,
      principals,
      actions: ["s3:ListBucket"],
      resources: [bucket],
      conditions: { ...conditions, StringLike: { "s3:prefix": [`${prefix}/`, `${prefix}/*`] } },
      reason: `${o.who}: list only the writer's own prefix`,
    },
    {
      sid: `${sid}GetBucketLocation`,
      principals,
      actions: ["s3:GetBucketLocation"],
      resources: [bucket],
      conditions,
      reason: "clients look up the bucket's region before writing (seed 004)",
    },
  );
  return statements;
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
    const conditions: Record<string, Record<string, string>> = {
      ArnEquals: { "aws:PrincipalArn": arns.iamRole(src, s.writerRoleName) },
    };
    if (o.organizationId) conditions.StringEquals = { "aws:PrincipalOrgID": o.organizationId };
    statements.push(
      ...writerStatements({
        env: e,
        bucketName: o.bucketName,
        sid: `${sidPart(s.name)}${s.accountId}`,
        principals: { AWS: [arns.accountRoot(src)] },
        conditions,
        method: s.method,
        prefix: s.accountId,
        who: `account ${s.name}`,
      }),
    );
  }
  return statements;
}

/**
 * The same grants as backupBucketStatements, for configs with so many source
 * accounts that one statement group per account passes the 20 KB bucket
 * policy quota. Sources with the same method and writer role share their
 * statements: the principal must be that writer role (`aws:PrincipalArn`) in
 * one of the listed accounts (`aws:PrincipalAccount`), and objects are named
 * with the policy variable `${aws:PrincipalAccount}`, so each account still
 * reaches only its own prefix.
 */
export function sharedBackupBucketStatements(o: BackupBucketPolicyOptions): StatementProps[] {
  const e = o.env;
  const statements = backupBucketStatements({ ...o, sources: [] });
  const groups = new Map<string, BackupSource[]>();
  for (const s of o.sources) {
    const key = `${s.method}\u0000${s.writerRoleName}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  for (const group of groups.values()) {
    const { method, writerRoleName } = group[0];
    const conditions: Record<string, Record<string, string | string[]>> = {
      StringEquals: {
        ...(o.admit === "organization" ? {} : { "aws:PrincipalAccount": group.map((s) => s.accountId) }),
        ...(o.organizationId ? { "aws:PrincipalOrgID": o.organizationId } : {}),
      },
      ArnLike: { "aws:PrincipalArn": arns.iamRole({ ...e, account: "*" }, writerRoleName) },
    };
    const who =
      o.admit === "organization"
        ? `writer roles named ${writerRoleName} in the organisation's accounts`
        : group.length <= 3
          ? group.map((s) => s.name).join(", ")
          : `${group.length} accounts`;
    statements.push(
      ...writerStatements({
        env: e,
        bucketName: o.bucketName,
        sid: `${sidPart(method)}${sidPart(writerRoleName)}`,
        principals: { AWS: ["*"] },
        conditions,
        method,
        // the policy variable: each caller's own account id
        prefix: "${aws:PrincipalAccount}",
        who,
      }),
    );
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

/** the key policy's writer grant for many sources: accounts listed by id, the writer role by name */
export function sharedBackupKeyStatements(o: BackupBucketPolicyOptions): StatementProps[] {
  const e = o.env;
  const statements = backupKeyStatements({ ...o, sources: [] });
  const roles = [...new Set(o.sources.map((s) => s.writerRoleName))].sort();
  // no writer role to name: no grant at all (an empty aws:PrincipalArn list would pin nothing)
  if (roles.length === 0) return statements;
  statements.push({
    sid: "EncryptBackupsThroughS3",
    principals: { AWS: ["*"] },
    actions: ["kms:Decrypt", "kms:GenerateDataKey"],
    resources: ["*"],
    conditions: {
      StringEquals: {
        "kms:ViaService": `s3.${e.region}.amazonaws.com`,
        ...(o.admit === "organization" && o.organizationId
          ? { "aws:PrincipalOrgID": o.organizationId }
          : { "aws:PrincipalAccount": o.sources.map((s) => s.accountId) }),
      },
      ArnLike: { "aws:PrincipalArn": roles.map((r) => arns.iamRole({ ...e, account: "*" }, r)) },
    },
    reason: "source writers encrypt (and verify multipart uploads of) their backups, only through S3",
  });
  return statements;
}

/** the key administration statement is AWS's default key policy: accepted on purpose */
export const BACKUP_KEY_ACKNOWLEDGEMENTS: readonly Acknowledgement[] = [
  {
    rule: "no-wildcard-action",
    sids: ["AdministerKeyFromBackupAccount"],
    reason:
      "AWS's default key policy statement: it lets the backup account's IAM policies govern the key, so the key never becomes unmanageable (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html)",
  },
  {
    rule: "guardrail",
    sids: ["AdministerKeyFromBackupAccount"],
    reason:
      "the backup account itself (its root, through its own IAM policies) administers its key; this project creates no principal in the backup account, and the key has prevent_destroy",
  },
];

/**
 * per-account statements while they fit the quota, else the shared form;
 * QuotaError when even that does not fit
 */
function fittingDocument(
  admit: BackupBucketPolicyOptions["admit"],
  perAccount: () => StatementProps[],
  shared: () => StatementProps[],
  limit: number,
  label: string,
): PolicyDocument {
  if (admit !== "organization") {
    const doc = new PolicyDocument(perAccount());
    if (policySize(doc) <= limit) return doc;
  }
  const compact = new PolicyDocument(shared());
  const size = policySize(compact);
  if (size > limit) {
    const hint =
      admit === "organization" ? "" : '; set backup.admit to "organization" to admit the writer roles of the organisation\'s accounts without listing them';
    throw new QuotaError(`${label} is ${size} characters even with shared statements, ${size - limit} over AWS's ${limit}-character quota${hint}`);
  }
  return compact;
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
    stackOutput(this, "backup_bucket_arn", this.bucket.arn, "the backup bucket: the S3 prefix of an export is <bucket>/<source account id>/");
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
      this.keyDocument = fittingDocument(
        props.admit,
        () => backupKeyStatements(props),
        () => sharedBackupKeyStatements(props),
        POLICY_SIZE_LIMITS.key,
        `key policy of ${backupKeyAlias(props.bucketName)}`,
      );
      registerPolicy(this, {
        name: `key policy of ${backupKeyAlias(props.bucketName)}`,
        kind: "key",
        document: this.keyDocument,
        targets: [{ type: "key", name: backupKeyAlias(props.bucketName) }],
        account: props.env.account,
        acknowledgements: BACKUP_KEY_ACKNOWLEDGEMENTS,
      });
      const key = new KmsKey(this, "key", {
        description: `Encrypts the backups in ${props.bucketName}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: this.keyDocument.toTerraform(),
        lifecycle: { preventDestroy: true },
      });
      new KmsAlias(this, "key_alias", { name: backupKeyAlias(props.bucketName), targetKeyId: key.keyId });
      stackOutput(this, "backup_key_arn", key.arn, "the KMS key that encrypts the backups");
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
    this.document = fittingDocument(
      props.admit,
      () => backupBucketStatements(props),
      () => sharedBackupBucketStatements(props),
      POLICY_SIZE_LIMITS.bucket,
      `bucket policy of ${props.bucketName}`,
    );
    registerPolicy(this, {
      name: `bucket policy of ${props.bucketName}`,
      kind: "bucket",
      document: this.document,
      targets: [{ type: "bucket", name: props.bucketName }],
      account: props.env.account,
    });
    new S3BucketPolicy(this, "policy", {
      bucket,
      policy: this.document.toTerraform(),
      lifecycle: { preventDestroy: true },
    });
  }
}
