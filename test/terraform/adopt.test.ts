/**
 * Adopting a hand-built seed install, in front of the real terraform: every
 * resource of an adopted part is imported (terraform test, mock provider,
 * override_resource standing in for the objects that exist), none is created
 * and none replaced; what cannot be adopted (an access key) is the only
 * create in those parts, and the synth said so.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { runSynth } from "../../modules/stacks/cli";
import { runAdopt } from "../../scripts/adopt";
import { exampleInput } from "../support/synth";
import { terraformBinary, tf, tfTest } from "../support/terraform";
import { tempDir } from "../support/temp";

jest.setTimeout(300_000);

describe("adopting parts built by hand", () => {
  let dir: string;
  const notices: string[] = [];
  beforeAll(async () => {
    terraformBinary();
    dir = tempDir("adopt");
    const c = exampleInput();
    c.adopt = {
      installer: true,
      applications: ["acme-enrich", "acme-s3-loader"],
      spark: true,
      backupBucket: true,
      backupKmsKeyId: "1234abcd-12ab-34cd-56ef-1234567890ab",
      sourceWriters: ["shop"],
    };
    c.pipeline.installer = { accessKey: true, pgpKey: "keybase:alice" };
    fs.writeFileSync(path.join(dir, "c.json"), JSON.stringify(c));
    expect(await runSynth({ argv: ["--config", "c.json"], env: {}, cwd: dir, log: (l) => notices.push(l), out: () => undefined })).toBe(0);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("the synth says plainly what cannot be adopted, with the rotation steps", () => {
    expect(notices).toEqual([
      expect.stringMatching(
        /^notice: snowplow-pipeline: aws_iam_access_key\.\S+ is created, not adopted: an access key's secret is in no API.*delete the old key/,
      ),
    ]);
  });

  test.each(["snowplow-pipeline", "backup", "source-shop"])("%s: every adopted resource is imported, none created or replaced", (name) => {
    const stackDir = path.join(dir, "cdktf.out", "stacks", name);
    const stack = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
    const imports: { to: string; id: string }[] = stack.import;
    expect(imports.length).toBeGreaterThan(0);
    // the objects that exist: each imported address, with the values that identify it
    const overrides = imports
      .map(({ to, id }) => {
        const [type, nameId] = to.split(".");
        const r = stack.resource[type][nameId];
        const values: Record<string, unknown> = { id };
        // a managed policy is imported by its ARN, which attachments refer to
        if (type === "aws_iam_policy") values.arn = id;
        for (const k of ["name", "bucket", "path", "role", "group", "user", "policy_arn"])
          if (typeof r[k] === "string" && !r[k].includes("${")) values[k] = r[k];
        return `override_resource {\n  target = ${to}\n  values = ${JSON.stringify(values).replace(/":/g, '" =')}\n}`;
      })
      .join("\n");
    // the point-in-time recovery checks read real tables: mocked as on
    const data = Object.keys(stack.data?.aws_dynamodb_table ?? {})
      .map((id) => `override_data {\n  target = data.aws_dynamodb_table.${id}\n  values = { point_in_time_recovery = [{ enabled = true }] }\n}`)
      .join("\n");
    fs.mkdirSync(path.join(stackDir, "tests"), { recursive: true });
    fs.writeFileSync(path.join(stackDir, "tests", "adopt.tftest.hcl"), `mock_provider "aws" {}\n${overrides}\n${data}\nrun "plan" {\n  command = plan\n}\n`);
    tf(stackDir, ["init", "-input=false", "-backend=false"]);
    const r = tfTest(stackDir, ["-verbose"]);
    expect(r.output).toContain("1 passed, 0 failed");
    for (const { to } of imports) {
      expect([to, r.output.includes(`# ${to} will be imported`)]).toEqual([to, true]);
      expect(r.output).not.toContain(`# ${to} will be created`);
      expect(r.output).not.toContain(`# ${to} must be replaced`);
    }
    // the adopted parts create nothing but what cannot be adopted
    const adoptedPrefixes = [
      "snowplow-pipeline/installer",
      "snowplow-pipeline/app-acme-enrich",
      "snowplow-pipeline/app-acme-s3-loader",
      "snowplow-pipeline/spark_launcher",
      "backup/backup_bucket",
      "source-shop/backup_writer",
    ];
    const created = [...r.output.matchAll(/# (\S+) will be created/g)].map((m) => m[1]);
    for (const address of created) {
      const [type, id] = address.split(".");
      const p: string = stack.resource[type]?.[id]?.["//"]?.metadata?.path ?? "";
      if (adoptedPrefixes.some((x) => p.startsWith(x))) expect(type).toBe("aws_iam_access_key");
    }
  });
});

describe("adopting from an inventory (npm run adopt)", () => {
  test.each([
    ["the faithful seed install", "seed-install.json", () => undefined],
    [
      "an older install, the operator's policy inline on its group",
      "renamed-install.json",
      (c: any) => {
        c.pipeline.installer = { groupName: "snowplow-installers" };
        c.pipeline.operator = { userName: "emr-runner" };
      },
    ],
  ])("%s: the generated adopt block imports what exists, creates the rest, replaces nothing", async (_what, name, change) => {
    terraformBinary();
    const dir = tempDir("adopt-inv");
    try {
      const c = exampleInput();
      c.iam.path = "/";
      change(c);
      fs.writeFileSync(path.join(dir, "c.json"), JSON.stringify(c));
      const quiet = { out: () => undefined, err: () => undefined, data: () => undefined };
      const fixture = path.join(__dirname, "..", "fixtures", "inventory", name);
      expect(await runAdopt(["--from", fixture, "--config", "c.json", "--out", "adopt.json", "--report", "report.md"], {}, dir, quiet)).toBe(0);
      c.adopt = JSON.parse(fs.readFileSync(path.join(dir, "adopt.json"), "utf8")).adopt;
      fs.writeFileSync(path.join(dir, "c.json"), JSON.stringify(c));
      expect(await runSynth({ argv: ["--config", "c.json"], env: {}, cwd: dir, log: () => undefined, out: () => undefined })).toBe(0);
      const stackDir = path.join(dir, "cdktf.out", "stacks", "snowplow-pipeline");
      const stack = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
      const imports: { to: string; id: string }[] = stack.import;
      const overrides = imports
        .map(({ to, id }) => {
          const values: Record<string, unknown> = { id, ...(to.startsWith("aws_iam_policy.") ? { arn: id } : {}) };
          return `override_resource {\n  target = ${to}\n  values = ${JSON.stringify(values).replace(/":/g, '" =')}\n}`;
        })
        .join("\n");
      fs.mkdirSync(path.join(stackDir, "tests"), { recursive: true });
      fs.writeFileSync(path.join(stackDir, "tests", "adopt.tftest.hcl"), `mock_provider "aws" {}\n${overrides}\nrun "plan" {\n  command = plan\n}\n`);
      tf(stackDir, ["init", "-input=false", "-backend=false"]);
      // terraform test validates the stack before its run plans
      const r = tfTest(stackDir, ["-verbose"]);
      expect(r.output).toContain("1 passed, 0 failed");
      for (const { to } of imports) {
        expect([to, r.output.includes(`# ${to} will be imported`)]).toEqual([to, true]);
        expect(r.output).not.toContain(`# ${to} will be created`);
      }
      expect(r.output).not.toMatch(/must be replaced/);
      // what the inventory lacks is created (adopt.except), once
      for (const id of c.adopt.except) expect(imports.map((i) => i.id)).not.toContain(id);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
