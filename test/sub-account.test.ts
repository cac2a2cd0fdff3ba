import { allowedServices, serviceControlPolicyDocument } from "../modules/service-control-policy";
import { exampleConfig, resources, synthStacks } from "./support/synth";

describe("SubAccount", () => {
  test("creates snowplow-<company>, guarded against destroy, role name ignored", () => {
    const m = synthStacks(exampleConfig()).management;
    const [account] = Object.values(resources(m, "aws_organizations_account")) as any[];
    expect(account).toMatchObject({
      name: "snowplow-acme",
      email: "aws-snowplow@example.com",
      parent_id: "ou-ab12-cd34ef56",
      role_name: "OrganizationAccountAccessRole",
      close_on_deletion: false,
      iam_user_access_to_billing: "DENY",
      lifecycle: { prevent_destroy: true, ignore_changes: ["role_name"] },
    });
    expect(m.import).toBeUndefined();
  });

  test("adopts an existing account with an import block", () => {
    const m = synthStacks(exampleConfig((c) => (c.accounts.snowplow.mode = "adopt"))).management;
    expect(m.import).toEqual([{ id: "444455556666", to: expect.stringMatching(/^aws_organizations_account\./) }]);
  });

  test("the pipeline stack reaches the account through the organisation's access role", () => {
    const p = synthStacks(exampleConfig())["snowplow-pipeline"];
    expect(p.provider.aws[0]).toMatchObject({
      region: "eu-west-1",
      allowed_account_ids: ["444455556666"],
      assume_role: [{ role_arn: "arn:aws:iam::444455556666:role/OrganizationAccountAccessRole", session_name: "snowplow-aws-iac" }],
      default_tags: [{ tags: { owner: "data-platform", project: "snowplow" } }],
    });
    expect(JSON.stringify(p.provider)).not.toMatch(/access_key|secret_key/);
  });
});

describe("ServiceControlPolicy", () => {
  const notActions = (flow: "batch" | "real-time" | "both") =>
    (serviceControlPolicyDocument({ flow, targetId: "x" }).toJSON() as any).Statement[0].NotAction as string[];

  test("batch leaves the seed's batch services open, and not Kinesis or DynamoDB", () => {
    const n = notActions("batch");
    for (const s of ["cloudfront", "cloudformation", "ec2", "elasticbeanstalk", "elasticmapreduce", "s3", "redshift", "iam", "sts"])
      expect(n).toContain(`${s}:*`);
    expect(n).not.toContain("kinesis:*");
    expect(n).not.toContain("dynamodb:*");
  });

  test("real-time adds Kinesis and DynamoDB", () => {
    expect(notActions("real-time")).toEqual(expect.arrayContaining(["kinesis:*", "dynamodb:*"]));
  });

  test("every service left open has a reason", () => {
    for (const reason of Object.values(allowedServices("both"))) expect(reason.length).toBeGreaterThan(10);
  });

  test("region restriction denies regional services elsewhere; switchable off", () => {
    const d = serviceControlPolicyDocument({ flow: "both", targetId: "x", allowedRegions: ["eu-west-1"] }).toJSON() as any;
    expect(d.Statement[1]).toMatchObject({
      Sid: "DenyRegionsOutsideAllowList",
      Effect: "Deny",
      Condition: { StringNotEquals: { "aws:RequestedRegion": ["eu-west-1"] } },
    });
    const off = synthStacks(exampleConfig((c) => (c.organization.serviceControlPolicy.enabled = false))).management;
    expect(off.resource.aws_organizations_policy).toBeUndefined();
  });
});

describe("AccountStack backends", () => {
  test("s3 backend: a key per stack, encryption and S3-native locking", () => {
    const stacks = synthStacks(exampleConfig((c) => (c.backend = { type: "s3", bucket: "acme-terraform-state", region: "eu-west-1", keyPrefix: "snowplow" })));
    for (const [name, s] of Object.entries(stacks)) {
      expect(s.terraform.backend).toEqual({
        s3: { bucket: "acme-terraform-state", key: `snowplow/${name}.tfstate`, region: "eu-west-1", encrypt: true, use_lockfile: true },
      });
    }
  });

  test("local backend: a relative path outside cdktf.out", () => {
    for (const [name, s] of Object.entries(synthStacks(exampleConfig()))) {
      expect(s.terraform.backend).toEqual({ local: { path: `../../../terraform.${name}.tfstate` } });
    }
  });
});
