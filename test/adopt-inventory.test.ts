/**
 * From an inventory to adoption (issue #14): fixture dumps in the real format
 * of `aws iam get-account-authorization-details` (a faithful seed install, one
 * with older names and the API's URL-encoded documents, one with extra grants
 * made by hand, one with nothing to adopt), the adopt block and the access
 * change report each produces, and bad inventories refused in one line each
 * with nothing written.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { runAdopt } from "../scripts/adopt";
import { runSynth } from "../modules/stacks/cli";
import { exampleInput } from "./support/synth";
import { tempDir } from "./support/temp";

jest.setTimeout(120_000);
const FIX = path.join(__dirname, "fixtures", "inventory");

describe("npm run adopt", () => {
  let dir: string;
  const lines: string[] = [];
  let data = "";
  const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l), data: (t: string) => (data += t) };
  beforeEach(() => {
    dir = tempDir("inventory");
    lines.length = 0;
    data = "";
    const c = exampleInput();
    delete c.$schema;
    c.iam.path = "/"; // where a hand-built install lives
    fs.writeFileSync(path.join(dir, "adopt-config.json"), JSON.stringify(c));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const run = (fixture: string, ...extra: string[]) =>
    runAdopt(["--from", path.join(FIX, fixture), "--config", "adopt-config.json", "--out", "adopt.json", "--report", "report.md", ...extra], {}, dir, io);

  test("the adopt block and the report are written together or not at all: a report that cannot be written keeps the old adopt.json", async () => {
    fs.writeFileSync(path.join(dir, "adopt.json"), "old\n");
    const code = await runAdopt(
      ["--from", path.join(FIX, "seed-install.json"), "--config", "adopt-config.json", "--out", "adopt.json", "--report", "missing/report.md"],
      {},
      dir,
      io,
    );
    expect(code).toBe(1);
    expect(lines.filter((l) => l.startsWith("error:"))).toEqual([
      `error: cannot write ${path.join(dir, "missing", "report.md")}: its folder does not exist; create it first; nothing was written`,
    ]);
    expect(fs.readFileSync(path.join(dir, "adopt.json"), "utf8")).toBe("old\n");
    expect(fs.readdirSync(dir).sort()).toEqual(["adopt-config.json", "adopt.json"]);
  });

  test("a faithful seed install: the adopt block, and the hand-checked report row by row", async () => {
    expect(await run("seed-install.json")).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "adopt.json"), "utf8"))).toEqual({
      adopt: {
        installer: true,
        operator: true,
        applications: ["acme-enrich"],
        spark: false,
        except: [
          "snowplow-setup:snowplow-policy-setup-infrastructure",
          "snowplow-setup:snowplow-self-service",
          "snowplow-data-pipeline:snowplow-self-service",
          "arn:aws:iam::444455556666:policy/acme-enrich-kinesis-app",
          "acme-enrich/arn:aws:iam::444455556666:policy/acme-enrich-kinesis-app",
        ],
      },
    });
    const report = fs.readFileSync(path.join(dir, "report.md"), "utf8").split("\n");
    const expected = fs.readFileSync(path.join(FIX, "seed-install.report.md"), "utf8").split("\n");
    expect(report).toEqual(expected);
    // Snowplow's published "*" operator policy: exactly what least privilege removes
    const text = report.join("\n");
    expect(text).toContain("## user snowplow-operator\n\nLoses (6):\n\n- no longer allows elasticmapreduce:* on *\n- no longer allows s3:* on *");
  });

  test("with the adopt block, synth imports the existing objects and creates the rest", async () => {
    expect(await run("seed-install.json")).toBe(0);
    const c = JSON.parse(fs.readFileSync(path.join(dir, "adopt-config.json"), "utf8"));
    c.adopt = JSON.parse(fs.readFileSync(path.join(dir, "adopt.json"), "utf8")).adopt;
    fs.writeFileSync(path.join(dir, "adopted.json"), JSON.stringify(c));
    expect(await runSynth({ argv: ["--config", "adopted.json"], env: {}, cwd: dir, log: () => undefined, out: () => undefined })).toBe(0);
    const stack = JSON.parse(fs.readFileSync(path.join(dir, "cdktf.out", "stacks", "snowplow-pipeline", "cdk.tf.json"), "utf8"));
    expect(stack.import.map((i: any) => i.id).sort()).toEqual(
      [
        "snowplow-setup",
        "snowplow-setup",
        "snowplow-setup/snowplow-setup",
        "snowplow-data-pipeline",
        "snowplow-operator",
        "snowplow-operator/snowplow-data-pipeline",
        "arn:aws:iam::444455556666:policy/snowplow-policy-operate-datapipeline",
        "snowplow-data-pipeline/arn:aws:iam::444455556666:policy/snowplow-policy-operate-datapipeline",
        "acme-enrich",
      ].sort(),
    );
  });

  test("older names and URL-encoded documents: what matches is adopted, what does not says how", async () => {
    expect(await run("renamed-install.json")).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "adopt.json"), "utf8")).adopt).toMatchObject({ installer: false, operator: false, applications: [] });
    expect(fs.readFileSync(path.join(dir, "report.md"), "utf8")).toContain(
      "- group snowplow-data-pipeline exists with member emr-runner, but pipeline.operator.userName is snowplow-operator: set pipeline.operator.userName to adopt the existing user",
    );
    // with the older names in the config, both are adopted; the operator's policy, inline on its group there, is adopted inline
    const c = JSON.parse(fs.readFileSync(path.join(dir, "adopt-config.json"), "utf8"));
    c.pipeline.installer = { groupName: "snowplow-installers" };
    c.pipeline.operator = { userName: "emr-runner" };
    fs.writeFileSync(path.join(dir, "adopt-config.json"), JSON.stringify(c));
    expect(await run("renamed-install.json")).toBe(0);
    const adopt = JSON.parse(fs.readFileSync(path.join(dir, "adopt.json"), "utf8")).adopt;
    expect(adopt).toMatchObject({
      installer: true,
      operator: true,
      inlinePolicies: [{ group: "snowplow-data-pipeline", policy: "snowplow-policy-operate-datapipeline" }],
    });
    // neither the managed policy nor its attachment is "created": the inline one is imported and narrowed in place
    expect(adopt.except.filter((id: string) => id.includes("snowplow-policy-operate-datapipeline"))).toEqual([]);
    const report = fs.readFileSync(path.join(dir, "report.md"), "utf8");
    expect(report).not.toContain("keeps its inline policy snowplow-policy-operate-datapipeline");
    expect(report).toContain(
      "- group snowplow-data-pipeline holds snowplow-policy-operate-datapipeline as an inline policy: adopted inline (adopt.inlinePolicies), narrowed in place",
    );
    expect(report).toContain("## user emr-runner\n\nLoses (6):\n\n- no longer allows elasticmapreduce:* on *");
    // synth with that block: the inline policy is imported as group:policy, and no managed policy is made beside it
    c.adopt = adopt;
    fs.writeFileSync(path.join(dir, "adopted.json"), JSON.stringify(c));
    expect(await runSynth({ argv: ["--config", "adopted.json"], env: {}, cwd: dir, log: () => undefined, out: () => undefined })).toBe(0);
    const stack = JSON.parse(fs.readFileSync(path.join(dir, "cdktf.out", "stacks", "snowplow-pipeline", "cdk.tf.json"), "utf8"));
    expect(stack.import.map((i: any) => i.id)).toContain("snowplow-data-pipeline:snowplow-policy-operate-datapipeline");
    expect(Object.values(stack.resource.aws_iam_policy ?? {}).map((p: any) => p.name)).not.toContain("snowplow-policy-operate-datapipeline");
    expect(report).toContain("## group snowplow-installers");
  });

  test("extra grants made by hand: the report says they stay until deleted", async () => {
    expect(await run("extra-grants.json")).toBe(0);
    expect(fs.readFileSync(path.join(dir, "report.md"), "utf8")).toContain(
      "- user snowplow-operator keeps its inline policy debug-everything, which the stacks do not manage: delete it after apply to narrow",
    );
  });

  test("an adopted account with the SCP asked for: the report lists what its principals use that the SCP denies", async () => {
    const c = JSON.parse(fs.readFileSync(path.join(dir, "adopt-config.json"), "utf8"));
    c.accounts.snowplow.mode = "adopt";
    c.organization.serviceControlPolicy = { enabled: true };
    fs.writeFileSync(path.join(dir, "adopt-config.json"), JSON.stringify(c));
    expect(await run("extra-grants.json")).toBe(0);
    const report = fs.readFileSync(path.join(dir, "report.md"), "utf8");
    expect(report).toContain("## Services the service control policy would deny");
    expect(report).toContain("- user snowplow-operator: * (every service)");
    // without asking, an adopted account gets no SCP, and no such section
    c.organization.serviceControlPolicy = {};
    fs.writeFileSync(path.join(dir, "adopt-config.json"), JSON.stringify(c));
    expect(await run("extra-grants.json")).toBe(0);
    expect(fs.readFileSync(path.join(dir, "report.md"), "utf8")).not.toContain("would deny");
  });

  test("the backup bucket's policy (aws s3api get-bucket-policy): adopted, and its change judged", async () => {
    expect(await run("seed-install.json", "--bucket-policy", path.join(FIX, "bucket-policy.json"))).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "adopt.json"), "utf8")).adopt.backupBucket).toBe(true);
    const report = fs.readFileSync(path.join(dir, "report.md"), "utf8");
    expect(report).toContain("## bucket policy of `acme-dynamodb-backups`");
    expect(report).toContain("- no longer allows s3:* on arn:aws:s3:::acme-dynamodb-backups/* to AWS:arn:aws:iam::123456789012:root (AllowSources)");
    expect(report).toContain("backup bucket: sse-kms needs adopt.backupKmsKeyId");
    // another bucket's policy: one line, nothing written
    fs.writeFileSync(
      path.join(dir, "other.json"),
      fs.readFileSync(path.join(FIX, "bucket-policy.json"), "utf8").replace(/acme-dynamodb-backups/g, "someone-else"),
    );
    fs.rmSync(path.join(dir, "adopt.json"));
    fs.rmSync(path.join(dir, "report.md"));
    lines.length = 0;
    expect(await run("seed-install.json", "--bucket-policy", "other.json")).toBe(1);
    expect(lines.filter((l) => l.startsWith("  - "))).toEqual([
      "  - (file): is the policy of bucket someone-else, but backup.bucketName is acme-dynamodb-backups",
    ]);
    expect(fs.existsSync(path.join(dir, "adopt.json"))).toBe(false);
  });

  test("nothing to adopt", async () => {
    expect(await run("nothing.json")).toBe(0);
    expect(fs.readFileSync(path.join(dir, "report.md"), "utf8")).toContain("Nothing in the inventory matches the config: nothing to adopt.");
  });

  test.each([
    ["not JSON", "{ UserDetailList: ", /not JSON/],
    ["another shape", '{"Users": []}', /is not the output of aws iam get-account-authorization-details/],
    ["one page of several", '{"UserDetailList": [], "IsTruncated": true, "Marker": "abc"}', /IsTruncated: the dump is one page of several/],
    [
      "another account's dump",
      JSON.stringify({ UserDetailList: [{ UserName: "x", Arn: "arn:aws:iam::999999999999:user/x", Path: "/", GroupList: [] }] }),
      /is the inventory of account 999999999999, but accounts\.snowplow\.id is 444455556666/,
    ],
    [
      "a policy document that is not one",
      JSON.stringify({
        GroupDetailList: [{ GroupName: "g", Arn: "arn:aws:iam::444455556666:group/g", GroupPolicyList: [{ PolicyName: "p", PolicyDocument: "%7Bbroken" }] }],
      }),
      /GroupDetailList\[0\]\.GroupPolicyList\[0\]\.PolicyDocument: not a policy document/,
    ],
  ])("a bad inventory (%s): one line, exit 1, nothing written", async (_what, text, message) => {
    fs.writeFileSync(path.join(dir, "bad.json"), text);
    const code = await runAdopt(["--from", "bad.json", "--config", "adopt-config.json", "--out", "adopt.json", "--report", "report.md"], {}, dir, io);
    expect(code).toBe(1);
    const problems = lines.filter((l) => l.startsWith("  - "));
    expect(problems).toEqual([expect.stringMatching(message)]);
    expect(fs.readdirSync(dir).sort()).toEqual(["adopt-config.json", "bad.json"]);
  });
});

describe("adopt.inlinePolicies: a policy that exists inline on its principal", () => {
  let dir: string;
  const lines: string[] = [];
  beforeEach(() => {
    dir = tempDir("inline");
    lines.length = 0;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const synth = (change: (c: any) => void) => {
    const c = exampleInput();
    change(c);
    fs.writeFileSync(path.join(dir, "c.json"), JSON.stringify(c));
    return runSynth({ argv: ["--config", "c.json"], env: {}, cwd: dir, log: (l) => lines.push(l), out: () => undefined });
  };
  const operatorInline = { group: "snowplow-data-pipeline", policy: "snowplow-policy-operate-datapipeline" };

  test("becomes that inline policy, imported as <principal>:<policy>; the output of its ARN goes, said plainly", async () => {
    expect(
      await synth(
        (c) =>
          (c.adopt = {
            operator: true,
            applications: ["acme-enrich"],
            inlinePolicies: [operatorInline, { role: "acme-enrich", policy: "acme-enrich-kinesis-app" }],
          }),
      ),
    ).toBe(0);
    const stack = JSON.parse(fs.readFileSync(path.join(dir, "cdktf.out", "stacks", "snowplow-pipeline", "cdk.tf.json"), "utf8"));
    const ids = stack.import.map((i: any) => i.id);
    expect(ids).toEqual(expect.arrayContaining(["snowplow-data-pipeline:snowplow-policy-operate-datapipeline", "acme-enrich:acme-enrich-kinesis-app"]));
    expect(ids.some((id: string) => id.includes(":policy/snowplow-policy-operate-datapipeline") || id.includes(":policy/acme-enrich-kinesis-app"))).toBe(false);
    const inline = Object.values(stack.resource.aws_iam_role_policy).find((p: any) => p.name === "acme-enrich-kinesis-app") as any;
    expect(JSON.parse(inline.policy).Statement.length).toBeGreaterThan(0);
    expect(stack.output?.operator_policy_arn).toBeUndefined();
    // the access report says what the stacks now make: an inline policy
    const report = fs.readFileSync(path.join(dir, "cdktf.out", "access-report.md"), "utf8");
    expect(report).toContain("**inline policy `snowplow-policy-operate-datapipeline`**");
    expect(report).not.toContain("**managed policy `snowplow-policy-operate-datapipeline`**");
    expect(lines).toContain(
      "notice: snowplow-pipeline: output operator_policy_arn is dropped: snowplow-policy-operate-datapipeline is adopted as snowplow-data-pipeline's inline policy, which has no ARN",
    );
  });

  test("an entry no adopted part builds, or one whose part is not adopted: one line each, nothing written", async () => {
    expect(await synth((c) => (c.adopt = { operator: true, inlinePolicies: [operatorInline, { role: "nope", policy: "x" }] }))).toBe(1);
    expect(lines.filter((l) => l.startsWith("error:"))).toEqual([
      "error: adopt.inlinePolicies[1]: no adopted part attaches a policy x to role nope; name a policy the stacks attach to that role in a part marked under adopt (e.g. the operator's snowplow-policy-operate-datapipeline), or remove the entry",
    ]);
    lines.length = 0;
    expect(await synth((c) => (c.adopt = { inlinePolicies: [operatorInline] }))).toBe(1);
    expect(lines).toEqual([
      expect.stringMatching(/^error: adopt\.inlinePolicies\[0\]: no adopted part attaches a policy snowplow-policy-operate-datapipeline/),
    ]);
    expect(fs.existsSync(path.join(dir, "cdktf.out"))).toBe(false);
  });

  test("over AWS's quota for a principal's inline policies: refused, naming the fix", async () => {
    expect(
      await synth((c) => {
        c.pipeline.operator = { ...c.pipeline.operator, legacyFileMoves: true, snsMonitoring: true };
        c.adopt = { operator: true, inlinePolicies: [operatorInline] };
      }),
    ).toBe(1);
    expect(lines.filter((l) => l.startsWith("error:"))).toEqual([
      expect.stringMatching(
        /^error: snowplow-pipeline: group snowplow-data-pipeline's inline policies would total about \d+ characters .* over AWS's 5120-character quota; drop it from adopt\.inlinePolicies/,
      ),
    ]);
  });

  test("the vendored modules build managed policies only: vendoring such a config is refused in one line", async () => {
    const { vendorFiles } = await import("../modules/vendor/vendor");
    const { validateConfig } = await import("../modules/config/load");
    const c = exampleInput();
    c.adopt = { operator: true, inlinePolicies: [operatorInline] };
    expect(() => vendorFiles(validateConfig(c, "c.json"), "c.json")).toThrow(
      /^vendor: adopt\.inlinePolicies: the vendored modules build managed policies only/,
    );
  });
});

describe("the adopted parts of a config", () => {
  test("are worked out once per config, though every stack asks (per stack, 5,000 adopted writers made adoption quadratic)", async () => {
    const { adoptedPaths } = await import("../modules/stacks/adopt");
    const { validateConfig } = await import("../modules/config/load");
    const c = exampleInput();
    c.adopt = { sourceWriters: c.accounts.sources.map((s: { name: string }) => s.name) };
    const config = validateConfig(c, "c.json");
    const first = adoptedPaths(config);
    expect(adoptedPaths(config)).toBe(first);
    expect(first["source-shop"]).toEqual(["source-shop/backup_writer"]);
    // another config is worked out on its own
    expect(adoptedPaths(validateConfig(exampleInput(), "c.json"))).toEqual({});
  });
});
