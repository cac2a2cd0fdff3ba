/**
 * The review fails closed on every policy-bearing resource type of the AWS
 * provider: the list of such types and attributes is read from the provider's
 * own schema (`terraform providers schema -json`, hashicorp/aws 5.100.0), and
 * for each one a change of each attribute is either evaluated by the model or
 * makes the verdict "unknown".
 */
import * as fs from "node:fs";
import { EVALUATED, reviewPlan } from "../../modules/review/review";
import { IAM_BEARING_FILE, iamBearingFromSchema, providerSchema } from "../../scripts/iam-bearing";
import { terraformBinary } from "../support/terraform";

jest.setTimeout(300_000);

describe("policy-bearing types of the provider schema", () => {
  let schema: any;
  beforeAll(() => {
    terraformBinary();
    schema = providerSchema();
  });

  test("modules/review/iam-bearing.json is what the provider schema says (run: npm run iam-bearing)", () => {
    expect(JSON.parse(fs.readFileSync(IAM_BEARING_FILE, "utf8"))).toEqual(iamBearingFromSchema(schema));
  });

  test("a change of every policy-bearing attribute is evaluated or makes the verdict unknown", async () => {
    const { types } = iamBearingFromSchema(schema);
    const notHandled: string[] = [];
    for (const [type, attrs] of Object.entries(types)) {
      for (const attr of attrs) {
        if ((EVALUATED[type] ?? []).includes(attr)) continue;
        const r = await reviewPlan("s", {
          resource_changes: [{ address: `${type}.x`, type, change: { actions: ["update"], before: { [attr]: "before" }, after: { [attr]: "after" } } }],
        });
        if (r.verdict !== "unknown") notHandled.push(`${type}.${attr}: ${r.verdict}`);
      }
    }
    expect(notHandled).toEqual([]);
    expect(Object.keys(types).length).toBeGreaterThan(100);
  });

  test("another role behind every argument that names the role a workload runs as makes the verdict unknown", async () => {
    const { roleHolders } = iamBearingFromSchema(schema);
    // {a: [{b: value}]} for the path a.b: nested arguments sit in blocks, which plans hold as lists
    const at = (path: string[], value: string): Record<string, unknown> =>
      path.length === 1 ? { [path[0]]: value } : { [path[0]]: [at(path.slice(1), value)] };
    const notHandled: string[] = [];
    for (const [type, paths] of Object.entries(roleHolders)) {
      for (const p of paths) {
        const parts = p.split(".");
        const r = await reviewPlan("s", {
          resource_changes: [{ address: `${type}.x`, type, change: { actions: ["update"], before: at(parts, "role-a"), after: at(parts, "role-b") } }],
        });
        if (r.verdict !== "unknown") notHandled.push(`${type}.${p}: ${r.verdict}`);
      }
    }
    expect(notHandled).toEqual([]);
    expect(roleHolders.aws_lambda_function).toEqual(["role"]);
    expect(roleHolders.aws_ecs_task_definition).toEqual(["execution_role_arn", "task_role_arn"]);
    expect(roleHolders.aws_kinesis_firehose_delivery_stream).toContain("extended_s3_configuration.role_arn");
  });

  test("every type the model evaluates exists in the provider", () => {
    const all = new Set(iamBearingFromSchema(schema).allTypes);
    expect(Object.keys(EVALUATED).filter((t) => !all.has(t))).toEqual([]);
  });
});
