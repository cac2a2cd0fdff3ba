/**
 * The differential property test (issue #19): seeded configs across the
 * schema, each synthesized and vendored; the vendored modules of all of them
 * planned offline in one root; per principal, the effective grants (identity,
 * trust, bucket, key and SCP documents, existence, memberships) of the two
 * outputs must be equal. A failing seed prints the config that reproduces it
 * (`npm run differential -- --seed N --count 1`).
 */
import * as fs from "node:fs";
import { compareGrants, coverage, generateConfig, generateInput, planVendored, synthGrants, vendoredGrants } from "../support/differential";
import { terraformBinary } from "../support/terraform";
import { tempDir } from "../support/temp";

jest.setTimeout(600_000);

// CI runs these seeds; `npm run differential -- --count 100` runs more
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

describe("synth and the vendored modules grant the same, config by seeded config", () => {
  const configs = SEEDS.map((seed) => ({ seed, ...generateConfig(seed) }));
  let plan: any;
  beforeAll(() => {
    terraformBinary();
    const dir = tempDir("differential");
    try {
      plan = planVendored(
        dir,
        configs.map((c) => c.config),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the seeds cover the schema's dimensions", () => {
    const c = coverage(SEEDS.map((s) => generateInput(s) as any));
    expect(c.partition).toEqual(["aws", "aws-cn", "aws-us-gov"]);
    expect(c.flow).toEqual(["batch", "both", "real-time"]);
    expect(c["operator level"]).toEqual(["compatible", "least-privilege"]);
    expect(c.runAs).toEqual(["ec2", "ecs", "eks"]);
    expect(c.kcl).toEqual(["1", "2", "3"]);
    expect(c.spark).toEqual(["launcher only", "none", "with nodes"]);
    expect(c["source method"]).toEqual(["data-pipeline", "native-export"]);
    expect(c.recovery).toEqual(expect.arrayContaining(["enable", "ignore", "verify"]));
    expect(c.backup).toEqual(expect.arrayContaining(["sse-kms organization", "sse-kms listed-accounts", "sse-s3 listed-accounts"]));
    expect(c["app user"]).toEqual(["false", "true"]);
  });

  test.each(SEEDS.map((s, i) => [s, i]))("seed %i: equal grants per principal", (seed, i) => {
    const synth = synthGrants(configs[i].config);
    const differences = compareGrants(synth, vendoredGrants(plan, i));
    // not vacuous: principals and grants on both sides
    expect(synth.size).toBeGreaterThan(1);
    if (differences.length > 0) {
      throw new Error(
        `seed ${seed}: ${differences.length} differences\n${differences.slice(0, 20).join("\n")}\nconfig:\n${JSON.stringify(configs[i].input, null, 2)}`,
      );
    }
  });
});
