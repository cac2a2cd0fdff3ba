import { kinesisAppStatements, type KinesisAppPolicyOptions } from "../modules/kinesis-app-policy";
import { accountEnv } from "../modules/private/arn";
import { PolicyDocument } from "../modules/private/policy";
import { bySid, exampleConfig, findResource, grants, parsePolicy, synthStacks } from "./support/synth";

const env = accountEnv("444455556666", "eu-west-1");
const S = "arn:aws:kinesis:eu-west-1:444455556666:stream/raw";
const T = "arn:aws:dynamodb:eu-west-1:444455556666:table/enrich";
const doc = (o: Partial<KinesisAppPolicyOptions>) =>
  new PolicyDocument(kinesisAppStatements({ env, appName: "enrich", reads: [{ name: "raw" }], ...o })).toJSON() as any;
/** a writer only, with the KPL's metrics off unless given */
const writer = (o: Partial<KinesisAppPolicyOptions>) => doc({ reads: [], producerMetricsNamespace: false, ...o });

describe("KinesisApp", () => {
  test("producer: describe, list shards and put on the named streams only (seed 002; the KPL lists shards since 0.14)", () => {
    expect(grants(writer({ kclVersion: 1, writes: [{ name: "raw" }, { name: "bad" }] }))).toEqual([
      "kinesis:DescribeStream arn:aws:kinesis:eu-west-1:444455556666:stream/bad",
      `kinesis:DescribeStream ${S}`,
      "kinesis:ListShards arn:aws:kinesis:eu-west-1:444455556666:stream/bad",
      `kinesis:ListShards ${S}`,
      "kinesis:PutRecord arn:aws:kinesis:eu-west-1:444455556666:stream/bad",
      `kinesis:PutRecord ${S}`,
      "kinesis:PutRecords arn:aws:kinesis:eu-west-1:444455556666:stream/bad",
      `kinesis:PutRecords ${S}`,
    ]);
  });

  test("consumer KCL 1: stream reads with ListShards, the seed's lease-table actions, namespaced metrics", () => {
    expect(grants(doc({ kclVersion: 1 }))).toEqual([
      "cloudwatch:PutMetricData *",
      `dynamodb:CreateTable ${T}`,
      `dynamodb:DeleteItem ${T}`,
      `dynamodb:DescribeTable ${T}`,
      `dynamodb:GetItem ${T}`,
      `dynamodb:PutItem ${T}`,
      `dynamodb:Scan ${T}`,
      `dynamodb:UpdateItem ${T}`,
      `kinesis:DescribeStream ${S}`,
      `kinesis:GetRecords ${S}`,
      `kinesis:GetShardIterator ${S}`,
      `kinesis:ListShards ${S}`,
    ]);
    expect(bySid(doc({ kclVersion: 1 })).PublishAppMetrics.Condition).toEqual({ StringEquals: { "cloudwatch:namespace": "enrich" } });
  });

  test("consumer KCL 2 adds DescribeStreamSummary and enhanced fan-out on the stream's consumers", () => {
    const g = grants(doc({ kclVersion: 2 }));
    expect(g).toEqual(
      expect.arrayContaining([
        `kinesis:DescribeStreamSummary ${S}`,
        `kinesis:RegisterStreamConsumer ${S}`,
        `kinesis:SubscribeToShard ${S}/consumer/*`,
        `kinesis:DescribeStreamConsumer ${S}/consumer/*`,
      ]),
    );
    expect(g.some((x) => x.includes("WorkerMetricStats"))).toBe(false);
    expect(grants(doc({ kclVersion: 2, enhancedFanOut: false })).some((x) => x.includes("consumer/"))).toBe(false);
  });

  test("consumer KCL 3 adds its two state tables and Query on the lease table's indexes", () => {
    const g = grants(doc({ kclVersion: 3 }));
    expect(g).toEqual(
      expect.arrayContaining([
        `dynamodb:Query ${T}/index/*`,
        `dynamodb:UpdateTable ${T}`,
        `dynamodb:CreateTable ${T}-WorkerMetricStats`,
        `dynamodb:CreateTable ${T}-CoordinatorState`,
      ]),
    );
  });

  test("consumer never writes to its stream nor deletes its table", () => {
    for (const v of [1, 2, 3] as const) {
      const g = grants(doc({ kclVersion: v }));
      expect(g.filter((x) => /kinesis:Put|dynamodb:DeleteTable/.test(x))).toEqual([]);
    }
  });

  test("encrypted streams: producers get GenerateDataKey, consumers Decrypt, on the named key through Kinesis", () => {
    const key = "arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const streams = [{ name: "raw", kmsKeyArn: key }];
    expect(bySid(writer({ writes: streams })).EncryptStreamRecords).toMatchObject({ Action: ["kms:GenerateDataKey"], Resource: [key] });
    expect(bySid(doc({ reads: streams })).DecryptStreamRecords).toMatchObject({
      Action: ["kms:Decrypt"],
      Resource: [key],
      Condition: { StringEquals: { "kms:ViaService": "kinesis.eu-west-1.amazonaws.com" } },
    });
  });

  test("runs under roles: EC2 instance profile, ECS tasks; a managed lease table drops CreateTable", () => {
    const s = synthStacks(exampleConfig())["snowplow-pipeline"];
    const ecs = parsePolicy(findResource(s, "aws_iam_role", "name", "acme-enrich").assume_role_policy);
    expect(ecs.Statement[0]).toMatchObject({
      Principal: { Service: ["ecs-tasks.amazonaws.com"] },
      Condition: { StringEquals: { "aws:SourceAccount": "444455556666" } },
    });
    expect(findResource(s, "aws_iam_instance_profile", "name", "acme-collector")).toBeDefined();
    const table = findResource(s, "aws_dynamodb_table", "name", "acme-s3-loader");
    expect(table).toMatchObject({ billing_mode: "PAY_PER_REQUEST", point_in_time_recovery: { enabled: true }, lifecycle: { prevent_destroy: true } });
    const loader = parsePolicy(findResource(s, "aws_iam_policy", "name", "acme-s3-loader-kinesis-app").policy);
    expect(bySid(loader).UseLeaseTable.Action).not.toContain("dynamodb:CreateTable");
    expect(s.resource.aws_iam_user_policy_attachment).toBeUndefined();
  });

  test("EKS pods assume the role through their service account only", () => {
    const oidc = "arn:aws:iam::444455556666:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC123";
    const s = synthStacks(
      exampleConfig((c) =>
        Object.assign(c.kinesis.applications[1], { runAs: "eks", eks: { oidcProviderArn: oidc, namespace: "snowplow", serviceAccount: "enrich" } }),
      ),
    )["snowplow-pipeline"];
    const trust = parsePolicy(findResource(s, "aws_iam_role", "name", "acme-enrich").assume_role_policy);
    expect(trust.Statement[0]).toMatchObject({
      Action: ["sts:AssumeRoleWithWebIdentity"],
      Principal: { Federated: [oidc] },
      Condition: { StringEquals: { "oidc.eks.eu-west-1.amazonaws.com/id/ABC123:sub": "system:serviceaccount:snowplow:enrich" } },
    });
  });
});
