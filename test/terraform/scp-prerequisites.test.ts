/**
 * The SCP prerequisite (issue #12, item 10): attaching a service control
 * policy fails unless the organisation has all features and the SCP policy
 * type is enabled on its root. The management stack checks both at plan time,
 * with postconditions on the organisation's data; here under `terraform test`
 * with a mocked provider whose organisation data we choose.
 */
import * as path from "node:path";
import { buildApp } from "../../modules/stacks/app";
import { exampleConfig } from "../support/synth";
import { terraformBinary, tf, tfTestFiles } from "../support/terraform";
import { tempDir } from "../support/temp";

jest.setTimeout(300_000);

const organization = (featureSet: string, scpStatus: string | undefined) => `mock_provider "aws" {
  override_data {
    target = data.aws_organizations_organization.organization_scp_prerequisites
    values = {
      feature_set = "${featureSet}"
      roots = [{ id = "r-ab12", arn = "arn:aws:organizations::111122223333:root/o-a1b2c3d4e5/r-ab12", name = "Root", policy_types = [${
        scpStatus === undefined ? "" : `{ type = "SERVICE_CONTROL_POLICY", status = "${scpStatus}" }`
      }] }]
    }
  }
  override_resource {
    target = aws_organizations_account.snowplow_account_66873706
    values = { id = "444455556666" }
  }
}
run "plans" {
  command = plan
}
`;

describe("service control policy prerequisites (terraform test, mocked provider)", () => {
  const CASES = {
    enabled: organization("ALL", "ENABLED"),
    disabled: organization("ALL", undefined),
    billing: organization("CONSOLIDATED_BILLING", undefined),
  };
  let all: ReturnType<typeof tfTestFiles>;
  beforeAll(() => {
    terraformBinary();
    const dir = tempDir("scp");
    buildApp(exampleConfig(), { outdir: path.join(dir, "cdktf.out"), projectDir: dir }).synth();
    const stack = path.join(dir, "cdktf.out", "stacks", "management");
    tf(stack, ["init", "-input=false", "-backend=false"]);
    // the three cases in one terraform test run, read per file
    all = tfTestFiles(stack, CASES);
  });
  test("one run of the three files: one passes, two fail", () => {
    expect(all.output).toContain("Failure! 1 passed, 2 failed.");
    expect(all.status).not.toBe(0);
  });

  test("plans when the organisation has all features and SCPs enabled on its root", () => {
    expect(all.byFile.enabled.text).toContain('"plans"... pass');
    expect(all.byFile.enabled.passed).toBe(true);
    expect(all.byFile.enabled.text).not.toContain("Error");
  });

  test("fails the plan, saying how to enable them, when SCPs are not enabled on the root", () => {
    expect(all.byFile.disabled.passed).toBe(false);
    expect(all.byFile.disabled.text).toContain("Service control policies are not enabled on the organization");
    expect(all.byFile.disabled.text).toContain("enable-policy-type");
  });

  test("fails the plan when the organisation has only consolidated billing", () => {
    expect(all.byFile.billing.passed).toBe(false);
    expect(all.byFile.billing.text).toContain("The organization has only consolidated billing features");
  });
});
