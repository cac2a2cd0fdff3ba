/**
 * The synth-time policy checks: each catches its seeded defect and passes on
 * the real output (GIVEN a policy, WHEN checked, THEN these findings).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { checkContext, checkPolicies, fromEntry, PolicyCheckError, type CheckedPolicy } from "../modules/checks";
import { builtInGuardrails } from "../modules/guardrails";
import { validateConfig } from "../modules/config/load";
import { PolicyDocument, Statement } from "../modules/private/policy";
import { registeredPolicies, registerPolicy, type Acknowledgement } from "../modules/private/policy-registry";
import { fitPolicy, policySize, POLICY_SIZE_LIMITS } from "../modules/private/quotas";
import * as appModule from "../modules/stacks/app";
import { buildApp } from "../modules/stacks/app";
import { synthesize } from "../modules/stacks/synth";
import { scaledInput } from "../scripts/scaled-config";
import { exampleConfig } from "./support/synth";
import { tempDir } from "./support/temp";

const STREAM = "arn:aws:kinesis:eu-west-1:444455556666:stream/acme-raw";

function policy(statements: unknown[], over: Partial<CheckedPolicy> = {}): CheckedPolicy {
  return {
    stack: "test",
    account: "444455556666",
    name: "seeded",
    kind: "managed",
    json: { Version: "2012-10-17", Statement: statements },
    targets: [{ type: "role", name: "acme-enrich" }],
    acknowledgements: [],
    ...over,
  };
}

async function findings(p: CheckedPolicy | CheckedPolicy[]): Promise<string[]> {
  return (await checkPolicies(Array.isArray(p) ? p : [p])).map((f) => `[${f.rule}] ${f.sid ?? "-"}: ${f.message}`);
}

function allPolicies(config = exampleConfig()): CheckedPolicy[] {
  const dir = tempDir("checks");
  const app = buildApp(config, { outdir: path.join(dir, "cdktf.out"), projectDir: dir });
  return registeredPolicies(app).map(fromEntry);
}

describe("policy checks", () => {
  test("pass on every policy of the example config, and of the compatible operator", async () => {
    const policies = allPolicies();
    expect(policies.map((p) => p.kind).sort()).toEqual(expect.arrayContaining(["bucket", "inline", "key", "managed", "scp", "trust"]));
    expect(await findings(policies)).toEqual([]);
    expect(await findings(allPolicies(exampleConfig((c) => (c.pipeline.operator.level = "compatible"))))).toEqual([]);
  });

  test("fails on a misspelt action, naming the statement and the closest valid action", async () => {
    expect(await findings(policy([{ Sid: "ReadStream", Effect: "Allow", Action: ["kinesis:GetRecord"], Resource: [STREAM] }]))).toEqual([
      '[action-exists] ReadStream: "kinesis:GetRecord" is not an IAM action; did you mean "kinesis:GetRecords"?',
    ]);
    expect(await findings(policy([{ Sid: "Typo", Effect: "Allow", Action: ["kinesys:GetRecords"], Resource: [STREAM] }]))).toEqual([
      '[action-exists] Typo: "kinesys:GetRecords" is not an IAM action; did you mean "kinesis:GetRecords"?',
    ]);
    expect(await findings(policy([{ Sid: "Nothing", Effect: "Allow", Action: ["kinesis:Fly*"], Resource: [STREAM] }]))).toEqual([
      '[action-exists] Nothing: "kinesis:Fly*" matches no action of kinesis',
    ]);
  });

  test("fails on a * resource for an action that supports resource ARNs, and passes one that does not", async () => {
    expect(await findings(policy([{ Sid: "ReadAll", Effect: "Allow", Action: ["kinesis:GetRecords", "kinesis:ListStreams"], Resource: "*" }]))).toEqual([
      '[star-resource] ReadAll: Resource "*" for kinesis:GetRecords, which can be scoped to resource ARNs; name the resources',
    ]);
    expect(await findings(policy([{ Sid: "List", Effect: "Allow", Action: "kinesis:ListStreams", Resource: "*" }]))).toEqual([]);
    // PutMetricData: only an optional resource type; the namespace condition narrows it
    expect(await findings(policy([{ Sid: "Metrics", Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*" }]))).toEqual([]);
  });

  test("fails on wildcard actions unless acknowledged with a reason, for that rule and statement only", async () => {
    const wild = [{ Sid: "Everything", Effect: "Allow", Action: ["s3:*"], Resource: ["arn:aws:s3:::acme-raw/*"] }];
    expect(await findings(policy(wild))).toEqual(['[no-wildcard-action] Everything: allows "s3:*": every action of s3; name the actions']);
    const ack: Acknowledgement[] = [{ rule: "no-wildcard-action", reason: "test", sids: ["Everything"] }];
    expect(await findings(policy(wild, { acknowledgements: ack }))).toEqual([]);
    const otherSid: Acknowledgement[] = [{ rule: "no-wildcard-action", reason: "test", sids: ["Other"] }];
    expect(await findings(policy(wild, { acknowledgements: otherSid }))).toHaveLength(1);
    expect(await findings(policy([{ Sid: "Star", Effect: "Allow", Action: "*", Resource: "*" }]))).toContain(
      '[no-wildcard-action] Star: allows "*": every action of every service; name the actions',
    );
    // a Deny may use wildcards: it only narrows
    expect(await findings(policy([{ Sid: "DenyAll", Effect: "Deny", Action: "s3:*", Resource: "*" }]))).toEqual([]);
  });

  test("fails on an unscoped PassRole: a wildcard role, and no iam:PassedToService", async () => {
    expect(await findings(policy([{ Sid: "Pass", Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::444455556666:role/*" }]))).toEqual([
      '[pass-role] Pass: iam:PassRole on "arn:aws:iam::444455556666:role/*": name each role by its ARN, without wildcards',
      "[pass-role] Pass: iam:PassRole without an iam:PassedToService condition: say which service may receive the role",
    ]);
    const scoped = {
      Sid: "Pass",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: "arn:aws:iam::444455556666:role/spark-node",
      Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
    };
    expect(await findings(policy([scoped]))).toEqual([]);
  });

  test("fails on duplicate Sids, empty statements, and ARNs of the wrong resource type", async () => {
    expect(
      await findings(
        policy([
          { Sid: "A", Effect: "Allow", Action: "kinesis:GetRecords", Resource: STREAM },
          { Sid: "A", Effect: "Allow", Action: [], Resource: STREAM },
        ]),
      ),
    ).toEqual(['[statement-shape] A: Sid "A" is used twice in one policy', "[statement-shape] A: A: has no actions"]);
    expect(
      await findings(policy([{ Sid: "Wrong", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:dynamodb:eu-west-1:444455556666:table/orders" }])),
    ).toEqual([expect.stringMatching(/^\[arn-format\] Wrong: resource "arn:aws:dynamodb:eu-west-1:444455556666:table\/orders" fits no resource type/)]);
    expect(
      await findings(policy([{ Sid: "NoAccount", Effect: "Allow", Action: "kinesis:GetRecords", Resource: "arn:aws:kinesis:eu-west-1:44445555:stream/x" }])),
    ).toEqual(['[arn-format] NoAccount: resource "arn:aws:kinesis:eu-west-1:44445555:stream/x" has a malformed account id "44445555" (12 digits)']);
  });

  test("fails on an oversized policy, an oversized sum of inline policies, and too many attachments", async () => {
    const many = Array.from({ length: 200 }, (_, i) => `arn:aws:kinesis:eu-west-1:444455556666:stream/stream-${i}`);
    expect(await findings(policy([{ Sid: "Big", Effect: "Allow", Action: "kinesis:GetRecords", Resource: many }]))).toEqual([
      expect.stringMatching(/^\[quota\] -: is \d+ characters, \d+ over AWS's 6144-character quota for a managed policy$/),
    ]);
    const inline = (name: string) =>
      policy([{ Sid: "Some", Effect: "Allow", Action: "kinesis:GetRecords", Resource: many.slice(0, 20) }], {
        kind: "inline",
        name,
        targets: [{ type: "user", name: "bob" }],
      });
    expect(await findings([inline("one"), inline("two")])).toEqual([
      expect.stringMatching(/^\[quota\] -: inline policies \(one, two\) total \d+ characters, \d+ over AWS's 2048-character quota$/),
    ]);
    const small = (i: number) => policy([{ Sid: "S", Effect: "Allow", Action: "kinesis:ListStreams", Resource: "*" }], { name: `p${i}` });
    expect(await findings(Array.from({ length: 11 }, (_, i) => small(i)))).toEqual(["[quota] -: has 11 managed policies attached, 1 over AWS's quota of 10"]);
  });

  test("synth stops with one line per finding and writes nothing", async () => {
    const dir = tempDir("checks");
    const real = appModule.buildApp;
    const spy = jest.spyOn(appModule, "buildApp").mockImplementation((config, opts) => {
      const app = real(config, opts);
      const stack = app.node.children[0];
      registerPolicy(stack, {
        name: "seeded",
        kind: "managed",
        document: new PolicyDocument([{ sid: "Typo", actions: ["kinesis:GetRecord"], resources: [STREAM], reason: "seeded defect" }]),
        targets: [{ type: "role", name: "x" }],
      });
      return app;
    });
    try {
      const outdir = path.join(dir, "cdktf.out");
      const error = await synthesize(exampleConfig(), { outdir, projectDir: dir }).catch((e) => e);
      expect(error).toBeInstanceOf(PolicyCheckError);
      expect((error as PolicyCheckError).lines()).toEqual([
        "error: 1 policy check failed; nothing was written",
        '  [action-exists] management: seeded, statement Typo: "kinesis:GetRecord" is not an IAM action; did you mean "kinesis:GetRecords"?',
      ]);
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("quotas at scale", () => {
  test("merge then split keeps every grant and fits each part", () => {
    const resources = Array.from({ length: 400 }, (_, i) => `arn:aws:kinesis:eu-west-1:444455556666:stream/s-${i}`);
    const doc = new PolicyDocument([
      new Statement({ sid: "ReadA", actions: ["kinesis:GetRecords"], resources: resources.slice(0, 200), reason: "a" }),
      new Statement({ sid: "ReadB", actions: ["kinesis:GetRecords"], resources: resources.slice(200), reason: "b" }),
      new Statement({ sid: "List", actions: ["kinesis:ListStreams"], resources: ["*"], reason: "c" }),
    ]);
    const parts = fitPolicy(doc, POLICY_SIZE_LIMITS.managed, "test");
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(policySize(p)).toBeLessThanOrEqual(POLICY_SIZE_LIMITS.managed);
    const grants = (docs: PolicyDocument[]) =>
      docs.flatMap((d) => d.statements.flatMap((s) => s.actions.flatMap((a) => s.resources.map((r) => `${a} ${r}`)))).sort();
    expect(grants(parts)).toEqual(grants([doc]));
  });

  test("300 streams and 300 source accounts: every policy fits AWS quotas and passes every check", async () => {
    const config = validateConfig(scaledInput(300, 300), "scaled config");
    const policies = allPolicies(config);
    expect(await findings(policies)).toEqual([]);
    // the consumer of all 300 streams got numbered managed policies, within the attachment quota
    const allStreams = policies.filter((p) => p.kind === "managed" && p.name.startsWith("acme-all-streams-kinesis-consumer"));
    expect(allStreams.length).toBeGreaterThan(1);
    expect(allStreams.length).toBeLessThanOrEqual(10);
    // the bucket policy took the shared form, which still confines each account to its prefix
    const bucket = policies.find((p) => p.kind === "bucket")!;
    const write = (bucket.json.Statement as any[]).find((s) => s.Sid === "NativeExportSnowplowBackupWriterWriteOwnPrefix");
    expect(write.Resource).toEqual(["arn:aws:s3:::acme-dynamodb-backups/${aws:PrincipalAccount}/*"]);
    expect(write.Condition.StringEquals["aws:PrincipalAccount"]).toHaveLength(200);
  });

  test("past about 550 listed source accounts, synth fails saying by how much and what to do; admit 'organization' fits 1,000", async () => {
    const tooMany = scaledInput(3, 600);
    expect(() => allPolicies(validateConfig(tooMany, "scaled"))).toThrow(
      /^bucket policy of acme-dynamodb-backups is \d+ characters even with shared statements, \d+ over AWS's 20480-character quota; set backup.admit to "organization"/,
    );
    const org = scaledInput(3, 1000);
    org.backup.admit = "organization";
    const orgConfig = validateConfig(org, "scaled");
    const policies = allPolicies(orgConfig);
    // the organisation pins the shared statements (public-access needs the config's organization.id)
    expect((await checkPolicies(policies, checkContext(orgConfig))).map((f) => f.message)).toEqual([]);
    const bucket = policies.find((p) => p.kind === "bucket")!;
    expect(JSON.stringify(bucket.json)).not.toContain("200000000999");
  });
});

describe("scp-denied: our principals are not granted what our SCP denies in their account", () => {
  const scp = (statements: unknown[], governs: string | undefined = "444455556666") =>
    policy(statements, { stack: "management", account: "111122223333", name: "scp", kind: "scp", targets: [{ type: "account", name: "snowplow" }], governs });
  const scpFindings = async (p: CheckedPolicy[]) => (await findings(p)).filter((f) => f.startsWith("[scp-denied]"));
  const flowDeny = { Sid: "DenyServicesOutsideSnowplowFlow", Effect: "Deny", NotAction: ["ec2:*", "iam:*", "s3:*"], Resource: "*" };

  test("passes when every granted service is open in the SCP (compliant)", async () => {
    expect(await scpFindings([scp([flowDeny]), policy([{ Sid: "Ok", Effect: "Allow", Action: ["ec2:*", "s3:GetObject"], Resource: "*" }])])).toEqual([]);
  });

  test("fails on a grant of a service the SCP denies, naming the action, the SCP statement and the fix (non-compliant)", async () => {
    const got = await scpFindings([scp([flowDeny]), policy([{ Sid: "Setup", Effect: "Allow", Action: ["es:*", "ec2:*"], Resource: "*" }])]);
    expect(got).toEqual([
      expect.stringMatching(
        /^\[scp-denied\] Setup: grants es:\*, but SCP statement DenyServicesOutsideSnowplowFlow denies every es action in account 444455556666 .*remove the grant or open the service/,
      ),
    ]);
  });

  test("fails closed on a Deny it cannot judge by action (NotAction naming single actions)", async () => {
    const partial = { Sid: "Partial", Effect: "Deny", NotAction: ["s3:GetObject"], Resource: "*" };
    expect(await scpFindings([scp([partial]), policy([{ Sid: "Put", Effect: "Allow", Action: ["s3:PutObject"], Resource: "*" }])])).toEqual([
      expect.stringContaining("exempts only some s3 actions; not judged, so reported"),
    ]);
  });

  test("conditional denies (the region list) and other accounts are not judged", async () => {
    const regions = {
      Sid: "Regions",
      Effect: "Deny",
      NotAction: ["iam:*"],
      Resource: "*",
      Condition: { StringNotEquals: { "aws:RequestedRegion": ["eu-west-1"] } },
    };
    expect(await scpFindings([scp([regions]), policy([{ Sid: "Ec2", Effect: "Allow", Action: ["ec2:RunInstances"], Resource: "*" }])])).toEqual([]);
    expect(await scpFindings([scp([flowDeny], "999999999999"), policy([{ Sid: "Es", Effect: "Allow", Action: ["es:*"], Resource: "*" }])])).toEqual([]);
  });

  test("an acknowledgement with its reason lets a grant through", async () => {
    const ack: Acknowledgement = { rule: "scp-denied", reason: "the SCP is lifted for this account by a parent OU exception" };
    expect(
      await scpFindings([scp([flowDeny]), policy([{ Sid: "Es", Effect: "Allow", Action: ["es:*"], Resource: "*" }], { acknowledgements: [ack] })]),
    ).toEqual([]);
  });

  test("the published installer policy with the SCP off keeps es and rds; with it on, the example synthesizes without findings", async () => {
    const off = allPolicies(exampleConfig((c) => (c.organization.serviceControlPolicy.enabled = false)));
    const installerOff = off.find((p) => p.name === "snowplow-policy-setup-infrastructure")!;
    expect(JSON.stringify(installerOff.json)).toContain('"es:*"');
    const on = allPolicies();
    expect(JSON.stringify(on.find((p) => p.name === "snowplow-policy-setup-infrastructure")!.json)).not.toContain('"es:*"');
    expect(await scpFindings(on)).toEqual([]);
  });
});

describe("guardrails: access that must never be granted, and no public or foreign access", () => {
  const only =
    (rule: string) =>
    async (p: CheckedPolicy[], ctx: Parameters<typeof checkPolicies>[1] = {}) =>
      (await checkPolicies(p, ctx)).filter((f) => f.rule === rule).map((f) => `${f.sid ?? "-"}: ${f.message}`);
  const rail = only("guardrail");
  const pub = only("public-access");
  const bucket = (statements: unknown[]) => policy(statements, { kind: "bucket", account: "777788889999", targets: [{ type: "bucket", name: "b" }] });
  const known = { knownAccounts: new Set(["444455556666", "777788889999"]), organizationId: "o-a1b2c3d4e5" };

  test("fails on other users' credentials; self-service on ${aws:username} passes", async () => {
    expect(await rail([policy([{ Sid: "Keys", Effect: "Allow", Action: "iam:CreateAccessKey", Resource: "arn:aws:iam::444455556666:user/*" }])])).toEqual([
      expect.stringMatching(/^Keys: \[manage-other-users\] may create, change or hand out credentials of other IAM users/),
    ]);
    expect(
      await rail([policy([{ Sid: "Self", Effect: "Allow", Action: "iam:CreateAccessKey", Resource: "arn:aws:iam::444455556666:user/*/${aws:username}" }])]),
    ).toEqual([]);
  });

  test("the rails' service shortcut cannot be dodged: another case, a wildcard in the service, or no service part still fail", async () => {
    for (const action of ["IAM:CreateAccessKey", "Iam:createaccesskey", "i*:CreateAccessKey", "?am:CreateAccessKey", "*", "*:CreateAccessKey", "iam*"]) {
      const got = await rail([policy([{ Sid: "Keys", Effect: "Allow", Action: action, Resource: "arn:aws:iam::444455556666:user/*" }])]);
      expect([action, got]).toEqual([action, expect.arrayContaining([expect.stringMatching(/^Keys: \[manage-other-users\]/)])]);
    }
    // and a different service is not a hit
    expect(await rail([policy([{ Sid: "Streams", Effect: "Allow", Action: "kinesis:*", Resource: "arn:aws:iam::444455556666:user/*" }])])).toEqual([]);
  });

  test("fails on Organizations writes, passes on reads", async () => {
    expect(await rail([policy([{ Sid: "Org", Effect: "Allow", Action: "organizations:CreateAccount", Resource: "*" }])])).toHaveLength(1);
    expect(await rail([policy([{ Sid: "Org", Effect: "Allow", Action: "organizations:DescribeOrganization", Resource: "*" }])])).toEqual([]);
    // NotAction reaches Organizations too
    expect(await rail([policy([{ Sid: "Most", Effect: "Allow", NotAction: "iam:*", Resource: "*" }])])).toEqual([
      expect.stringContaining("[organizations-write]"),
    ]);
  });

  test("fails on a public bucket policy; passes when pinned to the organisation or known accounts", async () => {
    const put = { Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::b/*" };
    expect(await pub([bucket([{ Sid: "Open", ...put, Principal: "*" }])], known)).toEqual([expect.stringMatching(/^Open: allows anyone \(Principal \*\)/)]);
    expect(await pub([bucket([{ Sid: "Org", ...put, Principal: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } }])], known)).toEqual(
      [],
    );
    expect(
      await pub([bucket([{ Sid: "Other", ...put, Principal: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-zzzzzzzzzz" } } }])], known),
    ).toHaveLength(1);
    expect(await pub([bucket([{ Sid: "Acct", ...put, Principal: { AWS: "arn:aws:iam::444455556666:root" } }])], known)).toEqual([]);
    expect(await pub([bucket([{ Sid: "Foreign", ...put, Principal: { AWS: "arn:aws:iam::999988887777:root" } }])], known)).toEqual([
      expect.stringContaining("outside the config's accounts"),
    ]);
    // an empty list pins nothing: Principal * with aws:PrincipalArn [] is public
    expect(await pub([bucket([{ Sid: "Empty", ...put, Principal: "*", Condition: { ArnLike: { "aws:PrincipalArn": [] } } }])], known)).toHaveLength(1);
  });

  test("the backup rails: only the bucket's own account, and the key's admin statement is acknowledged", async () => {
    const ctx = { guardrails: builtInGuardrails({ backupBucket: "acme-dynamodb-backups", backupAccount: "777788889999" }) };
    const del = { Sid: "Del", Effect: "Allow", Action: "s3:DeleteBucket", Resource: "*" };
    expect(await rail([policy([del], { account: "777788889999" })], ctx)).toEqual([expect.stringContaining("[backup-bucket-destruction]")]);
    expect(await rail([policy([del], { account: "444455556666" })], ctx)).toEqual([]);
    expect(await findings(allPolicies())).toEqual([]);
  });

  test("a config's own never-granted rail stops the synth, naming the rail", async () => {
    const rail = {
      id: "no-raw-writes-by-loaders",
      reason: "write the raw stream",
      actions: ["kinesis:PutRecords"],
      resources: ["arn:aws:kinesis:*:*:stream/acme-raw-*"],
    };
    const c = exampleConfig((x) => (x.guardrails = { neverGranted: [rail] }));
    const got = (await checkPolicies(allPolicies(c), checkContext(c))).filter((f) => f.rule === "guardrail").map((f) => f.policy);
    expect(got).toEqual(["snowplow-pipeline: acme-collector-kinesis-app"]);
  });
});
