import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError } from "../modules/config/errors";
import { EXAMPLE_CONFIG, loadConfig, parseJson, validateConfig } from "../modules/config/load";
import { renderConfigJsonSchema } from "../modules/config/json-schema";
import { exampleInput, ROOT } from "./support/synth";

function problems(input: unknown): string[] {
  try {
    validateConfig(input, "test");
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => p.field);
    throw e;
  }
  return [];
}

function messages(input: unknown): string[] {
  try {
    validateConfig(input, "test");
  } catch (e) {
    if (e instanceof ConfigError) return e.lines();
    throw e;
  }
  return [];
}

describe("config", () => {
  test("the built-in example is valid and fills defaults", () => {
    const c = loadConfig(EXAMPLE_CONFIG);
    expect(c.company).toBe("acme");
    expect(c.pipeline.installer.userName).toBe("snowplow-setup");
    expect(c.pipeline.operator.level).toBe("least-privilege");
    expect(c.pipeline.buckets?.hostedAssets).toBeUndefined(); // derived from the region at synth, as EmrEtlRunner does
  });

  test("fails with one problem per mistake, each naming its field", () => {
    const c = exampleInput();
    c.company = "Acme";
    c.accounts.backup.id = "7777";
    c.accounts.snowplow.emial = "x@example.com";
    c.pipeline.buckets.log = "Acme..Logs";
    c.kinesis.streams[0].name = "raw*";
    expect(problems(c)).toEqual(
      expect.arrayContaining(["company", "accounts.backup.id", "accounts.snowplow.emial", "pipeline.buckets.log", "kinesis.streams[0].name"]),
    );
    expect(problems(c)).toHaveLength(5);
  });

  test("fails with the bad value and an accepted example in the message", () => {
    const c = exampleInput();
    c.accounts.management.id = "12345";
    const [, line] = messages(c);
    expect(line).toBe('  - accounts.management.id: expected exactly 12 digits, e.g. "111122223333"; got "12345"');
  });

  test("fails on unknown keys, suggesting the closest known key", () => {
    const c = exampleInput();
    c.pipeline.fase = "operate";
    expect(messages(c).join("\n")).toContain('pipeline.fase: unknown key (did you mean "phase"?)');
  });

  test("fails on a missing required field", () => {
    const c = exampleInput();
    delete c.accounts.snowplow.email;
    expect(messages(c).join("\n")).toContain("accounts.snowplow.email: missing");
  });

  test.each([
    ["source account equal to the backup account", (c: any) => (c.accounts.sources[0].id = c.accounts.backup.id), "accounts.sources[0].id"],
    ["application naming an unknown stream", (c: any) => (c.kinesis.applications[0].writes = ["nope"]), "kinesis.applications[0].writes[0]"],
    [
      "adopting an account without its id",
      (c: any) => {
        c.accounts.snowplow.mode = "adopt";
        delete c.accounts.snowplow.id;
      },
      "accounts.snowplow.id",
    ],
    ["kinesis apps in the batch flow", (c: any) => (c.pipeline.flow = "batch"), "pipeline.flow"],
    ["access key without a PGP key", (c: any) => (c.pipeline.operator.accessKey = true), "pipeline.operator.pgpKey"],
    ["duplicate stream names", (c: any) => c.kinesis.streams.push({ name: c.kinesis.streams[0].name }), "kinesis.streams[4].name"],
    ["native export without tables", (c: any) => (c.accounts.sources[0].tables = []), "accounts.sources[0].tables"],
    [
      "allowed regions without the account's region",
      (c: any) => (c.organization.serviceControlPolicy.allowedRegions = ["us-east-1"]),
      "organization.serviceControlPolicy.allowedRegions",
    ],
  ])("fails on %s", (_name, change, field) => {
    const c = exampleInput();
    change(c);
    expect(problems(c)).toEqual([field]);
  });

  test("fails on JSON that does not parse, giving line and column", () => {
    expect(() => parseJson('{\n  "company": "acme"\n  "region": "eu-west-1"\n}', "x.json")).toThrow(ConfigError);
    try {
      parseJson('{\n  "company": "acme"\n  "region": "eu-west-1"\n}', "x.json");
    } catch (e) {
      expect((e as ConfigError).lines()[1]).toMatch(/not valid JSON at line 3, column 3/);
    }
  });

  test("config/schema.json is the schema the code validates with (run npm run schema)", () => {
    expect(fs.readFileSync(path.join(ROOT, "config", "schema.json"), "utf8")).toBe(renderConfigJsonSchema());
    expect(exampleInput().$schema).toBe("./schema.json");
  });
});
