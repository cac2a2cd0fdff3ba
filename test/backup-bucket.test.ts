import { backupBucketStatements, sharedBackupKeyStatements } from "../modules/backup-bucket";
import { backupWriterStatements } from "../modules/backup-writer";
import { accountEnv } from "../modules/private/arn";
import { PolicyDocument } from "../modules/private/policy";
import { bySid, exampleConfig, grants, synthStacks } from "./support/synth";

const backupEnv = accountEnv("777788889999", "eu-west-1");
const sources = [
  { name: "shop", accountId: "123456789012", region: "eu-west-1", method: "native-export" as const, writerRoleName: "snowplow-backup-writer" },
  { name: "legacy", accountId: "111111111111", region: "us-east-1", method: "data-pipeline" as const, writerRoleName: "DataPipelineDefaultResourceRole" },
];
const policy = new PolicyDocument(backupBucketStatements({ env: backupEnv, bucketName: "bk", sources, organizationId: "o-a1b2c3d4e5" })).toJSON() as any;

function grantsOf(accountId: string): string[] {
  return policy.Statement.filter((s: any) => s.Effect === "Allow" && s.Principal.AWS.includes(`arn:aws:iam::${accountId}:root`))
    .flatMap((s: any) => s.Action.flatMap((a: string) => s.Resource.map((r: string) => `${a} ${r}`)))
    .sort();
}

describe("BackupBucket", () => {
  test("native export: only what ExportTableToPointInTime does, write and ACL under its own prefix; no read, list or delete", () => {
    expect(grantsOf("123456789012")).toEqual([
      "s3:AbortMultipartUpload arn:aws:s3:::bk/123456789012/*",
      "s3:PutObject arn:aws:s3:::bk/123456789012/*",
      "s3:PutObjectAcl arn:aws:s3:::bk/123456789012/*",
    ]);
  });

  test("data pipeline: the seed's grants, deletes only of scratch objects under its prefix", () => {
    expect(grantsOf("111111111111").filter((g) => g.startsWith("s3:DeleteObject"))).toEqual([
      "s3:DeleteObject arn:aws:s3:::bk/111111111111/*.instruction",
      "s3:DeleteObject arn:aws:s3:::bk/111111111111/*/logs/*",
      "s3:DeleteObject arn:aws:s3:::bk/111111111111/*_$folder$",
    ]);
  });

  test("one source's grants never reach another account's prefix", () => {
    for (const [mine, other] of [
      ["123456789012", "111111111111"],
      ["111111111111", "123456789012"],
    ]) {
      for (const g of grantsOf(mine)) expect(g).not.toContain(other);
      for (const g of grantsOf(mine).filter((x) => x.includes("bk/"))) expect(g).toContain(`bk/${mine}/`);
    }
    expect(bySid(policy).Legacy111111111111ListOwnPrefix.Condition.StringLike).toEqual({ "s3:prefix": ["111111111111/", "111111111111/*"] });
  });

  test("every source statement requires the writer role and the organisation", () => {
    for (const s of policy.Statement.filter((x: any) => x.Effect === "Allow")) {
      expect(s.Condition.StringEquals["aws:PrincipalOrgID"]).toBe("o-a1b2c3d4e5");
      expect(s.Condition.ArnEquals["aws:PrincipalArn"]).toMatch(/^arn:aws:iam::\d{12}:role\//);
    }
  });

  test("denies plain HTTP and deleting backup versions to everyone", () => {
    expect(bySid(policy).DenyInsecureTransport).toMatchObject({
      Effect: "Deny",
      Principal: { AWS: ["*"] },
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    expect(bySid(policy).DenyDeletingBackupVersions).toMatchObject({ Effect: "Deny", Action: ["s3:DeleteObjectVersion"] });
  });

  test("the bucket is guarded: prevent_destroy, no force_destroy, versioned, owner-enforced, private, encrypted", () => {
    const b = synthStacks(exampleConfig()).backup;
    const [bucket] = Object.values(b.resource.aws_s3_bucket) as any[];
    expect(bucket).toMatchObject({ bucket: "acme-dynamodb-backups", force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect((Object.values(b.resource.aws_s3_bucket_versioning) as any[])[0].versioning_configuration.status).toBe("Enabled");
    expect((Object.values(b.resource.aws_s3_bucket_ownership_controls) as any[])[0].rule.object_ownership).toBe("BucketOwnerEnforced");
    const sse = (Object.values(b.resource.aws_s3_bucket_server_side_encryption_configuration) as any[])[0];
    expect(sse.rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe("aws:kms");
    const [key] = Object.values(b.resource.aws_kms_key) as any[];
    expect(key).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    const lc = (Object.values(b.resource.aws_s3_bucket_lifecycle_configuration) as any[])[0];
    expect(lc.rule[0].noncurrent_version_expiration).toEqual([{ noncurrent_days: 90 }]);
  });
});

describe("BackupWriter", () => {
  const src = accountEnv("123456789012", "eu-west-1");
  test("native export: ExportTableToPointInTime on the named tables, S3 writes on its own prefix only", () => {
    const d = new PolicyDocument(
      backupWriterStatements({ env: src, backupEnv, bucketName: "bk", method: "native-export", tables: ["orders"] }),
    ).toJSON() as any;
    expect(grants(d)).toEqual([
      "dynamodb:DescribeExport arn:aws:dynamodb:eu-west-1:123456789012:table/orders/export/*",
      "dynamodb:ExportTableToPointInTime arn:aws:dynamodb:eu-west-1:123456789012:table/orders",
      "s3:AbortMultipartUpload arn:aws:s3:::bk/123456789012/*",
      "s3:PutObject arn:aws:s3:::bk/123456789012/*",
      "s3:PutObjectAcl arn:aws:s3:::bk/123456789012/*",
    ]);
  });

  test("with SSE-KMS the writer may use the backup key, named by alias, through S3 only", () => {
    const d = new PolicyDocument(
      backupWriterStatements({ env: src, backupEnv, bucketName: "bk", method: "native-export", tables: ["orders"], kmsEncrypted: true }),
    ).toJSON() as any;
    expect(bySid(d).EncryptWithBackupKey).toMatchObject({
      Resource: ["arn:aws:kms:eu-west-1:777788889999:key/*"],
      Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/bk" }, StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
    });
  });
});

test("a key policy admitting the organisation with no sources yet grants no one (no empty aws:PrincipalArn list)", () => {
  const statements = sharedBackupKeyStatements({ env: backupEnv, bucketName: "bk", sources: [], organizationId: "o-a1b2c3d4e5", admit: "organization" });
  expect(statements.map((s) => s.sid)).toEqual(["AdministerKeyFromBackupAccount"]);
});
