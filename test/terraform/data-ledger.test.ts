/**
 * The data ledger's removed blocks, in front of the real terraform: a lease
 * table that left the config, with the table in state, is forgotten (no
 * destroy); the same stack without the block would destroy it. Also a
 * removed block for a table that was never applied is harmless.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { runSynth } from "../../modules/stacks/cli";
import { exampleInput } from "../support/synth";
import { planAgainstState, terraformBinary } from "../support/terraform";
import { tempDir } from "../support/temp";

jest.setTimeout(300_000);

describe("removed blocks in a real plan", () => {
  let dir: string;
  let stackDir: string;
  let address: string;
  beforeAll(async () => {
    terraformBinary();
    dir = tempDir("ledger-tf");
    const write = (rename: boolean) => {
      const c = exampleInput();
      if (rename) c.kinesis.applications[2].name = "acme-s3-loader-v2";
      fs.writeFileSync(path.join(dir, "c.json"), JSON.stringify(c));
    };
    const synth = () => runSynth({ argv: ["--config", "c.json"], env: {}, cwd: dir, log: () => undefined, out: () => undefined });
    write(false);
    expect(await synth()).toBe(0);
    write(true);
    expect(await synth()).toBe(0);
    stackDir = path.join(dir, "cdktf.out", "stacks", "snowplow-pipeline");
    const json = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
    expect(json.removed).toHaveLength(1);
    address = json.removed[0].from;
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const table = () => {
    const [type, name] = address.split(".");
    return {
      type,
      name,
      attributes: {
        id: "acme-s3-loader",
        name: "acme-s3-loader",
        arn: "arn:aws:dynamodb:eu-west-1:444455556666:table/acme-s3-loader",
        billing_mode: "PAY_PER_REQUEST",
        hash_key: "leaseKey",
        attribute: [{ name: "leaseKey", type: "S" }],
        deletion_protection_enabled: true,
        tags: {},
        tags_all: {},
      },
    };
  };

  test("with the table in state, the plan forgets it and destroys nothing", () => {
    const r = planAgainstState(stackDir, [table()]);
    expect(r.status).toBe(0);
    expect(r.output).toContain(`${address} will no longer be managed by Terraform`);
    expect(r.output).not.toMatch(/will be destroyed/);
  });

  test("without the block, the same plan would destroy the table (the block is what saves it)", () => {
    const file = path.join(stackDir, "cdk.tf.json");
    const json = JSON.parse(fs.readFileSync(file, "utf8"));
    delete json.removed;
    const copy = fs.mkdtempSync(path.join(dir, "control-"));
    fs.writeFileSync(path.join(copy, "cdk.tf.json"), JSON.stringify(json));
    const r = planAgainstState(copy, [table()]);
    expect(r.output).toContain(`${address} will be destroyed`);
  });

  test("with the table never applied (not in state), the block is a no-op", () => {
    const r = planAgainstState(stackDir, []);
    expect(r.status).toBe(0);
    expect(r.output).not.toMatch(/no longer be managed|will be destroyed/);
  });
});

test("dataSafety.destroy on the backup bucket: a rename plans a replacement instead of failing on prevent_destroy", async () => {
  terraformBinary();
  const dir = tempDir("replace");
  try {
    const c = exampleInput();
    c.backup.bucketName = "acme-backups-v2";
    c.dataSafety = { destroy: ["backup:acme-backups-v2"] };
    fs.writeFileSync(path.join(dir, "c.json"), JSON.stringify(c));
    expect(await runSynth({ argv: ["--config", "c.json"], env: {}, cwd: dir, log: () => undefined, out: () => undefined })).toBe(0);
    const stackDir = path.join(dir, "cdktf.out", "stacks", "backup");
    const json = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
    const name = Object.keys(json.resource.aws_s3_bucket)[0];
    const r = planAgainstState(stackDir, [
      {
        type: "aws_s3_bucket",
        name,
        attributes: { id: "acme-dynamodb-backups", bucket: "acme-dynamodb-backups", force_destroy: false, tags: {}, tags_all: {} },
      },
    ]);
    expect(r.output).toContain(`aws_s3_bucket.${name} must be replaced`);
    expect(r.output).not.toContain("Instance cannot be destroyed");
    expect(r.status).toBe(0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
