/**
 * The plan review on a corpus of hand-made before/after plans (the shape of
 * `terraform show -json`), one per class of change that a gate must get right.
 * Each case states its expected verdict and why. No case may fail open: a
 * broadening or unreadable change must never read as unchanged or narrowing.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { reviewPlan, type Verdict } from "../modules/review/review";
import type { Plan, ResourceChange, Values } from "../modules/review/plan-model";
import { CLI } from "./support/synth";
import { tempDir } from "./support/temp";

const A = "111122223333";
const OTHER = "999988887777";
const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const allow = (Action: unknown, Resource: unknown = "*", extra: object = {}) => ({ Effect: "Allow", Action, Resource, ...extra });
const deny = (Action: unknown, Resource: unknown = "*", extra: object = {}) => ({ Effect: "Deny", Action, Resource, ...extra });
const STREAM = `arn:aws:kinesis:eu-west-1:${A}:stream`;

type Actions = "create" | "update" | "delete" | "replace" | "no-op";
function rc(address: string, actions: Actions, before: Values | null, after: Values | null, afterUnknown: Record<string, unknown> = {}): ResourceChange {
  const type = address.replace(/^(module\.[^.]+\.)*/, "").split(".")[0];
  const a = actions === "replace" ? ["delete", "create"] : [actions];
  return {
    address,
    type,
    provider_name: "registry.terraform.io/hashicorp/aws",
    change: { actions: a, before: actions === "create" ? null : before, after: actions === "delete" ? null : after, after_unknown: afterUnknown },
  };
}
/** a resource change with any action list (forget, create+forget, one the review does not know) */
const act = (address: string, actions: string[], before: Values | null, after: Values | null): ResourceChange => ({
  address,
  type: address.split(".")[0],
  provider_name: "registry.terraform.io/hashicorp/aws",
  change: { actions, before, after, after_unknown: {} },
});
/** the same resource on both sides, changed from `before` to `after` */
const upd = (address: string, before: Values, after: Values, afterUnknown: Record<string, unknown> = {}) => rc(address, "update", before, after, afterUnknown);
const same = (address: string, values: Values) => rc(address, "no-op", values, values);
const role = (name: string, extra: Values = {}) => ({
  name,
  assume_role_policy: doc(allow("sts:AssumeRole", undefined, { Principal: { Service: "ec2.amazonaws.com" } })),
  ...extra,
});
const policy = (name: string, d: string) => ({ name, arn: `arn:aws:iam::${A}:policy/${name}`, policy: d });
const attach = (roleName: string, policyName: string) => ({ role: roleName, policy_arn: `arn:aws:iam::${A}:policy/${policyName}` });
const inline = (roleName: string, d: string) => ({ role: roleName, name: "inline", policy: d });
const bucketPolicy = (d: string) => ({ bucket: "acme-backups", policy: d });

/** a role with one managed policy whose document changes from `before` to `after` */
function managedChange(before: string, after: string): ResourceChange[] {
  return [
    same("aws_iam_role.app", role("app")),
    upd("aws_iam_policy.app", policy("app", before), policy("app", after)),
    same("aws_iam_role_policy_attachment.app", attach("app", "app")),
  ];
}
/** a bucket policy changing */
const bucketChange = (before: string, after: string) => [upd("aws_s3_bucket_policy.b", bucketPolicy(before), bucketPolicy(after))];
/** an SCP attached to the account, changing */
function scpChange(before: string, after: string): ResourceChange[] {
  const p = (content: string) => ({ id: "p-1", name: "scp", type: "SERVICE_CONTROL_POLICY", content });
  return [upd("aws_organizations_policy.scp", p(before), p(after)), same("aws_organizations_policy_attachment.scp", { policy_id: "p-1", target_id: A })];
}

interface Case {
  readonly name: string;
  readonly expected: Verdict;
  /** why: the justification of the expected verdict */
  readonly why: string;
  readonly changes: ResourceChange[];
  readonly configuration?: Plan["configuration"];
  /** a substring the review must say (a reason, an unknown) */
  readonly says?: string;
}

const RAW = `${STREAM}/acme-raw`;
const CASES: Case[] = [
  // ---- missed broadening: Not* elements
  {
    name: "Allow with NotAction",
    expected: "broadening",
    why: "NotAction iam:* allows every other service: near-administrator",
    changes: managedChange(doc(allow("s3:GetObject")), doc({ Effect: "Allow", NotAction: "iam:*", Resource: "*" })),
    says: "all except iam:*",
  },
  {
    name: "Allow with NotResource",
    expected: "broadening",
    why: "NotResource on one stream allows every other resource",
    changes: managedChange(doc(allow("kinesis:GetRecords", RAW)), doc({ Effect: "Allow", Action: "kinesis:GetRecords", NotResource: `${STREAM}/secret` })),
  },
  {
    name: "Deny narrowed by NotResource",
    expected: "broadening",
    why: "the Deny on * now exempts one object prefix: it no longer denies there",
    changes: managedChange(
      doc(allow("s3:*", "arn:aws:s3:::b/*"), deny("s3:DeleteObject")),
      doc(allow("s3:*", "arn:aws:s3:::b/*"), { Effect: "Deny", Action: "s3:DeleteObject", NotResource: "arn:aws:s3:::b/tmp/*" }),
    ),
  },
  {
    name: "Deny with NotResource widened",
    expected: "broadening",
    why: "more resources are exempted from the Deny",
    changes: managedChange(
      doc(allow("s3:*"), { Effect: "Deny", Action: "s3:*", NotResource: "arn:aws:s3:::a/*" }),
      doc(allow("s3:*"), { Effect: "Deny", Action: "s3:*", NotResource: ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"] }),
    ),
  },
  {
    name: "NotPrincipal added to a bucket policy Deny",
    expected: "unknown",
    why: "NotPrincipal is not judged: the review must say it cannot tell",
    changes: bucketChange(
      doc(deny("s3:*", "arn:aws:s3:::acme-backups/*", { Principal: "*" })),
      doc(deny("s3:*", "arn:aws:s3:::acme-backups/*", { NotPrincipal: { AWS: `arn:aws:iam::${A}:root` } })),
    ),
    says: "NotPrincipal",
  },
  {
    name: "NotPrincipal changed",
    expected: "unknown",
    why: "any change to NotPrincipal is shown as unknown",
    changes: bucketChange(
      doc(deny("s3:*", "arn:aws:s3:::acme-backups/*", { NotPrincipal: { AWS: `arn:aws:iam::${A}:role/a` } })),
      doc(deny("s3:*", "arn:aws:s3:::acme-backups/*", { NotPrincipal: { AWS: [`arn:aws:iam::${A}:role/a`, `arn:aws:iam::${A}:role/b`] } })),
    ),
  },
  // ---- patterns compared as sets, not text
  {
    name: "? widened to *",
    expected: "broadening",
    why: "stream/acme-raw-? matches one character; stream/acme-raw-* any run",
    changes: managedChange(doc(allow("kinesis:GetRecords", `${STREAM}/acme-raw-?`)), doc(allow("kinesis:GetRecords", `${STREAM}/acme-raw-*`))),
  },
  {
    name: "action pattern widened",
    expected: "broadening",
    why: "s3:Get?bject is only GetObject-like names; s3:Get* all reads",
    changes: managedChange(doc(allow("s3:Get?bject", "arn:aws:s3:::b/*")), doc(allow("s3:Get*", "arn:aws:s3:::b/*"))),
  },
  {
    name: "* narrowed to ?",
    expected: "narrowing",
    why: "the reverse: stream/acme-raw-* covers stream/acme-raw-?",
    changes: managedChange(doc(allow("kinesis:GetRecords", `${STREAM}/acme-raw-*`)), doc(allow("kinesis:GetRecords", `${STREAM}/acme-raw-?`))),
  },
  {
    name: "action case changed only",
    expected: "unchanged",
    why: "IAM action names are case-insensitive",
    changes: managedChange(doc(allow("s3:GetObject", "arn:aws:s3:::b/*")), doc(allow("s3:getobject", "arn:aws:s3:::b/*"))),
  },
  // ---- the holder changes
  {
    name: "inline policy moves to another role",
    expected: "broadening",
    why: "role b gains what role a had",
    changes: [
      same("aws_iam_role.a", role("a")),
      same("aws_iam_role.b", role("b")),
      upd("aws_iam_role_policy.p", inline("a", doc(allow("s3:GetObject", "arn:aws:s3:::b/*"))), inline("b", doc(allow("s3:GetObject", "arn:aws:s3:::b/*")))),
    ],
    says: "role b gains",
  },
  {
    name: "attachment re-pointed to another role while the policy is replaced",
    expected: "unknown",
    why: "the new policy's ARN is unknown and the configuration names no resource of the plan for it",
    changes: [
      same("aws_iam_role.a", role("a")),
      same("aws_iam_role.b", role("b")),
      rc("aws_iam_policy.p", "replace", policy("p", doc(allow("s3:GetObject"))), { name: "p", policy: doc(allow("s3:GetObject")) }, { arn: true, id: true }),
      rc("aws_iam_role_policy_attachment.x", "replace", attach("a", "p"), { role: "b" }, { policy_arn: true }),
    ],
    says: "known only at apply time",
  },
  {
    name: "policy replaced, attachment follows it by reference",
    expected: "unchanged",
    why: "the configuration says the attachment takes aws_iam_policy.p's ARN; same role, same grants",
    changes: [
      same("aws_iam_role.a", role("a")),
      rc(
        "aws_iam_policy.p",
        "replace",
        policy("p", doc(allow("s3:GetObject", "arn:aws:s3:::b/*"))),
        { name: "p-v2", policy: doc(allow("s3:GetObject", "arn:aws:s3:::b/*")) },
        { arn: true, id: true },
      ),
      rc("aws_iam_role_policy_attachment.x", "replace", attach("a", "p"), { role: "a" }, { policy_arn: true }),
    ],
    configuration: {
      root_module: {
        resources: [{ address: "aws_iam_role_policy_attachment.x", expressions: { policy_arn: { references: ["aws_iam_policy.p.arn", "aws_iam_policy.p"] } } }],
      },
    },
  },
  {
    name: "exclusive attachment gains a member",
    expected: "broadening",
    why: "aws_iam_policy_attachment users list adds bob",
    changes: [
      same("aws_iam_policy.p", policy("p", doc(allow("s3:GetObject", "arn:aws:s3:::b/*")))),
      upd(
        "aws_iam_policy_attachment.x",
        { name: "x", users: ["alice"], roles: [], groups: [], policy_arn: `arn:aws:iam::${A}:policy/p` },
        { name: "x", users: ["alice", "bob"], roles: [], groups: [], policy_arn: `arn:aws:iam::${A}:policy/p` },
      ),
    ],
    says: "user bob gains",
  },
  {
    name: "exclusive attachment members unknown",
    expected: "unknown",
    why: "who holds the policy is known only at apply time",
    changes: [
      same("aws_iam_policy.p", policy("p", doc(allow("s3:GetObject")))),
      upd(
        "aws_iam_policy_attachment.x",
        { name: "x", users: ["alice"], roles: [], groups: [], policy_arn: `arn:aws:iam::${A}:policy/p` },
        { name: "x", roles: [], groups: [], policy_arn: `arn:aws:iam::${A}:policy/p` },
        { users: true },
      ),
    ],
  },
  // ---- access outside a policy document
  {
    name: "managed_policy_arns gains AdministratorAccess",
    expected: "broadening",
    why: "an outside policy attached: its content is not in the plan, and it grants",
    changes: [
      upd("aws_iam_role.r", role("r", { managed_policy_arns: [] }), role("r", { managed_policy_arns: ["arn:aws:iam::aws:policy/AdministratorAccess"] })),
    ],
    says: "AdministratorAccess",
  },
  {
    name: "inline_policy block added to a role",
    expected: "broadening",
    why: "the role's own inline_policy attribute grants",
    changes: [upd("aws_iam_role.r", role("r", { inline_policy: [] }), role("r", { inline_policy: [{ name: "x", policy: doc(allow("dynamodb:*", "*")) }] }))],
  },
  {
    name: "permissions boundary removed from a role",
    expected: "broadening",
    why: "the boundary limited everything the role may do",
    changes: [upd("aws_iam_role.r", role("r", { permissions_boundary: `arn:aws:iam::${A}:policy/boundary` }), role("r", { permissions_boundary: null }))],
    says: "permissions boundary",
  },
  {
    name: "permissions boundary removed from a user",
    expected: "broadening",
    why: "as for roles",
    changes: [upd("aws_iam_user.u", { name: "u", permissions_boundary: `arn:aws:iam::${A}:policy/boundary` }, { name: "u", permissions_boundary: null })],
  },
  {
    name: "permissions boundary swapped for one the plan does not show",
    expected: "unknown",
    why: "the new boundary's content is unknown",
    changes: [
      upd(
        "aws_iam_role.r",
        role("r", { permissions_boundary: `arn:aws:iam::${A}:policy/b1` }),
        role("r", { permissions_boundary: `arn:aws:iam::${A}:policy/b2` }),
      ),
    ],
  },
  {
    name: "SCP attachment removed",
    expected: "broadening",
    why: "every Deny the SCP held disappears from the account",
    changes: [
      same("aws_organizations_policy.scp", {
        id: "p-1",
        name: "scp",
        type: "SERVICE_CONTROL_POLICY",
        content: doc({ Effect: "Deny", NotAction: ["s3:*"], Resource: "*" }),
      }),
      rc("aws_organizations_policy_attachment.scp", "delete", { policy_id: "p-1", target_id: A }, null),
    ],
    says: "no longer denies",
  },
  {
    name: "SCP exemption list grows",
    expected: "broadening",
    why: "NotAction gains ec2:*: the Deny covers less",
    changes: scpChange(doc({ Effect: "Deny", NotAction: ["s3:*"], Resource: "*" }), doc({ Effect: "Deny", NotAction: ["s3:*", "ec2:*"], Resource: "*" })),
  },
  // ---- resource policies and other IAM-bearing types
  {
    name: "managed policy broadened, attached outside the plan",
    expected: "broadening",
    why: "its holders live in another state or were attached by hand; the document itself grants more",
    changes: [
      upd("aws_iam_policy.shared", policy("shared", doc(allow("s3:GetObject", "arn:aws:s3:::b/*"))), policy("shared", doc(allow("s3:*", "arn:aws:s3:::b/*")))),
    ],
    says: "any holder outside this plan",
  },
  {
    name: "SCP loosened, attached outside the plan",
    expected: "broadening",
    why: "the SCP's targets are outside the plan; its Deny now exempts ec2",
    changes: [
      upd(
        "aws_organizations_policy.scp",
        { id: "p-1", name: "scp", type: "SERVICE_CONTROL_POLICY", content: doc({ Effect: "Deny", NotAction: ["s3:*"], Resource: "*" }) },
        { id: "p-1", name: "scp", type: "SERVICE_CONTROL_POLICY", content: doc({ Effect: "Deny", NotAction: ["s3:*", "ec2:*"], Resource: "*" }) },
      ),
    ],
  },
  {
    name: "access key created for a user",
    expected: "unknown",
    why: "whoever holds the new key acts as the user: a new credential is not passed silently",
    changes: [rc("aws_iam_access_key.k", "create", null, { user: "operator", status: "Active" })],
  },
  {
    name: "OIDC identity provider added",
    expected: "unknown",
    why: "a new federation trust anchor",
    changes: [
      rc("aws_iam_openid_connect_provider.p", "create", null, { url: "https://token.actions.githubusercontent.com", client_id_list: ["sts.amazonaws.com"] }),
    ],
  },
  {
    name: "KMS grant created",
    expected: "unknown",
    why: "aws_kms_grant gives a principal key operations; the review does not model grants",
    changes: [rc("aws_kms_grant.g", "create", null, { key_id: "k", grantee_principal: `arn:aws:iam::${OTHER}:root`, operations: ["Decrypt"] })],
    says: "aws_kms_grant",
  },
  {
    name: "Kinesis resource policy admits another account",
    expected: "broadening",
    why: "a new resource policy allows a foreign account to read",
    changes: [
      rc("aws_kinesis_resource_policy.s", "create", null, {
        resource_arn: RAW,
        policy: doc(allow("kinesis:GetRecords", RAW, { Principal: { AWS: `arn:aws:iam::${OTHER}:root` } })),
      }),
    ],
  },
  {
    name: "SQS queue policy opened to everyone",
    expected: "broadening",
    why: "Principal * on SendMessage",
    changes: [
      upd(
        "aws_sqs_queue_policy.q",
        {
          queue_url: "https://sqs/q",
          policy: doc(allow("sqs:SendMessage", "arn:aws:sqs:eu-west-1:111122223333:q", { Principal: { AWS: `arn:aws:iam::${A}:root` } })),
        },
        { queue_url: "https://sqs/q", policy: doc(allow("sqs:SendMessage", "arn:aws:sqs:eu-west-1:111122223333:q", { Principal: "*" })) },
      ),
    ],
  },
  {
    name: "SNS topic policy gains an action",
    expected: "broadening",
    why: "Subscribe added",
    changes: [
      upd(
        "aws_sns_topic_policy.t",
        {
          arn: "arn:aws:sns:eu-west-1:111122223333:t",
          policy: doc(allow("sns:Publish", "arn:aws:sns:eu-west-1:111122223333:t", { Principal: { Service: "s3.amazonaws.com" } })),
        },
        {
          arn: "arn:aws:sns:eu-west-1:111122223333:t",
          policy: doc(allow(["sns:Publish", "sns:Subscribe"], "arn:aws:sns:eu-west-1:111122223333:t", { Principal: { Service: "s3.amazonaws.com" } })),
        },
      ),
    ],
  },
  {
    name: "Lambda permission added",
    expected: "unknown",
    why: "aws_lambda_permission is not modelled",
    changes: [rc("aws_lambda_permission.p", "create", null, { function_name: "f", action: "lambda:InvokeFunction", principal: "*" })],
  },
  {
    name: "ECR repository policy created",
    expected: "broadening",
    why: "pull access for another account",
    changes: [
      rc("aws_ecr_repository_policy.r", "create", null, {
        repository: "app",
        policy: doc(allow("ecr:BatchGetImage", undefined, { Principal: { AWS: `arn:aws:iam::${OTHER}:root` } })),
      }),
    ],
  },
  {
    name: "Secrets Manager policy widened",
    expected: "broadening",
    why: "GetSecretValue to the whole other account",
    changes: [
      upd(
        "aws_secretsmanager_secret_policy.s",
        { secret_arn: "arn:s", policy: doc(allow("secretsmanager:DescribeSecret", "*", { Principal: { AWS: `arn:aws:iam::${OTHER}:root` } })) },
        {
          secret_arn: "arn:s",
          policy: doc(allow(["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"], "*", { Principal: { AWS: `arn:aws:iam::${OTHER}:root` } })),
        },
      ),
    ],
  },
  {
    name: "bucket ACL made public",
    expected: "unknown",
    why: "aws_s3_bucket_acl is not modelled",
    changes: [upd("aws_s3_bucket_acl.a", { bucket: "b", acl: "private" }, { bucket: "b", acl: "public-read" })],
  },
  {
    name: "VPC endpoint policy widened",
    expected: "broadening",
    why: "s3:* through the endpoint instead of GetObject",
    changes: [
      upd(
        "aws_vpc_endpoint_policy.e",
        { vpc_endpoint_id: "vpce-1", policy: doc(allow("s3:GetObject", "*", { Principal: "*" })) },
        { vpc_endpoint_id: "vpce-1", policy: doc(allow("s3:*", "*", { Principal: "*" })) },
      ),
    ],
  },
  {
    name: "security group rule opened to the world",
    expected: "unknown",
    why: "network rules are not modelled: shown, never passed",
    changes: [
      rc("aws_vpc_security_group_ingress_rule.ssh", "create", null, {
        security_group_id: "sg-1",
        cidr_ipv4: "0.0.0.0/0",
        from_port: 22,
        to_port: 22,
        ip_protocol: "tcp",
      }),
    ],
  },
  {
    name: "public access block flag turned off",
    expected: "broadening",
    why: "block_public_policy false lets a public bucket policy through",
    changes: [
      upd(
        "aws_s3_bucket_public_access_block.b",
        { bucket: "b", block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true },
        { bucket: "b", block_public_acls: true, block_public_policy: false, ignore_public_acls: true, restrict_public_buckets: true },
      ),
    ],
    says: "block_public_policy turned off",
  },
  // ---- conditions
  {
    name: "condition aws:PrincipalOrgID removed",
    expected: "broadening",
    why: "the grant no longer requires the organisation",
    changes: bucketChange(
      doc(allow("s3:PutObject", "arn:aws:s3:::acme-backups/*", { Principal: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-1" } } })),
      doc(allow("s3:PutObject", "arn:aws:s3:::acme-backups/*", { Principal: "*" })),
    ),
  },
  {
    name: "condition values added",
    expected: "broadening",
    why: "a second account is admitted by aws:PrincipalAccount",
    changes: bucketChange(
      doc(allow("s3:PutObject", "arn:aws:s3:::acme-backups/*", { Principal: "*", Condition: { StringEquals: { "aws:PrincipalAccount": [A] } } })),
      doc(allow("s3:PutObject", "arn:aws:s3:::acme-backups/*", { Principal: "*", Condition: { StringEquals: { "aws:PrincipalAccount": [A, OTHER] } } })),
    ),
  },
  {
    name: "ArnLike pattern widened",
    expected: "broadening",
    why: "role/writer -> role/*",
    changes: bucketChange(
      doc(
        allow("s3:PutObject", "arn:aws:s3:::acme-backups/*", {
          Principal: "*",
          Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${A}:role/writer` } },
        }),
      ),
      doc(allow("s3:PutObject", "arn:aws:s3:::acme-backups/*", { Principal: "*", Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${A}:role/*` } } })),
    ),
  },
  {
    name: "an IfExists added to an Allow's condition",
    expected: "broadening",
    why: "StringEqualsIfExists also admits requests without the key",
    changes: managedChange(
      doc(allow("s3:GetObject", "*", { Condition: { StringEquals: { "s3:ExistingObjectTag/team": "a" } } })),
      doc(allow("s3:GetObject", "*", { Condition: { StringEqualsIfExists: { "s3:ExistingObjectTag/team": "a" } } })),
    ),
  },
  {
    name: "numeric condition changed",
    expected: "broadening",
    why: "operators the review does not reason about must be identical, else broadening",
    changes: managedChange(
      doc(allow("s3:GetObject", "*", { Condition: { NumericLessThan: { "s3:max-keys": "10" } } })),
      doc(allow("s3:GetObject", "*", { Condition: { NumericLessThan: { "s3:max-keys": "5" } } })),
    ),
  },
  // ---- trust and membership
  {
    name: "trust policy admits a new account",
    expected: "broadening",
    why: "another account may assume the role",
    changes: [
      upd(
        "aws_iam_role.r",
        role("r"),
        role("r", {
          assume_role_policy: doc(allow("sts:AssumeRole", undefined, { Principal: { Service: "ec2.amazonaws.com", AWS: `arn:aws:iam::${OTHER}:root` } })),
        }),
      ),
    ],
  },
  {
    name: "trust policy opened to *",
    expected: "broadening",
    why: "anyone may assume it",
    changes: [upd("aws_iam_role.r", role("r"), role("r", { assume_role_policy: doc(allow("sts:AssumeRole", undefined, { Principal: { AWS: "*" } })) }))],
  },
  {
    name: "user added to a group",
    expected: "broadening",
    why: "the user gains the group's policies",
    changes: [
      same("aws_iam_group.g", { name: "g" }),
      same("aws_iam_group_policy.g", { group: "g", name: "p", policy: doc(allow("ec2:RunInstances")) }),
      rc("aws_iam_user_group_membership.m", "create", null, { user: "bob", groups: ["g"] }),
    ],
    says: "user bob gains",
  },
  {
    name: "group membership list grows",
    expected: "broadening",
    why: "aws_iam_group_membership users gains carol",
    changes: [
      same("aws_iam_group_policy.g", { group: "g", name: "p", policy: doc(allow("ec2:RunInstances")) }),
      upd("aws_iam_group_membership.m", { name: "m", group: "g", users: ["bob"] }, { name: "m", group: "g", users: ["bob", "carol"] }),
    ],
  },
  {
    name: "Deny removed",
    expected: "broadening",
    why: "the TLS Deny disappears",
    changes: bucketChange(
      doc(
        allow("s3:GetObject", "arn:aws:s3:::acme-backups/*", { Principal: { AWS: `arn:aws:iam::${A}:root` } }),
        deny("s3:*", "arn:aws:s3:::acme-backups/*", { Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
      ),
      doc(allow("s3:GetObject", "arn:aws:s3:::acme-backups/*", { Principal: { AWS: `arn:aws:iam::${A}:root` } })),
    ),
  },
  {
    name: "Deny made conditional",
    expected: "broadening",
    why: "the Deny now applies only in some requests",
    changes: managedChange(
      doc(allow("s3:*", "*"), deny("s3:DeleteBucket")),
      doc(allow("s3:*", "*"), deny("s3:DeleteBucket", "*", { Condition: { StringEquals: { "aws:RequestedRegion": "eu-west-1" } } })),
    ),
  },
  {
    name: "MFA Deny from BoolIfExists to Bool",
    expected: "broadening",
    why: "access keys without MFA are no longer denied",
    changes: managedChange(
      doc(allow("iam:*"), {
        Effect: "Deny",
        NotAction: "iam:ChangePassword",
        Resource: "*",
        Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
      }),
      doc(allow("iam:*"), { Effect: "Deny", NotAction: "iam:ChangePassword", Resource: "*", Condition: { Bool: { "aws:MultiFactorAuthPresent": "false" } } }),
    ),
  },
  // ---- unknown at plan time, unknown types
  {
    name: "policy document known only at apply",
    expected: "unknown",
    why: "the new document cannot be judged",
    changes: [
      same("aws_iam_role.app", role("app")),
      upd("aws_iam_policy.app", policy("app", doc(allow("s3:GetObject"))), { name: "app", arn: `arn:aws:iam::${A}:policy/app` }, { policy: true }),
      same("aws_iam_role_policy_attachment.app", attach("app", "app")),
    ],
  },
  {
    name: "a resource type the pinned provider does not know",
    expected: "unknown",
    why: "a newer provider's type might carry a policy",
    changes: [rc("aws_iam_brand_new_thing.x", "create", null, { anything: "x" })],
  },
  {
    name: "role created with a policy",
    expected: "broadening",
    why: "a new principal with access",
    changes: [
      rc("aws_iam_role.n", "create", null, role("n")),
      rc("aws_iam_role_policy.n", "create", null, inline("n", doc(allow("s3:GetObject", "arn:aws:s3:::b/*")))),
    ],
  },
  // ---- false alarms: must read as narrowing or unchanged
  {
    name: "condition values removed",
    expected: "narrowing",
    why: "fewer accounts admitted",
    changes: bucketChange(
      doc(allow("s3:PutObject", "arn:aws:s3:::acme-backups/*", { Principal: "*", Condition: { StringEquals: { "aws:PrincipalAccount": [A, OTHER] } } })),
      doc(allow("s3:PutObject", "arn:aws:s3:::acme-backups/*", { Principal: "*", Condition: { StringEquals: { "aws:PrincipalAccount": [A] } } })),
    ),
  },
  {
    name: "ArnEquals to ArnLike with the same literal",
    expected: "unchanged",
    why: "both operators match ARNs with wildcards; the same literal admits the same principals",
    changes: bucketChange(
      doc(
        allow("s3:PutObject", "arn:aws:s3:::acme-backups/*", { Principal: "*", Condition: { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${A}:role/w` } } }),
      ),
      doc(allow("s3:PutObject", "arn:aws:s3:::acme-backups/*", { Principal: "*", Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${A}:role/w` } } })),
    ),
  },
  {
    name: "SCP region list shrinks",
    expected: "narrowing",
    why: "the region Deny applies to more regions",
    changes: scpChange(
      doc({ Effect: "Deny", NotAction: "iam:*", Resource: "*", Condition: { StringNotEquals: { "aws:RequestedRegion": ["eu-west-1", "us-east-1"] } } }),
      doc({ Effect: "Deny", NotAction: "iam:*", Resource: "*", Condition: { StringNotEquals: { "aws:RequestedRegion": ["eu-west-1"] } } }),
    ),
  },
  {
    name: "SCP exemption list shrinks",
    expected: "narrowing",
    why: "the Deny covers one more service",
    changes: scpChange(doc({ Effect: "Deny", NotAction: ["s3:*", "ec2:*"], Resource: "*" }), doc({ Effect: "Deny", NotAction: ["s3:*"], Resource: "*" })),
  },
  {
    name: "SCP exemption rewritten inside the same wildcard",
    expected: "narrowing",
    why: "s3:* exempted becomes only s3:Get* and s3:Put*: the Deny covers more",
    changes: scpChange(doc({ Effect: "Deny", NotAction: ["s3:*"], Resource: "*" }), doc({ Effect: "Deny", NotAction: ["s3:Get*", "s3:Put*"], Resource: "*" })),
  },
  {
    name: "account principal replaced by one of its roles",
    expected: "narrowing",
    why: "the account root stands for every principal of the account",
    changes: bucketChange(
      doc(allow("s3:PutObject", "arn:aws:s3:::acme-backups/*", { Principal: { AWS: `arn:aws:iam::${A}:root` } })),
      doc(allow("s3:PutObject", "arn:aws:s3:::acme-backups/*", { Principal: { AWS: `arn:aws:iam::${A}:role/writer` } })),
    ),
  },
  {
    name: "managed policy split in two on the same holder",
    expected: "unchanged",
    why: "the role's statements are the same, held through two attachments",
    changes: [
      same("aws_iam_role.app", role("app")),
      upd(
        "aws_iam_policy.a",
        policy("a", doc(allow("s3:GetObject", "arn:aws:s3:::b/*"), allow("kinesis:GetRecords", RAW))),
        policy("a", doc(allow("s3:GetObject", "arn:aws:s3:::b/*"))),
      ),
      rc("aws_iam_policy.b", "create", null, policy("b", doc(allow("kinesis:GetRecords", RAW)))),
      same("aws_iam_role_policy_attachment.a", attach("app", "a")),
      rc("aws_iam_role_policy_attachment.b", "create", null, attach("app", "b")),
    ],
  },
  {
    name: "offboarding a source account",
    expected: "narrowing",
    why: "its statements leave the bucket policy and its writer role goes",
    changes: [
      ...bucketChange(
        doc(
          allow("s3:PutObject", "arn:aws:s3:::acme-backups/111122223333/*", { Principal: { AWS: `arn:aws:iam::${A}:root` } }),
          allow("s3:PutObject", `arn:aws:s3:::acme-backups/${OTHER}/*`, { Principal: { AWS: `arn:aws:iam::${OTHER}:root` } }),
        ),
        doc(allow("s3:PutObject", "arn:aws:s3:::acme-backups/111122223333/*", { Principal: { AWS: `arn:aws:iam::${A}:root` } })),
      ),
      rc("aws_iam_role.writer", "delete", role("writer"), null),
      rc("aws_iam_role_policy.writer", "delete", inline("writer", doc(allow("s3:PutObject", `arn:aws:s3:::acme-backups/${OTHER}/*`))), null),
    ],
  },
  {
    name: "statement split in two",
    expected: "unchanged",
    why: "the same grants in two statements",
    changes: managedChange(
      doc(allow(["s3:GetObject", "s3:PutObject"], ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"])),
      doc(allow("s3:GetObject", ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"]), allow("s3:PutObject", ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"])),
    ),
  },
  {
    name: "two statements merged",
    expected: "unchanged",
    why: "the union is granted either way",
    changes: managedChange(
      doc(allow("s3:GetObject", "arn:aws:s3:::a/*"), allow("s3:GetObject", "arn:aws:s3:::b/*")),
      doc(allow("s3:GetObject", ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"])),
    ),
  },
  {
    name: "Sids renamed and statements reordered",
    expected: "unchanged",
    why: "a Sid is a label, not a grant",
    changes: managedChange(
      doc({ Sid: "A", ...allow("s3:GetObject", "arn:aws:s3:::a/*") }, { Sid: "B", ...allow("sqs:SendMessage", "*") }),
      doc({ Sid: "Q", ...allow("sqs:SendMessage", "*") }, { Sid: "R", ...allow("s3:GetObject", "arn:aws:s3:::a/*") }),
    ),
  },
  {
    name: "a group with an MFA Deny loses its only member",
    expected: "narrowing",
    why: "the user loses the group's Allows and its Deny together: no Allow it keeps is restricted by that Deny",
    changes: [
      same("aws_iam_group_policy.g", {
        group: "setup",
        name: "p",
        policy: doc(allow("iam:*"), {
          Effect: "Deny",
          NotAction: "iam:ChangePassword",
          Resource: "*",
          Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
        }),
      }),
      same("aws_iam_user_policy.own", { user: "installer", name: "own", policy: doc(allow("iam:ChangePassword", "*")) }),
      rc("aws_iam_user_group_membership.m", "delete", { user: "installer", groups: ["setup"] }, null),
    ],
    says: "keeps no Allow it restricted",
  },
  {
    name: "a user keeps an Allow that the dropped Deny restricted",
    expected: "broadening",
    why: "leaving the group drops the MFA Deny while the user's own s3 Allow stays: s3 now works without MFA",
    changes: [
      same("aws_iam_group_policy.g", {
        group: "setup",
        name: "p",
        policy: doc({ Effect: "Deny", NotAction: "iam:ChangePassword", Resource: "*", Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } } }),
      }),
      same("aws_iam_user_policy.own", { user: "installer", name: "own", policy: doc(allow("s3:ListAllMyBuckets")) }),
      rc("aws_iam_user_group_membership.m", "delete", { user: "installer", groups: ["setup"] }, null),
    ],
  },
  {
    name: "installer leaves the group",
    expected: "narrowing",
    why: "its membership goes",
    changes: [
      same("aws_iam_group_policy.g", { group: "setup", name: "p", policy: doc(allow("iam:*")) }),
      rc("aws_iam_user_group_membership.m", "delete", { user: "installer", groups: ["setup"] }, null),
    ],
  },
  {
    name: "permissions boundary added",
    expected: "narrowing",
    why: "a new boundary limits the role",
    changes: [upd("aws_iam_role.r", role("r", { permissions_boundary: null }), role("r", { permissions_boundary: `arn:aws:iam::${A}:policy/boundary` }))],
  },
  {
    name: "SCP attachment added",
    expected: "narrowing",
    why: "more Denies on the account",
    changes: [
      same("aws_organizations_policy.scp", {
        id: "p-1",
        name: "scp",
        type: "SERVICE_CONTROL_POLICY",
        content: doc({ Effect: "Deny", NotAction: ["s3:*"], Resource: "*" }),
      }),
      rc("aws_organizations_policy_attachment.scp", "create", null, { policy_id: "p-1", target_id: A }),
    ],
  },
  {
    name: "public access block turned on",
    expected: "narrowing",
    why: "a flag turned on only restricts",
    changes: [
      rc("aws_s3_bucket_public_access_block.b", "create", null, {
        bucket: "b",
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      }),
    ],
  },
  {
    name: "resource narrowed",
    expected: "narrowing",
    why: "* becomes one stream",
    changes: managedChange(doc(allow("kinesis:GetRecords", "*")), doc(allow("kinesis:GetRecords", RAW))),
  },
  {
    name: "service wildcard narrowed to an action",
    expected: "narrowing",
    why: "s3:* becomes s3:GetObject",
    changes: managedChange(doc(allow("s3:*", "arn:aws:s3:::b/*")), doc(allow("s3:GetObject", "arn:aws:s3:::b/*"))),
  },
  {
    name: "Deny added",
    expected: "narrowing",
    why: "an extra Deny only restricts",
    changes: managedChange(doc(allow("s3:*", "*")), doc(allow("s3:*", "*"), deny("s3:DeleteBucket"))),
  },
  {
    name: "StringLike pattern narrowed",
    expected: "narrowing",
    why: "s3:prefix a/* becomes a/b/*",
    changes: managedChange(
      doc(allow("s3:ListBucket", "arn:aws:s3:::b", { Condition: { StringLike: { "s3:prefix": "a/*" } } })),
      doc(allow("s3:ListBucket", "arn:aws:s3:::b", { Condition: { StringLike: { "s3:prefix": "a/b/*" } } })),
    ),
  },
  {
    name: "MFA Deny from Bool to BoolIfExists",
    expected: "narrowing",
    why: "the Deny now also catches access keys without MFA",
    changes: managedChange(
      doc(allow("iam:*"), { Effect: "Deny", NotAction: "iam:ChangePassword", Resource: "*", Condition: { Bool: { "aws:MultiFactorAuthPresent": "false" } } }),
      doc(allow("iam:*"), {
        Effect: "Deny",
        NotAction: "iam:ChangePassword",
        Resource: "*",
        Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
      }),
    ),
  },
  {
    name: "no change at all",
    expected: "unchanged",
    why: "every resource no-op",
    changes: [same("aws_iam_role.app", role("app")), same("aws_iam_policy.app", policy("app", doc(allow("s3:GetObject"))))],
  },
  {
    name: "tags changed on a role",
    expected: "unchanged",
    why: "tags grant nothing (no tag-based conditions here)",
    changes: [upd("aws_iam_role.r", role("r", { tags: { a: "1" } }), role("r", { tags: { a: "2" } }))],
  },
  {
    name: "Lambda code changed",
    expected: "unchanged",
    why: "a function's code is not an IAM attribute",
    changes: [upd("aws_lambda_function.f", { function_name: "f", source_code_hash: "a" }, { function_name: "f", source_code_hash: "b" })],
  },
  {
    name: "policy JSON rewritten (string to list, whitespace)",
    expected: "unchanged",
    why: "the same statement written differently",
    changes: managedChange(
      doc(allow("s3:GetObject", "arn:aws:s3:::b/*")),
      JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::b/*"] }] }, null, 4),
    ),
  },
  {
    name: "vendored module addresses (module calls)",
    expected: "broadening",
    why: "the same judgement inside a module: the operator's policy gains s3:DeleteBucket",
    changes: [
      same("module.op.aws_iam_group.this", { name: "ops" }),
      upd(
        "module.op.aws_iam_policy.operator",
        policy("op", doc(allow("s3:ListBucket", "arn:aws:s3:::b"))),
        policy("op", doc(allow(["s3:ListBucket", "s3:DeleteBucket"], "arn:aws:s3:::b"))),
      ),
      rc("module.op.aws_iam_group_policy_attachment.operator", "create", null, { group: "ops" }, { policy_arn: true }),
    ],
    configuration: {
      root_module: {
        module_calls: {
          op: {
            module: {
              resources: [
                {
                  address: "aws_iam_group_policy_attachment.operator",
                  expressions: { policy_arn: { references: ["aws_iam_policy.operator.arn", "aws_iam_policy.operator"] } },
                },
              ],
            },
          },
        },
      },
    },
    says: "group ops gains",
  },
  // ---- actions beyond create/update/delete (terraform's JSON plan format 1.x, jsonplan Change.Actions)
  {
    name: "an attachment forgotten (a removed block): it stays in AWS, so no one loses anything",
    expected: "unchanged",
    why: "forget only stops terraform managing the attachment; the role keeps the policy in AWS",
    changes: [
      same("aws_iam_role.app", role("app")),
      same("aws_iam_policy.app", policy("app", doc(allow("s3:GetObject", "arn:aws:s3:::acme-in/*")))),
      act("aws_iam_role_policy_attachment.app", ["forget"], attach("app", "app"), null),
    ],
  },
  {
    name: "a policy replaced with the old one forgotten: unknown, even when the new one is narrower",
    expected: "unknown",
    why: "the forgotten policy stays in AWS with what it grants, beside the new one",
    changes: [
      same("aws_iam_role.app", role("app")),
      act("aws_iam_policy.app", ["create", "forget"], policy("app", doc(allow("s3:*"))), policy("app", doc(allow("s3:GetObject", "arn:aws:s3:::acme-in/*")))),
      same("aws_iam_role_policy_attachment.app", attach("app", "app")),
    ],
    says: "forgotten, not destroyed",
  },
  {
    name: "an action list the review does not know: unknown, not skipped as no change",
    expected: "unknown",
    why: "a future or hand-edited action may create or change the policy; skipping it would read as unchanged",
    changes: [
      same("aws_iam_role.app", role("app")),
      act("aws_iam_policy.app", ["rebuild"], policy("app", doc(allow("s3:GetObject"))), policy("app", doc(allow("s3:GetObject")))),
      same("aws_iam_role_policy_attachment.app", attach("app", "app")),
    ],
    says: "the actions rebuild are not ones this review reads",
  },
  // ---- providers: the review reads hashicorp/aws; what another provider does is not passed as nothing
  {
    name: "an awscc IAM policy granting everything: unknown, not skipped",
    expected: "unknown",
    why: "the Cloud Control provider grants access in AWS through its own types, which the model does not read",
    changes: [
      {
        ...act("awscc_iam_role_policy.app", ["create"], null, { role_name: "app", policy_name: "all", policy_document: doc(allow("*")) }),
        provider_name: "registry.terraform.io/hashicorp/awscc",
      },
    ],
    says: "provider registry.terraform.io/hashicorp/awscc is not one the review reads",
  },
  {
    name: "a random id and a terraform_data: local to Terraform, unchanged",
    expected: "unchanged",
    why: "random, null, local, tls, time, archive, cloudinit and the builtin terraform provider cannot grant access in AWS",
    changes: [
      { ...act("random_id.suffix", ["create"], null, { byte_length: 4 }), provider_name: "registry.terraform.io/hashicorp/random" },
      { ...act("terraform_data.marker", ["create"], null, { input: "x" }), provider_name: "terraform.io/builtin/terraform" },
    ],
  },
  // ---- false alarms: a read is not a change
  {
    name: "an existing role read by a data source at apply time (in a module): unchanged, not unknown",
    expected: "unchanged",
    why: "a data source reads what exists; its unknown trust policy grants nothing new",
    changes: [
      {
        address: "module.app.data.aws_iam_role.existing",
        mode: "data",
        type: "aws_iam_role",
        provider_name: "registry.terraform.io/hashicorp/aws",
        change: { actions: ["read"], before: null, after: { name: "app" }, after_unknown: { arn: true, assume_role_policy: true } },
      },
    ],
  },
  // ---- policy variables: ${...} is a variable only under Version 2012-10-17, literal text otherwise
  {
    name: "Version 2012-10-17 added to a policy with ${aws:username}: broadening",
    expected: "broadening",
    why: "without the Version the variable was literal text (one odd folder); with it, every user reaches a folder of their own",
    changes: [
      same("aws_iam_user.u", { name: "u" }),
      upd(
        "aws_iam_user_policy.home",
        { user: "u", name: "home", policy: JSON.stringify({ Statement: [allow("s3:GetObject", "arn:aws:s3:::acme-home/${aws:username}/*")] }) },
        { user: "u", name: "home", policy: doc(allow("s3:GetObject", "arn:aws:s3:::acme-home/${aws:username}/*")) },
      ),
    ],
    says: "user u gains allows s3:GetObject on arn:aws:s3:::acme-home/${aws:username}/*",
  },
  {
    name: "a policy without Version, ${aws:username} unchanged, another statement added elsewhere: only that statement is news",
    expected: "broadening",
    why: "the literal ${...} reads the same on both sides; the added statement is the gain",
    changes: [
      same("aws_iam_user.u", { name: "u" }),
      upd(
        "aws_iam_user_policy.home",
        { user: "u", name: "home", policy: JSON.stringify({ Statement: [allow("s3:GetObject", "arn:aws:s3:::acme-home/${aws:username}/*")] }) },
        {
          user: "u",
          name: "home",
          policy: JSON.stringify({
            Statement: [allow("s3:GetObject", "arn:aws:s3:::acme-home/${aws:username}/*"), allow("s3:ListBucket", "arn:aws:s3:::acme-home")],
          }),
        },
      ),
    ],
    says: "user u gains allows s3:ListBucket on arn:aws:s3:::acme-home",
  },
  // ---- S3 Object Ownership: ACLs grant nothing under BucketOwnerEnforced, and grant again without it
  {
    name: "object ownership from BucketOwnerEnforced to ObjectWriter: broadening",
    expected: "broadening",
    why: "under BucketOwnerEnforced ACLs no longer affect permissions; with ObjectWriter the bucket's and objects' ACLs grant access again",
    changes: [
      upd(
        "aws_s3_bucket_ownership_controls.b",
        { bucket: "acme-backups", rule: [{ object_ownership: "BucketOwnerEnforced" }] },
        { bucket: "acme-backups", rule: [{ object_ownership: "ObjectWriter" }] },
      ),
    ],
    says: "ACLs of acme-backups gains ACLs affect access again (BucketOwnerEnforced -> ObjectWriter)",
  },
  {
    name: "object ownership controls removed from a bucket under BucketOwnerEnforced: broadening",
    expected: "broadening",
    why: "deleting the controls turns ACLs back on",
    changes: [rc("aws_s3_bucket_ownership_controls.b", "delete", { bucket: "acme-backups", rule: [{ object_ownership: "BucketOwnerEnforced" }] }, null)],
    says: "the ownership controls removed",
  },
  {
    name: "a public access block forgotten (a removed block): unchanged, it stays in AWS",
    expected: "unchanged",
    why: "forget stops terraform managing the block; its flags stay on in AWS",
    changes: [
      act(
        "aws_s3_bucket_public_access_block.b",
        ["forget"],
        { bucket: "acme-backups", block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true },
        null,
      ),
    ],
  },
  {
    name: "ownership controls replaced with the bucket, BucketOwnerEnforced on both sides: unchanged",
    expected: "unchanged",
    why: "after_unknown marks the rule block with no unknown value in it ([{}]): the setting is known and the same",
    changes: [
      {
        ...rc(
          "aws_s3_bucket_ownership_controls.b",
          "replace",
          { bucket: "acme-backups", rule: [{ object_ownership: "BucketOwnerEnforced" }] },
          { bucket: "acme-backups-v2", rule: [{ object_ownership: "BucketOwnerEnforced" }] },
          { id: true, rule: [{}] },
        ),
      },
    ],
  },
  // ---- AWS Organizations: which SCPs apply, and the role a new account comes with
  {
    name: "service control policies turned off for the organization: broadening",
    expected: "broadening",
    why: "with SERVICE_CONTROL_POLICY gone from enabled_policy_types, no SCP applies to any account",
    changes: [
      upd(
        "aws_organizations_organization.o",
        { feature_set: "ALL", enabled_policy_types: ["SERVICE_CONTROL_POLICY"] },
        { feature_set: "ALL", enabled_policy_types: [] },
      ),
    ],
    says: "SERVICE_CONTROL_POLICY policies no longer apply anywhere in the organization",
  },
  {
    name: "the Snowplow account moved to another OU: unknown",
    expected: "unknown",
    why: "the SCPs an account inherits come from its OU and the root; the model does not follow the tree",
    changes: [
      upd(
        "aws_organizations_account.snowplow",
        { name: "snowplow-acme", parent_id: "ou-ab12-11111111" },
        { name: "snowplow-acme", parent_id: "ou-ab12-22222222" },
      ),
    ],
    says: "account snowplow-acme moves from ou-ab12-11111111 to ou-ab12-22222222",
  },
  {
    name: "a new member account: broadening (Organizations creates an administrator role the management account may assume)",
    expected: "broadening",
    why: "CreateAccount creates RoleName (default OrganizationAccountAccessRole) with administrator access, trusted by the management account",
    changes: [
      rc("aws_organizations_account.snowplow", "create", null, {
        name: "snowplow-acme",
        email: "aws-snowplow@example.com",
        role_name: "OrganizationAccountAccessRole",
      }),
    ],
    says: "new member account snowplow-acme gains AWS Organizations creates role OrganizationAccountAccessRole in it with administrator access",
  },
  {
    name: "an existing member account imported: unchanged",
    expected: "unchanged",
    why: "an import adopts the account as it is; nothing is created",
    changes: [
      {
        ...act("aws_organizations_account.snowplow", ["no-op"], { name: "snowplow-acme", parent_id: "r-ab12" }, { name: "snowplow-acme", parent_id: "r-ab12" }),
        change: {
          actions: ["no-op"],
          before: { name: "snowplow-acme", parent_id: "r-ab12" },
          after: { name: "snowplow-acme", parent_id: "r-ab12" },
          importing: { id: "444455556666" },
        },
      },
    ],
  },
  {
    name: "a bucket ACL resource's expected owner set, its grants the same: unchanged, not unknown",
    expected: "unchanged",
    why: "after_unknown marks the known grant blocks without a true in them: the grants are known and unchanged",
    changes: [
      upd(
        "aws_s3_bucket_acl.b",
        {
          bucket: "acme-backups",
          expected_bucket_owner: "",
          access_control_policy: [{ grant: [{ permission: "FULL_CONTROL", grantee: [{ type: "CanonicalUser", id: "abc" }] }], owner: [{ id: "abc" }] }],
        },
        {
          bucket: "acme-backups",
          expected_bucket_owner: A,
          access_control_policy: [{ grant: [{ permission: "FULL_CONTROL", grantee: [{ type: "CanonicalUser", id: "abc" }] }], owner: [{ id: "abc" }] }],
        },
        { access_control_policy: [{ grant: [{ grantee: [{}] }], owner: [{}] }] },
      ),
    ],
  },
  // ---- who acts as a role, and sharing outside the account (attributes read from the provider schema)
  {
    name: "an instance profile switched to another role: unknown",
    expected: "unknown",
    why: "the instances that use the profile now act as the admin role; the model judges roles, not who holds them through a profile",
    changes: [upd("aws_iam_instance_profile.app", { name: "app", role: "app" }, { name: "app", role: "admin" })],
    says: "aws_iam_instance_profile.app: role changes from app to admin: the iam instance profile runs as that role",
  },
  {
    name: "a Lambda function switched to another role: unknown",
    expected: "unknown",
    why: "the function, and whoever can change its code, now acts as the admin role",
    changes: [
      upd("aws_lambda_function.f", { function_name: "f", role: `arn:aws:iam::${A}:role/app` }, { function_name: "f", role: `arn:aws:iam::${A}:role/admin` }),
    ],
    says: `aws_lambda_function.f: role changes from arn:aws:iam::${A}:role/app to arn:aws:iam::${A}:role/admin`,
  },
  {
    name: "an ECS task definition replaced with another task role: unknown",
    expected: "unknown",
    why: "the Snowplow app's tasks run as the task role: another one is another set of grants",
    changes: [
      rc(
        "aws_ecs_task_definition.enrich",
        "replace",
        { family: "enrich", task_role_arn: `arn:aws:iam::${A}:role/acme-enrich` },
        { family: "enrich", task_role_arn: `arn:aws:iam::${A}:role/admin` },
      ),
    ],
    says: "task_role_arn changes from",
  },
  {
    name: "a Firehose destination's role switched (a nested block): unknown",
    expected: "unknown",
    why: "the delivery stream writes as the role named in its destination block",
    changes: [
      upd(
        "aws_kinesis_firehose_delivery_stream.s",
        { name: "s", extended_s3_configuration: [{ bucket_arn: "arn:aws:s3:::b", role_arn: `arn:aws:iam::${A}:role/firehose` }] },
        { name: "s", extended_s3_configuration: [{ bucket_arn: "arn:aws:s3:::b", role_arn: `arn:aws:iam::${A}:role/admin` }] },
      ),
    ],
    says: "extended_s3_configuration.role_arn changes from",
  },
  {
    name: "a Lambda function updated with the same role: unchanged",
    expected: "unchanged",
    why: "only its memory changes; the role it runs as stays",
    changes: [
      upd(
        "aws_lambda_function.f",
        { function_name: "f", role: `arn:aws:iam::${A}:role/app`, memory_size: 128 },
        { function_name: "f", role: `arn:aws:iam::${A}:role/app`, memory_size: 256 },
      ),
    ],
  },
  {
    name: "a new instance profile for a role: unchanged (the role is judged on its own)",
    expected: "unchanged",
    why: "a profile only lets EC2 hold the role, which still needs iam:PassRole to launch with it",
    changes: [same("aws_iam_role.app", role("app")), rc("aws_iam_instance_profile.app", "create", null, { name: "app", role: "app" })],
  },
  {
    name: "an AMI made public (launch permission group all): unknown",
    expected: "unknown",
    why: "a launch permission shares the image outside the account; the model does not judge shares",
    changes: [rc("aws_ami_launch_permission.public", "create", null, { image_id: "ami-12345678", group: "all" })],
    says: "aws_ami_launch_permission group is set",
  },
  // ---- memberships of a group the plan holds nothing of
  {
    name: "a user added to a group the plan holds nothing of: broadening",
    expected: "broadening",
    why: "the group's policies are outside the plan (made by hand, or in another state): the user gains them, unseen",
    changes: [
      same("aws_iam_user.u", { name: "u" }),
      upd("aws_iam_user_group_membership.m", { user: "u", groups: ["readers"] }, { user: "u", groups: ["readers", "admins"] }),
    ],
    says: "user u gains attaches the policies of group admins (a membership; the group is not in this plan)",
  },
  {
    name: "a user removed from a group the plan holds nothing of: unknown",
    expected: "unknown",
    why: "the group may hold Denies the user was under; leaving it can broaden, and the plan does not show them",
    changes: [same("aws_iam_user.u", { name: "u" }), rc("aws_iam_user_group_membership.m", "delete", { user: "u", groups: ["auditors"] }, null)],
    says: "detaches the policies of group auditors",
  },
  {
    name: "a service-linked role created: unknown",
    expected: "unknown",
    why: "the AWS service gets the role's AWS-managed permissions in the account, which the plan does not show",
    changes: [rc("aws_iam_service_linked_role.emr", "create", null, { aws_service_name: "elasticmapreduce.amazonaws.com" })],
    says: "aws_iam_service_linked_role aws_service_name is set",
  },
  // ---- provisioners: commands at apply time, which no plan shows
  {
    name: "a null_resource with a local-exec provisioner created: unknown",
    expected: "unknown",
    why: "the command runs with the apply's credentials (aws iam attach-role-policy ...): the plan shows only that there is one",
    changes: [{ ...act("null_resource.hook", ["create"], null, { triggers: null }), provider_name: "registry.terraform.io/hashicorp/null" }],
    configuration: { root_module: { resources: [{ address: "null_resource.hook", provisioners: [{ type: "local-exec" }] }] } as never },
    says: "null_resource.hook: is created with provisioners (local-exec)",
  },
  {
    name: "a resource with a provisioner updated in place: unchanged (provisioners run at creation and destroy only)",
    expected: "unchanged",
    why: "an in-place update runs no provisioner",
    changes: [upd("aws_cloudwatch_log_group.logs", { name: "acme-logs", retention_in_days: 7 }, { name: "acme-logs", retention_in_days: 14 })],
    configuration: { root_module: { resources: [{ address: "aws_cloudwatch_log_group.logs", provisioners: [{ type: "local-exec" }] }] } as never },
  },
  {
    name: "a CloudFormation stack whose template makes an IAM role: unknown",
    expected: "unknown",
    why: "the template's resources (AWS::IAM::Role and its policies) are not in the plan; only the template text is",
    changes: [
      rc("aws_cloudformation_stack.s", "create", null, {
        name: "s",
        capabilities: ["CAPABILITY_IAM"],
        template_body: JSON.stringify({
          Resources: { Admin: { Type: "AWS::IAM::Role", Properties: { ManagedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] } } },
        }),
      }),
    ],
    says: "aws_cloudformation_stack capabilities, template_body is set",
  },
  {
    name: "a Cloud Control resource (any type, an IAM role here): unknown",
    expected: "unknown",
    why: "desired_state is the resource's JSON in CloudFormation's schema, which the model does not read",
    changes: [rc("aws_cloudcontrolapi_resource.r", "create", null, { type_name: "AWS::IAM::Role", desired_state: JSON.stringify({ RoleName: "x" }) })],
    says: "aws_cloudcontrolapi_resource desired_state, type_name is set",
  },
  {
    name: "a user added to an IAM Identity Center group: unknown",
    expected: "unknown",
    why: "the group's account assignments (permission sets) reach the user; the model reads IAM, not Identity Center",
    changes: [rc("aws_identitystore_group_membership.m", "create", null, { identity_store_id: "d-1234567890", group_id: "admins", member_id: "alice" })],
    says: "aws_identitystore_group_membership group_id, member_id is set",
  },
  {
    name: "an account made the organization's GuardDuty administrator: unknown",
    expected: "unknown",
    why: "a delegated administrator manages the service for every account of the organization",
    changes: [rc("aws_guardduty_organization_admin_account.a", "create", null, { admin_account_id: OTHER })],
    says: "aws_guardduty_organization_admin_account admin_account_id is set",
  },
  // ---- tags, where a policy of the plan grants by them
  {
    name: "a role's tags change under a policy that grants by aws:PrincipalTag: unknown",
    expected: "unknown",
    why: "tagged team=data, the role now meets the condition of the data team's Allow",
    changes: [
      same("aws_iam_role.app", role("app")),
      same(
        "aws_iam_role_policy.abac",
        inline("app", doc(allow("s3:GetObject", "arn:aws:s3:::acme-data/*", { Condition: { StringEquals: { "aws:PrincipalTag/team": "data" } } }))),
      ),
      upd(
        "aws_iam_role.other",
        role("other", { tags: { team: "web" }, tags_all: { team: "web" } }),
        role("other", { tags: { team: "data" }, tags_all: { team: "data" } }),
      ),
    ],
    says: "aws_iam_role.other: its tags change, and a policy of this plan grants by tags",
  },
  {
    name: "tags changed where no policy of the plan grants by tags: unchanged",
    expected: "unchanged",
    why: "default_tags change every resource's tags; without a tag condition in sight they are not access",
    changes: [
      upd(
        "aws_s3_bucket.b",
        { bucket: "b", tags: { env: "dev" }, tags_all: { env: "dev" } },
        { bucket: "b", tags: { env: "prod" }, tags_all: { env: "prod" } },
      ),
    ],
  },
  {
    name: "a new Lambda function running as a role this plan does not create: unknown",
    expected: "unknown",
    why: "the function's code, and whoever may update it (lambda:UpdateFunctionCode needs no iam:PassRole), acts as the existing admin role",
    changes: [rc("aws_lambda_function.f", "create", null, { function_name: "f", role: `arn:aws:iam::${A}:role/admin` })],
    says: `aws_lambda_function.f: the new lambda function runs as arn:aws:iam::${A}:role/admin (role), which this plan does not create`,
  },
  {
    name: "a new Lambda function with its own new role: broadening through the role, not unknown",
    expected: "broadening",
    why: "the role is created here, so its policies are judged as what it gains; the function adds nothing unseen",
    changes: [
      rc("aws_iam_role.f", "create", null, { ...role("f"), arn: `arn:aws:iam::${A}:role/f` }),
      rc("aws_iam_role_policy.f", "create", null, inline("f", doc(allow("logs:PutLogEvents", "*")))),
      rc("aws_lambda_function.f", "create", null, { function_name: "f", role: `arn:aws:iam::${A}:role/f` }),
    ],
  },
  {
    name: "a null_resource from a provider of another registry host, under the same name: unknown",
    expected: "unknown",
    why: "a provider is its whole source address: evil.example/hashicorp/null is another program, run with the apply's credentials",
    changes: [{ ...act("null_resource.x", ["create"], null, { triggers: null }), provider_name: "evil.example/hashicorp/null" }],
    says: "provider evil.example/hashicorp/null is not one the review reads",
  },
  {
    name: "an IAM policy from an aws provider of another registry host: unknown, not read as hashicorp/aws",
    expected: "unknown",
    why: "only registry.terraform.io or registry.opentofu.org hashicorp/aws is the provider whose types the review knows",
    changes: [
      { ...act("aws_iam_policy.p", ["create"], null, { name: "p", policy: doc(allow("s3:GetObject")) }), provider_name: "mirror.example/hashicorp/aws" },
    ],
    says: "provider mirror.example/hashicorp/aws is not one the review reads",
  },
  {
    name: "the aws provider through OpenTofu's registry: read as hashicorp/aws",
    expected: "broadening",
    why: "registry.opentofu.org/hashicorp/aws is the same provider",
    changes: [
      same("aws_iam_role.app", role("app")),
      { ...act("aws_iam_role_policy.p", ["create"], null, inline("app", doc(allow("s3:GetObject")))), provider_name: "registry.opentofu.org/hashicorp/aws" },
    ],
  },
];

describe("plan review corpus", () => {
  test("has at least 60 cases, every class of the issue", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });

  test.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const r = await reviewPlan("stack", { resource_changes: c.changes, configuration: c.configuration });
    const said = [...r.unknown, ...r.access.flatMap((a) => [...a.gains.map((g) => `${a.who} gains ${g}`), ...a.loses.map((l) => `${a.who} loses ${l}`)])].join(
      "\n",
    );
    expect({ verdict: r.verdict, why: c.why }).toEqual({ verdict: c.expected, why: c.why });
    if (c.says) expect(said).toContain(c.says);
  });
});

describe("what the plan says it leaves out: unknown, whatever the changes it lists", () => {
  // the changes listed read as unchanged alone
  const listed = [same("aws_iam_role.app", role("app"))];
  test.each<[string, Partial<Plan>, string]>([
    ["errored (terraform writes the plan file anyway)", { errored: true, complete: false }, "the plan errored: terraform stopped on an error"],
    ["incomplete", { complete: false }, "the plan is incomplete: terraform deferred part of the change"],
    [
      "a deferred change",
      { deferred_changes: [{ reason: "resource_config_unknown", resource_change: { address: "aws_iam_role_policy_attachment.app" } }] },
      "aws_iam_role_policy_attachment.app: its change is deferred (resource_config_unknown), so the plan does not show it",
    ],
    [
      "a provider action",
      { action_invocations: [{ address: "action.aws_lambda_invoke.x" }] },
      "the plan invokes 1 provider action, which the review does not evaluate",
    ],
  ])("%s", async (_name, extra, reason) => {
    expect((await reviewPlan("s", { resource_changes: listed })).verdict).toBe("unchanged");
    const r = await reviewPlan("s", { resource_changes: listed, ...extra });
    expect(r.verdict).toBe("unknown");
    expect(r.unknown.join("\n")).toContain(reason);
  });
  test("complete and not errored, as terraform writes a plan that finished: the listed changes decide", async () => {
    expect((await reviewPlan("s", { resource_changes: listed, complete: true, errored: false })).verdict).toBe("unchanged");
  });
});

describe("guardrails in review", () => {
  test("a role newly granted other users' keys breaks a guardrail; an existing one is not news", async () => {
    const grant = doc(allow("iam:CreateAccessKey", `arn:aws:iam::${A}:user/*`));
    const fresh = await reviewPlan("s", { resource_changes: managedChange(doc(allow("s3:GetObject")), grant) });
    expect(fresh.verdict).toBe("broadening");
    expect(fresh.guardrails).toEqual([
      expect.stringMatching(/^role app may create, change or hand out credentials of other IAM users.*\[manage-other-users\]$/),
    ]);
    const kept = await reviewPlan("s", {
      resource_changes: managedChange(grant, doc(allow("iam:CreateAccessKey", `arn:aws:iam::${A}:user/*`), allow("s3:GetObject"))),
    });
    expect(kept.guardrails).toEqual([]);
  });
  test("a bucket policy made public breaks a guardrail", async () => {
    const r = await reviewPlan("s", { resource_changes: CASES.find((c) => c.name === "SQS queue policy opened to everyone")!.changes });
    expect(r.guardrails).toEqual([expect.stringContaining("[no-public-access]")]);
  });
});

describe("data loss without a destroy", () => {
  const warnings = async (changes: ResourceChange[]) => (await reviewPlan("s", { resource_changes: changes })).dataWarnings;
  test("a table's time to live turned on, or moved to another attribute", async () => {
    const table = (ttl: object[]) => ({ name: "acme-leases", ttl });
    expect(
      await warnings([upd("aws_dynamodb_table.t", table([{ enabled: false, attribute_name: "" }]), table([{ enabled: true, attribute_name: "expires" }]))]),
    ).toEqual(["a table's time to live is turned on (attribute expires): DynamoDB deletes items whose time has passed: `aws_dynamodb_table.t`"]);
    expect(
      await warnings([upd("aws_dynamodb_table.t", table([{ enabled: true, attribute_name: "a" }]), table([{ enabled: true, attribute_name: "b" }]))]),
    ).toHaveLength(1);
    expect(
      await warnings([upd("aws_dynamodb_table.t", table([{ enabled: true, attribute_name: "a" }]), table([{ enabled: false, attribute_name: "" }]))]),
    ).toEqual([]);
  });
  test("a backup plan rule that deletes its recovery points sooner, or at all; a new rule is not news", async () => {
    const plan = (...rule: object[]) => ({ name: "daily", rule });
    const keep = { rule_name: "daily", lifecycle: [] };
    const days = (n: number, name = "daily") => ({ rule_name: name, lifecycle: [{ delete_after: n }] });
    expect(await warnings([upd("aws_backup_plan.p", plan(days(35)), plan(days(7)))])).toEqual([
      "backup plan rule daily now deletes recovery points after 7 days (was 35): `aws_backup_plan.p`",
    ]);
    expect(await warnings([upd("aws_backup_plan.p", plan(keep), plan(days(30)))])).toEqual([
      "backup plan rule daily now deletes recovery points after 30 days: `aws_backup_plan.p`",
    ]);
    expect(await warnings([upd("aws_backup_plan.p", plan(days(7)), plan(days(35)))])).toEqual([]);
    expect(await warnings([upd("aws_backup_plan.p", plan(days(35)), plan(days(35), days(1, "hourly")))])).toEqual([]);
  });
  test("a snapshot, a replica or a global table destroyed is called out", async () => {
    for (const type of ["aws_db_snapshot", "aws_dynamodb_table_replica", "aws_dynamodb_global_table", "aws_s3tables_table"]) {
      expect(await warnings([rc(`${type}.x`, "delete", { id: "x" }, null)])).toEqual([expect.stringMatching(/would be DESTROYED: `.*\.x`$/)]);
    }
  });
  test("versioning suspended", async () => {
    expect(
      await warnings([
        upd(
          "aws_s3_bucket_versioning.v",
          { bucket: "b", versioning_configuration: [{ status: "Enabled" }] },
          { bucket: "b", versioning_configuration: [{ status: "Suspended" }] },
        ),
      ]),
    ).toEqual([expect.stringContaining("versioning would be SUSPENDED")]);
  });
  test("noncurrent-version expiry shortened, and a rule that expires current objects added", async () => {
    const rule = (extra: Values) => ({ id: "r", status: "Enabled", filter: [{ prefix: "" }], ...extra });
    const got = await warnings([
      upd(
        "aws_s3_bucket_lifecycle_configuration.l",
        { bucket: "b", rule: [rule({ noncurrent_version_expiration: [{ noncurrent_days: 90 }] })] },
        { bucket: "b", rule: [rule({ noncurrent_version_expiration: [{ noncurrent_days: 30 }], expiration: [{ days: 7 }] })] },
      ),
    ]);
    expect(got).toEqual([
      expect.stringContaining("expires current objects after 7 days"),
      expect.stringContaining("deletes old versions after 30 days (was 90)"),
    ]);
  });
  test("a lifecycle rule's filter widened with the same days", async () => {
    const rule = (prefix: string) => ({ id: "r", status: "Enabled", filter: [{ prefix }], expiration: [{ days: 1 }] });
    expect(
      await warnings([upd("aws_s3_bucket_lifecycle_configuration.l", { bucket: "b", rule: [rule("tmp/")] }, { bucket: "b", rule: [rule("")] })]),
    ).toHaveLength(1);
  });
  test("destroy of a Kinesis stream and of an SQS queue", async () => {
    expect(await warnings([rc("aws_kinesis_stream.s", "delete", { name: "s" }, null), rc("aws_sqs_queue.q", "delete", { name: "q" }, null)])).toEqual([
      expect.stringContaining("a Kinesis stream would be DESTROYED"),
      expect.stringContaining("an SQS queue would be DESTROYED"),
    ]);
  });
  test("deletion protection and point-in-time recovery turned off on a table", async () => {
    expect(
      await warnings([
        upd(
          "aws_dynamodb_table.t",
          { name: "t", deletion_protection_enabled: true, point_in_time_recovery: [{ enabled: true }] },
          { name: "t", deletion_protection_enabled: false, point_in_time_recovery: [{ enabled: false }] },
        ),
      ]),
    ).toHaveLength(2);
  });
  test("harmless updates raise nothing (no guard cries wolf)", async () => {
    expect(
      await warnings([
        upd(
          "aws_s3_bucket_versioning.v",
          { bucket: "b", versioning_configuration: [{ status: "Enabled" }] },
          { bucket: "b", versioning_configuration: [{ status: "Enabled" }] },
        ),
        upd("aws_kinesis_stream.s", { name: "s", retention_period: 24 }, { name: "s", retention_period: 48 }),
        upd("aws_s3_bucket.b", { bucket: "b", tags: {} }, { bucket: "b", tags: { a: "1" } }),
      ]),
    ).toEqual([]);
  });
});

describe("the command", () => {
  const dir = tempDir("review-cmd");
  const write = (name: string, changes: ResourceChange[]) => {
    const file = path.join(dir, `${name}.json`);
    fs.writeFileSync(file, JSON.stringify({ format_version: "1.2", planned_values: {}, resource_changes: changes, complete: true, errored: false }));
    return file;
  };
  // npm run review, as package.json runs it
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, "review", ...args], { encoding: "utf8" });
  const byName = (n: string) => CASES.find((c) => c.name === n)!.changes;

  test.each<[string, unknown, RegExp[]]>([
    [
      "an empty object",
      {},
      [/^error: .*\.json: has no format_version, so it is not terraform's JSON of a plan; make it with terraform show -json <planfile>$/],
    ],
    ["an array", [], [/^error: .*\.json: is an array, not a plan; /]],
    [
      "the JSON of a state (terraform show -json without a plan file)",
      { format_version: "1.0", terraform_version: "1.11.4", values: { root_module: {} } },
      [/^error: .*\.json: is the JSON of a state \(it has values, no planned_values\), not of a plan; /],
    ],
    [
      "a format this review does not read",
      { format_version: "2.0", planned_values: {}, resource_changes: [] },
      [/format_version "2\.0" is not one this review reads \(it reads terraform's JSON plan format 1\.x\)/],
    ],
    [
      "resource changes of the wrong shape",
      {
        format_version: "1.2",
        planned_values: {},
        resource_changes: [null, { address: "aws_iam_policy.p", type: "aws_iam_policy", change: { actions: "create" } }],
      },
      [
        /^error: .*: resource_changes\[0\]: is not an object; /,
        /^error: .*: resource_changes\[1\]: aws_iam_policy\.p: change\.actions is not a list of actions; /,
      ],
    ],
  ])("not a plan it reads (%s): one line per problem, exit 1, nothing written", (_name, content, lines) => {
    const file = path.join(dir, `bad-${lines.length}-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(file, JSON.stringify(content));
    const out = path.join(dir, `review-${path.basename(file, ".json")}.md`);
    const r = run("--plan", `s=${file}`, "--out", out);
    expect(r.status).toBe(1);
    const got = r.stderr.split("\n").filter((l) => l !== "");
    expect(got).toHaveLength(lines.length);
    lines.forEach((re, i) => expect(got[i]).toMatch(re));
    expect(r.stdout).toBe("");
    expect(fs.existsSync(out)).toBe(false);
  });

  test("--plan-dir names the stack folders it found no plan.json in: the review says nothing about them, and says so", () => {
    const plansDir = fs.mkdtempSync(path.join(dir, "plans-"));
    for (const stack of ["backup", "management", "notes"]) fs.mkdirSync(path.join(plansDir, stack));
    fs.copyFileSync(write("backup-plan", byName("no change at all")), path.join(plansDir, "backup", "plan.json"));
    fs.writeFileSync(path.join(plansDir, "management", "cdk.tf.json"), "{}");
    fs.writeFileSync(path.join(plansDir, "notes", "README.md"), "not a stack");
    const r = run("--plan-dir", plansDir);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      "## Not reviewed\n\n> [!NOTE]\n> This stack folder holds a configuration but no plan.json, so this review says nothing about it: management.",
    );
    expect(r.stderr).toContain("review: not reviewed (no plan.json): management\n");
    expect(JSON.parse(run("--plan-dir", plansDir, "--format", "json").stdout).notReviewed).toEqual(["management"]);
  });

  test("a stack given twice: one line, exit 1", () => {
    const file = write("twice", byName("no change at all"));
    const r = run("--plan", `backup=${file}`, "--plan", `backup=${file}`);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("error: stack backup is given twice; name each stack's plan once (--plan <stack>=<plan.json>)\n");
  });

  test("a guardrail exits 3 whatever the flags", () => {
    const file = write("guardrail", byName("SQS queue policy opened to everyone"));
    const r = run("--plan", `s=${file}`, "--allow-broadening", "--allow-unknown");
    expect(r.status).toBe(3);
    expect(r.stdout).toContain("**Guardrail.**");
  });

  test("unknown exits 3 unless --allow-unknown; --allow-broadening does not pass it", () => {
    const file = write("unknown", byName("KMS grant created"));
    const r = run("--plan", `s=${file}`);
    expect(r.status).toBe(3);
    expect(r.stdout).toContain("# IAM and data review: unknown");
    expect(r.stdout).toContain("**Not evaluated.**");
    expect(r.stderr).toContain("--allow-unknown");
    expect(run("--plan", `s=${file}`, "--allow-broadening").status).toBe(3);
    expect(run("--plan", `s=${file}`, "--allow-unknown").status).toBe(0);
  });

  test("unchanged (rewritten) exits 0 and says so first", () => {
    const r = run("--plan", `s=${write("rewritten", byName("two statements merged"))}`);
    expect(r.status).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("# IAM and data review: unchanged (rewritten)");
  });

  test("what a plan cannot show: prevent_destroy lifted between the base and head synth", () => {
    const stacks = (lifecycle: object | undefined) => {
      const d = fs.mkdtempSync(path.join(dir, "synth-"));
      fs.mkdirSync(path.join(d, "backup"));
      fs.writeFileSync(
        path.join(d, "backup", "cdk.tf.json"),
        JSON.stringify({ resource: { aws_s3_bucket: { b: { bucket: "b", ...(lifecycle ? { lifecycle } : {}) } } } }),
      );
      return d;
    };
    const base = stacks({ prevent_destroy: true });
    const head = stacks(undefined);
    const file = write("none", byName("no change at all"));
    const r = run("--plan", `backup=${file}`, "--base-synth", base, "--head-synth", head);
    expect(r.stdout).toContain("prevent_destroy is lifted from `aws_s3_bucket.b`");
    const j = JSON.parse(run("--plan", `backup=${file}`, "--base-synth", base, "--head-synth", head, "--format", "json").stdout);
    expect(j.configWarnings).toEqual(["backup: prevent_destroy is lifted from `aws_s3_bucket.b`"]);
    expect(run("--plan", `backup=${file}`, "--base-synth", base).status).toBe(2); // a command-line mistake
  });

  test("data loss exits 3 unless --allow-data-loss; --allow-broadening does not pass it", () => {
    const file = write("loss", [
      upd(
        "aws_s3_bucket_versioning.v",
        { bucket: "b", versioning_configuration: [{ status: "Enabled" }] },
        { bucket: "b", versioning_configuration: [{ status: "Suspended" }] },
      ),
    ]);
    const r = run("--plan", `s=${file}`, "--allow-broadening", "--allow-unknown");
    expect(r.status).toBe(3);
    expect(r.stderr).toContain("--allow-data-loss");
    expect(run("--plan", `s=${file}`, "--allow-data-loss").status).toBe(0);
  });

  test("bad input: one clear line, exit 1", () => {
    const bad = path.join(dir, "bad.json");
    fs.writeFileSync(bad, "{ not json");
    const r = run("--plan", `s=${bad}`);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^error: .*bad\.json: not a plan in JSON/)]);
  });
});
