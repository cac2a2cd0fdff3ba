/**
 * Nothing that holds data is destroyed by accident: guards in the synthesized
 * Terraform, the data ledger's removed blocks, and no secret in any output or log.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LEDGER_FILE } from "../modules/stacks/ledger";
import { runSynth } from "../modules/stacks/cli";
import { exampleConfig, exampleInput, resources, synthStacks, tree } from "./support/synth";
import { tempDir } from "./support/temp";

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

describe("the data ledger: data that leaves the config is forgotten, not destroyed", () => {
  let dir: string;
  const lines: string[] = [];
  const synth = async (change: (c: any) => void = () => undefined, file = "c.json") => {
    const input = exampleInput();
    change(input);
    fs.writeFileSync(path.join(dir, file), JSON.stringify(input));
    lines.length = 0;
    const code = await runSynth({ argv: ["--config", file], env: {}, cwd: dir, log: (l) => lines.push(l), out: () => undefined });
    expect([code, lines.filter((l) => !l.startsWith("notice:"))]).toEqual([0, []]);
    return lines.map((l) => l.replace(/^notice: /, ""));
  };
  const stack = (name: string) => JSON.parse(fs.readFileSync(path.join(dir, "cdktf.out", "stacks", name, "cdk.tf.json"), "utf8"));
  const ledger = () => JSON.parse(fs.readFileSync(path.join(dir, LEDGER_FILE), "utf8"));
  beforeEach(() => {
    dir = tempDir("ledger");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("the first synth records what holds data, per config file, and says nothing", async () => {
    expect(await synth()).toEqual([]);
    const l = ledger().configs["c.json"];
    expect(Object.values(l.managed.backup)).toEqual(expect.arrayContaining(["acme-dynamodb-backups"]));
    expect(l.managed["snowplow-pipeline"]).toEqual({ [Object.keys(l.managed["snowplow-pipeline"])[0]]: "acme-s3-loader" });
    expect(l.forgotten).toEqual({});
  });

  test("a lease table that leaves (its app renamed) gets a removed block: Terraform forgets it, the data stays", async () => {
    await synth();
    const before = Object.keys(ledger().configs["c.json"].managed["snowplow-pipeline"])[0];
    const notices = await synth((c) => (c.kinesis.applications[2].name = "acme-s3-loader-v2"));
    expect(notices).toEqual([
      `snowplow-pipeline: ${before} (acme-s3-loader) leaves the config: where it exists, Terraform forgets it (a removed block) and the data stays in AWS`,
    ]);
    expect(stack("snowplow-pipeline").removed).toEqual([{ from: before, lifecycle: { destroy: false } }]);
    // the block stays while the table is out of the config, silently
    expect(await synth((c) => (c.kinesis.applications[2].name = "acme-s3-loader-v2"))).toEqual([]);
    expect(stack("snowplow-pipeline").removed).toHaveLength(1);
    // back to the old name: its block goes; the v2 table (if it was ever applied) is forgotten in turn
    expect(await synth()).toEqual([expect.stringMatching(/\(acme-s3-loader-v2\) leaves the config/)]);
    expect(stack("snowplow-pipeline").removed.map((r: any) => r.from)).toEqual([expect.stringMatching(/acme-s3-loader-v2/)]);
  });

  test("no false alarms: another config file, a branch's other config, undoing a rename never applied", async () => {
    await synth();
    // another config file in the same folder has its own section
    expect(await synth((c) => (c.backup.bucketName = "other-backups"), "other.json")).toEqual([]);
    // a rename, then its undo before any apply: the bucket keeps its address, nothing leaves, nothing is said
    expect(await synth((c) => (c.backup.bucketName = "acme-backups-v2"))).toEqual([]);
    expect(await synth()).toEqual([]);
    expect(stack("backup").removed).toBeUndefined();
  });

  test("dataSafety.destroy lifts prevent_destroy and lets a resource that leaves be destroyed, and says so", async () => {
    await synth();
    const notices = await synth((c) => {
      c.kinesis.applications[2].name = "acme-s3-loader-v2";
      c.dataSafety = { destroy: ["snowplow-pipeline:acme-s3-loader", "backup:acme-dynamodb-backups"] };
    });
    expect(notices).toEqual([
      expect.stringMatching(/^snowplow-pipeline: .* \(acme-s3-loader\) leaves the config and dataSafety.destroy names it: Terraform will DESTROY it$/),
    ]);
    expect(stack("snowplow-pipeline").removed).toBeUndefined();
    // the bucket and its settings, which a rename replaces with it; the key stays guarded
    const b = stack("backup").resource;
    for (const type of ["aws_s3_bucket", "aws_s3_bucket_versioning", "aws_s3_bucket_policy", "aws_s3_bucket_server_side_encryption_configuration"]) {
      expect([type, Object.values<any>(b[type])[0].lifecycle.prevent_destroy]).toEqual([type, false]);
    }
    expect(Object.values<any>(b.aws_kms_key)[0].lifecycle.prevent_destroy).toBe(true);
  });

  test("retiring a source: its stack forgets the tables and keeps no writer; then the source can go, quietly", async () => {
    const pitr = (c: any) => {
      Object.assign(c.accounts.sources[0], {
        pointInTimeRecovery: "enable",
        tableKeys: { orders: { hashKey: { name: "id", type: "S" } }, customers: { hashKey: { name: "id", type: "S" } } },
      });
    };
    await synth(pitr);
    const notices = await synth((c) => {
      pitr(c);
      c.accounts.sources[0].retire = true;
    });
    expect(notices).toHaveLength(2);
    const shop = stack("source-shop");
    expect(shop.resource).toBeUndefined();
    expect(shop.removed.map((r: any) => r.from)).toEqual([expect.stringMatching(/^aws_dynamodb_table\./), expect.stringMatching(/^aws_dynamodb_table\./)]);
    expect(JSON.stringify(stack("backup"))).not.toContain("123456789012");
    const gone = await synth((c) => c.accounts.sources.splice(0, 1));
    expect(gone).toEqual([expect.stringMatching(/^stack source-shop is no longer in the config/)]);
  });

  test("a source removed without retiring: one warning naming its data", async () => {
    const pitr = (c: any) =>
      Object.assign(c.accounts.sources[0], {
        pointInTimeRecovery: "enable",
        tableKeys: { orders: { hashKey: { name: "id", type: "S" } }, customers: { hashKey: { name: "id", type: "S" } } },
      });
    await synth(pitr);
    const notices = await synth((c) => c.accounts.sources.splice(0, 1));
    expect(notices).toEqual([
      expect.stringMatching(/^stack source-shop left the config while it held data \(aws_dynamodb_table\.\S+ \(customers\), .*Retiring a source account/),
    ]);
    // said once: the next synth is quiet
    expect((await synth((c) => c.accounts.sources.splice(0, 1))).filter((n) => n.includes("held data"))).toEqual([]);
  });

  test("a ledger left broken by a merge conflict is a notice, not a crash", async () => {
    await synth();
    fs.writeFileSync(path.join(dir, LEDGER_FILE), "<<<<<<< HEAD\n{}");
    const notices = await synth();
    expect(notices).toEqual([expect.stringMatching(/is not readable \(a merge conflict\?\)/)]);
    expect(ledger().configs["c.json"].managed.backup).toBeDefined();
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
    const dir = tempDir("secrets");
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
