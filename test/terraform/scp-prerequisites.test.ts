/**
 * The SCP prerequisite (issue #12, item 10): attaching a service control
 * policy fails unless the organisation has all features and the SCP policy
 * type is enabled on its root. The management stack checks both at plan time,
 * with postconditions on the organisation's data; here under `terraform test`
 * with a mocked provider whose organisation data we choose.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildApp } from "../../modules/stacks/app";
import { exampleConfig } from "../support/synth";
import { terraformBinary, tf, tfTest } from "../support/terraform";

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
  /** each test file's part of one `terraform test` run over all three (one provider schema load, not three) */
  const output: Record<string, string> = {};
  let all: { status: number; output: string };
  beforeAll(() => {
    terraformBinary();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snowplow-iac-scp-"));
    buildApp(exampleConfig(), { outdir: path.join(dir, "cdktf.out"), projectDir: dir }).synth();
    const stack = path.join(dir, "cdktf.out", "stacks", "management");
    fs.mkdirSync(path.join(stack, "tests"));
    for (const [name, hcl] of Object.entries(CASES)) fs.writeFileSync(path.join(stack, "tests", `${name}.tftest.hcl`), hcl);
    tf(stack, ["init", "-input=false", "-backend=false"]);
    all = tfTest(stack, ["-json"]);
    // terraform test -json tags every message with its test file
    for (const line of all.output.split("\n")) {
      if (!line.startsWith("{")) continue;
      const m = JSON.parse(line) as { "@testfile"?: string; "@message": string; diagnostic?: { summary: string; detail?: string } };
      const name = /^tests\/(\w+)\.tftest\.hcl$/.exec(m["@testfile"] ?? "")?.[1];
      if (name) output[name] = `${output[name] ?? ""}${m["@message"]}\n${m.diagnostic ? `${m.diagnostic.summary}: ${m.diagnostic.detail ?? ""}\n` : ""}`;
    }
  });

  test("one run of the three files: one passes, two fail", () => {
    expect(all.output).toContain("Failure! 1 passed, 2 failed.");
    expect(all.status).not.toBe(0);
  });

  test("plans when the organisation has all features and SCPs enabled on its root", () => {
    expect(output.enabled).toContain('"plans"... pass');
    expect(output.enabled).toContain("tests/enabled.tftest.hcl... pass");
    expect(output.enabled).not.toContain("Error");
  });

  test("fails the plan, saying how to enable them, when SCPs are not enabled on the root", () => {
    expect(output.disabled).toContain("tests/disabled.tftest.hcl... fail");
    expect(output.disabled).toContain("Service control policies are not enabled on the organization");
    expect(output.disabled).toContain("enable-policy-type");
  });

  test("fails the plan when the organisation has only consolidated billing", () => {
    expect(output.billing).toContain("tests/billing.tftest.hcl... fail");
    expect(output.billing).toContain("The organization has only consolidated billing features");
  });
});
