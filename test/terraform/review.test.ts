/**
 * The plan review on real plans: a base state as if the example config had
 * been applied (built from its offline plan), then a changed config planned
 * against it with the real terraform CLI, offline. Each case asserts the
 * verdict and the rows.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { reviewPlan, renderReview, type StackReview } from "../../modules/review/review";
import { buildApp } from "../../modules/stacks/app";
import { CLI, exampleConfig } from "../support/synth";
import { changes, OFFLINE_OVERRIDE, planTogether, stateFromPlan, terraformBinary, tf, tfAsync } from "../support/terraform";
import { tempDir } from "../support/temp";

jest.setTimeout(600_000);

const STACKS = ["management", "snowplow-pipeline", "backup"] as const;

/**
 * The review cases are written against single-purpose apps in the older
 * kind/streams form (which stays supported): a producer, a KCL 2 consumer with
 * fan-out, a second producer and a KCL 3 consumer.
 */
function singlePurposeApps(c: any) {
  c.kinesis.streams = [
    { name: "acme-raw-good" },
    { name: "acme-enriched-good", kmsKeyArn: "arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
    { name: "acme-bad" },
  ];
  c.kinesis.applications = [
    { name: "acme-collector", kind: "producer", streams: ["acme-raw-good", "acme-bad"], runAs: "ec2" },
    { name: "acme-enrich", kind: "consumer", streams: ["acme-raw-good"], kclVersion: 2, runAs: "ecs" },
    { name: "acme-enrich-writer", kind: "producer", streams: ["acme-enriched-good", "acme-bad"], runAs: "ecs" },
    { name: "acme-s3-loader", kind: "consumer", streams: ["acme-enriched-good"], kclVersion: 3, enhancedFanOut: true, runAs: "ec2", createLeaseTable: true },
  ];
}

function synth(change?: (c: any) => void, edit?: (stacksDir: string) => void): string {
  const dir = tempDir("review");
  buildApp(
    exampleConfig((c) => {
      singlePurposeApps(c);
      change?.(c);
    }),
    { outdir: path.join(dir, "cdktf.out"), projectDir: dir },
  ).synth();
  const stacks = path.join(dir, "cdktf.out", "stacks");
  edit?.(stacks);
  return stacks;
}

const rowsOf = (r: StackReview) =>
  r.policies.flatMap((p) => [...p.removed.map((s) => `- ${p.label} ${s.sid}`), ...p.added.map((s) => `+ ${p.label} ${s.sid}`)]);

describe("npm run review on real plans", () => {
  const states: Record<string, object> = {};
  const reviews: Record<string, StackReview> = {};
  const plans: Record<string, any> = {};

  // a plan of the base state per case; the plans run two at a time
  const liftGuards = (stacks: string) => {
    const file = path.join(stacks, "backup", "cdk.tf.json");
    const stack = JSON.parse(fs.readFileSync(file, "utf8"));
    for (const byName of Object.values<any>(stack.resource)) for (const r of Object.values<any>(byName)) delete r.lifecycle;
    fs.writeFileSync(file, JSON.stringify(stack, null, 2));
  };
  const removeTlsDeny = (stacks: string) => {
    const file = path.join(stacks, "backup", "cdk.tf.json");
    const stack = JSON.parse(fs.readFileSync(file, "utf8"));
    const policy = Object.values<any>(stack.resource.aws_s3_bucket_policy)[0];
    const doc = JSON.parse(policy.policy.replace(/\$\$\{/g, "${"));
    doc.Statement = doc.Statement.filter((s: any) => s.Sid !== "DenyInsecureTransport");
    policy.policy = JSON.stringify(doc, null, 2).replace(/\$\{/g, "$${");
    fs.writeFileSync(file, JSON.stringify(stack, null, 2));
  };
  const CASES: Record<string, [(typeof STACKS)[number], ((c: any) => void)?, ((stacksDir: string) => void)?]> = {
    "same management": ["management"],
    "same pipeline": ["snowplow-pipeline"],
    "same backup": ["backup"],
    "stream added": ["snowplow-pipeline", (c) => c.kinesis.applications[1].streams.push("acme-bad")],
    "stream removed": ["snowplow-pipeline", (c) => (c.kinesis.applications[0].streams = ["acme-raw-good"])],
    "actions removed": ["snowplow-pipeline", (c) => (c.kinesis.applications[1].kclVersion = 1)],
    wildcard: ["snowplow-pipeline", (c) => (c.pipeline.operator.level = "compatible")],
    // a hand edit of the synthesized policy, as a pull request could make
    "tls deny removed": ["backup", undefined, removeTlsDeny],
    operate: ["snowplow-pipeline", (c) => (c.pipeline.phase = "operate")],
    // prevent_destroy would stop this plan outright; the review is for the pull request that also
    // lifts the guard (or for vendored modules whose caller has none), so lift it here
    "bucket renamed": ["backup", (c) => (c.backup.bucketName = "acme-backups-v2"), liftGuards],
  };

  // the base stacks planned in one root, then every case against its base state in another (planTogether)
  beforeAll(async () => {
    terraformBinary();
    const base = synth();
    const planned = await planTogether(STACKS.map((stack) => ({ name: stack.replace(/-/g, "_"), dir: path.join(base, stack) })));
    for (const stack of STACKS) {
      const p = planned[stack.replace(/-/g, "_")];
      states[stack] = stateFromPlan(p.plan, p.dir);
    }
    const cases = Object.entries(CASES).map(([name, [stack, change, edit]], i) => ({
      name,
      stack,
      module: `case_${i}`,
      dir: path.join(synth(change, edit), stack),
    }));
    const together = await planTogether(cases.map((c) => ({ name: c.module, dir: c.dir, state: states[c.stack] as { resources: any[] } })));
    for (const c of cases) {
      plans[c.name] = together[c.module].plan;
      reviews[c.name] = await reviewPlan(c.stack, plans[c.name]);
    }
  });

  test("the same config: unchanged", () => {
    for (const stack of ["management", "pipeline", "backup"]) {
      const r = reviews[`same ${stack}`];
      expect([stack, r.verdict, r.policies, r.links, r.dataWarnings, r.counts]).toEqual([
        stack,
        "unchanged",
        [],
        [],
        [],
        { create: 0, update: 0, replace: 0, destroy: 0 },
      ]);
    }
  });

  test("a new stream for a consumer: broadening, with the new stream in the rows", () => {
    const r = reviews["stream added"];
    expect(r.verdict).toBe("broadening");
    const p = r.policies.find((x) => x.label === "managed policy `acme-enrich-kinesis-consumer`")!;
    expect(p.removed.map((s) => s.sid).sort()).toEqual(["ReadStreams", "ReadWithFanOut", "RegisterFanOutConsumer"]);
    expect(p.added.find((s) => s.sid === "ReadStreams")!.resources).toContain("arn:aws:kinesis:eu-west-1:444455556666:stream/acme-bad");
    expect(p.broadening).toContain("allows kinesis:GetRecords on arn:aws:kinesis:eu-west-1:444455556666:stream/acme-bad (ReadStreams)");
    // per principal: the consumer's role gains the new stream, nothing else changes hands
    expect(r.access.map((a) => a.who)).toEqual(["role acme-enrich"]);
    expect(r.access[0].gains).toContain("allows kinesis:GetRecords on arn:aws:kinesis:eu-west-1:444455556666:stream/acme-bad (ReadStreams)");
    expect(r.unknown).toEqual([]);
    expect(r.policies).toHaveLength(1);
    expect(r.links).toEqual([]);
  });

  test("a stream removed from a producer: narrowing", () => {
    const r = reviews["stream removed"];
    expect(r.verdict).toBe("narrowing");
    expect(rowsOf(r)).toEqual([
      "- managed policy `acme-collector-kinesis-producer` WriteStreams",
      "+ managed policy `acme-collector-kinesis-producer` WriteStreams",
    ]);
    expect(r.policies[0].broadening).toEqual([]);
  });

  test("actions removed (a consumer back to KCL 1, without fan-out): narrowing", () => {
    const r = reviews["actions removed"];
    expect(r.verdict).toBe("narrowing");
    expect(rowsOf(r)).toEqual(
      expect.arrayContaining([
        "- managed policy `acme-enrich-kinesis-consumer` RegisterFanOutConsumer",
        "- managed policy `acme-enrich-kinesis-consumer` ReadWithFanOut",
        "+ managed policy `acme-enrich-kinesis-consumer` ReadStreams",
      ]),
    );
    expect(rowsOf(r).filter((x) => x.startsWith("+"))).toEqual(["+ managed policy `acme-enrich-kinesis-consumer` ReadStreams"]);
  });

  test("a wildcard introduced (the operator moved to Snowplow's published policy): broadening", () => {
    const r = reviews.wildcard;
    expect(r.verdict).toBe("broadening");
    const p = r.policies.find((x) => x.label === "managed policy `snowplow-policy-operate-datapipeline`")!;
    expect(p.added.map((s) => s.sid)).toEqual(["SnowplowPublishedOperatorPolicy"]);
    expect(p.added[0].actions).toContain("s3:*");
    expect(p.broadening).toEqual(
      expect.arrayContaining(["allows s3:* on * (SnowplowPublishedOperatorPolicy)", "allows iam:PassRole on * (SnowplowPublishedOperatorPolicy)"]),
    );
    expect(r.access.find((a) => a.who === "user snowplow-operator")!.gains).toContain("allows s3:* on * (SnowplowPublishedOperatorPolicy)");
  });

  test("the TLS deny removed from the bucket policy: broadening", () => {
    const r = reviews["tls deny removed"];
    expect(r.verdict).toBe("broadening");
    expect(rowsOf(r)).toEqual(["- bucket policy `acme-dynamodb-backups` DenyInsecureTransport"]);
    expect(r.policies[0].broadening).toEqual(
      expect.arrayContaining([
        "no longer denies s3:* on arn:aws:s3:::acme-dynamodb-backups/* to AWS:* when Bool aws:securetransport false (DenyInsecureTransport)",
      ]),
    );
  });

  test("the installer moved from install to operate: narrowing (its membership goes)", () => {
    const r = reviews.operate;
    expect(r.verdict).toBe("narrowing");
    expect(r.policies).toEqual([]);
    expect(r.links).toEqual([{ sign: "-", text: expect.stringMatching(/^user group membership: snowplow-setup ← snowplow-setup/) }]);
    // it loses the group's grants, and the group's MFA Deny with them
    expect(r.access.map((a) => [a.who, a.gains.length > 0])).toEqual([["user snowplow-setup", false]]);
  });

  test("a bucket replacement: a loud data-loss warning", () => {
    const r = reviews["bucket renamed"];
    expect(r.dataWarnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/^a bucket would be REPLACED \(destroyed, then created empty\): `aws_s3_bucket\./)]),
    );
    const md = renderReview([r]);
    expect(md).toContain("> [!CAUTION]\n> **Data loss.**");
    expect(r.counts.replace).toBeGreaterThan(0);
  });

  test("the command: exit 3 on broadening unless --allow-broadening, 0 on narrowing; Markdown on stdout", () => {
    const dir = tempDir("review-cli");
    const broad = path.join(dir, "broad.json");
    const narrow = path.join(dir, "narrow.json");
    fs.writeFileSync(broad, JSON.stringify(plans["stream added"]));
    fs.writeFileSync(narrow, JSON.stringify(plans["stream removed"]));
    // npm run review, as package.json runs it
    const run = (...args: string[]) => spawnSync(process.execPath, [CLI, "review", ...args], { encoding: "utf8" });
    const b = run("--plan", `snowplow-pipeline=${broad}`);
    expect(b.status).toBe(3);
    expect(b.stdout).toContain("# IAM and data review: broadening");
    expect(b.stdout).toContain("| + | Allow | `kinesis:DescribeStream`");
    expect(b.stderr).toContain("a reviewer must approve");
    expect(run("--plan", `snowplow-pipeline=${broad}`, "--allow-broadening").status).toBe(0);
    const n = run("--plan", `snowplow-pipeline=${narrow}`, "--out", path.join(dir, "review.md"));
    expect(n.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, "review.md"), "utf8")).toContain("# IAM and data review: narrowing");
    expect(run("--plan", path.join(dir, "missing.json")).status).toBe(1);
    // JSON and SARIF carry the same verdict and the principal who gains
    const j = JSON.parse(run("--plan", `snowplow-pipeline=${broad}`, "--format", "json", "--allow-broadening").stdout);
    expect(j.verdict).toBe("broadening");
    expect(j.stacks[0].access[0].who).toBe("role acme-enrich");
    const sarif = JSON.parse(run("--plan", `snowplow-pipeline=${broad}`, "--format", "sarif", "--allow-broadening").stdout);
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0].results.filter((x: any) => x.ruleId === "iam-broadening").length).toBeGreaterThan(0);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(broad);
    expect(run("--plan", `snowplow-pipeline=${broad}`, "--format", "yaml").status).toBe(2); // a command-line mistake
  });

  test("docs/sample-review.md is the review of the stream-added and bucket-renamed cases", () => {
    const sample = renderReview([reviews["stream added"], reviews["bucket renamed"]]);
    const file = path.join(__dirname, "..", "..", "docs", "sample-review.md");
    if (process.env.SNOWPLOW_IAC_WRITE_SAMPLES === "1") fs.writeFileSync(file, sample);
    expect(fs.readFileSync(file, "utf8")).toBe(sample);
  });
});

/**
 * Terraform (1.11 here) writes the plan file even when planning stops on an
 * error, marked errored: the changes it lists are only part of the change. Here
 * the part listed (a log group) grants nothing, and the policy attachment that
 * would grant s3:* is missing: read alone, the list is "unchanged". The review
 * must say unknown. The same plan also holds a resource with a provisioner,
 * whose command the plan's configuration shows only by its type.
 */
test("a plan terraform wrote although it errored: unknown, exit 3, never unchanged", async () => {
  terraformBinary();
  const dir = tempDir("review-errored");
  fs.writeFileSync(
    path.join(dir, "main.tf.json"),
    JSON.stringify({
      terraform: { required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } } },
      provider: { aws: { ...OFFLINE_OVERRIDE.provider.aws, region: "eu-west-1" } },
      resource: {
        aws_cloudwatch_log_group: { logs: { name: "acme-logs" } },
        // a command run at apply time (not at plan time): the plan's configuration shows only its type
        terraform_data: { hook: { input: "x", provisioner: [{ "local-exec": { command: "true" } }] } },
        aws_iam_role_policy_attachment: {
          s3_full: {
            role: "acme-enrich",
            policy_arn: "arn:aws:iam::aws:policy/AmazonS3FullAccess",
            lifecycle: { precondition: [{ condition: "${length(aws_cloudwatch_log_group.logs.name) > 99}", error_message: "stops the plan" }] },
          },
        },
      },
    }),
  );
  expect((await tfAsync(dir, ["init", "-input=false", "-backend=false"])).status).toBe(0);
  const plan = await tfAsync(dir, ["plan", "-input=false", "-refresh=false", "-lock=false", "-out=plan.bin"]);
  expect(plan.status).toBe(1);
  expect(plan.output).toContain("Resource precondition failed");
  const json = JSON.parse(tf(dir, ["show", "-json", "plan.bin"]));
  // what terraform wrote: errored, incomplete, the log group and the hook listed, the attachment not
  expect([json.errored, json.complete]).toEqual([true, false]);
  expect(changes(json)).toEqual({ "aws_cloudwatch_log_group.logs": ["create"], "terraform_data.hook": ["create"] });
  const r = await reviewPlan("errored", json);
  expect(r.verdict).toBe("unknown");
  expect(r.unknown).toEqual([
    "the plan errored: terraform stopped on an error, so the changes it lists are only part of the change; fix the error and plan again",
    "terraform_data.hook: is created with provisioners (local-exec): commands run at apply time can do anything the apply's credentials allow, which no plan shows",
  ]);
  // the command: exit 3 (treated like broadening) unless a reviewer passes --allow-unknown
  const file = path.join(dir, "plan.json");
  fs.writeFileSync(file, JSON.stringify(json));
  const cli = spawnSync(process.execPath, [CLI, "review", "--plan", `errored=${file}`], { encoding: "utf8" });
  expect(cli.status).toBe(3);
  expect(cli.stdout.split("\n")[0]).toBe("# IAM and data review: unknown");
});
