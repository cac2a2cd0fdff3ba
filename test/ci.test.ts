/**
 * The pull-request and apply workflows, and what they run: the changed-stack
 * selector, apply waves, Atlantis projects, the read-only plan roles, and the
 * workflow files themselves against GitHub's workflow schema.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { applyOrder, changedStacks } from "../modules/ci/changed";
import { buildApp } from "../modules/stacks/app";
import { runCi } from "../scripts/ci";
import { scaledInput } from "../scripts/scaled-config";
import { exampleConfig, exampleInput, ROOT, synthStacks } from "./support/synth";
import { validateConfig } from "../modules/config/load";
import { simulate, type Evaluated } from "./support/simulate";
import { tempDir } from "./support/temp";

jest.setTimeout(120_000);

const withCi = (c: any) => {
  c.backend = { type: "s3", bucket: "acme-tf-state", region: "eu-west-1" };
  c.ci = { github: { repository: "acme/snowplow-infra" } };
};

function synthTo(dir: string, input: any): string {
  const outdir = path.join(dir, "cdktf.out");
  fs.mkdirSync(dir, { recursive: true });
  buildApp(validateConfig(input, "test"), { outdir, projectDir: dir }).synth();
  return outdir;
}

describe("workflow files", () => {
  const dir = path.join(ROOT, ".github", "workflows");
  test.each(fs.readdirSync(dir).filter((f) => f.endsWith(".yml")))("%s is valid against GitHub's workflow schema", (file) => {
    const r = validateWorkflow(fs.readFileSync(path.join(dir, file), "utf8"));
    expect(r.errors).toEqual([]);
  });

  test("the check can fail: a misspelt key is found", () => {
    const text = fs.readFileSync(path.join(dir, "iam-review.yml"), "utf8").replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest");
    expect(validateWorkflow(text).errors.length).toBeGreaterThan(0);
  });

  test("the review workflow plans only the selected stacks, in parallel, and gathers one review", () => {
    const text = fs.readFileSync(path.join(dir, "iam-review.yml"), "utf8");
    expect(text).toContain("npm run -s ci -- check");
    expect(text).toContain("npm run -s ci -- changed --base ../base/cdktf.out --head cdktf.out");
    expect(text).toContain("matrix: ${{ fromJSON(needs.select.outputs.matrix) }}");
    expect(text).toContain("TF_VAR_assume_role_arn: ${{ matrix.role_arn }}");
    expect(text).toContain("needs: [select, plan]");
    const apply = fs.readFileSync(path.join(dir, "apply-stack.yml"), "utf8");
    expect(apply).toContain("environment: snowplow-iac-apply");
  });
});

describe("changed-stack selector", () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir("changed");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const pair = (change: (c: any) => void) => {
    const base = synthTo(path.join(dir, "base"), exampleInput());
    const input = exampleInput();
    change(input);
    const head = synthTo(path.join(dir, "head"), input);
    return changedStacks(base, head);
  };

  test("nothing changed: nothing to plan", () => {
    const c = pair(() => undefined);
    expect(c).toMatchObject({ changed: [], added: [], removed: [], unchanged: 5, plan: [] });
  });

  test("a stream added to one app: only the pipeline stack", () => {
    const c = pair((x) => {
      x.kinesis.streams.push({ name: "acme-extra" });
      x.kinesis.applications[2].reads.push("acme-extra");
    });
    expect(c.plan.map((p) => p.stack)).toEqual(["snowplow-pipeline"]);
  });

  test("a source removed: planned from the base (what leaving does), the bucket policy from the head", () => {
    const c = pair((x) => x.accounts.sources.splice(1, 1));
    expect(c.removed).toEqual(["source-legacy"]);
    expect(c.plan).toEqual([
      { stack: "backup", from: "head", dependencies: ["snowplow-pipeline"] },
      { stack: "source-legacy", from: "base", dependencies: ["backup"] },
    ]);
  });

  test("a source added: planned after what it depends on", () => {
    const c = pair((x) => x.accounts.sources.push({ name: "shop2", id: "222233334444", tables: ["orders"] }));
    expect(c.added).toEqual(["source-shop2"]);
    expect(c.plan.map((p) => p.stack)).toEqual(["backup", "source-shop2"]);
  });

  test("no base synth: every stack, in apply order", () => {
    const head = synthTo(path.join(dir, "head"), exampleInput());
    expect(changedStacks(undefined, head).plan.map((p) => p.stack)).toEqual(["management", "snowplow-pipeline", "backup", "source-legacy", "source-shop"]);
  });

  test("a cycle in dependencies is an error, not a hang", () => {
    expect(() => applyOrder({ a: { dependencies: ["b"] }, b: { dependencies: ["a"] } })).toThrow(/cycle: a -> b -> a/);
  });

  test("1,000 source accounts: a one-stream change plans one stack", () => {
    const make = (extra: boolean) => {
      const input = scaledInput(10, 10, { allStreamsConsumer: false });
      input.accounts.sources = Array.from({ length: 1000 }, (_, i) => ({ name: `s${i}`, id: String(100000000000 + i), tables: ["orders"] }));
      input.backup.admit = "organization";
      if (extra) {
        input.kinesis.streams.push({ name: "one-more" });
        input.kinesis.applications[0].streams.push("one-more");
      }
      return input;
    };
    const base = synthTo(path.join(dir, "base"), make(false));
    const head = synthTo(path.join(dir, "head"), make(true));
    const c = changedStacks(base, head);
    expect(c.plan.map((p) => p.stack)).toEqual(["snowplow-pipeline"]);
    expect(c.unchanged).toBe(1002);
  });
});

describe("npm run ci", () => {
  let dir: string;
  const lines: string[] = [];
  const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(`ERR ${l}`) };
  const write = (change: (c: any) => void) => {
    const c = exampleInput();
    change(c);
    fs.writeFileSync(path.join(dir, "c.json"), JSON.stringify(c));
  };
  beforeEach(() => {
    dir = tempDir("ci");
    lines.length = 0;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("check refuses a local backend and a config without plan roles", () => {
    write(() => undefined);
    expect(runCi(["check", "--config", "c.json"], {}, dir, io)).toBe(1);
    expect(lines).toEqual([
      expect.stringMatching(/^ERR checking .*c\.json for company acme$/),
      expect.stringMatching(/^ERR error: backend: is "local"/),
      expect.stringMatching(/^ERR error: ci: missing/),
    ]);
    lines.length = 0;
    write(withCi);
    expect(runCi(["check", "--config", "c.json"], {}, dir, io)).toBe(0);
  });

  test("a config with ci but a local backend is refused at load", () => {
    expect(() =>
      validateConfig(
        (() => {
          const c = exampleInput();
          c.ci = { github: { repository: "acme/x" } };
          return c;
        })(),
      ),
    ).toThrow(/problem/);
  });

  test("changed prints a matrix with each stack's account and read-only plan role", () => {
    write(withCi);
    const input = exampleInput();
    withCi(input);
    synthTo(path.join(dir, "b"), input);
    input.kinesis.applications[2].reads.push("acme-raw-bad");
    synthTo(dir, input);
    expect(runCi(["changed", "--config", "c.json", "--base", "b/cdktf.out", "--head", "cdktf.out"], {}, dir, io)).toBe(0);
    expect(lines[0]).toMatch(/^ERR checking .*c\.json for company acme$/);
    const out = JSON.parse(lines[1]);
    expect(out.include).toEqual([
      {
        stack: "snowplow-pipeline",
        from: "head",
        dir: "cdktf.out/stacks/snowplow-pipeline",
        account: "444455556666",
        role_arn: "arn:aws:iam::444455556666:role/snowplow/snowplow-iac-plan",
      },
    ]);
    expect(out.any).toBe(true);
  });

  test("waves follow the dependencies; atlantis.yaml has one project per stack with depends_on", () => {
    synthTo(dir, exampleInput());
    expect(runCi(["waves"], {}, dir, io)).toBe(0);
    expect(JSON.parse(lines[0])).toEqual({ wave0: ["management"], wave1: ["snowplow-pipeline"], wave2: ["backup"], wave3: ["source-legacy", "source-shop"] });
    expect(runCi(["atlantis", "--out", "atlantis.yaml"], {}, dir, io)).toBe(0);
    const yaml = fs.readFileSync(path.join(dir, "atlantis.yaml"), "utf8");
    expect(yaml).toContain(
      "  - name: source-shop\n    dir: cdktf.out/stacks/source-shop\n    workflow: snowplow-iac\n    autoplan:\n      enabled: false\n    depends_on:\n      - backup\n",
    );
    expect(yaml.indexOf("name: management")).toBeLessThan(yaml.indexOf("name: snowplow-pipeline"));
  });

  test("an unknown task: one line with a suggestion, exit 2", () => {
    expect(runCi(["chnaged"], {}, dir, io)).toBe(2);
    expect(lines).toEqual(['ERR error: unknown task "chnaged" (did you mean changed?); one of check, changed, waves, atlantis; see --help']);
  });
});

describe("read-only plan roles", () => {
  const stacks = synthStacks(exampleConfig(withCi));
  const roles = (s: any) => Object.values<any>(s.resource?.aws_iam_role ?? {});

  test("every account has a plan role that only the hub may assume, with ReadOnlyAccess and data reads denied", () => {
    for (const [name, s] of Object.entries<any>(stacks)) {
      const plan = roles(s).find((r) => r.name === "snowplow-iac-plan");
      expect([name, JSON.parse(plan.assume_role_policy).Statement]).toEqual([
        name,
        [
          {
            Sid: "AssumeFromPlanHub",
            Effect: "Allow",
            Principal: { AWS: ["arn:aws:iam::111122223333:role/snowplow/snowplow-iac-plan-hub"] },
            Action: ["sts:AssumeRole"],
          },
        ],
      ]);
      const attached = Object.values<any>(s.resource.aws_iam_role_policy_attachment).map((a) => a.policy_arn);
      expect(attached).toContain("arn:aws:iam::aws:policy/ReadOnlyAccess");
      const deny = Object.values<any>(s.resource.aws_iam_role_policy).find((p) => p.name === "snowplow-iac-plan-deny-data");
      expect(JSON.parse(deny.policy).Statement[0]).toMatchObject({ Effect: "Deny", Resource: ["*"] });
      expect(JSON.parse(deny.policy).Statement[0].Action).toEqual(expect.arrayContaining(["s3:GetObject", "dynamodb:Scan", "kms:Decrypt"]));
      // the provider's role is a variable whose default is the access role: applies are unchanged
      expect(s.provider.aws[0].assume_role?.[0]?.role_arn ?? "${var.assume_role_arn}").toBe("${var.assume_role_arn}");
    }
  });

  test("the hub trusts pull requests of one repository only, reads state and assumes plan roles only", () => {
    const hub = roles(stacks.management).find((r) => r.name === "snowplow-iac-plan-hub");
    const trust = JSON.parse(hub.assume_role_policy).Statement[0];
    expect(trust.Condition.StringEquals["token.actions.githubusercontent.com:sub"]).toBe("repo:acme/snowplow-infra:pull_request");
    expect(trust.Principal.Federated).toEqual(["arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"]);
    const policy = Object.values<any>(stacks.management.resource.aws_iam_role_policy).find((p) => p.name === "snowplow-iac-plan-hub");
    const actions = JSON.parse(policy.policy).Statement.flatMap((s: any) => s.Action);
    expect(actions.sort()).toEqual(["s3:GetObject", "s3:ListBucket", "sts:AssumeRole"]);
    expect(stacks.management.resource.aws_iam_openid_connect_provider).toBeDefined();
  });
});

describe("the plan roles in the IAM simulator: the calls a plan makes, and what they must never do", () => {
  const stacks = synthStacks(exampleConfig(withCi));
  const inline = (stack: any, policyName: string) =>
    JSON.parse(Object.values<any>(stack.resource.aws_iam_role_policy).find((p) => p.name === policyName).policy);
  // a stand-in for AWS's ReadOnlyAccess (its Get, List and Describe grants on the services these stacks use),
  // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/ReadOnlyAccess.html
  const readOnly = {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: [
          "s3:Get*",
          "s3:List*",
          "iam:Get*",
          "iam:List*",
          "kms:Describe*",
          "kms:Get*",
          "kms:List*",
          "dynamodb:Describe*",
          "dynamodb:Get*",
          "dynamodb:List*",
          "dynamodb:Query",
          "dynamodb:Scan",
          "kinesis:Describe*",
          "kinesis:Get*",
          "kinesis:List*",
        ],
        Resource: "*",
      },
    ],
  };
  const HUB = "arn:aws:iam::111122223333:role/snowplow/snowplow-iac-plan-hub";
  const PLAN = "arn:aws:iam::777788889999:role/snowplow/snowplow-iac-plan";
  const hub: Evaluated = { identity: [{ name: "hub", policy: inline(stacks.management, "snowplow-iac-plan-hub") }] };
  // assuming a role in another account also needs its trust policy (the role's resource policy)
  const planTrust = JSON.parse(Object.values<any>(stacks.backup.resource.aws_iam_role).find((r) => r.name === "snowplow-iac-plan").assume_role_policy);
  const hubToPlan: Evaluated = { ...hub, resourcePolicy: planTrust };
  const plan: Evaluated = {
    identity: [
      { name: "read-only", policy: readOnly },
      { name: "deny", policy: inline(stacks.backup, "snowplow-iac-plan-deny-data") },
    ],
  };
  const run = async (principal: string, e: Evaluated, action: string, resource: string, account: string, context?: Record<string, string | string[]>) =>
    simulate({ principal, action, resource, resourceAccount: account, context }, e);

  test("the hub reads the state of the stacks and assumes plan roles in the organisation, nothing else", async () => {
    expect(await run(HUB, hub, "s3:GetObject", "arn:aws:s3:::acme-tf-state/snowplow-iac/backup.tfstate", "111122223333")).toBe("Allowed");
    expect(await run(HUB, hub, "s3:ListBucket", "arn:aws:s3:::acme-tf-state", "111122223333", { "s3:prefix": "snowplow-iac/backup.tfstate" })).toBe("Allowed");
    expect(await run(HUB, hub, "s3:GetObject", "arn:aws:s3:::acme-tf-state/other-project/x.tfstate", "111122223333")).toBe("ImplicitlyDenied");
    expect(await run(HUB, hub, "s3:PutObject", "arn:aws:s3:::acme-tf-state/snowplow-iac/backup.tfstate", "111122223333")).toBe("ImplicitlyDenied");
    expect(await run(HUB, hubToPlan, "sts:AssumeRole", PLAN, "777788889999", { "aws:ResourceOrgID": "o-a1b2c3d4e5" })).toBe("Allowed");
    expect(await run(HUB, hubToPlan, "sts:AssumeRole", PLAN, "999999999999", { "aws:ResourceOrgID": "o-otherorg99" })).toBe("ImplicitlyDenied");
    expect(
      await run(HUB, hub, "sts:AssumeRole", "arn:aws:iam::777788889999:role/OrganizationAccountAccessRole", "777788889999", {
        "aws:ResourceOrgID": "o-a1b2c3d4e5",
      }),
    ).toBe("ImplicitlyDenied");
  });

  test("a plan role reads configuration (what a refresh calls) and never data", async () => {
    const bucket = "arn:aws:s3:::acme-dynamodb-backups";
    expect(await run(PLAN, plan, "s3:GetBucketPolicy", bucket, "777788889999")).toBe("Allowed");
    expect(await run(PLAN, plan, "s3:GetBucketVersioning", bucket, "777788889999")).toBe("Allowed");
    expect(await run(PLAN, plan, "iam:GetRole", "arn:aws:iam::777788889999:role/snowplow-backup-writer", "777788889999")).toBe("Allowed");
    expect(await run(PLAN, plan, "dynamodb:DescribeTable", "arn:aws:dynamodb:eu-west-1:777788889999:table/orders", "777788889999")).toBe("Allowed");
    expect(await run(PLAN, plan, "s3:GetObject", `${bucket}/123456789012/export.json.gz`, "777788889999")).toBe("ExplicitlyDenied");
    expect(await run(PLAN, plan, "dynamodb:Scan", "arn:aws:dynamodb:eu-west-1:777788889999:table/orders", "777788889999")).toBe("ExplicitlyDenied");
    expect(await run(PLAN, plan, "kinesis:GetRecords", "arn:aws:kinesis:eu-west-1:777788889999:stream/acme-raw-good", "777788889999")).toBe("ExplicitlyDenied");
    expect(await run(PLAN, plan, "kms:Decrypt", "arn:aws:kms:eu-west-1:777788889999:key/1234abcd-12ab-34cd-56ef-1234567890ab", "777788889999")).toBe(
      "ExplicitlyDenied",
    );
  });
});
