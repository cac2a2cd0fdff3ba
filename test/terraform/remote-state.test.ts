/**
 * A new member account in one ordered run: the pipeline stack reads the
 * account id from the management stack's state. Planned offline against a
 * management state that holds the output, the pipeline's policies name the
 * real account; without that state, the plan stops on the missing output.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { buildApp } from "../../modules/stacks/app";
import { exampleConfig } from "../support/synth";
import { initAndPlan, terraformBinary } from "../support/terraform";
import { tempDir } from "../support/temp";

jest.setTimeout(300_000);

test("the pipeline stack plans with the account id from the management stack's state", () => {
  terraformBinary();
  const dir = tempDir("remote");
  try {
    const outdir = path.join(dir, "cdktf.out");
    buildApp(
      exampleConfig((c) => delete c.accounts.snowplow.id),
      { outdir, projectDir: dir },
    ).synth();
    const stackDir = path.join(outdir, "stacks", "snowplow-pipeline");
    // without the management stack's state (not applied yet): the plan stops on the missing output
    expect(() => initAndPlan(stackDir)).toThrow(/Unable to find remote state/);
    fs.writeFileSync(
      path.join(dir, "terraform.management.tfstate"),
      JSON.stringify({
        version: 4,
        terraform_version: "1.11.4",
        serial: 1,
        lineage: "00000000-0000-4000-8000-000000000001",
        outputs: { snowplow_account_id: { value: "444455556666", type: "string" } },
        resources: [],
      }),
    );
    const { plan } = initAndPlan(stackDir);
    const policies = (plan.planned_values.root_module.resources as any[]).filter((r) => r.type === "aws_iam_policy").map((r) => r.values.policy);
    expect(policies.join("\n")).toContain("arn:aws:kinesis:eu-west-1:444455556666:stream/acme-raw-good");
    expect(policies.join("\n")).not.toContain("terraform_remote_state");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
