/**
 * The real terraform CLI on every synthesized stack: init (provider mirror)
 * and an offline plan, which validates first; the stacks are planned as
 * modules of one root (planTogether). Fails, never skips, when terraform is missing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Config } from "../../modules/config/schema";
import { buildApp } from "../../modules/stacks/app";
import { exampleConfig } from "../support/synth";
import { changes, planAgainstState, planTogether, preparePlanFromState, stateFromPlan, terraformBinary, type PlannedStack } from "../support/terraform";
import { tempDir } from "../support/temp";

jest.setTimeout(300_000);

/** synthesize a config; its stacks folder */
function synthStacksDir(config: Config): string {
  const dir = tempDir("plan");
  const outdir = path.join(dir, "cdktf.out");
  buildApp(config, { outdir, projectDir: dir }).synth();
  return path.join(outdir, "stacks");
}

const moduleName = (stack: string) => stack.replace(/-/g, "_");

function plannedValues(plan: any): Record<string, any> {
  return Object.fromEntries((plan.planned_values.root_module.resources ?? []).map((r: any) => [r.address, r.values]));
}

function creates(p: PlannedStack, type: string): any[] {
  return (p.plan.resource_changes ?? []).filter((c: any) => c.type === type && c.change.actions.join() === "create").map((c: any) => c.change.after);
}

describe("terraform validate and offline plan", () => {
  let example: Record<string, PlannedStack>;
  let operate: PlannedStack;

  // every stack of the example, and the pipeline of the example operating, planned in one root
  beforeAll(async () => {
    terraformBinary(); // fails the suite with install instructions when terraform is missing
    const stacks = synthStacksDir(exampleConfig());
    const names = fs.readdirSync(stacks).sort();
    const operating = synthStacksDir(exampleConfig((c) => (c.pipeline.phase = "operate")));
    const plans = await planTogether([
      ...names.map((name) => ({ name: moduleName(name), dir: path.join(stacks, name) })),
      { name: "operate_pipeline", dir: path.join(operating, "snowplow-pipeline") },
    ]);
    example = Object.fromEntries(names.map((name) => [name, plans[moduleName(name)]]));
    operate = plans.operate_pipeline;
  });

  test("every stack of the example config validates and plans, creating only", () => {
    expect(Object.keys(example)).toEqual(["backup", "management", "snowplow-pipeline", "source-legacy", "source-shop"]);
    for (const p of Object.values(example)) {
      const actions = Object.values(changes(p.plan)).map((a) => a.join("+"));
      expect(actions.length).toBeGreaterThan(0);
      expect(new Set(actions)).toEqual(new Set(["create"]));
    }
  });

  test("management plan creates the member account and its SCP attachment", () => {
    const m = example.management;
    const [account] = creates(m, "aws_organizations_account");
    expect(account).toMatchObject({ name: "snowplow-acme", email: "aws-snowplow@example.com", close_on_deletion: false, iam_user_access_to_billing: "DENY" });
    const [scp] = creates(m, "aws_organizations_policy");
    expect(scp.type).toBe("SERVICE_CONTROL_POLICY");
    expect(JSON.parse(scp.content).Statement[0].Sid).toBe("DenyServicesOutsideSnowplowFlow");
    expect(creates(m, "aws_organizations_policy_attachment")).toHaveLength(1);
  });

  test("pipeline plan creates the groups, policies, users and memberships of both seeds", () => {
    const p = example["snowplow-pipeline"];
    expect(
      creates(p, "aws_iam_group")
        .map((g) => g.name)
        .sort(),
    ).toEqual(["snowplow-data-pipeline", "snowplow-setup", "snowplow-spark-launchers"]);
    expect(
      creates(p, "aws_iam_user")
        .map((u) => u.name)
        .sort(),
    ).toEqual(["snowplow-operator", "snowplow-setup"]);
    expect(
      creates(p, "aws_iam_user_group_membership")
        .map((m) => `${m.user}:${m.groups.join()}`)
        .sort(),
    ).toEqual(["snowplow-operator:snowplow-data-pipeline", "snowplow-setup:snowplow-setup"]);
    expect(creates(p, "aws_iam_policy").map((x) => x.name)).toContain("snowplow-policy-operate-datapipeline");
    // the installer's policy arrives at AWS with IAM's own ${aws:username} variables intact
    const self = creates(p, "aws_iam_group_policy").find((x) => x.name === "snowplow-self-service");
    expect(self.policy).toContain("user/*/${aws:username}");
    // several streams and applications: a role per application, a lease table for the one that asks
    expect(
      creates(p, "aws_iam_role")
        .map((r) => r.name)
        .sort(),
    ).toEqual(["acme-collector", "acme-enrich", "acme-s3-loader", "snowplow-spark-node"].sort());
    expect(creates(p, "aws_dynamodb_table").map((t) => t.name)).toEqual(["acme-s3-loader"]);
  });

  test("backup plan creates a guarded, encrypted, private bucket with one statement group per source", () => {
    const b = example.backup;
    expect(creates(b, "aws_s3_bucket")[0]).toMatchObject({ bucket: "acme-dynamodb-backups", force_destroy: false });
    expect(creates(b, "aws_s3_bucket_public_access_block")[0]).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    const policy = JSON.parse(creates(b, "aws_s3_bucket_policy")[0].policy);
    const sids = policy.Statement.map((s: any) => s.Sid);
    expect(sids).toEqual(expect.arrayContaining(["DenyInsecureTransport", "Shop123456789012WriteOwnPrefix", "Legacy111111111111DeleteScratchObjects"]));
    expect(policy.Statement.find((s: any) => s.Sid === "Legacy111111111111DeleteScratchObjects").Resource).toContain(
      "arn:aws:s3:::acme-dynamodb-backups/111111111111/*_$folder$",
    );
  });

  test("source stacks plan their writer policies", () => {
    expect(creates(example["source-shop"], "aws_iam_role").map((r) => r.name)).toEqual(["snowplow-backup-writer"]);
    expect(creates(example["source-legacy"], "aws_iam_role")).toEqual([]);
    expect(creates(example["source-legacy"], "aws_iam_role_policy_attachment")[0].role).toBe("DataPipelineDefaultResourceRole");
  });

  test("switching install to operate changes only the installer's group membership", () => {
    const before = plannedValues(example["snowplow-pipeline"].plan);
    const after = plannedValues(operate.plan);
    const removed = Object.keys(before).filter((k) => !(k in after));
    const added = Object.keys(after).filter((k) => !(k in before));
    expect(added).toEqual([]);
    expect(removed).toEqual([expect.stringMatching(/^aws_iam_user_group_membership\.installer_membership_/)]);
    for (const k of Object.keys(after)) expect(after[k]).toEqual(before[k]);
  });

  test("install -> operate -> delete the installer (the seed's workflow): only the user and its membership go, and the user is force_destroy, so its own MFA device or access key cannot block the delete", async () => {
    const installed = example["snowplow-pipeline"];
    const user = plannedValues(installed.plan)[Object.keys(plannedValues(installed.plan)).find((k) => k.startsWith("aws_iam_user.installer_user_"))!];
    expect(user).toMatchObject({ name: "snowplow-setup", force_destroy: true });
    const state = stateFromPlan(installed.plan, installed.dir);
    const dir = tempDir("delete-installer");
    buildApp(
      exampleConfig((c) => {
        c.pipeline.phase = "operate";
        c.pipeline.installer = { deleteUserWhenOperating: true };
      }),
      { outdir: path.join(dir, "cdktf.out"), projectDir: dir },
    ).synth();
    const plan = await preparePlanFromState(path.join(dir, "cdktf.out", "stacks", "snowplow-pipeline"), state)();
    const changed = (plan.resource_changes as any[]).filter((c) => !c.change.actions.includes("no-op")).map((c) => `${c.change.actions.join("+")} ${c.type}`);
    expect(changed.sort()).toEqual(["delete aws_iam_user", "delete aws_iam_user_group_membership"]);
    const deleted = (plan.resource_changes as any[]).find((c) => c.type === "aws_iam_user");
    expect(deleted.change.before).toMatchObject({ name: "snowplow-setup", force_destroy: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe("a change that would replace data fails the plan (prevent_destroy), before any apply", () => {
    function synthOnly(config: Config, stack: string): { dir: string; json: any } {
      const dir = tempDir("replace");
      const outdir = path.join(dir, "cdktf.out");
      buildApp(config, { outdir, projectDir: dir }).synth();
      const stackDir = path.join(outdir, "stacks", stack);
      return { dir: stackDir, json: JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")) };
    }

    test("renaming the backup bucket", () => {
      const { dir, json } = synthOnly(
        exampleConfig((c) => (c.backup.bucketName = "acme-backups-v2")),
        "backup",
      );
      const name = Object.keys(json.resource.aws_s3_bucket)[0];
      const r = planAgainstState(dir, [
        {
          type: "aws_s3_bucket",
          name,
          attributes: { id: "acme-dynamodb-backups", bucket: "acme-dynamodb-backups", force_destroy: false, tags: {}, tags_all: {} },
        },
      ]);
      expect(r.output).toContain(`aws_s3_bucket.${name} must be replaced`);
      expect(r.output).toContain("Error: Instance cannot be destroyed");
      expect(r.status).not.toBe(0);
    });

    test("changing the member account's billing access", () => {
      const { dir, json } = synthOnly(
        exampleConfig((c) => (c.accounts.snowplow.iamUserAccessToBilling = "ALLOW")),
        "management",
      );
      const name = Object.keys(json.resource.aws_organizations_account)[0];
      const r = planAgainstState(dir, [
        {
          type: "aws_organizations_account",
          name,
          attributes: {
            id: "444455556666",
            name: "snowplow-acme",
            email: "aws-snowplow@example.com",
            parent_id: "ou-ab12-cd34ef56",
            iam_user_access_to_billing: "DENY",
            close_on_deletion: false,
            create_govcloud: false,
            role_name: "OrganizationAccountAccessRole",
            tags: {},
            tags_all: {},
          },
        },
      ]);
      expect(r.output).toContain(`aws_organizations_account.${name} must be replaced`);
      expect(r.output).toContain("Error: Instance cannot be destroyed");
      expect(r.status).not.toBe(0);
    });
  });
});
