/**
 * The read-only plan roles in front of the real terraform: the stacks of a
 * config with CI validate and plan offline (the S3 backend swapped for a local
 * one by an override file, as only tests do), creating the hub, the GitHub
 * OIDC provider and a plan role in every account.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { buildApp } from "../../modules/stacks/app";
import { exampleConfig } from "../support/synth";
import { changes, initAndPlan, terraformBinary } from "../support/terraform";
import { tempDir } from "../support/temp";

jest.setTimeout(300_000);

test("a config with CI: every stack validates and plans, with its plan role", () => {
  terraformBinary();
  const dir = tempDir("ci-tf");
  try {
    const config = exampleConfig((c) => {
      c.backend = { type: "s3", bucket: "acme-tf-state", region: "eu-west-1" };
      c.ci = { github: { repository: "acme/snowplow-infra" } };
    });
    const outdir = path.join(dir, "cdktf.out");
    buildApp(config, { outdir, projectDir: dir }).synth();
    for (const stack of ["management", "source-shop"]) {
      const stackDir = path.join(outdir, "stacks", stack);
      // offline: a local backend instead of S3 (an override file, never part of the output)
      fs.writeFileSync(path.join(stackDir, "backend_override.tf.json"), JSON.stringify({ terraform: { backend: { local: { path: "offline.tfstate" } } } }));
      const { plan } = initAndPlan(stackDir);
      const created = Object.entries(changes(plan))
        .filter(([, a]) => a.join() === "create")
        .map(([addr]) => addr);
      expect(created).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^aws_iam_role\.ci_plan_role_[0-9A-F]{8}$/),
          expect.stringMatching(/^aws_iam_role_policy_attachment\.ci_plan_role_read_only_/),
        ]),
      );
      if (stack === "management") {
        expect(created).toEqual(
          expect.arrayContaining([
            expect.stringMatching(/^aws_iam_role\.ci_plan_hub_role_/),
            expect.stringMatching(/^aws_iam_openid_connect_provider\.ci_plan_hub_github_oidc_/),
          ]),
        );
      }
      expect(plan.variables.assume_role_arn.value).toMatch(/^(arn:aws:iam::\d{12}:role\/OrganizationAccountAccessRole|)$/);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
