/**
 * The review is sound where it reassures: on seeded random pairs of identity
 * policies (Not* elements, wildcards, conditions with IfExists and negated
 * operators), whenever it says "unchanged" or "narrowing", no request that the
 * IAM simulator allows after the change was denied before. Requests are
 * sampled with and without each condition key.
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { reviewPlan } from "../modules/review/review";
import type { ResourceChange } from "../modules/review/plan-model";
import { mulberry32 } from "./support/random";

jest.setTimeout(300_000);

/** a small seeded generator (mulberry32), so a failure can be replayed */
function rng(seed: number) {
  const next = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const some = <T>(xs: readonly T[], max = 2): T[] => [...new Set(Array.from({ length: 1 + Math.floor(next() * max) }, () => pick(xs)))];
  return { next, pick, some };
}

const ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:Get*", "s3:*", "s3:Put?bject", "kinesis:GetRecords", "kinesis:*", "*"];
const RESOURCES = ["arn:aws:s3:::b/*", "arn:aws:s3:::b/a*", "arn:aws:s3:::b/a?", "arn:aws:s3:::*", "*", "arn:aws:kinesis:eu-west-1:111122223333:stream/s?"];
const CONDITIONS: Record<string, Record<string, string | string[]>>[] = [
  { StringEquals: { "aws:PrincipalTag/team": "a" } },
  { StringEquals: { "aws:PrincipalTag/team": ["a", "b"] } },
  { StringLike: { "aws:PrincipalTag/team": "a*" } },
  { StringEqualsIfExists: { "aws:PrincipalTag/team": "a" } },
  { StringNotEquals: { "aws:PrincipalTag/team": "b" } },
  { StringNotEquals: { "aws:PrincipalTag/team": ["a", "b"] } },
  { Bool: { "aws:SecureTransport": "true" } },
  { BoolIfExists: { "aws:SecureTransport": "true" } },
  { StringEquals: { "aws:RequestedRegion": "eu-west-1" } },
  { StringNotEquals: { "aws:RequestedRegion": ["eu-west-1", "us-east-1"] } },
];

function statement(r: ReturnType<typeof rng>): object {
  const s: Record<string, unknown> = { Effect: r.next() < 0.7 ? "Allow" : "Deny" };
  if (r.next() < 0.15) s.NotAction = r.some(ACTIONS);
  else s.Action = r.some(ACTIONS);
  if (r.next() < 0.15) s.NotResource = r.some(RESOURCES);
  else s.Resource = r.some(RESOURCES);
  if (r.next() < 0.5) s.Condition = r.pick(CONDITIONS);
  return s;
}

/** a policy, and sometimes a variation of it: small edits find the boundary cases */
function pair(r: ReturnType<typeof rng>): [object[], object[]] {
  const before = Array.from({ length: 1 + Math.floor(r.next() * 3) }, () => statement(r));
  if (r.next() < 0.3) return [before, Array.from({ length: 1 + Math.floor(r.next() * 3) }, () => statement(r))];
  const after = before.map((s) => ({ ...s }));
  const i = Math.floor(r.next() * after.length);
  const edit = r.next();
  const s = after[i] as Record<string, unknown>;
  if (edit < 0.25) {
    if (r.next() < 0.3) delete s.Condition;
    else s.Condition = r.pick(CONDITIONS);
  } else if (edit < 0.5) s[s.Action ? "Action" : "NotAction"] = r.some(ACTIONS);
  else if (edit < 0.75) s[s.Resource ? "Resource" : "NotResource"] = r.some(RESOURCES);
  else if (edit < 0.85) after.splice(i, 1);
  else after.push(statement(r));
  if (after.length === 0) after.push(statement(r));
  return [before, after];
}

/** requests the simulator accepts: each action with resources of its own type */
const OBJECTS = ["arn:aws:s3:::b/a1", "arn:aws:s3:::b/ab", "arn:aws:s3:::b/x", "arn:aws:s3:::c/x"];
const REQUESTS: [string, string[]][] = [
  ["s3:GetObject", OBJECTS],
  ["s3:PutObject", OBJECTS],
  ["s3:GetBucketAcl", ["arn:aws:s3:::b", "arn:aws:s3:::c"]],
  ["kinesis:GetRecords", ["arn:aws:kinesis:eu-west-1:111122223333:stream/s1", "arn:aws:kinesis:eu-west-1:111122223333:stream/t1"]],
  ["kinesis:PutRecord", ["arn:aws:kinesis:eu-west-1:111122223333:stream/s1"]],
  ["iam:CreateUser", ["arn:aws:iam::111122223333:user/x"]],
];
const CONTEXTS: Record<string, string>[] = [
  {},
  { "aws:PrincipalTag/team": "a" },
  { "aws:PrincipalTag/team": "b" },
  { "aws:PrincipalTag/team": "ab", "aws:SecureTransport": "true" },
  { "aws:SecureTransport": "false", "aws:RequestedRegion": "eu-west-1" },
  { "aws:RequestedRegion": "ap-south-1", "aws:SecureTransport": "true" },
  { "aws:RequestedRegion": "us-east-1", "aws:PrincipalTag/team": "a" },
];

async function allowed(statements: object[], action: string, resource: string, context: Record<string, string>): Promise<boolean> {
  const result = await runSimulation(
    {
      request: {
        principal: "arn:aws:iam::111122223333:role/app",
        action,
        resource: { resource, accountId: "111122223333" },
        contextVariables: context,
      },
      identityPolicies: [{ name: "p", policy: { Version: "2012-10-17", Statement: statements } }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === "error") throw new Error(JSON.stringify(result.errors));
  return result.overallResult === "Allowed";
}

function plan(before: object[], after: object[]): { resource_changes: ResourceChange[] } {
  const p = (statements: object[]) => ({
    name: "p",
    arn: "arn:aws:iam::111122223333:policy/p",
    policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
  });
  const role = {
    name: "app",
    assume_role_policy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "ec2.amazonaws.com" } }],
    }),
  };
  const change = (address: string, actions: string[], b: object | null, a: object | null): ResourceChange => ({
    address,
    type: address.split(".")[0],
    change: { actions, before: b as never, after: a as never },
  });
  return {
    resource_changes: [
      change("aws_iam_role.app", ["no-op"], role, role),
      change("aws_iam_policy.p", ["update"], p(before), p(after)),
      change(
        "aws_iam_role_policy_attachment.a",
        ["no-op"],
        { role: "app", policy_arn: "arn:aws:iam::111122223333:policy/p" },
        { role: "app", policy_arn: "arn:aws:iam::111122223333:policy/p" },
      ),
    ],
  };
}

test("whenever the review says unchanged or narrowing, the simulator allows nothing new (seeded pairs)", async () => {
  const seed = Number(process.env.SNOWPLOW_IAC_SEED ?? 20261123);
  const r = rng(seed);
  const failures: string[] = [];
  let reassuring = 0;
  let broadeningSeen = 0;
  const pairs = Number(process.env.SNOWPLOW_IAC_PAIRS ?? 200);
  for (let n = 0; n < pairs; n++) {
    const [before, after] = pair(r);
    const review = await reviewPlan("s", plan(before, after));
    if (review.verdict === "broadening") broadeningSeen++;
    if (review.verdict !== "unchanged" && review.verdict !== "narrowing") continue;
    reassuring++;
    for (let k = 0; k < 24; k++) {
      const [action, resources] = r.pick(REQUESTS);
      const resource = r.pick(resources);
      const context = r.pick(CONTEXTS);
      if ((await allowed(after, action, resource, context)) && !(await allowed(before, action, resource, context))) {
        failures.push(
          `seed ${seed} pair ${n}: review said ${review.verdict}, but ${action} on ${resource} with ${JSON.stringify(context)} is newly allowed\nbefore ${JSON.stringify(before)}\nafter  ${JSON.stringify(after)}`,
        );
        break;
      }
    }
  }
  expect(failures).toEqual([]);
  // the generator must exercise both sides, or the property says nothing
  expect(reassuring).toBeGreaterThan(20);
  expect(broadeningSeen).toBeGreaterThan(20);
});
