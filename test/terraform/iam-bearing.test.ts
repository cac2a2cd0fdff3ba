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

  test("every type the model evaluates exists in the provider", () => {
    const all = new Set(iamBearingFromSchema(schema).allTypes);
    expect(Object.keys(EVALUATED).filter((t) => !all.has(t))).toEqual([]);
  });
});
