import { IamRole, IamRolePolicyAttachment } from "./private/cdk";
import type { IamPolicy } from "./private/cdk";
import { Construct } from "constructs";
import { backupKeyAlias } from "./backup-bucket";
import { arns, type AccountEnv } from "./private/arn";
import { PolicyDocument, type StatementProps } from "./private/policy";
import { createManagedPolicies } from "./private/managed-policy";
import { stackOutput } from "./private/outputs";
import { registerPolicy } from "./private/policy-registry";

export interface BackupWriterOptions {
  /** the production (source) account */
  readonly env: AccountEnv;
  /** the backup account and region of the bucket */
  readonly backupEnv: AccountEnv;
  readonly bucketName: string;
  readonly method: "native-export" | "data-pipeline";
  /** DynamoDB tables exported (native-export) */
  readonly tables: readonly string[];
  /** the bucket is encrypted with the backup account's KMS key @default false */
  readonly kmsEncrypted?: boolean;
}

/** the source side of seed 004: what the writer role may do, and nothing more */
export function backupWriterStatements(o: BackupWriterOptions): StatementProps[] {
  const e = o.env;
  const b = o.backupEnv;
  const own = arns.s3Objects(b, o.bucketName, `${e.account}/*`);
  const statements: StatementProps[] = [];
  if (o.method === "native-export") {
    statements.push({
      sid: "ExportTablesToPointInTime",
      actions: ["dynamodb:ExportTableToPointInTime"],
      resources: o.tables.map((t) => arns.dynamoTable(e, t)),
      reason: "start a point-in-time export of each backed-up table (tables need point-in-time recovery)",
    });
    statements.push({
      sid: "DescribeTableExports",
      actions: ["dynamodb:DescribeExport"],
      resources: o.tables.map((t) => arns.dynamoTableExports(e, t)),
      reason: "follow an export until it completes",
    });
    statements.push({
      sid: "WriteExportsToOwnPrefix",
      actions: ["s3:AbortMultipartUpload", "s3:PutObject", "s3:PutObjectAcl"],
      resources: [own],
      reason: "DynamoDB writes the export under this account's prefix with the caller's permissions",
    });
  } else {
    statements.push({
      sid: "WriteBackupsToOwnPrefix",
      actions: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:PutObject"],
      resources: [own],
      reason: "the Data Pipeline resource role writes and re-reads backups under this account's prefix (seed 004)",
    });
    statements.push({
      sid: "DeleteScratchObjects",
      actions: ["s3:DeleteObject"],
      resources: [
        arns.s3Objects(b, o.bucketName, `${e.account}/*/logs/*`),
        arns.s3Objects(b, o.bucketName, `${e.account}/*_$folder$`),
        arns.s3Objects(b, o.bucketName, `${e.account}/*.instruction`),
      ],
      reason: "EMR removes its logs and marker objects, never backup data (seed 004)",
    });
    statements.push({
      sid: "ListOwnPrefix",
      actions: ["s3:ListBucket"],
      resources: [arns.s3Bucket(b, o.bucketName)],
      conditions: { StringLike: { "s3:prefix": [`${e.account}/`, `${e.account}/*`] } },
      reason: "EMR lists what it wrote under this account's prefix",
    });
    statements.push({
      sid: "GetBackupBucketLocation",
      actions: ["s3:GetBucketLocation"],
      resources: [arns.s3Bucket(b, o.bucketName)],
      reason: "clients look up the bucket's region before writing (seed 004)",
    });
  }
  if (o.kmsEncrypted) {
    statements.push({
      sid: "EncryptWithBackupKey",
      actions: ["kms:Decrypt", "kms:GenerateDataKey"],
      // The key lives in the backup account and its id is not known here: name it by its alias.
      resources: [arns.kmsKeys(b)],
      conditions: {
        "ForAnyValue:StringEquals": { "kms:ResourceAliases": backupKeyAlias(o.bucketName) },
        StringEquals: { "kms:ViaService": `s3.${b.region}.amazonaws.com` },
      },
      reason: "objects are encrypted with the backup bucket's key, only through S3",
    });
  }
  return statements;
}

export interface BackupWriterProps extends BackupWriterOptions {
  /** the writer role: created for native-export, an existing Data Pipeline resource role otherwise */
  readonly roleName: string;
  /** @default "/" */
  readonly path?: string;
  /** @default - no permissions boundary */
  readonly permissionsBoundaryArn?: string;
}

/**
 * The production account's side of the backups (seed 004): a role that may
 * export the named tables into its own prefix of the backup bucket. For
 * `data-pipeline`, the policy is attached to the existing Data Pipeline
 * resource role instead of a new one.
 */
export class BackupWriter extends Construct {
  readonly document: PolicyDocument;
  /** the first of `policies` */
  readonly policy: IamPolicy;
  /** the managed policies, more than one only past AWS's 6,144-character quota (many tables) */
  readonly policies: IamPolicy[];
  readonly role?: IamRole;

  constructor(scope: Construct, id: string, props: BackupWriterProps) {
    super(scope, id);
    const path = props.path ?? "/";
    this.document = new PolicyDocument(backupWriterStatements(props));
    const managed = createManagedPolicies(this, "policy", {
      name: `snowplow-backup-writer-${props.method}`,
      path,
      description: `Write DynamoDB backups of account ${props.env.account} into ${props.bucketName}`,
      document: this.document,
      account: props.env.account,
      targets: [{ type: "role", name: props.roleName }],
    });
    this.policies = managed.policies;
    this.policy = this.policies[0];
    let roleName: string = props.roleName;
    if (props.method === "native-export") {
      const trust = new PolicyDocument([
        {
          sid: "AssumeFromThisAccount",
          actions: ["sts:AssumeRole"],
          principals: { AWS: [arns.accountRoot(props.env)] },
          reason: "the account's own scheduler or operators start the exports; its IAM policies decide who",
        },
      ]);
      this.role = new IamRole(this, "role", {
        name: props.roleName,
        // Path "/" on purpose: the backup bucket's policy names the writer role by this ARN.
        path: "/",
        description: "Exports DynamoDB tables into the backup account's bucket",
        assumeRolePolicy: trust.toTerraform(),
        permissionsBoundary: props.permissionsBoundaryArn,
      });
      roleName = this.role.name;
      registerPolicy(this, {
        name: `${props.roleName} trust`,
        kind: "trust",
        document: trust,
        targets: [{ type: "role", name: props.roleName }],
        account: props.env.account,
      });
    }
    this.policies.forEach(
      (policy, i) => new IamRolePolicyAttachment(this, i === 0 ? "attachment" : `attachment_${i + 1}`, { role: roleName, policyArn: policy.arn }),
    );
    if (this.role) stackOutput(this, "backup_writer_role_arn", this.role.arn, "the role that runs ExportTableToPointInTime into the backup bucket");
  }
}
