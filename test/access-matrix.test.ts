/**
 * Simulated access: for each module, what must be allowed and what must not,
 * evaluated by an IAM policy simulator on the policies read back from the
 * synthesized Terraform: identity policies (attachments, inline, groups), the
 * bucket policy and the SCP together, as AWS evaluates them.
 */
import { validateConfig } from "../modules/config/load";
import { scaledInput } from "../scripts/scaled-config";
import { bucketPolicy, identityPolicies, serviceControlPolicies, simulate, type Evaluated, type Outcome, type Request } from "./support/simulate";
import { exampleConfig, synthStacks, type StackJson } from "./support/synth";

jest.setTimeout(60_000);

const P = "444455556666"; // the Snowplow account
const SHOP = "123456789012"; // native-export source
const LEGACY = "111111111111"; // data-pipeline source
const BACKUP = "777788889999";
const ORG = "o-a1b2c3d4e5";
const stream = (name: string) => `arn:aws:kinesis:eu-west-1:${P}:stream/${name}`;
const table = (name: string) => `arn:aws:dynamodb:eu-west-1:${P}:table/${name}`;
const object = (key: string) => `arn:aws:s3:::acme-dynamodb-backups/${key}`;
const ALLOWED: Outcome = "Allowed";
const DENIED: Outcome = "ImplicitlyDenied";
const EXPLICIT: Outcome = "ExplicitlyDenied";

type Row = [description: string, action: string, resource: string, expected: Outcome, context?: Record<string, string | string[]>];

let stacks: Record<string, StackJson>;
beforeAll(() => {
  stacks = synthStacks(exampleConfig());
});

/** a principal of the Snowplow account: its identity policies plus the SCP */
function inPipeline(type: "role" | "user" | "group", name: string): Evaluated {
  return { identity: identityPolicies(stacks["snowplow-pipeline"], type, name), scps: serviceControlPolicies(stacks.management) };
}

async function check(principal: string, evaluated: () => Evaluated, rows: Row[], resourceAccount = (r: string) => r.split(":")[4] || P) {
  const e = evaluated();
  expect(e.identity.length).toBeGreaterThan(0);
  const results: string[] = [];
  for (const [description, action, resource, expected, context] of rows) {
    const req: Request = { principal, action, resource, resourceAccount: resourceAccount(resource), context };
    const got = await simulate(req, e);
    results.push(`${description}: ${got === expected ? "as expected" : `expected ${expected}, got ${got}`}`);
  }
  expect(results).toEqual(rows.map(([d]) => `${d}: as expected`));
}

describe("KinesisApp", () => {
  test("enrich (KCL 3, polling): reads the raw stream and uses its lease table; never writes it, deletes or reads elsewhere", async () => {
    await check(`arn:aws:iam::${P}:role/acme-enrich`, () => inPipeline("role", "acme-enrich"), [
      ["reads its stream", "kinesis:GetRecords", stream("acme-raw-good"), ALLOWED, { "aws:RequestedRegion": "eu-west-1" }],
      ["lists its stream's shards", "kinesis:ListShards", stream("acme-raw-good"), ALLOWED, { "aws:RequestedRegion": "eu-west-1" }],
      [
        "has no fan-out consumer (Snowplow's apps poll by default)",
        "kinesis:SubscribeToShard",
        `${stream("acme-raw-good")}/consumer/acme-enrich:1700000000`,
        DENIED,
        { "aws:RequestedRegion": "eu-west-1" },
      ],
      ["writes its lease table", "dynamodb:PutItem", table("acme-enrich"), ALLOWED, { "aws:RequestedRegion": "eu-west-1" }],
      [
        "publishes metrics in its namespace",
        "cloudwatch:PutMetricData",
        "*",
        ALLOWED,
        { "cloudwatch:namespace": "acme-enrich", "aws:RequestedRegion": "eu-west-1" },
      ],
      ["does not write to the stream", "kinesis:PutRecord", stream("acme-raw-good"), DENIED, { "aws:RequestedRegion": "eu-west-1" }],
      ["does not delete its lease table", "dynamodb:DeleteTable", table("acme-enrich"), DENIED, { "aws:RequestedRegion": "eu-west-1" }],
      ["does not read another stream", "kinesis:GetRecords", stream("acme-bad"), DENIED, { "aws:RequestedRegion": "eu-west-1" }],
      ["does not touch another app's lease table", "dynamodb:PutItem", table("acme-s3-loader"), DENIED, { "aws:RequestedRegion": "eu-west-1" }],
      [
        "does not publish metrics in another namespace",
        "cloudwatch:PutMetricData",
        "*",
        DENIED,
        { "cloudwatch:namespace": "AWS/EC2", "aws:RequestedRegion": "eu-west-1" },
      ],
    ]);
  });

  test("consumer (KCL 3): its state tables and the lease table's indexes", async () => {
    const region = { "aws:RequestedRegion": "eu-west-1" };
    await check(`arn:aws:iam::${P}:role/acme-s3-loader`, () => inPipeline("role", "acme-s3-loader"), [
      ["queries the lease table's index", "dynamodb:Query", `${table("acme-s3-loader")}/index/leaseOwnerToLeaseKeyIndex`, ALLOWED, region],
      ["writes worker metrics", "dynamodb:PutItem", table("acme-s3-loader-WorkerMetricStats"), ALLOWED, region],
      ["writes coordinator state", "dynamodb:UpdateItem", table("acme-s3-loader-CoordinatorState"), ALLOWED, region],
      ["does not create its lease table (Terraform manages it)", "dynamodb:CreateTable", table("acme-s3-loader"), DENIED, region],
    ]);
  });

  test("producer: writes its streams only, reads none", async () => {
    const region = { "aws:RequestedRegion": "eu-west-1" };
    await check(`arn:aws:iam::${P}:role/acme-collector`, () => inPipeline("role", "acme-collector"), [
      ["writes records", "kinesis:PutRecords", stream("acme-raw-good"), ALLOWED, region],
      ["writes its second stream", "kinesis:PutRecord", stream("acme-raw-bad"), ALLOWED, region],
      ["does not read", "kinesis:GetRecords", stream("acme-raw-good"), DENIED, region],
      ["does not write a stream it is not given", "kinesis:PutRecord", stream("acme-enriched-good"), DENIED, region],
      ["does not delete a stream", "kinesis:DeleteStream", stream("acme-raw-good"), DENIED, region],
    ]);
  });
});

test("KinesisApp consumer: decrypts its KMS-encrypted stream only through Kinesis (key with AWS's default key policy)", async () => {
  const key = `arn:aws:kms:eu-west-1:${P}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const defaultKeyPolicy = {
    Version: "2012-10-17",
    Statement: [{ Sid: "EnableIamPolicies", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${P}:root` }, Action: "kms:*", Resource: "*" }],
  };
  const e = { ...inPipeline("role", "acme-s3-loader"), resourcePolicy: defaultKeyPolicy };
  const ask = (context: Record<string, string>) =>
    simulate(
      {
        principal: `arn:aws:iam::${P}:role/acme-s3-loader`,
        action: "kms:Decrypt",
        resource: key,
        resourceAccount: P,
        context: { "aws:RequestedRegion": "eu-west-1", ...context },
      },
      e,
    );
  expect(await ask({ "kms:ViaService": "kinesis.eu-west-1.amazonaws.com" })).toBe(ALLOWED);
  expect(await ask({})).toBe(DENIED);
  expect(await ask({ "kms:ViaService": "s3.eu-west-1.amazonaws.com" })).toBe(DENIED);
});

describe("OperatorGroup and InstallerGroup (with the SCP)", () => {
  test("least-privilege operator: runs the pipeline's S3 and EMR work; creates no IAM users, passes no other role", async () => {
    const region = { "aws:RequestedRegion": "eu-west-1" };
    await check(`arn:aws:iam::${P}:user/snowplow-operator`, () => inPipeline("user", "snowplow-operator"), [
      ["lists raw events before a run", "s3:ListBucket", "arn:aws:s3:::acme-snowplow-raw", ALLOWED, region],
      ["reads RDB Loader's logs", "s3:GetObject", "arn:aws:s3:::acme-snowplow-logs/rdb-loader/run=1/log", ALLOWED, region],
      ["does not read raw events with its own keys (the cluster does)", "s3:GetObject", "arn:aws:s3:::acme-snowplow-raw/2026/11/22/events.gz", DENIED, region],
      [
        "passes the EMR service role to EMR",
        "iam:PassRole",
        `arn:aws:iam::${P}:role/EMR_DefaultRole`,
        ALLOWED,
        { "iam:PassedToService": "elasticmapreduce.amazonaws.com" },
      ],
      ["does not create IAM users", "iam:CreateUser", `arn:aws:iam::${P}:user/someone`, DENIED, region],
      ["does not pass another role", "iam:PassRole", `arn:aws:iam::${P}:role/admin`, DENIED, { "iam:PassedToService": "elasticmapreduce.amazonaws.com" }],
      ["does not delete the archive", "s3:DeleteObject", "arn:aws:s3:::acme-snowplow-archive/run=1/part-0", DENIED, region],
      ["does not delete a bucket", "s3:DeleteBucket", "arn:aws:s3:::acme-snowplow-raw", DENIED, region],
    ]);
  });

  test("installer (install phase, signed in with MFA): the published setup policy, still fenced by the SCP's regions", async () => {
    const mfa = { "aws:MultiFactorAuthPresent": "true" };
    await check(`arn:aws:iam::${P}:user/snowplow/snowplow-setup`, () => inPipeline("user", "snowplow-setup"), [
      ["creates the pipeline's IAM roles", "iam:CreateRole", `arn:aws:iam::${P}:role/snowplow-emr`, ALLOWED, { "aws:RequestedRegion": "us-east-1", ...mfa }],
      [
        "launches instances in an allowed region",
        "ec2:RunInstances",
        `arn:aws:ec2:eu-west-1:${P}:instance/*`,
        ALLOWED,
        { "aws:RequestedRegion": "eu-west-1", ...mfa },
      ],
      [
        "is held to MFA even with an access key (BoolIfExists)",
        "iam:CreateRole",
        `arn:aws:iam::${P}:role/snowplow-emr`,
        EXPLICIT,
        { "aws:RequestedRegion": "us-east-1" },
      ],
      [
        "is stopped by the SCP outside the allowed regions",
        "ec2:RunInstances",
        `arn:aws:ec2:ap-south-1:${P}:instance/*`,
        EXPLICIT,
        { "aws:RequestedRegion": "ap-south-1" },
      ],
      [
        "has nothing outside the flow's services",
        "lambda:CreateFunction",
        `arn:aws:lambda:eu-west-1:${P}:function:x`,
        EXPLICIT,
        { "aws:RequestedRegion": "eu-west-1" },
      ],
    ]);
  });
});

describe("SparkLauncher", () => {
  test("passes the one node role to EC2 only, and stops only Flintrock's instances", async () => {
    const region = { "aws:RequestedRegion": "eu-west-1" };
    await check(`arn:aws:iam::${P}:user/spark-person`, () => inPipeline("group", "snowplow-spark-launchers"), [
      [
        "passes the node role to EC2",
        "iam:PassRole",
        `arn:aws:iam::${P}:role/snowplow/snowplow-spark-node`,
        ALLOWED,
        { "iam:PassedToService": "ec2.amazonaws.com" },
      ],
      [
        "does not pass it to another service",
        "iam:PassRole",
        `arn:aws:iam::${P}:role/snowplow/snowplow-spark-node`,
        DENIED,
        { "iam:PassedToService": "lambda.amazonaws.com" },
      ],
      ["does not pass another role", "iam:PassRole", `arn:aws:iam::${P}:role/admin`, DENIED, { "iam:PassedToService": "ec2.amazonaws.com" }],
      [
        "terminates a Flintrock instance",
        "ec2:TerminateInstances",
        `arn:aws:ec2:eu-west-1:${P}:instance/i-0abc`,
        ALLOWED,
        { ...region, "ec2:ResourceTag/flintrock-role": "slave" },
      ],
      ["does not terminate other instances", "ec2:TerminateInstances", `arn:aws:ec2:eu-west-1:${P}:instance/i-0abc`, DENIED, region],
      [
        "does not launch in another region (its own region condition, and the SCP)",
        "ec2:RunInstances",
        `arn:aws:ec2:eu-west-2:${P}:instance/*`,
        EXPLICIT,
        { "aws:RequestedRegion": "eu-west-2" },
      ],
    ]);
  });
});

describe("BackupBucket and BackupWriter (cross-account: writer identity policy and bucket policy together)", () => {
  const cross = (source: string, role: string) => (): Evaluated => ({
    identity: identityPolicies(stacks[source], "role", role),
    resourcePolicy: bucketPolicy(stacks.backup),
  });
  const org = (extra: Record<string, string> = {}) => ({ "aws:PrincipalOrgID": ORG, ...extra });
  const owner = (r: string) => (r.startsWith("arn:aws:s3:::") ? BACKUP : r.split(":")[4]);

  test("native export: writes under its own prefix only, deletes nothing, and only over TLS", async () => {
    await check(
      `arn:aws:iam::${SHOP}:role/snowplow-backup-writer`,
      cross("source-shop", "snowplow-backup-writer"),
      [
        ["writes under its own prefix", "s3:PutObject", object(`${SHOP}/AWSDynamoDB/0001/data/a.json.gz`), ALLOWED, org()],
        ["exports its named table", "dynamodb:ExportTableToPointInTime", `arn:aws:dynamodb:eu-west-1:${SHOP}:table/orders`, ALLOWED, org()],
        ["does not export another table", "dynamodb:ExportTableToPointInTime", `arn:aws:dynamodb:eu-west-1:${SHOP}:table/payments`, DENIED, org()],
        ["does not write under another account's prefix", "s3:PutObject", object(`${LEGACY}/AWSDynamoDB/x`), DENIED, org()],
        ["does not delete backup data", "s3:DeleteObject", object(`${SHOP}/AWSDynamoDB/0001/data/a.json.gz`), DENIED, org()],
        ["does not delete a backup version", "s3:DeleteObjectVersion", object(`${SHOP}/AWSDynamoDB/0001/data/a.json.gz`), EXPLICIT, org()],
        ["does not write without TLS", "s3:PutObject", object(`${SHOP}/x`), EXPLICIT, org({ "aws:SecureTransport": "false" })],
        ["is refused from outside the organisation", "s3:PutObject", object(`${SHOP}/x`), DENIED, { "aws:PrincipalOrgID": "o-zzzzzzzzzz" }],
      ],
      owner,
    );
  });

  test("data pipeline: deletes only EMR scratch objects under its prefix", async () => {
    await check(
      `arn:aws:iam::${LEGACY}:role/DataPipelineDefaultResourceRole`,
      cross("source-legacy", "DataPipelineDefaultResourceRole"),
      [
        ["writes under its own prefix", "s3:PutObject", object(`${LEGACY}/orders/2026-11-22/part-0`), ALLOWED, org()],
        ["deletes EMR logs under its prefix", "s3:DeleteObject", object(`${LEGACY}/run-1/logs/step.log`), ALLOWED, org()],
        ["deletes folder markers under its prefix", "s3:DeleteObject", object(`${LEGACY}/orders_$folder$`), ALLOWED, org()],
        ["does not delete backup data", "s3:DeleteObject", object(`${LEGACY}/orders/2026-11-22/part-0`), DENIED, org()],
        ["does not delete another account's scratch objects", "s3:DeleteObject", object(`${SHOP}/run-1/logs/step.log`), DENIED, org()],
        ["does not read another account's backups", "s3:GetObject", object(`${SHOP}/AWSDynamoDB/x`), DENIED, org()],
      ],
      owner,
    );
  });

  test("another role of a source account gets nothing from the bucket, even with full S3 rights at home", async () => {
    const everything = { name: "admin", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] } };
    const outcome = await simulate(
      {
        principal: `arn:aws:iam::${SHOP}:role/admin`,
        action: "s3:PutObject",
        resource: object(`${SHOP}/x`),
        resourceAccount: BACKUP,
        context: { "aws:PrincipalOrgID": ORG },
      },
      { identity: [everything], resourcePolicy: bucketPolicy(stacks.backup) },
    );
    expect(outcome).toBe(DENIED);
  });

  test("the shared bucket policy of 300 source accounts keeps each account in its own prefix", async () => {
    const scaled = synthStacks(validateConfig(scaledInput(3, 300), "scaled"));
    const policy = bucketPolicy(scaled.backup);
    expect(policy.Statement.some((s: any) => JSON.stringify(s.Resource).includes("${aws:PrincipalAccount}"))).toBe(true);
    const writer = (account: string) => `arn:aws:iam::${account}:role/snowplow-backup-writer`;
    const everything = { name: "id", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] } };
    const ask = (principal: string, key: string, action = "s3:PutObject") =>
      simulate(
        { principal, action, resource: object(key), resourceAccount: BACKUP, context: { "aws:PrincipalOrgID": ORG } },
        { identity: [everything], resourcePolicy: policy },
      );
    expect(await ask(writer("200000000000"), "200000000000/x")).toBe(ALLOWED);
    expect(await ask(writer("200000000000"), "200000000001/x")).toBe(DENIED);
    expect(await ask(writer("999999999999"), "999999999999/x")).toBe(DENIED);
    expect(await ask(`arn:aws:iam::200000000000:role/admin`, "200000000000/x")).toBe(DENIED);
    const pipelineRole = (account: string) => `arn:aws:iam::${account}:role/DataPipelineDefaultResourceRole`; // i % 3 == 2: data-pipeline
    expect(await ask(pipelineRole("200000000002"), "200000000002/run/logs/x", "s3:DeleteObject")).toBe(ALLOWED);
    expect(await ask(pipelineRole("200000000002"), "200000000005/run/logs/x", "s3:DeleteObject")).toBe(DENIED);
    expect(await ask(pipelineRole("200000000002"), "200000000002/orders/part-0", "s3:DeleteObject")).toBe(DENIED);
    expect(await ask(writer("200000000000"), "200000000000/run/logs/x", "s3:DeleteObject")).toBe(DENIED);
  });
});

test("BackupBucket with admit 'organization': any organisation account's writer role, only under its own prefix", async () => {
  const input = scaledInput(3, 3);
  input.backup.admit = "organization";
  const policy = bucketPolicy(synthStacks(validateConfig(input, "org"))["backup"]);
  const everything = { name: "id", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] } };
  const ask = (principal: string, key: string, orgId = ORG) =>
    simulate(
      { principal, action: "s3:PutObject", resource: object(key), resourceAccount: BACKUP, context: { "aws:PrincipalOrgID": orgId } },
      { identity: [everything], resourcePolicy: policy },
    );
  const writer = (account: string) => `arn:aws:iam::${account}:role/snowplow-backup-writer`;
  expect(await ask(writer("555555555555"), "555555555555/x")).toBe(ALLOWED);
  expect(await ask(writer("555555555555"), "200000000000/x")).toBe(DENIED);
  expect(await ask(writer("555555555555"), "555555555555/x", "o-zzzzzzzzzz")).toBe(DENIED);
  expect(await ask("arn:aws:iam::555555555555:role/admin", "555555555555/x")).toBe(DENIED);
});

describe("the simulator stays a test-only dependency (AGPL)", () => {
  test("it is a devDependency, and nothing the project ships imports it", () => {
    const fs = require("node:fs") as typeof import("node:fs");
    const path = require("node:path") as typeof import("node:path");
    const root = path.join(__dirname, "..");
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    expect(pkg.devDependencies["@cloud-copilot/iam-simulate"]).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.dependencies["@cloud-copilot/iam-simulate"]).toBeUndefined();
    const shipped = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? shipped(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));
    const files = [...shipped(path.join(root, "modules")), ...shipped(path.join(root, "scripts")), path.join(root, "main.ts")];
    expect(files.length).toBeGreaterThan(10);
    expect(files.filter((f) => fs.readFileSync(f, "utf8").includes("iam-simulate"))).toEqual([]);
  });
});
