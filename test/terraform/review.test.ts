/**
 * The plan review on real plans: a base state as if the example config had
 * been applied (built from its offline plan), then a changed config planned
 * against it with the real terraform CLI, offline. Each case asserts the
 * verdict and the rows.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { reviewPlan, renderReview, type StackReview } from "../../modules/review/review";
import { buildApp } from "../../modules/stacks/app";
import { exampleConfig } from "../support/synth";
import { initValidatePlan, planFromState, stateFromPlan, terraformBinary } from "../support/terraform";

jest.setTimeout(600_000);

const STACKS = ["management", "snowplow-pipeline", "backup"] as const;

function synth(change?: (c: any) => void, edit?: (stacksDir: string) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snowplow-iac-review-"));
  buildApp(exampleConfig(change), { outdir: path.join(dir, "cdktf.out"), projectDir: dir }).synth();
  const stacks = path.join(dir, "cdktf.out", "stacks");
  edit?.(stacks);
  return stacks;
}

const rowsOf = (r: StackReview) => r.policies.flatMap((p) => [...p.removed.map((s) => `- ${p.label} ${s.sid}`), ...p.added.map((s) => `+ ${p.label} ${s.sid}`)]);

describe("npm run review on real plans", () => {
  const states: Record<string, object> = {};

  beforeAll(() => {
    terraformBinary();
    const base = synth();
    for (const stack of STACKS) {
      const planned = initValidatePlan(path.join(base, stack));
      states[stack] = stateFromPlan(planned.plan, planned.dir);
    }
  });

  async function reviewChange(stack: (typeof STACKS)[number], change?: (c: any) => void, edit?: (stacksDir: string) => void): Promise<StackReview> {
    const plan = planFromState(path.join(synth(change, edit), stack), states[stack]);
    return reviewPlan(stack, plan);
  }

  test("the same config: unchanged", async () => {
    for (const stack of STACKS) {
      const r = await reviewChange(stack);
      expect([stack, r.verdict, r.policies, r.links, r.dataWarnings]).toEqual([stack, "unchanged", [], [], []]);
    }
  });

  test("a new stream for a consumer: broadening, with the new stream in the rows", async () => {
    const r = await reviewChange("snowplow-pipeline", (c) => c.kinesis.applications[1].streams.push("acme-bad"));
    expect(r.verdict).toBe("broadening");
    const p = r.policies.find((x) => x.label === "managed policy `acme-enrich-kinesis-consumer`")!;
    expect(p.removed.map((s) => s.sid).sort()).toEqual(["ReadStreams", "ReadWithFanOut", "RegisterFanOutConsumer"]);
    expect(p.added.find((s) => s.sid === "ReadStreams")!.resources).toContain("arn:aws:kinesis:eu-west-1:444455556666:stream/acme-bad");
    expect(p.broadening).toContain("allows kinesis:GetRecords on arn:aws:kinesis:eu-west-1:444455556666:stream/acme-bad");
    expect(r.policies).toHaveLength(1);
    expect(r.links).toEqual([]);
  });

  test("a stream removed from a producer: narrowing", async () => {
    const r = await reviewChange("snowplow-pipeline", (c) => (c.kinesis.applications[0].streams = ["acme-raw-good"]));
    expect(r.verdict).toBe("narrowing");
    expect(rowsOf(r)).toEqual(["- managed policy `acme-collector-kinesis-producer` WriteStreams", "+ managed policy `acme-collector-kinesis-producer` WriteStreams"]);
    expect(r.policies[0].broadening).toEqual([]);
  });

  test("actions removed (a consumer back to KCL 1, without fan-out): narrowing", async () => {
    const r = await reviewChange("snowplow-pipeline", (c) => (c.kinesis.applications[1].kclVersion = 1));
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

  test("a wildcard introduced (the operator moved to Snowplow's published policy): broadening", async () => {
    const r = await reviewChange("snowplow-pipeline", (c) => (c.pipeline.operator.level = "compatible"));
    expect(r.verdict).toBe("broadening");
    const p = r.policies.find((x) => x.label === "managed policy `snowplow-policy-operate-datapipeline`")!;
    expect(p.added.map((s) => s.sid)).toEqual(["SnowplowPublishedOperatorPolicy"]);
    expect(p.added[0].actions).toContain("s3:*");
    expect(p.broadening).toEqual(expect.arrayContaining(["allows s3:DeleteBucket on *", "allows iam:PassRole on *"]));
  });

  test("the TLS deny removed from the bucket policy: broadening", async () => {
    const r = await reviewChange("backup", undefined, (stacks) => {
      const file = path.join(stacks, "backup", "cdk.tf.json");
      const stack = JSON.parse(fs.readFileSync(file, "utf8"));
      const policy = Object.values<any>(stack.resource.aws_s3_bucket_policy)[0];
      const doc = JSON.parse(policy.policy.replace(/\$\$\{/g, "${"));
      doc.Statement = doc.Statement.filter((s: any) => s.Sid !== "DenyInsecureTransport");
      policy.policy = JSON.stringify(doc, null, 2).replace(/\$\{/g, "$${");
      fs.writeFileSync(file, JSON.stringify(stack, null, 2));
    });
    expect(r.verdict).toBe("broadening");
    expect(rowsOf(r)).toEqual(["- bucket policy `acme-dynamodb-backups` DenyInsecureTransport"]);
    expect(r.policies[0].broadening).toEqual(expect.arrayContaining(["no longer denies s3:PutObject on arn:aws:s3:::acme-dynamodb-backups/* (under its conditions)"]));
  });

  test("the installer moved from install to operate: narrowing (its membership goes)", async () => {
    const r = await reviewChange("snowplow-pipeline", (c) => (c.pipeline.phase = "operate"));
    expect(r.verdict).toBe("narrowing");
    expect(r.policies).toEqual([]);
    expect(r.links).toEqual([{ sign: "-", text: expect.stringMatching(/^user group membership: snowplow-setup ← snowplow-setup/) }]);
  });

  test("a bucket replacement: a loud data-loss warning", async () => {
    // prevent_destroy would stop this plan outright; the review is for the pull request that also
    // lifts the guard (or for vendored modules whose caller has none), so lift it here
    const liftGuards = (stacks: string) => {
      const file = path.join(stacks, "backup", "cdk.tf.json");
      const stack = JSON.parse(fs.readFileSync(file, "utf8"));
      for (const byName of Object.values<any>(stack.resource)) for (const r of Object.values<any>(byName)) delete r.lifecycle;
      fs.writeFileSync(file, JSON.stringify(stack, null, 2));
    };
    const r = await reviewChange("backup", (c) => (c.backup.bucketName = "acme-backups-v2"), liftGuards);
    expect(r.dataWarnings).toEqual(expect.arrayContaining([expect.stringMatching(/^a bucket would be REPLACED \(destroyed, then created empty\): `aws_s3_bucket\./)]));
    const md = renderReview([r]);
    expect(md).toContain("> [!CAUTION]\n> **Data loss.**");
    expect(r.counts.replace).toBeGreaterThan(0);
  });
});
