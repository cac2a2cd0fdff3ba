/**
 * AWS naming rules, one place. Every rule here is AWS's own, tightened only
 * where a character could widen a policy (wildcards, ARN separators).
 * The same rules feed the config schema and the error messages.
 */

export interface NameRule {
  /** what the rule accepts, in words, shown in error messages */
  readonly accepts: string;
  /** a value that passes, shown in error messages */
  readonly example: string;
  readonly test: (value: string) => boolean;
  /** the regular expression for editors (JSON Schema `pattern`), when one expresses the whole rule */
  readonly pattern?: RegExp;
}

/** test for rules that one regular expression expresses in full */
const re = (pattern: RegExp) => ({ test: (v: string) => pattern.test(v), pattern });

// https://docs.aws.amazon.com/general/latest/gr/rande.html (commercial, China, GovCloud)
export const AWS_REGIONS = [
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ca-central-1",
  "ca-west-1",
  "cn-north-1",
  "cn-northwest-1",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "mx-central-1",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-gov-east-1",
  "us-gov-west-1",
  "us-west-1",
  "us-west-2",
] as const;
export type AwsRegion = (typeof AWS_REGIONS)[number];

export type Partition = "aws" | "aws-cn" | "aws-us-gov";

export function partitionOf(region: string): Partition {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/**
 * The provider's pgp_key: `keybase:<user>` or a binary OpenPGP public key in
 * standard, padded base64 (Terraform decodes it with Go's base64.StdEncoding,
 * so an unpadded or armored key fails at apply). The decoded bytes must start
 * with a public-key packet (tag 6, RFC 4880 4.2) of version 3 to 6.
 */
export const pgpKey: NameRule = {
  accepts: "a binary OpenPGP public key in padded base64 (gpg --export KEYID | base64 -w0) or 'keybase:<user>'",
  example: "keybase:alice",
  test: (v) => /^keybase:[A-Za-z0-9_]{2,16}$/.test(v) || isPgpPublicKey(v),
};

function isPgpPublicKey(b64: string): boolean {
  if (b64.length < 16 || b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return false;
  const bytes = Buffer.from(b64, "base64");
  if (bytes.length < 8 || (bytes[0] & 0x80) === 0) return false;
  const newFormat = (bytes[0] & 0x40) !== 0;
  const tag = newFormat ? bytes[0] & 0x3f : (bytes[0] >> 2) & 0x0f;
  if (tag !== 6) return false;
  // the body starts after the length octets
  let body: number;
  if (newFormat) body = bytes[1] < 192 ? 2 : bytes[1] < 224 ? 3 : bytes[1] === 255 ? 6 : 2;
  else body = [2, 3, 5, 1][bytes[0] & 0x03];
  return [3, 4, 5, 6].includes(bytes[body]);
}

export const accountId: NameRule = {
  accepts: "exactly 12 digits",
  example: "111122223333",
  ...re(/^\d{12}$/),
};

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
export const s3BucketName: NameRule = {
  accepts:
    "3-63 characters of lowercase letters, digits, '.' and '-', starting and ending with a letter or digit, no '..', not an IP address, not starting with 'xn--', 'sthree-' or 'amzn-s3-demo-', not ending with '-s3alias', '--ol-s3', '.mrap', '--x-s3' or '--table-s3'",
  example: "acme-snowplow-backups",
  test: (v) =>
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v) &&
    !v.includes("..") &&
    !IPV4.test(v) &&
    !/^(xn--|sthree-|amzn-s3-demo-)/.test(v) &&
    !/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(v),
};

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_CreateStream.html
export const cloudwatchNamespace: NameRule = {
  accepts: "1-255 characters of letters, digits and '.-_/#:' not starting with 'AWS/'",
  example: "KinesisProducerLibrary",
  test: (v) => /^[A-Za-z0-9.\-_/#:]{1,255}$/.test(v) && !v.startsWith("AWS/"),
};
export const kinesisStreamName: NameRule = {
  accepts: "1-128 characters of letters, digits, '_', '.' and '-' (no wildcards, spaces or '/')",
  example: "snowplow-raw-good",
  ...re(/^[a-zA-Z0-9_.-]{1,128}$/),
};

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
export const dynamoTableName: NameRule = {
  accepts: "3-255 characters of letters, digits, '_', '.' and '-' (no wildcards, spaces or '/')",
  example: "snowplow-enrich",
  ...re(/^[a-zA-Z0-9_.-]{3,255}$/),
};

// DynamoDB allows any UTF-8 in attribute names; key attributes here are kept
// to the characters a Terraform string and a report show unambiguously.
export const dynamoAttributeName: NameRule = {
  accepts: "1-255 characters of letters, digits, '_', '.' and '-'",
  example: "order_id",
  ...re(/^[a-zA-Z0-9_.-]{1,255}$/),
};

// A KCL application name is also its lease table name; KCL 3 adds
// '-CoordinatorState' (17 characters), so 238 leaves room for it.
export const kclApplicationName: NameRule = {
  accepts: "3-238 characters of letters, digits, '_', '.' and '-' (it names the KCL lease table, and KCL 3 appends '-CoordinatorState')",
  example: "snowplow-enrich",
  ...re(/^[a-zA-Z0-9_.-]{3,238}$/),
};

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names
const IAM_NAME_CHARS = "letters, digits and '+=,.@_-'";
export const iamUserName: NameRule = {
  accepts: `1-64 characters of ${IAM_NAME_CHARS}`,
  example: "snowplow-operator",
  ...re(/^[\w+=,.@-]{1,64}$/),
};
export const iamRoleName: NameRule = {
  accepts: `1-64 characters of ${IAM_NAME_CHARS}`,
  example: "snowplow-enrich",
  ...re(/^[\w+=,.@-]{1,64}$/),
};
export const iamGroupName: NameRule = {
  accepts: `1-128 characters of ${IAM_NAME_CHARS}`,
  example: "snowplow-data-pipeline",
  ...re(/^[\w+=,.@-]{1,128}$/),
};
export const iamPolicyName: NameRule = {
  accepts: `1-128 characters of ${IAM_NAME_CHARS}`,
  example: "snowplow-policy-operate-datapipeline",
  ...re(/^[\w+=,.@-]{1,128}$/),
};
// AWS allows any printable ASCII between the slashes; '*' and '?' would widen
// every ARN built from the path, so only name characters are accepted here.
export const iamPath: NameRule = {
  accepts: "'/' or '/'-separated segments of letters, digits and '+=,.@_-', starting and ending with '/', at most 512 characters",
  example: "/snowplow/",
  test: (v) => v.length <= 512 && /^\/([\w+=,.@-]+\/)*$/.test(v),
};
export const iamManagedPolicyArn: NameRule = {
  accepts: "an IAM managed policy ARN without wildcards",
  example: "arn:aws:iam::111122223333:policy/snowplow-boundary",
  ...re(/^arn:aws(-cn|-us-gov)?:iam::(\d{12}|aws):policy\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/),
};

// https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreateAccount.html
export const email: NameRule = {
  accepts: "an e-mail address of 6-64 characters (local@domain.tld)",
  example: "aws-snowplow@example.com",
  test: (v) => v.length >= 6 && v.length <= 64 && /^[A-Za-z0-9._%+=-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/.test(v),
};
export const accountName: NameRule = {
  accepts: "1-50 printable characters, without Terraform's template sequences ${ and %{",
  example: "snowplow-acme",
  // the name reaches Terraform as a string: "${...}" would be evaluated there (an injection)
  test: (v) => /^[\x20-\x7e]{1,50}$/.test(v) && !v.includes("${") && !v.includes("%{"),
};
export const organizationId: NameRule = {
  accepts: "'o-' followed by 10-32 lowercase letters or digits",
  example: "o-a1b2c3d4e5",
  ...re(/^o-[a-z0-9]{10,32}$/),
};
export const organizationParentId: NameRule = {
  accepts: "a root id ('r-' and 4-32 characters) or an organisational unit id ('ou-', 4-32, '-', 8-32 characters)",
  example: "ou-ab12-cd34ef56",
  ...re(/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/),
};
export const companyName: NameRule = {
  accepts: "2-40 lowercase letters, digits and '-', starting and ending with a letter or digit (it becomes part of account and resource names)",
  example: "acme",
  ...re(/^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$/),
};
// A short name used for a stack and in Sids: stack folders and Sids allow no other characters.
export const shortName: NameRule = {
  accepts: "1-32 lowercase letters, digits and '-', starting with a letter",
  example: "shop",
  ...re(/^[a-z][a-z0-9-]{0,31}$/),
};
export const kmsKeyArn: NameRule = {
  accepts: "a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>), not an alias and without wildcards",
  example: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  ...re(/^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:key\/(mrk-)?[a-f0-9-]{32,36}$/),
};
export const iamRoleArn: NameRule = {
  accepts: "an IAM role ARN without wildcards",
  example: "arn:aws:iam::111122223333:role/terraform",
  ...re(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/),
};
export const oidcProviderArn: NameRule = {
  accepts: "an IAM OIDC provider ARN (arn:aws:iam::<account>:oidc-provider/<host>/<path>)",
  example: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
  ...re(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:oidc-provider\/[A-Za-z0-9.-]+(\/[A-Za-z0-9._-]+)*$/),
};
export const kubernetesName: NameRule = {
  accepts: "1-63 lowercase letters, digits and '-' (a Kubernetes namespace or service account name)",
  example: "snowplow",
  ...re(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/),
};
export const s3KeyPrefix: NameRule = {
  accepts: "1-200 characters of letters, digits and '!-_.()/', no leading '/', no '..' and no wildcards",
  example: "terraform/snowplow",
  test: (v) => /^[A-Za-z0-9!_.()-][A-Za-z0-9!_.()/-]{0,199}$/.test(v) && !v.includes("..") && !v.includes("//"),
};
export const tagKey: NameRule = {
  accepts: "1-128 characters of letters, digits, spaces and '_.:/=+-@', not starting with 'aws:'",
  example: "team",
  test: (v) => /^[\p{L}\p{Zs}\p{N}_.:/=+\-@]{1,128}$/u.test(v) && !v.toLowerCase().startsWith("aws:"),
};
export const tagValue: NameRule = {
  accepts: "0-256 characters of letters, digits, spaces and '_.:/=+-@'",
  example: "data-platform",
  ...re(/^[\p{L}\p{Zs}\p{N}_.:/=+\-@]{0,256}$/u),
};

// https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html
export const snsTopicName: NameRule = {
  accepts: "1-256 characters of letters, digits, '_' and '-'",
  example: "snowplow-monitoring",
  ...re(/^[A-Za-z0-9_-]{1,256}$/),
};
