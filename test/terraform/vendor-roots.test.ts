/**
 * The vendored modules in roots of their own: each module alone with only its
 * required inputs, the example root of a config that adopts everything (every
 * import planned, nothing created twice), and a repository pinned to
 * hashicorp/aws ~> 6.0. Apart from vendor.test.ts so that jest runs the two
 * halves on both workers.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseVariables } from "../../modules/vendor/readme";
import { vendorImports } from "../../modules/vendor/imports";
import { moduleCalls, MODULES, renderModuleCall, vendorFiles, writeVendor } from "../../modules/vendor/vendor";
import { exampleConfig, synthStacks } from "../support/synth";
import { terraformBinary, tfAsync } from "../support/terraform";
import { tempDir } from "../support/temp";

jest.setTimeout(600_000);

describe("each vendored module alone", () => {
  const files = vendorFiles(exampleConfig(), "config/example.json");
  const calls = moduleCalls(exampleConfig());
  let base: string;
  let result: { status: number; output: string };
  // one root holds every module, each called with only its required inputs (no module reads
  // another's outputs): one init and one `terraform test` plan instead of one root per module
  beforeAll(async () => {
    terraformBinary();
    base = tempDir("alone");
    writeVendor(path.join(base, "modules"), files);
    const root = path.join(base, "root");
    fs.mkdirSync(path.join(root, "tests"), { recursive: true });
    const blocks: string[] = [];
    let overrides = "";
    for (const name of Object.keys(MODULES)) {
      const call = calls.find((c) => c.module === name)!;
      // only the inputs the module requires: every other one takes its default
      const required = new Set(
        parseVariables(files[`${name}/variables.tf`])
          .filter((v) => v.default === undefined)
          .map((v) => v.name),
      );
      const inputs = Object.fromEntries(Object.entries(call.inputs).filter(([k]) => required.has(k)));
      blocks.push(renderModuleCall({ ...call, name: `${name.replace(/-/g, "_")}_alone`, inputs }, `../modules/${name}`));
      // the point-in-time recovery check reads real tables: mocked as on
      if (files[`${name}/main.tf`].includes('data "aws_dynamodb_table" "exported"'))
        overrides += `override_data {\n  target = module.${name.replace(/-/g, "_")}_alone.data.aws_dynamodb_table.exported\n  values = { point_in_time_recovery = [{ enabled = true }] }\n}\n`;
    }
    fs.writeFileSync(path.join(root, "main.tf"), `provider "aws" {\n  region = "eu-west-1"\n}\n\n${blocks.join("\n\n")}\n`);
    fs.writeFileSync(path.join(root, "tests", "alone.tftest.hcl"), `mock_provider "aws" {}\n${overrides}run "plan" {\n  command = plan\n}\n`);
    const init = await tfAsync(root, ["init", "-input=false", "-backend=false"]);
    result = init.status === 0 ? await tfAsync(root, ["test"]) : init;
  });
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  test("the root calls every module, each with only its required inputs", () => {
    const main = fs.readFileSync(path.join(base, "root", "main.tf"), "utf8");
    for (const name of Object.keys(MODULES)) expect(main).toContain(`module "${name.replace(/-/g, "_")}_alone" {`);
  });

  test("every module, with only its required inputs, validates and plans (terraform names a failing module's address)", () => {
    expect(result.output).toMatch(/Success! 1 passed, 0 failed/);
    expect(result.status).toBe(0);
  });
});

describe("the vendored example keeps adoption (every adopted part imported, none created twice or replaced)", () => {
  const config = exampleConfig((c) => {
    c.accounts.snowplow.mode = "adopt";
    c.adopt = {
      installer: true,
      operator: true,
      applications: c.kinesis.applications.map((a: { name: string }) => a.name),
      spark: true,
      backupBucket: true,
      backupKmsKeyId: "1234abcd-12ab-34cd-56ef-1234567890ab",
      sourceWriters: c.accounts.sources.map((s: { name: string }) => s.name),
    };
    c.spark.enabled = true;
    c.spark.createInstanceProfile = true;
    // point-in-time recovery "enable": the tables are imported too
    const shop = c.accounts.sources.find((s: { method?: string }) => (s.method ?? "native-export") === "native-export");
    shop.pointInTimeRecovery = "enable";
    shop.tableKeys = Object.fromEntries(shop.tables.map((t: string) => [t, { hashKey: { name: "id", type: "S" } }]));
  });
  const imports = vendorImports(config, (n) => n.replace(/[^A-Za-z0-9_]/g, "_"));
  let output: string;
  beforeAll(async () => {
    terraformBinary();
    const base = tempDir("vendor-adopt");
    writeVendor(base, vendorFiles(config, "adopt.json"));
    const example = path.join(base, "example");
    const stacks = synthStacks(config);
    // the objects that exist: each imported address, with the values that identify it (read from the synth's resource)
    const overrides = imports
      .map(({ to, id, synth }) => {
        const [type, logical] = synth.address.split(".");
        const r = stacks[synth.stack].resource[type][logical];
        const values: Record<string, unknown> = { id };
        if (type === "aws_iam_policy") values.arn = id;
        for (const k of ["name", "bucket", "path", "role", "group", "user", "policy_arn", "hash_key", "range_key"])
          if (typeof r[k] === "string" && !r[k].includes("${")) values[k] = r[k];
        return `override_resource {\n  target = ${to}\n  values = ${JSON.stringify(values).replace(/":/g, '" =')}\n}`;
      })
      .join("\n");
    const aliases = [...new Set([...fs.readFileSync(path.join(example, "main.tf"), "utf8").matchAll(/alias\s+= "([^"]+)"/g)].map((m) => m[1]))];
    fs.mkdirSync(path.join(example, "tests"));
    fs.writeFileSync(
      path.join(example, "tests", "adopt.tftest.hcl"),
      `${aliases.map((a) => `mock_provider "aws" {\n  alias = "${a}"\n}\n`).join("")}${overrides}\nrun "plan" {\n  command = plan\n}\n`,
    );
    expect((await tfAsync(example, ["init", "-input=false", "-backend=false"])).status).toBe(0);
    const r = await tfAsync(example, ["test", "-verbose"]);
    output = r.output;
    fs.rmSync(base, { recursive: true, force: true });
  });

  test("the example root carries an import block for every import of the synth, at the module's address", () => {
    const targets = imports.map((i) => i.to);
    for (const expected of [
      "module.snowplow_account.aws_organizations_account.this",
      "module.snowplow_installer.aws_iam_group.this",
      "module.snowplow_operator.aws_iam_policy.operator",
      "module.spark_launcher.aws_iam_instance_profile.node[0]",
      "module.backup_bucket.aws_kms_key.this[0]",
      'module.backup_writer_shop.aws_dynamodb_table.recovered["orders"]',
    ])
      expect(targets).toContain(expected);
    expect(new Set(targets).size).toBe(targets.length);
  });

  test("plans under a mocked provider: every import planned, nothing of an adopted part created or replaced", () => {
    expect(output).toContain("1 passed, 0 failed");
    for (const { to } of imports) {
      expect([to, output.includes(`# ${to} will be imported`)]).toEqual([to, true]);
      expect(output).not.toContain(`# ${to} must be replaced`);
    }
    // every part is adopted here; the one new object is the service control policy the example asks for explicitly
    const created = [...output.matchAll(/# (\S+) will be created/g)].map((m) => m[1]);
    expect(config.organization.serviceControlPolicy.enabled).toBe(true);
    expect(created.sort()).toEqual([
      "module.snowplow_account.aws_organizations_policy.services[0]",
      "module.snowplow_account.aws_organizations_policy_attachment.services[0]",
    ]);
  });
});

describe("in a repository that pins hashicorp/aws ~> 6.0", () => {
  test("terraform combines the modules' constraint with the pin, and init fails only for want of a 6.x binary in the offline mirror", async () => {
    terraformBinary();
    const repo = tempDir("aws6");
    try {
      writeVendor(path.join(repo, "modules"), vendorFiles(exampleConfig(), "config/example.json"));
      fs.writeFileSync(
        path.join(repo, "main.tf"),
        `terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "~> 6.0"\n    }\n  }\n}\n\n` +
          `module "installer" {\n  source     = "./modules/installer-group"\n  account_id = "444455556666"\n  flow       = "both"\n}\n`,
      );
      const r = await tfAsync(repo, ["init", "-input=false", "-backend=false", "-no-color"]);
      expect(r.status).not.toBe(0);
      // the constraints combine (a range with versions in it: 6.x), where "< 6.0.0" made them contradict
      expect(r.output).toContain('Finding hashicorp/aws versions matching ">= 5.100.0, ~> 6.0, < 7.0.0"');
      expect(r.output).toContain("no available releases match the given constraints >= 5.100.0, ~> 6.0, < 7.0.0");
      // and the same repository on 5.100 initialises from the mirror
      fs.writeFileSync(path.join(repo, "main.tf"), fs.readFileSync(path.join(repo, "main.tf"), "utf8").replace('"~> 6.0"', '"~> 5.100"'));
      expect((await tfAsync(repo, ["init", "-input=false", "-backend=false", "-no-color"])).status).toBe(0);
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });
});
