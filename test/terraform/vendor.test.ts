/**
 * Vendored modules in a repository that stands for a user's own: its own
 * provider block, its own provider pin, an unrelated resource, and a call of
 * every module. init, validate, fmt -check, terraform test in every module,
 * an offline plan of the root, and the planned policies equal to synth's.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { reviewPlan } from "../../modules/review/review";
import { parseVariables } from "../../modules/vendor/readme";
import { vendorImports } from "../../modules/vendor/imports";
import { moduleCalls, MODULES, renderModuleCall, vendorFiles, writeVendor } from "../../modules/vendor/vendor";
import { exampleConfig, parsePolicy, synthStacks } from "../support/synth";
import { OFFLINE_OVERRIDE, pool, terraformBinary, tf, tfAsync } from "../support/terraform";

jest.setTimeout(600_000);

const USER_ROOT = `terraform {
  required_version = ">= 1.7"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

# something the repository already had
resource "aws_sns_topic" "existing_alerts" {
  name = "existing-alerts"
}
`;

/** policy JSON, normalised: statements by Sid, every value a sorted list */
function normalise(text: string): unknown {
  const doc = parsePolicy(text);
  const list = (v: unknown) => (Array.isArray(v) ? [...v] : [v]).map(String).sort();
  const deep = (o: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, typeof o[k] === "object" && !Array.isArray(o[k]) ? deep(o[k] as Record<string, unknown>) : list(o[k])]),
    );
  return [...doc.Statement].sort((a, b) => String(a.Sid).localeCompare(String(b.Sid))).map((s) => deep(s));
}

describe("vendored modules in an existing Terraform repository", () => {
  let repo: string;
  const config = exampleConfig();

  beforeAll(() => {
    terraformBinary();
    repo = fs.mkdtempSync(path.join(os.tmpdir(), "snowplow-iac-vendor-"));
    fs.writeFileSync(path.join(repo, "main.tf"), USER_ROOT);
    writeVendor(path.join(repo, "modules", "snowplow"), vendorFiles(config, "config/example.json"));
    // the repository's own calls: one provider for all (offline), the point-in-time checks off (they read real tables)
    const calls = moduleCalls(config, { verifyPointInTimeRecovery: false }).map((c) => renderModuleCall(c, `./modules/snowplow/${c.module}`));
    fs.writeFileSync(path.join(repo, "snowplow.tf"), calls.join("\n\n") + "\n");
  });

  test("terraform fmt -check passes on the repository, vendored modules included", () => {
    expect(tf(repo, ["fmt", "-check", "-recursive"])).toBe("");
  });

  describe("each module folder", () => {
    const results: Record<string, { init: number; validate: string; test: { status: number; output: string } }> = {};
    beforeAll(async () => {
      // side by side: each `terraform test` starts mocked providers for several runs
      // init one at a time (the shared plugin cache is not safe for concurrent installs), test side by side
      const inits: Record<string, number> = {};
      for (const name of Object.keys(MODULES)) {
        const dir = path.join(repo, "modules", "snowplow", name);
        inits[name] = (await tfAsync(dir, ["init", "-input=false", "-backend=false"])).status;
      }
      await pool(
        Object.keys(MODULES).map((name) => async () => {
          const dir = path.join(repo, "modules", "snowplow", name);
          const validate = await tfAsync(dir, ["validate", "-json"]);
          results[name] = { init: inits[name], validate: validate.output, test: await tfAsync(dir, ["test"]) };
        }),
        2,
      );
    });

    test.each(Object.keys(MODULES))("%s: init, validate and terraform test (mocked provider) pass", (name) => {
      const r = results[name];
      expect(r.init).toBe(0);
      expect(JSON.parse(r.validate).valid).toBe(true);
      expect(r.test.output).toMatch(/Success! \d+ passed, 0 failed/);
      expect(r.test.status).toBe(0);
    });
  });

  test("the root example validates", () => {
    const dir = path.join(repo, "modules", "snowplow", "example");
    tf(dir, ["init", "-input=false", "-backend=false"]);
    expect(JSON.parse(tf(dir, ["validate", "-json"])).valid).toBe(true);
  });

  describe("the repository's root", () => {
    let planned: any[];
    let plan: any;
    beforeAll(() => {
      fs.writeFileSync(path.join(repo, "offline_override.tf.json"), JSON.stringify(OFFLINE_OVERRIDE));
      tf(repo, ["init", "-input=false"]);
      expect(JSON.parse(tf(repo, ["validate", "-json"])).valid).toBe(true);
      tf(repo, ["plan", "-input=false", "-refresh=false", "-lock=false", "-out=plan.bin"]);
      plan = JSON.parse(tf(repo, ["show", "-json", "plan.bin"]));
      planned = plan.resource_changes
        .filter((c: any) => c.change.actions.includes("create"))
        .map((c: any) => ({ type: c.type, address: c.address, after: c.change.after }));
    });

    test("plans offline: its own resource and every module's", () => {
      const addresses = planned.map((p) => p.address);
      expect(addresses).toContain("aws_sns_topic.existing_alerts");
      for (const call of moduleCalls(config)) expect(addresses.some((a: string) => a.startsWith(`module.${call.name}.`))).toBe(true);
    });

    test("plans the same policies as cdktf synth of the example config", () => {
      const stacks = synthStacks(config);
      const ref = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.name\}$/;
      const synthPolicies = new Map<string, unknown>();
      const vendorPolicies = new Map<string, unknown>();
      for (const stack of Object.values(stacks)) {
        const res = stack.resource ?? {};
        const resolve = (v: string) => {
          const m = ref.exec(v);
          return m ? res[m[1]][m[2]].name : v;
        };
        for (const r of Object.values<any>(res.aws_iam_policy ?? {})) synthPolicies.set(`managed ${r.name}`, normalise(r.policy));
        for (const r of Object.values<any>(res.aws_iam_group_policy ?? {})) synthPolicies.set(`group ${resolve(r.group)} ${r.name}`, normalise(r.policy));
        for (const r of Object.values<any>(res.aws_iam_role_policy ?? {})) synthPolicies.set(`role ${resolve(r.role)} ${r.name}`, normalise(r.policy));
        for (const r of Object.values<any>(res.aws_iam_role ?? {})) synthPolicies.set(`trust ${r.name}`, normalise(r.assume_role_policy));
        for (const r of Object.values<any>(res.aws_s3_bucket_policy ?? {})) synthPolicies.set("bucket policy", normalise(r.policy));
        for (const r of Object.values<any>(res.aws_kms_key ?? {})) synthPolicies.set("key policy", normalise(r.policy));
        for (const r of Object.values<any>(res.aws_organizations_policy ?? {})) synthPolicies.set(`scp ${r.name}`, normalise(r.content));
      }
      for (const p of planned) {
        const a = p.after;
        if (p.type === "aws_iam_policy") vendorPolicies.set(`managed ${a.name}`, normalise(a.policy));
        if (p.type === "aws_iam_group_policy") vendorPolicies.set(`group ${a.group} ${a.name}`, normalise(a.policy));
        if (p.type === "aws_iam_role_policy") vendorPolicies.set(`role ${a.role} ${a.name}`, normalise(a.policy));
        if (p.type === "aws_iam_role") vendorPolicies.set(`trust ${a.name}`, normalise(a.assume_role_policy));
        if (p.type === "aws_s3_bucket_policy") vendorPolicies.set("bucket policy", normalise(a.policy));
        if (p.type === "aws_kms_key") vendorPolicies.set("key policy", normalise(a.policy));
        if (p.type === "aws_organizations_policy") vendorPolicies.set(`scp ${a.name}`, normalise(a.content));
      }
      expect([...vendorPolicies.keys()].sort()).toEqual([...synthPolicies.keys()].sort());
      expect(synthPolicies.size).toBeGreaterThan(15);
      for (const [k, v] of synthPolicies) expect([k, vendorPolicies.get(k)]).toEqual([k, v]);
    });

    test("the plan review reads the vendored modules' plan too (no CDKTF needed)", async () => {
      const r = await reviewPlan("repository", plan);
      expect(r.verdict).toBe("broadening");
      const operator = r.policies.find((p) => p.address === "module.snowplow_operator.aws_iam_policy.operator")!;
      expect(operator.label).toBe("managed policy `snowplow-policy-operate-datapipeline`");
      expect(operator.added.map((s) => s.sid)).toContain("PassEmrServiceRole");
      expect(r.links.some((l) => l.sign === "+" && l.text.startsWith("user group membership: snowplow-operator"))).toBe(true);
    });
  });
});

describe("each vendored module alone", () => {
  const files = vendorFiles(exampleConfig(), "config/example.json");
  const calls = moduleCalls(exampleConfig());
  let base: string;
  const results: Record<string, { status: number; output: string }> = {};
  beforeAll(async () => {
    terraformBinary();
    base = fs.mkdtempSync(path.join(os.tmpdir(), "snowplow-iac-alone-"));
    writeVendor(path.join(base, "modules"), files);
    for (const name of Object.keys(MODULES)) {
      const call = calls.find((c) => c.module === name)!;
      // only the inputs the module requires: every other one takes its default
      const required = new Set(
        parseVariables(files[`${name}/variables.tf`])
          .filter((v) => v.default === undefined)
          .map((v) => v.name),
      );
      const inputs = Object.fromEntries(Object.entries(call.inputs).filter(([k]) => required.has(k)));
      const root = path.join(base, `${name}-root`);
      fs.mkdirSync(path.join(root, "tests"), { recursive: true });
      fs.writeFileSync(
        path.join(root, "main.tf"),
        `provider "aws" {\n  region = "eu-west-1"\n}\n\n${renderModuleCall({ ...call, name: "alone", inputs }, `../modules/${name}`)}\n`,
      );
      // the point-in-time recovery check reads real tables: mocked as on
      const pitr = files[`${name}/main.tf`].includes('data "aws_dynamodb_table" "exported"')
        ? "override_data {\n  target = module.alone.data.aws_dynamodb_table.exported\n  values = { point_in_time_recovery = [{ enabled = true }] }\n}\n"
        : "";
      fs.writeFileSync(path.join(root, "tests", "alone.tftest.hcl"), `mock_provider "aws" {}\n${pitr}run "plan" {\n  command = plan\n}\n`);
    }
    for (const name of Object.keys(MODULES)) {
      const root = path.join(base, `${name}-root`);
      const init = await tfAsync(root, ["init", "-input=false", "-backend=false"]);
      const validate = init.status === 0 ? await tfAsync(root, ["validate"]) : init;
      results[name] = validate.status === 0 ? await tfAsync(root, ["test"]) : validate;
    }
  });
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  test.each(Object.keys(MODULES))("%s: in a fresh root with only its required inputs, it validates and plans", (name) => {
    expect([name, results[name].output]).toEqual([name, expect.stringMatching(/Success! 1 passed, 0 failed/)]);
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
    const base = fs.mkdtempSync(path.join(os.tmpdir(), "snowplow-iac-vendor-adopt-"));
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
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), "snowplow-iac-aws6-"));
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
