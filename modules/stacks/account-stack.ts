/**
 * The base of every stack: one AWS account, reached the standard way.
 * Provider: region, `assume_role` into the account's access role when the
 * account is reached from the management account, `allowed_account_ids` so an
 * apply with the wrong credentials stops before it changes anything, and the
 * config's tags as `default_tags`. No credentials ever appear in the output.
 */
import * as path from "node:path";
import {
  AwsProvider,
  DataTerraformRemoteStateLocal,
  DataTerraformRemoteStateS3,
  LocalBackend,
  S3Backend,
  TerraformStack,
  TerraformVariable,
} from "../private/cdk";
import type { Construct } from "constructs";
import type { Config } from "../config/schema";
import { accountEnv, arns, type AccountEnv } from "../private/arn";

export interface AccountStackProps {
  readonly config: Config;
  /**
   * the account this stack manages; or, for an account another stack creates, that stack's
   * output holding its id, read from that stack's state (remote state over the configured backend)
   */
  readonly accountId: string | { readonly stack: string; readonly output: string };
  readonly region: string;
  /** role to assume in the account; none when the caller's credentials already are in it */
  readonly assumeRoleArn?: string;
  /** or the name of the access role to assume, in the account (when its id is only known from state) */
  readonly accessRoleName?: string;
  /** folder that `cdktf.out` lives in; the local state file goes there, outside `cdktf.out` */
  readonly projectDir: string;
  /** output folder of the synth (`cdktf.out`) */
  readonly outdir: string;
}

/** session name in CloudTrail for every change made by these stacks */
export const SESSION_NAME = "snowplow-aws-iac";

export class AccountStack extends TerraformStack {
  readonly env: AccountEnv;
  readonly config: Config;
  readonly provider: AwsProvider;

  constructor(scope: Construct, id: string, props: AccountStackProps) {
    super(scope, id);
    this.config = props.config;
    const accountId =
      typeof props.accountId === "string"
        ? props.accountId
        : AccountStack.remoteOutput(this, props.config, props.projectDir, props.outdir, id, props.accountId);
    this.env = accountEnv(accountId, props.region);

    // with CI configured, the role is a variable: applies keep the access role (its default), the plan workflow
    // sets TF_VAR_assume_role_arn to the account's read-only plan role; "" assumes nothing (provider >= 5.68)
    let roleArn = props.assumeRoleArn ?? (props.accessRoleName ? arns.iamRole(this.env, props.accessRoleName) : undefined);
    if (props.config.ci !== undefined) {
      const variable = new TerraformVariable(this, "assume_role_arn", {
        type: "string",
        default: props.assumeRoleArn ?? "",
        description: "role the AWS provider assumes: the account's access role (apply); the plan workflow sets its read-only plan role",
      });
      variable.overrideLogicalId("assume_role_arn");
      roleArn = variable.stringValue;
    }
    this.provider = new AwsProvider(this, "aws", {
      region: props.region,
      allowedAccountIds: [accountId],
      assumeRole: roleArn ? [{ roleArn, sessionName: SESSION_NAME }] : undefined,
      defaultTags: Object.keys(props.config.tags).length > 0 ? [{ tags: { ...props.config.tags } }] : undefined,
    });
    // Spell the provider source in full, as Terraform users read it.
    this.addOverride("terraform.required_providers.aws.source", "hashicorp/aws");

    const backend = props.config.backend;
    if (backend.type === "s3") {
      new S3Backend(this, {
        bucket: backend.bucket,
        key: AccountStack.stateKey(backend.keyPrefix, id),
        region: backend.region,
        encrypt: true,
      });
      // S3-native locking (Terraform >= 1.10); no DynamoDB lock table needed.
      this.addOverride("terraform.backend.s3.use_lockfile", true);
      if (backend.roleArn) this.addOverride("terraform.backend.s3.assume_role", { role_arn: backend.roleArn });
    } else {
      // Relative to the stack folder (where terraform runs) and outside cdktf.out,
      // so deleting the build output never deletes state, and no absolute path is written.
      new LocalBackend(this, { path: AccountStack.localStatePath(props.projectDir, props.outdir, id, id) });
    }
  }

  /**
   * a value another stack outputs, from its state: the data source reads the producing stack's
   * state through the same backend this project configures (its local file, or its S3 key)
   */
  static remoteOutput(
    scope: TerraformStack,
    config: Config,
    projectDir: string,
    outdir: string,
    id: string,
    from: { readonly stack: string; readonly output: string },
  ): string {
    const backend = config.backend;
    if (backend.type === "s3") {
      const remote = new DataTerraformRemoteStateS3(scope, `state_of_${from.stack}`, {
        bucket: backend.bucket,
        key: AccountStack.stateKey(backend.keyPrefix, from.stack),
        region: backend.region,
      });
      if (backend.roleArn) remote.addOverride("config.assume_role", { role_arn: backend.roleArn });
      return remote.getString(from.output);
    }
    const remote = new DataTerraformRemoteStateLocal(scope, `state_of_${from.stack}`, {
      path: AccountStack.localStatePath(projectDir, outdir, id, from.stack),
    });
    return remote.getString(from.output);
  }

  /** a stack's key in the S3 state bucket */
  static stateKey(keyPrefix: string, stack: string): string {
    return `${keyPrefix}/${stack}.tfstate`;
  }

  /**
   * the local state file of stack `of`, as seen from the folder of stack `from`: relative (no
   * machine path is written) and outside cdktf.out, so deleting the output never deletes state
   */
  static localStatePath(projectDir: string, outdir: string, from: string, of: string): string {
    return path
      .relative(path.join(outdir, "stacks", from), path.join(projectDir, `terraform.${of}.tfstate`))
      .split(path.sep)
      .join("/");
  }

  /** the IAM role ARN used to reach an account from the management account */
  static accessRoleArn(accountId: string, region: string, roleName: string): string {
    return arns.iamRole(accountEnv(accountId, region), roleName);
  }
}
