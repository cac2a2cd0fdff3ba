/** The vendor command's output: complete module folders, no provider or backend inside, deterministic, and true to the constructs' lists. */
import * as fs from "node:fs";
import * as path from "node:path";
import { INSTALLER_WILDCARD_ACKNOWLEDGEMENT } from "../modules/installer-group";
import { ACCOUNT_SERVICES, FLOW_SERVICES, GLOBAL_SERVICES } from "../modules/service-control-policy";
import { parseOutputs, parseVariables } from "../modules/vendor/readme";
import { MODULES, vendorFiles, writeVendor } from "../modules/vendor/vendor";
import { exampleConfig } from "./support/synth";
import { tempDir } from "./support/temp";

const files = vendorFiles(exampleConfig(), "config/example.json");

function hclList(text: string, local: string): string[] {
  const m = new RegExp(`^\\s*${local}\\s*=\\s*\\[([^\\]]*)\\]`, "m").exec(text);
  if (!m) throw new Error(`no list ${local}`);
  return [...m[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]).sort();
}

describe("npm run vendor", () => {
  test.each(Object.keys(MODULES))("module %s has the standard module structure and no provider or backend", (name) => {
    for (const f of ["main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"]) expect(files[`${name}/${f}`]).toBeDefined();
    expect(Object.keys(files).some((f) => f.startsWith(`${name}/tests/`) && f.endsWith(".tftest.hcl"))).toBe(true);
    const hcl = ["main.tf", "variables.tf", "outputs.tf", "versions.tf"].map((f) => files[`${name}/${f}`]).join("\n");
    expect(hcl).not.toMatch(/^provider\s+"aws"/m);
    expect(hcl).not.toMatch(/\bbackend\s+"/);
    expect(files[`${name}/versions.tf`]).toContain('version = ">= 5.100.0, < 7.0.0"');
  });

  test.each(Object.keys(MODULES))("module %s: every input and output has a description, and the README tables list them all", (name) => {
    const vars = parseVariables(files[`${name}/variables.tf`]);
    const outs = parseOutputs(files[`${name}/outputs.tf`]);
    expect(vars.length).toBeGreaterThan(2);
    expect(outs.length).toBeGreaterThan(1);
    for (const v of [...vars, ...outs]) expect([v.name, v.description.length > 10]).toEqual([v.name, true]);
    const readme = files[`${name}/README.md`];
    for (const v of vars) expect(readme).toContain(`| ${v.name} | `);
    for (const o of outs) expect(readme).toContain(`| ${o.name} | `);
    expect(readme).toMatch(/## Usage\n\n```hcl\nmodule "/);
  });

  test("policies are rendered from variables (jsonencode), never pasted as JSON", () => {
    for (const name of Object.keys(MODULES)) {
      const main = files[`${name}/main.tf`];
      expect([name, main.includes("jsonencode(")]).toEqual([name, true]);
      expect([name, /<<\s*EOF|"\{\\"Version/.test(main)]).toEqual([name, false]);
    }
  });

  test("the service lists in the HCL are the constructs' lists", () => {
    const scp = files["sub-account/main.tf"];
    expect(hclList(scp, "batch_services")).toEqual(Object.keys(FLOW_SERVICES.batch).sort());
    expect(hclList(scp, "real_time_services")).toEqual(Object.keys(FLOW_SERVICES.realTime).sort());
    expect(hclList(scp, "account_services")).toEqual(Object.keys(ACCOUNT_SERVICES).sort());
    expect(hclList(scp, "global_services")).toEqual([...GLOBAL_SERVICES].sort());
    const installer = fs.readFileSync(path.join(__dirname, "..", "modules", "installer-group.ts"), "utf8");
    const tsList = (n: string) => [...new RegExp(`const ${n} = \\[([^\\]]*)\\]`).exec(installer)![1].matchAll(/"([^"]+)"/g)].map((x) => x[1]).sort();
    expect(hclList(files["installer-group/main.tf"], "batch_services")).toEqual(tsList("BATCH_SERVICES"));
    expect(hclList(files["installer-group/main.tf"], "real_time_services")).toEqual(tsList("REAL_TIME_SERVICES"));
    expect(INSTALLER_WILDCARD_ACKNOWLEDGEMENT.reason).toContain("published installer policy");
  });

  test("re-running over the output changes nothing; a config change gives a small, reviewable diff", () => {
    const out = tempDir("vendor-unit");
    try {
      expect(writeVendor(out, files).changed.length).toBe(Object.keys(files).length);
      expect(writeVendor(out, vendorFiles(exampleConfig(), "config/example.json")).changed).toEqual([]);
      const renamed = vendorFiles(
        exampleConfig((c) => (c.backup.bucketName = "acme-backups-v2")),
        "config/example.json",
      );
      expect(writeVendor(out, renamed).changed.sort()).toEqual(["backup-bucket/README.md", "backup-writer/README.md", "example/main.tf"]);
      expect(fs.readFileSync(path.join(out, "example", "main.tf"), "utf8")).toContain('bucket_name = "acme-backups-v2"');
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test("an adopted member account is imported by the example root, never created; a created one has no import", () => {
    const adopted = vendorFiles(
      exampleConfig((c) => {
        c.accounts.snowplow.mode = "adopt";
      }),
      "config/example.json",
    )["example/main.tf"];
    expect(adopted).toContain('import {\n  to = module.snowplow_account.aws_organizations_account.this\n  id = "444455556666"\n}');
    expect(files["example/main.tf"]).not.toContain("import {");
  });

  test("point-in-time recovery enable reaches the vendored writer: the tables are managed and imported, not merely checked", () => {
    const enabled = vendorFiles(
      exampleConfig((c) => {
        const shop = c.accounts.sources.find((s: { name: string }) => s.name === "shop");
        shop.pointInTimeRecovery = "enable";
        shop.tableKeys = Object.fromEntries(shop.tables.map((t: string) => [t, { hashKey: { name: "id", type: "S" }, rangeKey: { name: "at", type: "N" } }]));
      }),
      "config/example.json",
    )["example/main.tf"];
    expect(enabled).toContain("enable_point_in_time_recovery = true");
    expect(enabled).toMatch(/orders = \{\s+hash_key = \{\s+name = "id"\s+type = "S"\s+\}\s+range_key = \{\s+name = "at"/);
    expect(enabled).toContain('import {\n  to = module.backup_writer_shop.aws_dynamodb_table.recovered["orders"]\n  id = "orders"\n}');
    expect(enabled).not.toMatch(/verify_point_in_time_recovery\s+= false/);
  });

  test("a part the vendored module cannot adopt whole stops the vendor with one line, naming it", () => {
    // an application with more streams than one managed policy holds: the synth splits its policy, the module cannot
    const config = exampleConfig((c) => {
      const many = Array.from({ length: 120 }, (_, i) => `acme-stream-with-a-long-name-${i}`);
      c.kinesis.streams.push(...many.map((name) => ({ name })));
      c.kinesis.applications[0].writes = many;
      c.adopt = { applications: [c.kinesis.applications[0].name] };
    });
    expect(() => vendorFiles(config, "config/example.json")).toThrow(
      /^vendor: snowplow-pipeline: aws_iam_policy\.\S+ \(snowplow-pipeline\/app-acme-collector\/policy_2\) is adopted, but the vendored kinesis-app module has no such resource/,
    );
  });

  test("every IAM user a module creates is force_destroy: deleting it (the seed's 'delete the installer') never fails on its own MFA device or access key", () => {
    const users = Object.entries(files)
      .filter(([n]) => n.endsWith("/main.tf"))
      .flatMap(([n, text]) => [...text.matchAll(/^resource "aws_iam_user" "(\w+)" \{\n([\s\S]*?)^\}/gm)].map((m) => [n, m[1], m[2]] as const));
    expect(users.map(([n, name]) => `${n} ${name}`).sort()).toEqual([
      "installer-group/main.tf installer",
      "kinesis-app/main.tf this",
      "operator-group/main.tf operator",
    ]);
    for (const [n, name, body] of users) expect([n, name, /^\s+force_destroy\s*=\s*true$/m.test(body)]).toEqual([n, name, true]);
  });

  test("each module's README says which addresses an adopting root imports, with the import ID of each", () => {
    expect(files["installer-group/README.md"]).toContain("`module.<name>.aws_iam_group_policy.self_service` (`<group>:<policy name>`)");
    expect(files["backup-writer/README.md"]).toContain('`module.<name>.aws_dynamodb_table.recovered["<table>"]` (the table name)');
    expect(files["backup-bucket/README.md"]).toContain("`module.<name>.aws_s3_bucket_policy.this` (the bucket name)");
  });
});
