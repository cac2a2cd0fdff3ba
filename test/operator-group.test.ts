import { OPERATOR_STAR_RESOURCE_ACTIONS, operatorStatements } from "../modules/operator-group";
import { accountEnv } from "../modules/private/arn";
import { PolicyDocument } from "../modules/private/policy";
import { bySid, exampleConfig, findResource, grants, parsePolicy, synthStacks } from "./support/synth";

const env = accountEnv("444455556666", "eu-west-1");
const buckets = {
  log: "l-bucket",
  rawIn: "r-bucket",
  processing: "p-bucket",
  enrichedOut: "e-bucket",
  archive: "a-bucket",
  badRows: "b-bucket",
  hostedAssets: "snowplow-hosted-assets",
};
const doc = (extra: object = {}) => new PolicyDocument(operatorStatements({ env, level: "least-privilege", buckets, ...extra })).toJSON() as any;

describe("OperatorGroup", () => {
  test("least-privilege has no * action and no service wildcard", () => {
    for (const s of doc().Statement) for (const a of s.Action) expect(a).not.toMatch(/\*/);
  });

  test("least-privilege uses Resource * only for the listed actions without resource-level permissions", () => {
    for (const s of doc({ snsMonitoring: true }).Statement) {
      if (s.Resource.includes("*")) for (const a of s.Action) expect(Object.keys(OPERATOR_STAR_RESOURCE_ACTIONS)).toContain(a);
    }
  });

  test("least-privilege grants each bucket exactly its role's access", () => {
    const g = grants(doc());
    const on = (bucket: string) =>
      g
        .filter((x) => x.includes(`:::${bucket}/`))
        .map((x) => x.split(" ")[0])
        .sort();
    // EmrEtlRunner 1.0.4 moves data on the cluster: with its own keys it lists the pipeline's
    // folders and reads and renames RDB Loader's logs, nothing else
    expect(on("l-bucket")).toEqual(["s3:DeleteObject", "s3:GetObject", "s3:PutObject"]);
    expect(g.filter((x) => x.includes(":::l-bucket/")).every((x) => x.endsWith(":::l-bucket/rdb-loader/*"))).toBe(true);
    for (const b of ["r-bucket", "p-bucket", "e-bucket", "a-bucket", "b-bucket", "snowplow-hosted-assets"]) expect(on(b)).toEqual([]);
    // the older releases' file moves come back only behind legacyFileMoves
    const legacy = grants(doc({ legacyFileMoves: true }));
    expect(legacy).toContain("s3:GetObject arn:aws:s3:::r-bucket/*");
    expect(legacy).toContain("s3:PutObject arn:aws:s3:::a-bucket/*");
  });

  test("PassRole names the two EMR roles, each only to its service", () => {
    const s = bySid(doc());
    expect(s.PassEmrServiceRole.Resource).toEqual(["arn:aws:iam::444455556666:role/EMR_DefaultRole"]);
    expect(s.PassEmrServiceRole.Condition).toEqual({ StringLike: { "iam:PassedToService": "elasticmapreduce.amazonaws.com*" } });
    expect(s.PassEmrInstanceProfileRole.Resource).toEqual(["arn:aws:iam::444455556666:role/EMR_EC2_DefaultRole"]);
    expect(s.PassEmrInstanceProfileRole.Condition).toEqual({ StringLike: { "iam:PassedToService": "ec2.amazonaws.com*" } });
  });

  test("SNS only when monitoring by SNS is on, on the named topic", () => {
    expect(grants(doc()).some((x) => x.startsWith("sns:"))).toBe(false);
    expect(grants(doc({ snsMonitoring: true })).filter((x) => x.startsWith("sns:"))).toEqual([
      "sns:Publish arn:aws:sns:eu-west-1:444455556666:snowplow-monitoring",
    ]);
  });

  test("no IAM user management in the least-privilege operator", () => {
    expect(grants(doc()).filter((x) => x.startsWith("iam:") && !x.startsWith("iam:PassRole"))).toEqual([]);
  });

  test("compatible reproduces Snowplow's published policy exactly", () => {
    const d = new PolicyDocument(operatorStatements({ env, level: "compatible", buckets })).toJSON() as any;
    expect(d.Statement).toEqual([
      {
        Sid: "SnowplowPublishedOperatorPolicy",
        Effect: "Allow",
        Action: [
          "autoscaling:DescribeAutoScalingGroups",
          "cloudformation:DescribeStacks",
          "cloudformation:ListStackResources",
          "ec2:*",
          "elasticbeanstalk:*",
          "elasticmapreduce:*",
          "iam:PassRole",
          "redshift:DescribeClusters",
          "s3:*",
          "sns:*",
        ],
        Resource: ["*"],
      },
    ]);
  });

  test("the stack attaches the managed policy to the group, path and names from config", () => {
    const s = synthStacks(exampleConfig())["snowplow-pipeline"];
    const policy = findResource(s, "aws_iam_policy", "name", "snowplow-policy-operate-datapipeline");
    expect(policy.path).toBe("/snowplow/");
    expect(bySid(parsePolicy(policy.policy)).ListPipelineBuckets.Resource).toContain("arn:aws:s3:::acme-snowplow-raw");
    expect(findResource(s, "aws_iam_group", "name", "snowplow-data-pipeline").path).toBe("/snowplow/");
    expect(findResource(s, "aws_iam_user", "name", "snowplow-operator")).toBeDefined();
  });

  test("no access key or login profile unless asked; with them, PGP-encrypted", () => {
    const plain = synthStacks(exampleConfig())["snowplow-pipeline"];
    expect(plain.resource.aws_iam_access_key).toBeUndefined();
    const pgp = "mQENBF" + "A".repeat(82);
    const s = synthStacks(exampleConfig((c) => Object.assign(c.pipeline.operator, { accessKey: true, consoleLogin: true, pgpKey: pgp })))["snowplow-pipeline"];
    const [key] = Object.values(s.resource.aws_iam_access_key) as any[];
    expect(key.pgp_key).toBe(pgp);
    const [login] = Object.values(s.resource.aws_iam_user_login_profile) as any[];
    expect(login).toMatchObject({ pgp_key: pgp, password_reset_required: true });
  });
});
