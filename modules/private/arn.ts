/**
 * The one ARN builder. Every ARN in every policy comes from here, from
 * partition, service, region, account and resource, never from string
 * concatenation scattered through the modules.
 */
import { partitionOf, type Partition } from "../config/rules";

export interface ArnParts {
  readonly partition: Partition;
  readonly service: string;
  /** empty for global services (IAM, S3) */
  readonly region: string;
  /** empty for S3 buckets and objects */
  readonly account: string;
  readonly resource: string;
}

export function arn(p: ArnParts): string {
  return `arn:${p.partition}:${p.service}:${p.region}:${p.account}:${p.resource}`;
}

/** where an account's resources live: the context every ARN builder needs */
export interface AccountEnv {
  readonly partition: Partition;
  readonly region: string;
  readonly account: string;
}

export function accountEnv(account: string, region: string): AccountEnv {
  return { partition: partitionOf(region), region, account };
}

export const arns = {
  accountRoot: (e: AccountEnv) => arn({ ...e, service: "iam", region: "", resource: "root" }),
  iamRole: (e: AccountEnv, name: string, path = "/") => arn({ ...e, service: "iam", region: "", resource: `role${path}${name}` }),
  iamUser: (e: AccountEnv, name: string, path = "/") => arn({ ...e, service: "iam", region: "", resource: `user${path}${name}` }),
  /**
   * a user's own ARN whatever their IAM path: `user/NAME` (path `/`) and
   * `user/PATH/NAME`. A user name holds no `/` and is unique in the account,
   * so `user/*\/NAME` matches only that user (`bob-alice` ends in `/bob-alice`,
   * not `/alice`). AWS's example names only `user/${aws:username}`, which
   * misses every user created under a path.
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage.html
   */
  iamUserSelf: (e: AccountEnv) => [
    arn({ ...e, service: "iam", region: "", resource: "user/${aws:username}" }),
    arn({ ...e, service: "iam", region: "", resource: "user/*/${aws:username}" }),
  ],
  /** virtual MFA devices of any name: AWS's example lets users name their own device freely */
  iamMfaAny: (e: AccountEnv) => arn({ ...e, service: "iam", region: "", resource: "mfa/*" }),
  /** an IAM resource of another kind, e.g. `oidc-provider/token.actions.githubusercontent.com` */
  iam: (e: AccountEnv, resource: string) => arn({ ...e, service: "iam", region: "", resource }),
  /** an AWS managed policy (account "aws") */
  awsManagedPolicy: (e: AccountEnv, name: string) => arn({ ...e, service: "iam", region: "", account: "aws", resource: `policy/${name}` }),
  iamInstanceProfile: (e: AccountEnv, name: string, path = "/") => arn({ ...e, service: "iam", region: "", resource: `instance-profile${path}${name}` }),
  s3Bucket: (e: AccountEnv, bucket: string) => arn({ ...e, service: "s3", region: "", account: "", resource: bucket }),
  s3Objects: (e: AccountEnv, bucket: string, keyPattern = "*") => arn({ ...e, service: "s3", region: "", account: "", resource: `${bucket}/${keyPattern}` }),
  kinesisStream: (e: AccountEnv, name: string) => arn({ ...e, service: "kinesis", resource: `stream/${name}` }),
  kinesisStreamConsumers: (e: AccountEnv, stream: string) => arn({ ...e, service: "kinesis", resource: `stream/${stream}/consumer/*` }),
  dynamoTable: (e: AccountEnv, name: string) => arn({ ...e, service: "dynamodb", resource: `table/${name}` }),
  dynamoTableIndexes: (e: AccountEnv, name: string) => arn({ ...e, service: "dynamodb", resource: `table/${name}/index/*` }),
  dynamoTableExports: (e: AccountEnv, name: string) => arn({ ...e, service: "dynamodb", resource: `table/${name}/export/*` }),
  ec2: (e: AccountEnv, type: string, id = "*") => arn({ ...e, service: "ec2", resource: `${type}/${id}` }),
  /** EC2 AMIs and snapshots owned by anyone have no account in their ARN */
  ec2Public: (e: AccountEnv, type: string) => arn({ ...e, service: "ec2", account: "", resource: `${type}/*` }),
  emrCluster: (e: AccountEnv) => arn({ ...e, service: "elasticmapreduce", resource: "cluster/*" }),
  redshiftClusters: (e: AccountEnv) => arn({ ...e, service: "redshift", resource: "cluster:*" }),
  kmsKeys: (e: AccountEnv) => arn({ ...e, service: "kms", resource: "key/*" }),
  snsTopic: (e: AccountEnv, name: string) => arn({ ...e, service: "sns", resource: name }),
};
