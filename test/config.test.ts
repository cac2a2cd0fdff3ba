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

  test("the schema: every field described, every pattern with a human message, an id, and $schema paths that resolve", () => {
    const schema = JSON.parse(renderConfigJsonSchema());
    expect(schema.$id).toBe("urn:snowplow-aws-iac:config:v1");
    const undescribed: string[] = [];
    const raw: string[] = [];
    const walk = (n: any, at: string): void => {
      if (n === null || typeof n !== "object") return;
      if (Array.isArray(n)) return n.forEach((x, i) => walk(x, `${at}/${i}`));
      for (const [k, v] of Object.entries<any>(n.properties ?? {})) {
        const described = v.description !== undefined || [...(v.anyOf ?? []), ...(v.oneOf ?? [])].some((x: any) => x.description !== undefined);
        if (!described) undescribed.push(`${at}.${k}`);
      }
      if (n.pattern !== undefined && (typeof n.patternErrorMessage !== "string" || n.patternErrorMessage.includes(n.pattern))) raw.push(at);
      for (const [k, v] of Object.entries(n)) walk(v, k === "properties" ? at : `${at}/${k}`);
    };
    walk(schema, "");
    expect(undescribed).toEqual([]);
    expect(raw).toEqual([]);
    // the example's $schema from config/, the README's advice for a config in the project folder
    expect(fs.existsSync(path.join(ROOT, "config", exampleInput().$schema))).toBe(true);
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const advised = /point its `"\$schema"` at\s+`([^`]+)`/.exec(readme)![1];
    expect(fs.existsSync(path.join(ROOT, advised))).toBe(true);
  });
});

describe("every problem in one round", () => {
  const fields = (mutate: (c: any) => void) => {
    const c = exampleInput();
    mutate(c);
    return problems(c);
  };

  test("a schema problem in one app does not hide cross-field problems in others", () => {
    const got = fields((c) => {
      c.kinesis.applications[0].runAs = "eks"; // cross-field: needs an eks block
      c.kinesis.applications[1].runAs = "eks";
      c.kinesis.applications[1].eks = { oidcProviderArn: "bad", namespace: "x", serviceAccount: "y" }; // schema
      c.kinesis.applications[2].reads = ["nope-stream"]; // cross-field: unknown stream
    });
    expect(got).toEqual(
      expect.arrayContaining(["kinesis.applications[1].eks.oidcProviderArn", "kinesis.applications[0].eks", "kinesis.applications[2].reads[0]"]),
    );
    // the app whose eks block was rejected is not also told it has none
    expect(got.filter((f) => f === "kinesis.applications[1].eks")).toEqual([]);
  });

  test("an element dropped for a schema problem keeps the others at their own positions, and causes nothing of its own", () => {
    const got = fields((c) => {
      c.kinesis.streams[0].name = "bad name!"; // schema: the stream is dropped; references to streams are then not judged
      c.kinesis.streams[1].kmsKeyArn = "not-an-arn"; // schema: only the key goes; apps writing the stream are fine
      c.kinesis.applications[0].nmae = "typo"; // schema (unknown key) in the first app
      c.kinesis.applications[2].writes = ["acme-enriched-bad", "acme-enriched-bad"]; // cross-field, after a dropped... nothing
      c.accounts.sources[0].name = "Bad Name"; // schema: the source is dropped
      c.accounts.sources.push({ ...c.accounts.sources[1] }); // cross-field: a duplicate of the second source, at index 2
    });
    expect(got).toEqual(
      expect.arrayContaining([
        "kinesis.streams[0].name",
        "kinesis.applications[0].nmae",
        "kinesis.applications[2].writes[1]",
        "accounts.sources[0].name",
        "accounts.sources[2].name",
        "accounts.sources[2].id",
      ]),
    );
    expect(got).toContain("kinesis.streams[1].kmsKeyArn");
    // a stream was dropped for its bad name: "unknown stream" findings are not sure, so none is said
    expect(got.filter((f) => /^kinesis\.applications\[\d\]\.(reads|writes|streams)\[\d\]$/.test(f) && f !== "kinesis.applications[2].writes[1]")).toEqual([]);
    // acme-raw-bad (streams[1]) is written by the collector: not "unknown"
    expect(got).not.toContain("kinesis.applications[0].writes[1]");
  });

  test.each<[string, (c: any) => void, string[]]>([
    ["a bad region", (c) => (c.region = "mars-1"), ["region"]],
    ["no management account", (c) => delete c.accounts.management, ["accounts.management"]],
    ["a company that is a number", (c) => (c.company = 7), ["company"]],
    ["accounts that are a number", (c) => (c.accounts = 7), ["accounts"]],
    ["an unknown flow", (c) => (c.pipeline.flow = "sideways"), ["pipeline.flow"]],
  ])("%s (a required part) does not hide the cross-field problems elsewhere", (_what, change, schemaFields) => {
    const got = fields((c) => {
      change(c);
      c.kinesis.applications[2].reads = ["nope"];
      c.kinesis.applications[0].runAs = "eks";
    });
    expect(got).toEqual([...schemaFields, "kinesis.applications[2].reads[0]", "kinesis.applications[0].eks"].sort((a, b) => got.indexOf(a) - got.indexOf(b)));
  });

  test("a required top-level part that is wrong: schema problems only, never a crash", () => {
    expect(fields((c) => (c.kinesis = { streams: "x", applications: [{ name: 5 }] }))).toEqual(
      expect.arrayContaining(["kinesis.streams", "kinesis.applications[0].name"]),
    );
  });
});

describe("adopting parts that exist", () => {
  const fields = (mutate: (c: any) => void) => {
    const c = exampleInput();
    mutate(c);
    return problems(c);
  };
  test("each adopted part must exist in the config, and an sse-kms bucket needs its key id", () => {
    expect(
      fields((c) => {
        c.pipeline.flow = "real-time";
        delete c.pipeline.buckets;
        delete c.spark;
        c.adopt = { applications: ["nope"], operator: true, sourceWriters: ["gone"], backupBucket: true, spark: true };
      }),
    ).toEqual(["adopt.applications[0]", "adopt.sourceWriters[0]", "adopt.operator", "adopt.spark", "adopt.backupKmsKeyId"]);
    expect(fields((c) => (c.adopt = { backupBucket: true, backupKmsKeyId: "1234abcd-12ab-34cd-56ef-1234567890ab", installer: true }))).toEqual([]);
  });
  test("an adopted member account gets no service control policy unless the config asks", () => {
    const adopted = (scp?: object) =>
      validateConfig(
        (() => {
          const c = exampleInput();
          c.accounts.snowplow.mode = "adopt";
          if (scp === undefined) delete c.organization.serviceControlPolicy;
          else c.organization.serviceControlPolicy = scp;
          return c;
        })(),
      ).organization.serviceControlPolicy.enabled;
    expect(adopted()).toBe(false);
    expect(adopted({ allowedRegions: ["eu-west-1"] })).toBe(false);
    expect(adopted({ enabled: true })).toBe(true);
    expect(validateConfig(exampleInput()).organization.serviceControlPolicy.enabled).toBe(true);
  });
});
