/**
 * Vendored modules in a repository that stands for a user's own: its own
 * provider block, its own provider pin, an unrelated resource, and a call of
 * every module. init, fmt -check, terraform test in every module (its runs validate and plan),
 * an offline plan of the root, and the planned policies equal to synth's.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { reviewPlan } from "../../modules/review/review";
import { moduleCalls, MODULES, renderModuleCall, vendorFiles, writeVendor } from "../../modules/vendor/vendor";
import { exampleConfig, parsePolicy, synthStacks } from "../support/synth";
import { findProviderMirror, OFFLINE_OVERRIDE, pool, terraformBinary, tf, tfAsync } from "../support/terraform";
import { tempDir } from "../support/temp";

jest.setTimeout(600_000);

const USER_ROOT = `terraform {
  required_version = ">= 1.7"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

# something the repository already had
resource "aws_sns_topic" "existing_alerts" {
  name = "existing-alerts"
}
`;

/** policy JSON, normalised: statements by Sid, every value a sorted list */
function normalise(text: string): unknown {
  const doc = parsePolicy(text);
  const list = (v: unknown) => (Array.isArray(v) ? [...v] : [v]).map(String).sort();
  const deep = (o: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, typeof o[k] === "object" && !Array.isArray(o[k]) ? deep(o[k] as Record<string, unknown>) : list(o[k])]),
    );
  return [...doc.Statement].sort((a, b) => String(a.Sid).localeCompare(String(b.Sid))).map((s) => deep(s));
}

describe("vendored modules in an existing Terraform repository", () => {
  let repo: string;
  const config = exampleConfig();

  beforeAll(() => {
    terraformBinary();
    repo = tempDir("vendor");
    fs.writeFileSync(path.join(repo, "main.tf"), USER_ROOT);
    writeVendor(path.join(repo, "modules", "snowplow"), vendorFiles(config, "config/example.json"));
    // the repository's own calls: one provider for all (offline), the point-in-time checks off (they read real tables)
    const calls = moduleCalls(config, { verifyPointInTimeRecovery: false }).map((c) => renderModuleCall(c, `./modules/snowplow/${c.module}`));
    fs.writeFileSync(path.join(repo, "snowplow.tf"), calls.join("\n\n") + "\n");
  });

  test("terraform fmt -check passes on the repository, vendored modules included", () => {
    expect(tf(repo, ["fmt", "-check", "-recursive"])).toBe("");
  });

  describe("each module folder", () => {
    const results: Record<string, { init: number; test: { status: number; output: string } }> = {};
    beforeAll(async () => {
      // side by side: each `terraform test` starts mocked providers for several runs. Inits run side
      // by side too when the provider comes from a mirror (linked, no cache); with the shared plugin
      // cache (no mirror) they run one at a time first, as that cache is not safe for concurrent installs
      const mirrored = findProviderMirror() !== undefined;
      const init = (name: string) => tfAsync(path.join(repo, "modules", "snowplow", name), ["init", "-input=false", "-backend=false"]);
      const inits: Record<string, number> = {};
      if (!mirrored) for (const name of Object.keys(MODULES)) inits[name] = (await init(name)).status;
      await pool(
        Object.keys(MODULES).map((name) => async () => {
          if (mirrored) inits[name] = (await init(name)).status;
          const dir = path.join(repo, "modules", "snowplow", name);
          // no separate validate: each run plans, and a plan validates the module first
          results[name] = { init: inits[name], test: inits[name] === 0 ? await tfAsync(dir, ["test"]) : { status: 1, output: "init failed" } };
        }),
        2,
      );
    });

    test.each(Object.keys(MODULES))("%s: init and terraform test (mocked provider; each run validates and plans) pass", (name) => {
      const r = results[name];
      expect(r.init).toBe(0);
      expect(r.test.output).toMatch(/Success! [1-9]\d* passed, 0 failed/);
      expect(r.test.status).toBe(0);
    });
  });

  test("the root example validates", () => {
    const dir = path.join(repo, "modules", "snowplow", "example");
    tf(dir, ["init", "-input=false", "-backend=false"]);
    expect(JSON.parse(tf(dir, ["validate", "-json"])).valid).toBe(true);
  });

  describe("the repository's root", () => {
    let planned: any[];
    let plan: any;
    beforeAll(() => {
      fs.writeFileSync(path.join(repo, "offline_override.tf.json"), JSON.stringify(OFFLINE_OVERRIDE));
      tf(repo, ["init", "-input=false"]);
      // plan validates first
      tf(repo, ["plan", "-input=false", "-refresh=false", "-lock=false", "-out=plan.bin"]);
      plan = JSON.parse(tf(repo, ["show", "-json", "plan.bin"]));
      planned = plan.resource_changes
        .filter((c: any) => c.change.actions.includes("create"))
        .map((c: any) => ({ type: c.type, address: c.address, after: c.change.after }));
    });

    test("plans offline: its own resource and every module's", () => {
      const addresses = planned.map((p) => p.address);
      expect(addresses).toContain("aws_sns_topic.existing_alerts");
      for (const call of moduleCalls(config)) expect(addresses.some((a: string) => a.startsWith(`module.${call.name}.`))).toBe(true);
    });

    test("plans the same policies as cdktf synth of the example config", () => {
      const stacks = synthStacks(config);
      const ref = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.name\}$/;
      const synthPolicies = new Map<string, unknown>();
      const vendorPolicies = new Map<string, unknown>();
      for (const stack of Object.values(stacks)) {
        const res = stack.resource ?? {};
        const resolve = (v: string) => {
          const m = ref.exec(v);
          return m ? res[m[1]][m[2]].name : v;
        };
        for (const r of Object.values<any>(res.aws_iam_policy ?? {})) synthPolicies.set(`managed ${r.name}`, normalise(r.policy));
        for (const r of Object.values<any>(res.aws_iam_group_policy ?? {})) synthPolicies.set(`group ${resolve(r.group)} ${r.name}`, normalise(r.policy));
        for (const r of Object.values<any>(res.aws_iam_role_policy ?? {})) synthPolicies.set(`role ${resolve(r.role)} ${r.name}`, normalise(r.policy));
        for (const r of Object.values<any>(res.aws_iam_role ?? {})) synthPolicies.set(`trust ${r.name}`, normalise(r.assume_role_policy));
        for (const r of Object.values<any>(res.aws_s3_bucket_policy ?? {})) synthPolicies.set("bucket policy", normalise(r.policy));
        for (const r of Object.values<any>(res.aws_kms_key ?? {})) synthPolicies.set("key policy", normalise(r.policy));
        for (const r of Object.values<any>(res.aws_organizations_policy ?? {})) synthPolicies.set(`scp ${r.name}`, normalise(r.content));
      }
      for (const p of planned) {
        const a = p.after;
        if (p.type === "aws_iam_policy") vendorPolicies.set(`managed ${a.name}`, normalise(a.policy));
        if (p.type === "aws_iam_group_policy") vendorPolicies.set(`group ${a.group} ${a.name}`, normalise(a.policy));
        if (p.type === "aws_iam_role_policy") vendorPolicies.set(`role ${a.role} ${a.name}`, normalise(a.policy));
        if (p.type === "aws_iam_role") vendorPolicies.set(`trust ${a.name}`, normalise(a.assume_role_policy));
        if (p.type === "aws_s3_bucket_policy") vendorPolicies.set("bucket policy", normalise(a.policy));
        if (p.type === "aws_kms_key") vendorPolicies.set("key policy", normalise(a.policy));
        if (p.type === "aws_organizations_policy") vendorPolicies.set(`scp ${a.name}`, normalise(a.content));
      }
      expect([...vendorPolicies.keys()].sort()).toEqual([...synthPolicies.keys()].sort());
      expect(synthPolicies.size).toBeGreaterThan(15);
      for (const [k, v] of synthPolicies) expect([k, vendorPolicies.get(k)]).toEqual([k, v]);
    });

    test("the plan review reads the vendored modules' plan too (no CDKTF needed)", async () => {
      const r = await reviewPlan("repository", plan);
      expect(r.verdict).toBe("broadening");
      const operator = r.policies.find((p) => p.address === "module.snowplow_operator.aws_iam_policy.operator")!;
      expect(operator.label).toBe("managed policy `snowplow-policy-operate-datapipeline`");
      expect(operator.added.map((s) => s.sid)).toContain("PassEmrServiceRole");
      expect(r.links.some((l) => l.sign === "+" && l.text.startsWith("user group membership: snowplow-operator"))).toBe(true);
    });
  });
});
