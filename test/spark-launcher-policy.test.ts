import { accountEnv } from "../modules/private/arn";
import { PolicyDocument } from "../modules/private/policy";
import { sparkLauncherStatements } from "../modules/spark-launcher-policy";
import { bySid, exampleConfig, findResource, grants, synthStacks } from "./support/synth";

const env = accountEnv("444455556666", "eu-west-1");
const doc = new PolicyDocument(sparkLauncherStatements({ env, instanceProfileName: "spark-node", nodeRoleName: "spark-node" })).toJSON() as any;

describe("SparkLauncher", () => {
  test("IAM is pruned to GetInstanceProfile and PassRole on the one profile and role (seed 003)", () => {
    expect(grants(doc).filter((x) => x.startsWith("iam:"))).toEqual([
      "iam:GetInstanceProfile arn:aws:iam::444455556666:instance-profile/spark-node",
      "iam:PassRole arn:aws:iam::444455556666:role/spark-node",
    ]);
    expect(bySid(doc).PassSparkNodeRole.Condition).toEqual({ StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } });
  });

  test("EC2 is Flintrock's calls only, never ec2:*, all region-bound", () => {
    const actions = new Set(
      grants(doc)
        .filter((x) => x.startsWith("ec2:"))
        .map((x) => x.split(" ")[0]),
    );
    expect([...actions].sort()).toEqual([
      "ec2:AuthorizeSecurityGroupIngress",
      "ec2:CreateSecurityGroup",
      "ec2:CreateTags",
      "ec2:DeleteSecurityGroup",
      "ec2:DescribeImages",
      "ec2:DescribeInstanceAttribute",
      "ec2:DescribeInstances",
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeSubnets",
      "ec2:DescribeVpcAttribute",
      "ec2:DescribeVpcs",
      "ec2:ModifyInstanceAttribute",
      "ec2:RunInstances",
      "ec2:StartInstances",
      "ec2:StopInstances",
      "ec2:TerminateInstances",
    ]);
    for (const s of doc.Statement.filter((x: any) => x.Action[0].startsWith("ec2:"))) {
      expect(JSON.stringify(s.Condition)).toContain('"aws:RequestedRegion":"eu-west-1"');
    }
  });

  test("stop, start and terminate only instances Flintrock tagged; tags only at launch", () => {
    expect(bySid(doc).ManageOwnFlintrockInstances.Condition.StringLike).toEqual({ "ec2:ResourceTag/flintrock-role": ["master", "slave"] });
    expect(bySid(doc).TagInstancesAtLaunch.Condition.StringEquals["ec2:CreateAction"]).toBe("RunInstances");
  });

  test("the stack creates the nodes' role and instance profile and the launchers' group", () => {
    const s = synthStacks(exampleConfig())["snowplow-pipeline"];
    expect(findResource(s, "aws_iam_instance_profile", "name", "snowplow-spark-node").role).toMatch(/aws_iam_role\.spark_launcher_node_role/);
    expect(findResource(s, "aws_iam_group", "name", "snowplow-spark-launchers")).toBeDefined();
  });
});
