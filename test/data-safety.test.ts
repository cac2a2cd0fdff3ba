/**
 * Nothing that holds data is destroyed by accident: guards in the synthesized
 * Terraform, the synth-time data guard, and no secret in any output or log.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DataGuardError } from "../modules/stacks/guard";
import { runSynth } from "../modules/stacks/cli";
import { synthesize } from "../modules/stacks/synth";
import { exampleConfig, exampleInput, resources, synthStacks, tree } from "./support/synth";

describe("guards in the synthesized Terraform", () => {
  test("the member account, the backup bucket with its settings and key, and the KCL lease tables carry prevent_destroy", () => {
    const s = synthStacks(exampleConfig());
    const guarded = (stack: string, type: string) => Object.values(resources(s[stack], type)).map((r: any) => r.lifecycle?.prevent_destroy);
    expect(guarded("management", "aws_organizations_account")).toEqual([true]);
    for (const type of [
      "aws_s3_bucket",
      "aws_s3_bucket_versioning",
      "aws_s3_bucket_server_side_encryption_configuration",
      "aws_s3_bucket_policy",
      "aws_kms_key",
    ]) {
      expect([type, guarded("backup", type)]).toEqual([type, [true]]);
    }
    expect(guarded("snowplow-pipeline", "aws_dynamodb_table")).toEqual([true]);
    const bucket = Object.values(resources(s.backup, "aws_s3_bucket"))[0] as any;
    expect(bucket.force_destroy).toBe(false);
    const account = Object.values(resources(s.management, "aws_organizations_account"))[0] as any;
    expect(account.close_on_deletion).toBe(false);
    const table = Object.values(resources(s["snowplow-pipeline"], "aws_dynamodb_table"))[0] as any;
    expect(table.deletion_protection_enabled).toBe(true);
  });
});

describe("data guard: a synth that would destroy or replace data stops before writing", () => {
  let dir: string;
  let outdir: string;
  let before: Record<string, string>;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "snowplow-iac-guard-"));
    outdir = path.join(dir, "cdktf.out");
    await synthesize(exampleConfig(), { outdir, projectDir: dir });
    before = tree(outdir);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function resynth(change: (c: any) => void, allowDataLoss = false): Promise<string[]> {
    try {
      await synthesize(exampleConfig(change), { outdir, projectDir: dir, allowDataLoss });
      return [];
    } catch (e) {
      if (e instanceof DataGuardError) return e.findings.map((f) => `${f.stack}: ${f.address.split(".")[0]} ${f.message}`);
      throw e;
    }
  }

  test("fails on renaming the backup bucket (a replacement), and leaves the output as it was", async () => {
    expect(await resynth((c) => (c.backup.bucketName = "acme-backups-v2"))).toEqual([
      'backup: aws_s3_bucket changes bucket from "acme-dynamodb-backups" to "acme-backups-v2", which replaces it',
    ]);
    expect(tree(outdir)).toEqual(before);
  });

  test("fails on removing the backup account from the config", async () => {
    const lost = await resynth((c) => {
      delete c.backup;
      delete c.accounts.backup;
      c.accounts.sources = [];
    });
    expect(lost).toEqual(
      expect.arrayContaining([
        "backup: aws_s3_bucket (acme-dynamodb-backups) is no longer in the config: Terraform would destroy it",
        expect.stringMatching(/^backup: aws_kms_key .* is no longer in the config/),
      ]),
    );
    expect(tree(outdir)).toEqual(before);
  });

  test("fails on renaming a consumer that owns its lease table, and on changing the member account's billing access", async () => {
    expect(await resynth((c) => (c.kinesis.applications[2].name = "acme-s3-loader-v2"))).toEqual([
      "snowplow-pipeline: aws_dynamodb_table (acme-s3-loader) is no longer in the config: Terraform would destroy it",
    ]);
    expect(await resynth((c) => (c.accounts.snowplow.iamUserAccessToBilling = "ALLOW"))).toEqual([
      'management: aws_organizations_account changes iam_user_access_to_billing from "DENY" to "ALLOW", which replaces it',
    ]);
  });

  test("passes changes that keep the data, and an explicit --allow-data-loss", async () => {
    expect(await resynth((c) => (c.backup.noncurrentVersionExpirationDays = 30))).toEqual([]);
    expect(await resynth((c) => (c.backup.bucketName = "acme-backups-v2"), true)).toEqual([]);
  });

  test("the command prints each loss and exits 1", async () => {
    const input = exampleInput();
    input.backup.bucketName = "acme-backups-v2";
    fs.writeFileSync(path.join(dir, "renamed.json"), JSON.stringify(input));
    const lines: string[] = [];
    const code = await runSynth({ argv: ["--config", "renamed.json"], env: {}, cwd: dir, log: (l) => lines.push(l), out: () => undefined });
    expect(code).toBe(1);
    expect(lines[0]).toBe("error: 1 change would destroy or replace a resource that holds data; nothing was written");
    expect(lines[1]).toMatch(/^ {2}- backup: aws_s3_bucket\.\S+ changes bucket from "acme-dynamodb-backups" to "acme-backups-v2", which replaces it$/);
  });
});

describe("no secret in any output or log", () => {
  const KEY_SHAPED: [string, RegExp][] = [
    ["AWS access key id", /\b(AKIA|ASIA)[A-Z0-9]{16}\b/],
    ["AWS secret access key", /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/],
    ["private key block", /-----BEGIN [A-Z ]*PRIVATE KEY/],
    ["credentials in a provider", /"(access_key|secret_key|token)"\s*:/],
  ];

  test("synthesized files and the synth's messages hold no key-shaped string, even with access keys and logins", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snowplow-iac-secrets-"));
    try {
      const pgp = "mQENBF" + "A".repeat(122);
      const input = exampleInput();
      Object.assign(input.pipeline.operator, { accessKey: true, consoleLogin: true, pgpKey: pgp });
      Object.assign(input.pipeline.installer ?? (input.pipeline.installer = {}), { accessKey: true, pgpKey: pgp });
      fs.writeFileSync(path.join(dir, "keys.json"), JSON.stringify(input));
      const lines: string[] = [];
      expect(await runSynth({ argv: ["--config", "keys.json"], env: {}, cwd: dir, log: (l) => lines.push(l) })).toBe(0);
      const files = tree(path.join(dir, "cdktf.out"));
      const texts = { ...files, "synth messages": lines.join("\n") };
      const found: string[] = [];
      for (const [name, text] of Object.entries(texts)) {
        for (const [what, re] of KEY_SHAPED) if (re.test(text)) found.push(`${name}: ${what}: ${re.exec(text)![0]}`);
      }
      expect(found).toEqual([]);
      // the secrets exist only as PGP-encrypted outputs of Terraform, never as values in the output
      const pipeline = files[path.join("stacks", "snowplow-pipeline", "cdk.tf.json")];
      expect(pipeline).toContain("aws_iam_access_key");
      expect(pipeline).toContain("encrypted_secret");
      expect(pipeline).not.toMatch(/\.secret\}/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the scan does find a key-shaped string (it can fail)", () => {
    const leaked = '{"secret": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "id": "AKIAIOSFODNN7EXAMPLE"}';
    expect(KEY_SHAPED.filter(([, re]) => re.test(leaked)).map(([w]) => w)).toEqual(["AWS access key id", "AWS secret access key"]);
  });
});
