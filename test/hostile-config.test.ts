/**
 * A corpus of hostile and awkward configs, by class (issue #16): names that
 * collide in AWS, partitions, values Terraform would interpret, AWS limits,
 * structure, messages, TypeScript configs and scale. Each case either
 * synthesizes (and then holds no config value Terraform would evaluate) or is
 * refused with exit 1 and exactly one line naming the field; every line of
 * output is one line of plain text; nothing is written beside the config.
 * Cases run in-process through the same code as main.ts; TypeScript configs,
 * permissions and the environment run as real processes.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { runSynth } from "../modules/stacks/cli";
import { exampleInput, LAUNCHER, ROOT } from "./support/synth";
import { tempDir } from "./support/temp";

jest.setTimeout(120_000);

type Change = (c: any) => void;
/** what a case must do: be refused naming `field` (message matching `words`), or synthesize */
type Expect = { refuse: string; words?: RegExp } | { accept: true };
interface Case {
  readonly name: string;
  /** a change to the example, or the file's bytes */
  readonly input: Change | string | Buffer;
  readonly expect: Expect;
  /** the config file's name @default "c.json" */
  readonly file?: string;
  readonly env?: Record<string, string>;
}

const PGP = fs.readFileSync(path.join(__dirname, "fixtures", "pgp-public-key.b64"), "utf8").trim();
const app = (c: any, i = 0) => c.kinesis.applications[i];
const shop = (c: any) => c.accounts.sources[0];
const refuse = (field: string, words?: RegExp): Expect => ({ refuse: field, words });
const accept: Expect = { accept: true };
const json = (change: Change) => {
  const c = exampleInput();
  change(c);
  return JSON.stringify(c, null, 2);
};
/** an ordered copy of the example's JSON text with `text` spliced in after `"company": "acme",` */
const spliced = (text: string) => json(() => undefined).replace('"company": "acme",', `"company": "acme",\n  ${text}`);

const COLLISIONS: Case[] = [
  {
    name: "app user named like the installer, other case",
    input: (c) => Object.assign(app(c), { createUser: true, name: "SNOWPLOW-SETUP" }),
    expect: refuse("kinesis.applications[0].name", /IAM user "SNOWPLOW-SETUP".*pipeline\.installer\.userName/),
  },
  {
    name: "Spark launcher group named like the installer group",
    input: (c) => (c.spark.launcher.groupName = "Snowplow-Setup"),
    expect: refuse("spark.launcher.groupName", /IAM group/),
  },
  { name: "Spark node role named like an app's role", input: (c) => (c.spark.nodeRoleName = "ACME-ENRICH"), expect: refuse("spark.nodeRoleName", /IAM role/) },
  {
    name: "Spark instance profile named like an EC2 app's profile",
    input: (c) => {
      app(c, 2).runAs = "ec2";
      delete app(c, 2).eks;
      c.spark.instanceProfileName = "acme-s3-loader";
    },
    expect: refuse("spark.instanceProfileName", /instance profile/),
  },
  {
    name: "launcher policy named like an app's policy",
    input: (c) => (c.spark.launcher.policyName = "acme-enrich-kinesis-app"),
    expect: refuse("spark.launcher.policyName", /IAM policy/),
  },
  {
    name: "launcher policy named like the operator policy (batch)",
    input: (c) => {
      c.pipeline.flow = "both";
      c.spark.launcher.policyName = "SNOWPLOW-POLICY-OPERATE-DATAPIPELINE";
    },
    expect: refuse("spark.launcher.policyName", /IAM policy/),
  },
  {
    name: "two apps whose names differ only in case",
    input: (c) => c.kinesis.applications.push({ ...app(c, 2), name: "Acme-S3-Loader" }),
    expect: refuse("kinesis.applications[3].name", /IAM role/),
  },
  {
    name: "two apps whose names meet as Terraform names",
    input: (c) => c.kinesis.applications.push({ ...app(c, 2), name: "acme_s3.loader" }),
    expect: refuse("kinesis.applications[3].name", /same Terraform name/),
  },
  {
    name: "Snowplow account = management account",
    input: (c) => (c.accounts.snowplow.id = c.accounts.management.id),
    expect: refuse("accounts.snowplow.id", /management/),
  },
  {
    name: "backup account = management account",
    input: (c) => (c.accounts.backup.id = c.accounts.management.id),
    expect: refuse("accounts.backup.id", /management/),
  },
  {
    name: "backup account = Snowplow account",
    input: (c) => (c.accounts.backup.id = c.accounts.snowplow.id),
    expect: refuse("accounts.backup.id", /snowplow/),
  },
  { name: "a source = the backup account", input: (c) => (shop(c).id = c.accounts.backup.id), expect: refuse("accounts.sources[0].id", /backup/) },
  { name: "a source = the management account", input: (c) => (shop(c).id = c.accounts.management.id), expect: refuse("accounts.sources[0].id", /management/) },
  { name: "one source account listed twice", input: (c) => (c.accounts.sources[1].id = shop(c).id), expect: refuse("accounts.sources[1].id", /duplicate/) },
  {
    name: "state bucket = backup bucket",
    input: (c) => (c.backend = { type: "s3", bucket: c.backup.bucketName, region: "eu-west-1" }),
    expect: refuse("backend.bucket", /backup\.bucketName/),
  },
  {
    name: "state bucket = a pipeline bucket, other case in the name is not possible: same name",
    input: (c) => {
      c.pipeline.buckets = {
        log: "acme-logs",
        rawIn: "acme-raw",
        processing: "acme-proc",
        enrichedOut: "acme-enriched",
        archive: "acme-archive",
        badRows: "acme-bad",
      };
      c.backend = { type: "s3", bucket: "acme-raw", region: "eu-west-1" };
    },
    expect: refuse("backend.bucket", /pipeline\.buckets\.rawIn/),
  },
  {
    name: "state bucket = the access-log bucket",
    input: (c) => (c.backend = { type: "s3", bucket: c.backup.accessLogs.bucketName, region: "eu-west-1" }),
    expect: refuse("backend.bucket", /accessLogs/),
  },
  {
    name: "access-log bucket = a pipeline bucket",
    input: (c) => {
      c.pipeline.buckets = {
        log: "acme-logs",
        rawIn: "acme-raw",
        processing: "acme-proc",
        enrichedOut: "acme-enriched",
        archive: "acme-archive",
        badRows: "acme-bad",
      };
      c.backup.accessLogs.bucketName = "acme-logs";
    },
    expect: refuse("backup.accessLogs.bucketName", /pipeline\.buckets\.log/),
  },
  {
    name: "an app writes into the backup bucket",
    input: (c) => (app(c, 2).s3[0].bucket = c.backup.bucketName),
    expect: refuse("kinesis.applications[2].s3[0].bucket", /backup\.bucketName/),
  },
  {
    name: "writer roles that meet as one Sid",
    input: (c) => {
      c.backup.admit = "organization";
      shop(c).writerRoleName = "backup-writer";
      c.accounts.sources.push({ name: "shop2", id: "222233334444", tables: ["orders"], writerRoleName: "backup.writer" });
    },
    expect: refuse("accounts.sources[2].writerRoleName", /same statement id "NativeExportBackupWriter"/),
  },
  { name: "tag keys equal up to case", input: (c) => (c.tags = { Team: "a", team: "b" }), expect: refuse("tags.team", /only in case/) },
  {
    name: "two guardrails of one id",
    input: (c) => (c.guardrails = { neverGranted: [1, 2].map(() => ({ id: "no-delete", reason: "r", actions: ["dynamodb:DeleteTable"] })) }),
    expect: refuse("guardrails.neverGranted[1].id", /unique/),
  },
  { name: "two sources of one name", input: (c) => (c.accounts.sources[1].name = "shop"), expect: refuse("accounts.sources[1].name", /duplicate/) },
  { name: "a stream listed twice", input: (c) => c.kinesis.streams.push({ name: "acme-raw-good" }), expect: refuse("kinesis.streams[4].name", /duplicate/) },
  { name: "a table listed twice", input: (c) => shop(c).tables.push("orders"), expect: refuse("accounts.sources[0].tables[2]", /duplicate/) },
];

const PARTITIONS: Case[] = [
  {
    name: "a source in China under a commercial organisation",
    input: (c) => (c.accounts.sources[1].region = "cn-north-1"),
    expect: refuse("accounts.sources[1].region", /aws-cn/),
  },
  {
    name: "the backup account in GovCloud",
    input: (c) => (c.accounts.backup.region = "us-gov-west-1"),
    expect: refuse("accounts.backup.region", /aws-us-gov/),
  },
  {
    name: "the management account in China",
    input: (c) => (c.accounts.management.region = "cn-northwest-1"),
    expect: refuse("accounts.management.region", /partition/),
  },
  {
    name: "the Snowplow account in GovCloud",
    input: (c) => (c.accounts.snowplow.region = "us-gov-east-1"),
    expect: refuse("accounts.snowplow.region", /partition/),
  },
  {
    name: "an SCP region in China",
    input: (c) => c.organization.serviceControlPolicy.allowedRegions.push("cn-north-1"),
    expect: refuse("organization.serviceControlPolicy.allowedRegions[2]", /partition/),
  },
  {
    name: "the state bucket in GovCloud",
    input: (c) => (c.backend = { type: "s3", bucket: "acme-tf-state", region: "us-gov-west-1" }),
    expect: refuse("backend.region", /partition/),
  },
  {
    name: "a GovCloud permissions boundary",
    input: (c) => (c.iam.permissionsBoundaryArn = "arn:aws-us-gov:iam::444455556666:policy/boundary"),
    expect: refuse("iam.permissionsBoundaryArn", /aws-us-gov/),
  },
  {
    name: "a China stream key",
    input: (c) => (c.kinesis.streams[2].kmsKeyArn = "arn:aws-cn:kms:cn-north-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    expect: refuse("kinesis.streams[2].kmsKeyArn", /aws-cn/),
  },
  {
    name: "a China bucket key for an app",
    input: (c) => (app(c, 2).s3[0].kmsKeyArn = "arn:aws-cn:kms:cn-north-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    expect: refuse("kinesis.applications[2].s3[0].kmsKeyArn", /aws-cn/),
  },
  {
    name: "a GovCloud OIDC provider",
    input: (c) =>
      Object.assign(app(c, 1), {
        runAs: "eks",
        eks: {
          oidcProviderArn: "arn:aws-us-gov:iam::444455556666:oidc-provider/oidc.eks.us-gov-west-1.amazonaws.com/id/ABC",
          namespace: "snowplow",
          serviceAccount: "enrich",
        },
      }),
    expect: refuse("kinesis.applications[1].eks.oidcProviderArn", /aws-us-gov/),
  },
  {
    name: "a China management role",
    input: (c) => (c.accounts.management.roleArn = "arn:aws-cn:iam::111122223333:role/terraform"),
    expect: refuse("accounts.management.roleArn", /aws-cn/),
  },
  {
    name: "a whole organisation in China",
    input: (c) => {
      c.region = "cn-north-1";
      c.accounts.sources[1].region = "cn-northwest-1";
      c.organization.serviceControlPolicy.allowedRegions = ["cn-north-1", "cn-northwest-1"];
      c.kinesis.streams[2].kmsKeyArn = c.kinesis.streams[2].kmsKeyArn.replace("arn:aws:kms:eu-west-1", "arn:aws-cn:kms:cn-north-1");
      for (const a of c.kinesis.applications) if (a.eks) a.eks.oidcProviderArn = a.eks.oidcProviderArn.replace("arn:aws:", "arn:aws-cn:");
    },
    expect: accept,
  },
  {
    name: "a whole organisation in GovCloud",
    input: (c) => {
      c.region = "us-gov-west-1";
      c.accounts.sources[1].region = "us-gov-east-1";
      c.organization.serviceControlPolicy.allowedRegions = ["us-gov-west-1", "us-gov-east-1"];
      c.kinesis.streams[2].kmsKeyArn = c.kinesis.streams[2].kmsKeyArn.replace("arn:aws:kms:eu-west-1", "arn:aws-us-gov:kms:us-gov-west-1");
      for (const a of c.kinesis.applications) if (a.eks) a.eks.oidcProviderArn = a.eks.oidcProviderArn.replace("arn:aws:", "arn:aws-us-gov:");
    },
    expect: accept,
  },
];

const LIMITS: Case[] = [
  {
    name: "51 tags",
    input: (c) => (c.tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"]))),
    expect: refuse("tags", /51 tags; AWS allows 50/),
  },
  { name: "exactly 50 tags", input: (c) => (c.tags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, "v"]))), expect: accept },
  { name: "a tag key aws:x", input: (c) => (c.tags = { "aws:x": "v" }), expect: refuse("tags.aws:x", /the key must be .*not starting with 'aws:'/) },
  { name: "a tag key AWS:x", input: (c) => (c.tags = { "AWS:x": "v" }), expect: refuse("tags.AWS:x", /aws:/) },
  { name: "a tag key Aws:Cost", input: (c) => (c.tags = { "Aws:Cost": "v" }), expect: refuse("tags.Aws:Cost", /aws:/) },
  { name: "a tag key of 129 characters", input: (c) => (c.tags = { ["k".repeat(129)]: "v" }), expect: refuse(`tags.${"k".repeat(129)}`, /1-128/) },
  { name: "a tag value of 257 characters", input: (c) => (c.tags = { k: "v".repeat(257) }), expect: refuse("tags.k", /0-256/) },
  {
    name: "a range key that is the hash key",
    input: (c) => {
      shop(c).pointInTimeRecovery = "enable";
      shop(c).tableKeys = {
        orders: { hashKey: { name: "id", type: "S" }, rangeKey: { name: "id", type: "N" } },
        customers: { hashKey: { name: "id", type: "S" } },
      };
    },
    expect: refuse("accounts.sources[0].tableKeys.orders.rangeKey.name", /two different attributes/),
  },
  ...(
    [
      ["an ASCII-armoured key", "-----BEGIN PGP PUBLIC KEY BLOCK-----"],
      ["base64 that is not a key", "A".repeat(64)],
      ["an unpadded key", PGP.replace(/=+$/, "").slice(0, PGP.replace(/=+$/, "").length - (PGP.replace(/=+$/, "").length % 4 === 0 ? 1 : 0))],
      ["a secret key packet", Buffer.from([0x95, 0x01, 0x0d, 0x04, 0x50, 0, 0, 0, 0, 0, 0, 0]).toString("base64")],
      ["a keybase user with a space", "keybase:al ice"],
      ["a keybase user of 17 characters", `keybase:${"a".repeat(17)}`],
      ["a key with a line break", `${PGP.slice(0, 40)}\n${PGP.slice(40)}`],
    ] as const
  ).map(([what, key]): Case => ({
    name: `a PGP key that is ${what}`,
    input: (c) => Object.assign(c.pipeline.installer ?? (c.pipeline.installer = {}), { accessKey: true, pgpKey: key }),
    expect: refuse("pipeline.installer.pgpKey", /OpenPGP public key/),
  })),
  {
    name: "a real OpenPGP public key",
    input: (c) => Object.assign(c.pipeline.installer ?? (c.pipeline.installer = {}), { accessKey: true, pgpKey: PGP }),
    expect: accept,
  },
  {
    name: "a keybase user",
    input: (c) => Object.assign(c.pipeline.installer ?? (c.pipeline.installer = {}), { accessKey: true, pgpKey: "keybase:alice_1" }),
    expect: accept,
  },
];

const deep = (n: number, open: string, close: string) => `{"company": ${open.repeat(n)}${close.repeat(n)}}`;
const STRUCTURE: Case[] = [
  { name: "a duplicate top-level key", input: spliced('"company": "other",'), expect: refuse("company", /appears twice in one object \(lines 3 and 4\)/) },
  {
    name: "a duplicate key in tags",
    input: json(() => undefined).replace('"project": "snowplow",', '"project": "snowplow",\n    "project": "x",'),
    expect: refuse("tags.project", /appears twice/),
  },
  {
    name: "a duplicate key deep in an app",
    input: json(() => undefined).replace('"name": "acme-collector",', '"name": "acme-collector",\n        "name": "acme-other",'),
    expect: refuse("kinesis.applications[0].name", /appears twice/),
  },
  { name: "__proto__ at the top", input: spliced('"__proto__": {"x": 1},'), expect: refuse("__proto__", /not allowed anywhere/) },
  {
    name: "__proto__ in tags",
    input: json(() => undefined).replace('"project": "snowplow",', '"project": "snowplow",\n    "__proto__": "x",'),
    expect: refuse("tags.__proto__", /not allowed/),
  },
  {
    name: "constructor in accounts",
    input: json(() => undefined).replace('"accounts": {', '"accounts": {\n    "constructor": {},'),
    expect: refuse("accounts.constructor", /not allowed/),
  },
  {
    name: "prototype as a table key schema",
    input: json((c) => {
      shop(c).pointInTimeRecovery = "enable";
      shop(c).tableKeys = { orders: { hashKey: { name: "id", type: "S" } }, customers: { hashKey: { name: "id", type: "S" } } };
    }).replace('"tableKeys": {', '"tableKeys": {\n        "prototype": {"hashKey": {"name": "id", "type": "S"}},'),
    expect: refuse("accounts.sources[0].tableKeys.prototype", /not allowed/),
  },
  {
    name: "a number beyond double range",
    input: json((c) => (c.backup.noncurrentVersionExpirationDays = 1)).replace(
      '"noncurrentVersionExpirationDays": 1',
      '"noncurrentVersionExpirationDays": 1e400',
    ),
    expect: refuse("backup.noncurrentVersionExpirationDays", /beyond what JSON numbers can hold/),
  },
  {
    name: "a negative number beyond double range",
    input: json((c) => (c.backup.noncurrentVersionExpirationDays = 1)).replace(
      '"noncurrentVersionExpirationDays": 1',
      '"noncurrentVersionExpirationDays": -1e400',
    ),
    expect: refuse("backup.noncurrentVersionExpirationDays", /beyond/),
  },
  {
    name: "an integer beyond 2^53",
    input: json((c) => (c.backup.noncurrentVersionExpirationDays = 1)).replace(
      '"noncurrentVersionExpirationDays": 1',
      '"noncurrentVersionExpirationDays": 9007199254740993',
    ),
    expect: refuse("backup.noncurrentVersionExpirationDays", /beyond 2\^53/),
  },
  {
    name: "a fraction where a whole number goes",
    input: (c) => (c.backup.noncurrentVersionExpirationDays = 1.5),
    expect: refuse("backup.noncurrentVersionExpirationDays", /expected a whole number; got 1\.5/),
  },
  { name: "10,000 nested arrays", input: deep(10_000, "[", "]"), expect: refuse("", /nests deeper than 32 levels at line 1, column 44/) },
  { name: "10,000 nested objects", input: `{"a":${'{"a":'.repeat(10_000)}1${"}".repeat(10_001)}`, expect: refuse("", /nests deeper than 32 levels/) },
  { name: "40 nested arrays", input: deep(40, "[", "]"), expect: refuse("", /nests deeper/) },
  { name: "a file of 17 MB", input: `{"company": "${"x".repeat(17 * 1024 * 1024)}"}`, expect: refuse("", /is 17\.0 MB; a config is at most 16 MB/) },
  { name: "a 2 MB value (echoed back bounded)", input: (c) => (c.company = "x".repeat(2 * 1024 * 1024)), expect: refuse("company") },
  { name: "a UTF-8 byte order mark (accepted)", input: `\uFEFF${json(() => undefined)}`, expect: accept },
  {
    name: "UTF-16LE with a byte order mark",
    input: Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(
        json(() => undefined),
        "utf16le",
      ),
    ]),
    expect: refuse("", /UTF-16.*save it as UTF-8/),
  },
  {
    name: "UTF-16BE with a byte order mark",
    input: Buffer.concat([
      Buffer.from([0xfe, 0xff]),
      Buffer.from(
        json(() => undefined),
        "utf16le",
      ).swap16(),
    ]),
    expect: refuse("", /UTF-16/),
  },
  {
    name: "UTF-16LE without a byte order mark",
    input: Buffer.from(
      json(() => undefined),
      "utf16le",
    ),
    expect: refuse("", /UTF-16/),
  },
  {
    name: "bytes that are not UTF-8",
    input: Buffer.concat([Buffer.from('{"company": "ac'), Buffer.from([0xc3, 0x28]), Buffer.from('me"}')]),
    expect: refuse("", /not valid UTF-8 \(first bad byte at offset 15\)/),
  },
  { name: "Latin-1 text", input: Buffer.from('{"company": "acm\xe9"}', "latin1"), expect: refuse("", /not valid UTF-8/) },
  { name: "a trailing comma in an object", input: '{\n  "company": "acme",\n}\n', expect: refuse("", /line 3, column 1: a trailing comma before "}"/) },
  {
    name: "a trailing comma in an array",
    input: json(() => undefined).replace(/"acme-raw-bad"\n(\s*)\]/, '"acme-raw-bad",\n$1]'),
    expect: refuse("", /trailing comma before "\]"/),
  },
  { name: "a line comment", input: '{\n  // mine\n  "company": "acme"\n}', expect: refuse("", /line 2, column 3: JSON has no comments/) },
  { name: "a block comment", input: '{ /* mine */ "company": "acme" }', expect: refuse("", /line 1, column 3: JSON has no comments/) },
  { name: "a truncated file", input: json(() => undefined).slice(0, 200), expect: refuse("", /ends too early \(truncated\?\)/) },
  { name: "an empty file", input: "", expect: refuse("", /is empty/) },
  { name: "only whitespace", input: " \n\t\n", expect: refuse("", /is empty/) },
  { name: "a JSON string", input: '"acme"', expect: refuse("", /expected an object, not a string/) },
  { name: "JSON null", input: "null", expect: refuse("", /expected an object, not null/) },
  { name: "a JSON number", input: "42", expect: refuse("", /expected an object, not a number/) },
  { name: "single quotes", input: "{'company': 'acme'}", expect: refuse("", /not valid JSON at line 1, column 2/) },
  { name: "a raw newline inside a string", input: '{"company": "ac\nme"}', expect: refuse("", /not valid JSON at line 1/) },
  { name: "NaN", input: '{"company": NaN}', expect: refuse("", /not valid JSON at line 1, column 13/) },
  { name: "a config named as a folder", input: "", file: "folder", expect: refuse("", /is a folder/) },
  { name: "a missing file", input: "", file: "missing.json", expect: refuse("", /config file not found/) },
  {
    name: "an empty SNOWPLOW_IAC_CONFIG",
    input: "",
    file: "none",
    env: { SNOWPLOW_IAC_CONFIG: "" },
    expect: refuse("SNOWPLOW_IAC_CONFIG", /is set but empty/),
  },
];

const MESSAGES: Case[] = [
  { name: "an unknown key with a newline", input: (c) => (c["bad\nkey"] = 1), expect: refuse("bad\\nkey", /unknown key/) },
  { name: "an unknown key with a terminal escape", input: (c) => (c["\u001b[31mred"] = 1), expect: refuse("\\x1b[31mred", /unknown key/) },
  { name: "a value with a direction override", input: (c) => (c.company = "acme\u202eevil"), expect: refuse("company", /got "acme\\u202eevil"/) },
  { name: "a value with a carriage return", input: (c) => (c.region = "eu-west-1\r"), expect: refuse("region", /\\r/) },
  { name: "a value with a NUL", input: (c) => (c.backup.bucketName = "a\u0000b"), expect: refuse("backup.bucketName", /\\u0000|\\x00/) },
  { name: "an unknown key of 5,000 characters", input: (c) => (c["k".repeat(5000)] = 1), expect: refuse(`${"k".repeat(197)}...`, /unknown key/) },
  {
    name: "a stream name of 10,000 characters",
    input: (c) => (c.kinesis.streams[0].name = "s".repeat(10_000)),
    expect: refuse("kinesis.streams[0].name", /1-128/),
  },
  { name: "a line separator in a tag value", input: (c) => (c.tags.owner = "a\u2028b"), expect: refuse("tags.owner", /\\u2028/) },
];

const SCALE: Case[] = [
  {
    name: "10,000 streams read by one app: refused within seconds, the quota named",
    input: (c) => {
      c.kinesis.streams = Array.from({ length: 10_000 }, (_, i) => ({ name: `s-${i}` }));
      for (const a of c.kinesis.applications) {
        a.reads = a.reads ? ["s-1"] : undefined;
        a.writes = ["s-2"];
      }
      app(c, 1).reads = c.kinesis.streams.map((s: any) => s.name);
    },
    expect: refuse("", /quota|managed policies/),
  },
  {
    name: "10,000 tables in one source: refused within seconds, the quota named",
    input: (c) => (shop(c).tables = Array.from({ length: 10_000 }, (_, i) => `table-${i}`)),
    expect: refuse("", /quota|managed policies/),
  },
  {
    name: "5,000 bad stream names: the output stays bounded",
    input: (c) => (c.kinesis.streams = Array.from({ length: 5000 }, (_, i) => ({ name: `bad name ${i}` }))),
    expect: refuse("kinesis.streams[0].name"),
  },
];

/** every string the example holds, replaced by a Terraform template: refused, or never evaluated */
function stringLeaves(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (typeof v === "string") out.push(at);
  else if (Array.isArray(v)) v.forEach((x, i) => stringLeaves(x, [...at, i], out));
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) stringLeaves(x, [...at, k], out);
  return out;
}
const setAt = (c: any, p: (string | number)[], value: unknown) => {
  let o = c;
  for (const k of p.slice(0, -1)) o = o[k];
  o[p[p.length - 1]] = value;
};
const shownPath = (p: (string | number)[]) => p.reduce<string>((s, k) => (typeof k === "number" ? `${s}[${k}]` : s ? `${s}.${k}` : k), "");
const INJECTION: Case[] = [
  ...stringLeaves(exampleInput())
    .filter((p) => p[0] !== "$schema")
    .flatMap((p) =>
      ['x${file("/etc/passwd")}', "x%{if true}y%{endif}"].map((payload): Case => ({
        name: `${payload.slice(1, 3)} in ${shownPath(p)}`,
        input: (c) => setAt(c, p, payload),
        expect: { refuse: shownPath(p) },
      })),
    ),
  {
    name: "${ in the account name",
    input: (c) => (c.accounts.snowplow.name = 'a${file("/etc/passwd")}'),
    expect: refuse("accounts.snowplow.name", /template/),
  },
  { name: "${ in a tag key", input: (c) => (c.tags = { "${x}": "v" }), expect: refuse("tags.${x}") },
  {
    name: "%{ in a guardrail's reason (never reaches Terraform)",
    input: (c) => (c.guardrails = { neverGranted: [{ id: "g", reason: "%{x}", actions: ["iam:CreateUser"] }] }),
    expect: accept,
  },
];

const CASES: Case[] = [...COLLISIONS, ...PARTITIONS, ...LIMITS, ...STRUCTURE, ...MESSAGES, ...SCALE, ...INJECTION];

/** a line a terminal shows as one line of plain text */
// eslint-disable-next-line no-control-regex -- exactly what must never be printed
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
/** a template Terraform would evaluate, planted by the injection cases */
const PLANTED = /(?<!\$)\$\{file\(|(?<!%)%\{if /;

function listFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() || (e.isSymbolicLink() && fs.statSync(full).isDirectory())) walk(full, r);
      else out[r] = fs.readFileSync(full, "utf8");
    }
  };
  walk(dir, "");
  return out;
}

describe("hostile configs", () => {
  test("the corpus has at least 150 cases, each of its own name, covering every class", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(150);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    for (const cls of [COLLISIONS, PARTITIONS, LIMITS, STRUCTURE, MESSAGES, SCALE, INJECTION]) expect(cls.length).toBeGreaterThan(0);
  });

  test.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const dir = tempDir("hostile");
    try {
      const file = c.file ?? "c.json";
      if (file === "folder") fs.mkdirSync(path.join(dir, file));
      else if (file !== "missing.json" && file !== "none") fs.writeFileSync(path.join(dir, file), typeof c.input === "function" ? json(c.input) : c.input);
      const before = fs.readdirSync(dir).sort();
      const lines: string[] = [];
      const argv = file === "none" ? [] : ["--config", file];
      const code = await runSynth({ argv, env: c.env ?? {}, cwd: dir, log: (l) => lines.push(l), out: (l) => lines.push(l) });
      for (const l of lines) expect([l, UNSAFE.test(l)]).toEqual([l, false]);
      expect(lines.join("\n")).not.toMatch(/this is a bug|\n\s+at .+:\d+:\d+/);
      expect(lines.join("\n").length).toBeLessThan(100_000);
      if ("accept" in c.expect) {
        expect({ code, lines: lines.filter((l) => !l.startsWith("notice") && !l.startsWith("synthesiz")) }).toEqual({ code: 0, lines: [] });
        const out = listFiles(path.join(dir, "cdktf.out"));
        for (const [name, text] of Object.entries(out)) expect([name, PLANTED.test(text)]).toEqual([name, false]);
        return;
      }
      const problems = lines.filter((l) => l.startsWith("  - ") || l.startsWith("  ["));
      if (code === 0) {
        // an injection case may synthesize, as long as Terraform evaluates nothing of it
        expect(c.name).toMatch(/^(\$\{|%\{) in /);
        const out = listFiles(path.join(dir, "cdktf.out"));
        for (const [name, text] of Object.entries(out)) expect([name, PLANTED.test(text)]).toEqual([name, false]);
        return;
      }
      expect(code).toBe(1);
      const { refuse: field, words } = c.expect;
      const named =
        field === ""
          ? lines.filter((l) => l.startsWith("  - (file): ") || /^error: /.test(l) || l.startsWith("  ["))
          : problems.filter((l) => l.startsWith(`  - ${field}: `));
      expect({ named: named.length > 0, lines: lines.slice(0, 5) }).toEqual({ named: true, lines: lines.slice(0, 5) });
      if (field !== "" && !/^(\$\{|%\{) in /.test(c.name)) expect(named).toHaveLength(1);
      if (words) expect(named.join("\n")).toMatch(words);
      expect(fs.readdirSync(dir).sort()).toEqual(before); // nothing written or removed
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("TypeScript configs and the file system, as real processes", () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir("ts");
    fs.chmodSync(dir, 0o755);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const example = JSON.stringify(exampleInput());
  const run = (file: string, extra: object = {}) =>
    spawnSync(process.execPath, [LAUNCHER, "--config", file], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, CDKTF_OUTDIR: "cdktf.out", SNOWPLOW_IAC_CONFIG: undefined },
      ...extra,
    });

  test.each([
    [
      "a named export only",
      `export const config = ${example};\n`,
      /\(file\): has no default export \(it exports only config\); write export default defineConfig/,
    ],
    ["no export at all", `const config = ${example};\nvoid config;\n`, /has no default export \(it exports nothing\)/],
    ["a promise", `export default Promise.resolve(${example});\n`, /\(export default\): is a Promise; export the config object itself/],
    [
      "a getter that throws",
      `const c: any = ${example};\nObject.defineProperty(c, "region", { get() { throw new Error("no region\\nhere"); }, enumerable: true });\nexport default c;\n`,
      /region: reading it threw: no region\\nhere/,
    ],
    ["a syntax error", "export default { company: 'acme', region: };\n", /could not load the config code: syntax error: .*c\.ts:1:\d+: ERROR:/],
    ["code that throws while loading", "throw new TypeError('boom');\n", /could not load the config code: TypeError: boom/],
    ["a function", "export default () => ({});\n", /\(file\): is a function, not data/],
    ["a class instance inside", `const c: any = ${example};\nc.tags = new Map();\nexport default c;\n`, /tags: is a Map, not plain data/],
    ["a cycle", `const c: any = ${example};\nc.tags.self = c.tags;\nexport default c;\n`, /tags\.self: refers back to an object that contains it/],
    [
      "a BigInt",
      `const c: any = ${example};\nc.backup.noncurrentVersionExpirationDays = 90n;\nexport default c;\n`,
      /backup\.noncurrentVersionExpirationDays: is a BigInt/,
    ],
    [
      "a __proto__ key",
      `const c: any = ${example};\nObject.defineProperty(c.tags, "__proto__", { value: "x", enumerable: true });\nexport default c;\n`,
      /tags\.__proto__: the key "__proto__" is not allowed/,
    ],
  ])("%s: one line naming the file, exit 1, nothing written", (_name, code, message) => {
    fs.writeFileSync(path.join(dir, "c.ts"), code);
    const r = run("c.ts");
    expect(r.status).toBe(1);
    const lines = r.stderr.split("\n").filter((l) => l !== "" && !l.startsWith("npm warn"));
    expect(lines[0]).toMatch(/^Configuration c\.ts has \d+ problems?; nothing was written:$/);
    expect(lines.slice(1).join("\n")).toMatch(message);
    for (const l of lines) expect(UNSAFE.test(l)).toBe(false);
    expect(r.stderr).not.toMatch(/this is a bug|\n\s+at /);
    expect(fs.readdirSync(dir)).toEqual(["c.ts"]);
  });

  test("a valid .ts config synthesizes", () => {
    fs.writeFileSync(
      path.join(dir, "c.ts"),
      `import { defineConfig } from ${JSON.stringify(path.join(ROOT, "modules"))};\nexport default defineConfig(${example});\n`,
    );
    const r = run("c.ts");
    expect([r.status, r.stderr.split("\n").filter((l) => l && !l.startsWith("npm warn"))]).toEqual([0, []]);
  });

  test("an unreadable file: one line, exit 1 (run as an ordinary user)", () => {
    fs.writeFileSync(path.join(dir, "c.json"), example);
    fs.chmodSync(path.join(dir, "c.json"), 0o000);
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const r = run("c.json", { ...asNobody, env: { ...process.env, CDKTF_OUTDIR: "cdktf.out", HOME: dir } });
    expect(r.status).toBe(1);
    const lines = r.stderr.split("\n").filter((l) => l !== "" && !l.startsWith("npm warn"));
    expect(lines).toEqual([
      expect.stringMatching(/^Configuration c\.json has 1 problem/),
      "  - (file): cannot read the file: no permission to read it (EACCES)",
    ]);
  });
});
