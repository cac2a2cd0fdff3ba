import { IamAccessKey, IamUser, IamUserLoginProfile, TerraformOutput } from "./cdk";
import { Construct } from "constructs";
import { PropsError } from "./props-error";

/** how a human or machine IAM user is created; the same rules for every user */
export interface PipelineUserProps {
  readonly userName: string;
  /** @default "/" */
  readonly path?: string;
  /** @default - no permissions boundary */
  readonly permissionsBoundaryArn?: string;
  /**
   * create an access key. Its secret is stored in Terraform state, so it is
   * only created encrypted with `pgpKey`.
   * @default false
   */
  readonly accessKey?: boolean;
  /** create a console login profile; the password must be reset at first sign-in @default false */
  readonly consoleLogin?: boolean;
  /** PGP public key (base64 or keybase:user); required by accessKey and consoleLogin @default - none */
  readonly pgpKey?: string;
}

/**
 * An IAM user with no access key by default. Prefer roles (machines) and IAM
 * Identity Center (people); where a user is needed, secrets leave Terraform
 * only PGP-encrypted.
 */
export class PipelineUser extends Construct {
  readonly user: IamUser;

  constructor(scope: Construct, id: string, props: PipelineUserProps) {
    super(scope, id);
    if ((props.accessKey || props.consoleLogin) && props.pgpKey === undefined) {
      throw new PropsError(`PipelineUser ${props.userName}`, "accessKey and consoleLogin need pgpKey");
    }
    this.user = new IamUser(this, "user", {
      name: props.userName,
      path: props.path ?? "/",
      permissionsBoundary: props.permissionsBoundaryArn,
      // Deleting a user with keys or MFA devices fails unless forced; removing
      // a user from config is a deliberate act.
      forceDestroy: true,
    });
    if (props.accessKey) {
      const key = new IamAccessKey(this, "access_key", { user: this.user.name, pgpKey: props.pgpKey });
      new TerraformOutput(this, "access_key_id", { value: key.id, description: `access key id of ${props.userName}` });
      new TerraformOutput(this, "encrypted_secret", {
        value: key.encryptedSecret,
        description: `secret access key of ${props.userName}, encrypted with the PGP key (base64): decrypt with 'base64 -d | gpg -d'`,
      });
    }
    if (props.consoleLogin) {
      const login = new IamUserLoginProfile(this, "login", {
        user: this.user.name,
        pgpKey: props.pgpKey,
        passwordResetRequired: true,
        lifecycle: { ignoreChanges: ["password_length", "password_reset_required", "pgp_key"] },
      });
      new TerraformOutput(this, "encrypted_password", {
        value: login.encryptedPassword,
        description: `first console password of ${props.userName}, encrypted with the PGP key (base64)`,
      });
    }
  }
}
