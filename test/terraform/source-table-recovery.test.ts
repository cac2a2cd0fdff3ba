/**
 * Point-in-time recovery of the source tables, under `terraform test` with a
 * mocked AWS provider: the verify mode's postcondition stops a plan when a
 * table has PITR off, and the enable mode imports a table and turns PITR on
 * without ever planning a replacement.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { buildApp } from "../../modules/stacks/app";
import { exampleConfig } from "../support/synth";
import { terraformBinary, tf, tfTest, tfTestFiles } from "../support/terraform";
import { tempDir } from "../support/temp";

jest.setTimeout(300_000);

function sourceShop(change?: (c: any) => void): string {
  const dir = tempDir("pitr");
  const outdir = path.join(dir, "cdktf.out");
  buildApp(exampleConfig(change), { outdir, projectDir: dir }).synth();
  const stack = path.join(outdir, "stacks", "source-shop");
  fs.mkdirSync(path.join(stack, "tests"));
  tf(stack, ["init", "-input=false", "-backend=false"]);
  return stack;
}

function writeTest(stack: string, name: string, hcl: string): string {
  fs.writeFileSync(path.join(stack, "tests", `${name}.tftest.hcl`), hcl);
  return `-filter=tests/${name}.tftest.hcl`;
}

const pitrData = (table: string, enabled: boolean) => `
  override_data {
    target = data.aws_dynamodb_table.pitr_${table}
    values = { point_in_time_recovery = [{ enabled = ${enabled}, recovery_period_in_days = ${enabled ? 35 : 0} }] }
  }`;

describe("source tables' point-in-time recovery (terraform test, mocked provider)", () => {
  beforeAll(() => terraformBinary());

  describe("verify (the default for native-export)", () => {
    // both cases in one terraform test run, read per file
    let r: ReturnType<typeof tfTestFiles>;
    beforeAll(() => {
      r = tfTestFiles(sourceShop(), {
        on: `mock_provider "aws" {${pitrData("orders", true)}${pitrData("customers", true)}\n}\nrun "plans" {\n  command = plan\n}\n`,
        off: `mock_provider "aws" {${pitrData("orders", false)}${pitrData("customers", true)}\n}\nrun "plans" {\n  command = plan\n}\n`,
      });
    });

    test("plans when every exported table has point-in-time recovery on", () => {
      expect(r.byFile.on.passed).toBe(true);
      expect(r.byFile.on.text).not.toContain("Error");
    });

    test("fails the plan, naming the table and the fix, when a table has it off", () => {
      expect(r.byFile.off.passed).toBe(false);
      expect(r.byFile.off.text).toContain("DynamoDB table orders has point-in-time recovery off");
      expect(r.byFile.off.text).toContain("update-continuous-backups --table-name orders");
      expect(r.byFile.off.text).not.toContain("DynamoDB table customers has");
      expect(r.output).toContain("Failure! 1 passed, 1 failed.");
    });
  });

  describe("enable", () => {
    let stack: string;
    beforeAll(
      () =>
        (stack = sourceShop((c) =>
          Object.assign(c.accounts.sources[0], {
            pointInTimeRecovery: "enable",
            tableKeys: {
              orders: { hashKey: { name: "order_id", type: "S" }, rangeKey: { name: "created", type: "N" } },
              customers: { hashKey: { name: "id", type: "S" } },
            },
          }),
        )),
    );

    // imports from a mock need an override_resource for the imported address
    const mock = `mock_provider "aws" {
  override_resource {
    target = aws_dynamodb_table.table_orders
  }
  override_resource {
    target = aws_dynamodb_table.table_customers
  }
}
`;

    test("imports each table and plans point-in-time recovery on", () => {
      const filter = writeTest(
        stack,
        "import",
        `${mock}run "imports" {
  command = plan
  assert {
    condition     = aws_dynamodb_table.table_orders.point_in_time_recovery[0].enabled && aws_dynamodb_table.table_customers.point_in_time_recovery[0].enabled
    error_message = "point-in-time recovery is not planned on"
  }
}
`,
      );
      const r = tfTest(stack, [filter, "-verbose"]);
      expect(r.output).toContain("1 passed, 0 failed");
      expect(r.output).toContain("aws_dynamodb_table.table_orders will be imported");
      expect(r.output).toMatch(/Plan: 2 to import, \d+ to add, 0 to change, 0 to destroy/);
      expect(r.status).toBe(0);
    });
    // A mocked import takes its state from the config, so a wrong key schema
    // cannot be simulated offline; test/source-table-recovery.test.ts asserts
    // the guard (prevent_destroy, key attributes not ignored) instead.
  });
});
