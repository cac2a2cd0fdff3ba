import { installerStatements } from "../modules/installer-group";
import { PolicyDocument } from "../modules/private/policy";
import { bySid, exampleConfig, findResource, parsePolicy, resources, synthStacks } from "./support/synth";

const actionsOf = (flow: "batch" | "real-time" | "both") => new PolicyDocument(installerStatements(flow)).statements.flatMap((s) => s.actions);

describe("InstallerGroup", () => {
  test("batch grants the published batch services and Marketplace subscriptions", () => {
    expect(actionsOf("batch")).toEqual([
      "acm:*",
      "autoscaling:*",
      "cloudformation:*",
      "cloudfront:*",
      "cloudwatch:*",
      "ec2:*",
      "elasticbeanstalk:*",
      "elasticloadbalancing:*",
      "elasticmapreduce:*",
      "es:*",
      "iam:*",
      "rds:*",
      "redshift:*",
      "s3:*",
      "sns:*",
      "aws-marketplace:Subscribe",
      "aws-marketplace:Unsubscribe",
      "aws-marketplace:ViewSubscriptions",
    ]);
  });

  test("real-time grants the published Kinesis-flow services and only reads certificates", () => {
    const a = actionsOf("real-time");
    expect(a).toEqual(expect.arrayContaining(["kinesis:*", "dynamodb:*", "logs:*", "acm:DescribeCertificate", "acm:ListCertificates"]));
    expect(a).not.toContain("acm:*");
    expect(a).not.toContain("elasticmapreduce:*");
  });

  test("both is batch plus dynamodb, kinesis and logs", () => {
    const both = new Set(actionsOf("both"));
    for (const a of actionsOf("batch")) expect(both.has(a)).toBe(true);
    for (const a of ["dynamodb:*", "kinesis:*", "logs:*"]) expect(both.has(a)).toBe(true);
  });

  test("install phase makes the user a member; operate removes only the membership", () => {
    const install = synthStacks(exampleConfig())["snowplow-pipeline"];
    const operate = synthStacks(exampleConfig((c) => (c.pipeline.phase = "operate")))["snowplow-pipeline"];
    const members = (s: any) =>
      Object.values(resources(s, "aws_iam_user_group_membership"))
        .map((m: any) => m.groups[0])
        .sort();
    expect(members(install)).toEqual([
      expect.stringMatching(/^\$\{aws_iam_group\.installer_group_/),
      expect.stringMatching(/^\$\{aws_iam_group\.operator_group_/),
    ]);
    expect(members(operate)).toEqual([expect.stringMatching(/^\$\{aws_iam_group\.operator_group_/)]);
    expect(findResource(operate, "aws_iam_user", "name", "snowplow-setup")).toBeDefined();
  });

  test("operate phase with deleteUserWhenOperating removes the installer user too", () => {
    const s = synthStacks(
      exampleConfig((c) => {
        c.pipeline.phase = "operate";
        c.pipeline.installer = { deleteUserWhenOperating: true };
      }),
    )["snowplow-pipeline"];
    expect(Object.values(resources(s, "aws_iam_user")).map((u: any) => u.name)).toEqual(["snowplow-operator"]);
  });

  test("the group carries MFA enforcement and self-service, switchable off", () => {
    const on = synthStacks(exampleConfig())["snowplow-pipeline"];
    const selfService = Object.values(resources(on, "aws_iam_group_policy")).filter((r: any) => r.name === "snowplow-self-service");
    expect(selfService).toHaveLength(2); // installer and operator groups
    // the installer's own access keys are held to MFA (BoolIfExists); the operator's are not (Bool):
    // EmrEtlRunner signs with the operator's long-term key, which cannot carry MFA
    const byGroup = Object.fromEntries((selfService as any[]).map((r) => [r.group, bySid(parsePolicy(r.policy)).DenyAllExceptListedIfNoMFA]));
    const conditions = Object.entries(byGroup)
      .map(([g, d]: [string, any]) => `${g}: ${d.Effect} ${JSON.stringify(d.Condition)}`)
      .sort();
    expect(conditions).toEqual([
      expect.stringMatching(/^\$\{aws_iam_group\.installer_group_.*\}: Deny \{"BoolIfExists":\{"aws:MultiFactorAuthPresent":"false"\}\}$/),
      expect.stringMatching(/^\$\{aws_iam_group\.operator_group_.*\}: Deny \{"Bool":\{"aws:MultiFactorAuthPresent":"false"\}\}$/),
    ]);
    const off = synthStacks(exampleConfig((c) => (c.iam.enableMfaEnforcement = false)))["snowplow-pipeline"];
    const p2 = Object.values(resources(off, "aws_iam_group_policy")).map((r: any) => parsePolicy(r.policy));
    for (const p of p2) expect(bySid(p).DenyAllExceptListedIfNoMFA).toBeUndefined();
  });
});
