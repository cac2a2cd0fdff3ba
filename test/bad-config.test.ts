/**
 * Hostile input: each broken config must fail with a message naming exactly
 * the bad field, exit non-zero, never show a stack trace, and write nothing
 * under the output folder. Run in-process through the same code as main.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { runSynth } from "../modules/stacks/cli";
import { exampleInput } from "./support/synth";
import { tempDir } from "./support/temp";

type Change = (c: any) => void;
/** description, the change (or the raw file text), the field the message must name, and optionally its words */
type Case = [string, Change | string, string, RegExp?];

const app = (c: any) => c.kinesis.applications[0];
const shop = (c: any) => c.accounts.sources[0];

const CASES: Case[] = [
  // wrong types and missing or unknown fields
  ["company is a number", (c) => (c.company = 42), "company", /expected a string, not a number/],
  ["tags is a list", (c) => (c.tags = ["a"]), "tags"],
  ["spark.enabled is a string", (c) => (c.spark.enabled = "yes"), "spark.enabled", /expected a boolean, not a string/],
  ["noncurrent version expiry is negative", (c) => (c.backup.noncurrentVersionExpirationDays = -1), "backup.noncurrentVersionExpirationDays"],
  ["kinesis.streams is an object", (c) => (c.kinesis.streams = { name: "x" }), "kinesis.streams", /expected an array, not an object/],
  ["missing region", (c) => delete c.region, "region"],
  ["missing snowplow e-mail", (c) => delete c.accounts.snowplow.email, "accounts.snowplow.email"],
  ["missing management account", (c) => delete c.accounts.management, "accounts.management"],
  ["missing stream name", (c) => delete c.kinesis.streams[0].name, "kinesis.streams[0].name"],
  ["unknown top-level key", (c) => (c.regoin = "eu-west-1"), "regoin", /did you mean "region"/],
  ["unknown nested key", (c) => (c.accounts.snowplow.emial = "x@example.com"), "accounts.snowplow.emial", /did you mean "email"/],
  ["unknown key in an application", (c) => (app(c).kclVerison = 2), "kinesis.applications[0].kclVerison", /did you mean "kclVersion"/],
  // account ids, e-mails, regions
  ["account id too short", (c) => (c.accounts.backup.id = "7777"), "accounts.backup.id", /12 digits/],
  ["account id too long", (c) => (c.accounts.management.id = "1111222233334"), "accounts.management.id", /12 digits/],
  ["account id with letters", (c) => (shop(c).id = "12345678901a"), "accounts.sources[0].id", /12 digits/],
  ["account id as a number", (c) => (c.accounts.backup.id = 777788889999), "accounts.backup.id", /expected a string, not a number/],
  ["e-mail without @", (c) => (c.accounts.snowplow.email = "aws-snowplow.example.com"), "accounts.snowplow.email"],
  ["e-mail without a domain", (c) => (c.accounts.snowplow.email = "aws@example"), "accounts.snowplow.email"],
  ["unknown region", (c) => (c.region = "eu-west-9"), "region", /region/],
  [
    "unknown region in an allow list",
    (c) => (c.organization.serviceControlPolicy.allowedRegions = ["eu-west-1", "mars-1"]),
    "organization.serviceControlPolicy.allowedRegions[1]",
  ],
  // S3 bucket names
  ["bucket name with uppercase", (c) => (c.backup.bucketName = "Acme-Backups"), "backup.bucketName", /lowercase/],
  ["bucket name with '..'", (c) => (c.backup.bucketName = "acme..backups"), "backup.bucketName", /'\.\.'/],
  ["bucket name in IP address form", (c) => (c.backup.bucketName = "192.168.10.20"), "backup.bucketName", /IP address/],
  ["bucket name too long", (c) => (c.backup.bucketName = "a".repeat(64)), "backup.bucketName", /3-63/],
  ["bucket name with a wildcard", (c) => (c.pipeline.buckets.rawIn = "acme-*"), "pipeline.buckets.rawIn"],
  ["bucket name with an ARN fragment", (c) => (c.pipeline.buckets.log = "acme-logs/*"), "pipeline.buckets.log"],
  // stream, table and application names
  ["stream name with *", (c) => (c.kinesis.streams[0].name = "raw*"), "kinesis.streams[0].name", /no wildcards/],
  ["stream name with ?", (c) => (c.kinesis.streams[1].name = "enriched?"), "kinesis.streams[1].name"],
  ["stream name with /", (c) => (c.kinesis.streams[2].name = "bad/consumer/x"), "kinesis.streams[2].name"],
  ["stream name with a space", (c) => (c.kinesis.streams[0].name = "raw good"), "kinesis.streams[0].name"],
  ["stream name over 128 characters", (c) => (c.kinesis.streams[0].name = "s".repeat(129)), "kinesis.streams[0].name", /1-128/],
  ["table name with *", (c) => (shop(c).tables = ["orders*"]), "accounts.sources[0].tables[0]", /no wildcards/],
  ["table name with /", (c) => (shop(c).tables = ["orders/index/x"]), "accounts.sources[0].tables[0]"],
  ["table name over 255 characters", (c) => (shop(c).tables = ["t".repeat(256)]), "accounts.sources[0].tables[0]", /3-255/],
  ["application name with an ARN fragment", (c) => (app(c).name = "collector:role/admin"), "kinesis.applications[0].name"],
  ["application name over 64 characters", (c) => (app(c).name = "a".repeat(65)), "kinesis.applications[0].name", /at most 64/],
  ["IAM user name with *", (c) => (c.pipeline.operator.userName = "operator*"), "pipeline.operator.userName"],
  ["IAM path without a trailing slash", (c) => (c.iam.path = "/snowplow"), "iam.path"],
  [
    "KMS key given as a wildcard",
    (c) => (c.kinesis.streams[1].kmsKeyArn = "arn:aws:kms:eu-west-1:444455556666:key/*"),
    "kinesis.streams[1].kmsKeyArn",
    /without wildcards/,
  ],
  // prefixes
  [
    "state key prefix with '..'",
    (c) => (c.backend = { type: "s3", bucket: "acme-terraform-state", region: "eu-west-1", keyPrefix: "snowplow/../prod" }),
    "backend.keyPrefix",
    /no '\.\.'/,
  ],
  ["access log prefix with '..'", (c) => (c.backup.accessLogs = { bucketName: "acme-access-logs", prefix: "../backups/" }), "backup.accessLogs.prefix"],
  // names that collide in AWS (IAM names are unique per account and kind without regard to case)
  [
    "the operator named like the installer, up to case",
    (c) => (c.pipeline.operator.userName = "Snowplow-Setup"),
    "pipeline.operator.userName",
    /IAM user "Snowplow-Setup", which pipeline.installer.userName names too/,
  ],
  [
    "the Spark launcher group named like the operator group",
    (c) => (c.spark.launcher.groupName = "SNOWPLOW-DATA-PIPELINE"),
    "spark.launcher.groupName",
    /IAM group/,
  ],
  [
    "the Spark node role named like an app's role",
    (c) => (c.spark.nodeRoleName = "acme-Enrich"),
    "spark.nodeRoleName",
    /IAM role "acme-Enrich", which kinesis.applications\[1\].name names too/,
  ],
  [
    "the Spark instance profile named like an app's profile",
    (c) => (c.spark.instanceProfileName = "ACME-collector"),
    "spark.instanceProfileName",
    /IAM instance profile/,
  ],
  [
    "the launcher policy named like an app's policy",
    (c) => (c.spark.launcher.policyName = "acme-enrich-kinesis-app"),
    "spark.launcher.policyName",
    /IAM policy/,
  ],
  [
    "an app's user named like the installer",
    (c) => {
      c.pipeline.installer = { userName: "acme-collector" };
      app(c).createUser = true;
    },
    "kinesis.applications[0].name",
    /IAM user "acme-collector", which pipeline.installer.userName names too/,
  ],
  [
    "the Snowplow account is the management account",
    (c) => (c.accounts.snowplow.id = "111122223333"),
    "accounts.snowplow.id",
    /must differ from accounts.management.id/,
  ],
  [
    "the backup account is the management account",
    (c) => (c.accounts.backup.id = "111122223333"),
    "accounts.backup.id",
    /must differ from accounts.management.id/,
  ],
  [
    "the state bucket is the backup bucket",
    (c) => (c.backend = { type: "s3", bucket: "acme-dynamodb-backups", region: "eu-west-1" }),
    "backend.bucket",
    /must differ from backup.bucketName/,
  ],
  [
    "the access-log bucket is a pipeline bucket",
    (c) => (c.backup.accessLogs = { bucketName: "acme-snowplow-logs" }),
    "backup.accessLogs.bucketName",
    /pipeline.buckets.log/,
  ],
  [
    "an app writes into the backup bucket",
    (c) => (c.kinesis.applications[2].s3 = [{ bucket: "acme-dynamodb-backups" }]),
    "kinesis.applications[2].s3[0].bucket",
    /must differ from backup.bucketName/,
  ],
  // values Terraform would evaluate
  [
    "a Terraform template in the account name",
    (c) => (c.accounts.snowplow.name = 'x-${file("/etc/passwd")}'),
    "accounts.snowplow.name",
    /without Terraform's template sequences/,
  ],
  [
    "a Terraform directive in the account name",
    (c) => (c.accounts.snowplow.name = "x-%{ if true }y%{ endif }"),
    "accounts.snowplow.name",
    /template sequences/,
  ],
  // duplicates and cross-field rules
  ["duplicate stream names", (c) => (c.kinesis.streams[1].name = "acme-raw-good"), "kinesis.streams[1].name", /duplicate/],
  ["duplicate application names", (c) => (c.kinesis.applications[1].name = "acme-collector"), "kinesis.applications[1].name", /duplicate/],
  [
    "application names equal as Terraform names",
    (c) => (c.kinesis.applications[1].name = "acme.collector"),
    "kinesis.applications[1].name",
    /same Terraform name "acme_collector"/,
  ],
  ["duplicate source names", (c) => (c.accounts.sources[1].name = "shop"), "accounts.sources[1].name", /duplicate/],
  ["duplicate table names", (c) => (shop(c).tables = ["orders", "orders"]), "accounts.sources[0].tables[1]", /duplicate/],
  ["source account equal to the backup account", (c) => (shop(c).id = "777788889999"), "accounts.sources[0].id", /must differ from accounts.backup.id/],
  ["backup account equal to the Snowplow account", (c) => (c.accounts.backup.id = "444455556666"), "accounts.backup.id", /separate account/],
  ["application naming an unknown stream", (c) => (app(c).writes = ["acme-raw-gud"]), "kinesis.applications[0].writes[0]", /unknown stream/],
  ["an application that grants nothing", (c) => (app(c).writes = []), "kinesis.applications[0]", /grants nothing/],
  ["the older kind together with reads/writes", (c) => (app(c).kind = "producer"), "kinesis.applications[0].kind", /cannot be combined with reads/],
  [
    "the older streams without kind",
    (c) => {
      delete app(c).writes;
      app(c).streams = ["acme-raw-good"];
    },
    "kinesis.applications[0].kind",
    /needs kind/,
  ],
  ["native export without tables", (c) => (shop(c).tables = []), "accounts.sources[0].tables", /at least one/],
  ["a KCL version that does not exist", (c) => (c.kinesis.applications[1].kclVersion = 4), "kinesis.applications[1].kclVersion", /1, 2 or 3/],
  ["enhanced fan-out on a producer", (c) => (app(c).enhancedFanOut = true), "kinesis.applications[0].enhancedFanOut"],
  [
    "eks settings on an ec2 app",
    (c) =>
      (app(c).eks = {
        oidcProviderArn: "arn:aws:iam::444455556666:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC",
        namespace: "snowplow",
        serviceAccount: "collector",
      }),
    "kinesis.applications[0].eks",
  ],
  [
    "admit 'organization' without an organisation",
    (c) => {
      c.backup.admit = "organization";
      delete c.organization.id;
    },
    "backup.admit",
    /needs organization.id/,
  ],
  // files that are not JSON
  ["JSON that does not parse", '{\n  "company": "acme",\n  "region": "eu-west-1",,\n}\n', "(file)", /line 3, column \d+/],
  ["an empty file", "", "(file)"],
  ["a JSON array instead of an object", "[1, 2]\n", "(file)", /expected an object, not an array/],
];

describe("bad config: one clear message naming the field, exit 1, nothing written", () => {
  test("the table has at least 40 cases, each different", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CASES.map((c) => c[0])).size).toBe(CASES.length);
  });

  // one argument per row: jest would take a fourth parameter for a done callback
  test.each(CASES.map((c) => [c[0], c] as const))("fails on %s", async (_description, [, change, field, words]) => {
    const dir = tempDir("bad");
    try {
      let text: string;
      if (typeof change === "string") text = change;
      else {
        const c = exampleInput();
        change(c);
        text = JSON.stringify(c, null, 2);
      }
      fs.writeFileSync(path.join(dir, "bad.json"), text);
      const lines: string[] = [];
      const code = await runSynth({ argv: ["--config", "bad.json"], env: {}, cwd: dir, log: (l) => lines.push(l) });
      expect(code).toBe(1);
      const problems = lines.filter((l) => l.startsWith("  - "));
      const named = problems.filter((l) => l.startsWith(`  - ${field}: `));
      expect({ named: named.length, all: lines }).toEqual({ named: 1, all: lines });
      if (words) expect(named[0]).toMatch(words);
      expect(lines.join("\n")).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
      expect(fs.readdirSync(dir)).toEqual(["bad.json"]); // nothing written, not even a staging folder
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
