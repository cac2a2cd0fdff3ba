import { OrganizationsAccount, TerraformOutput } from "./private/cdk";
import { Construct } from "constructs";
import { PropsError } from "./private/props-error";

export interface SubAccountProps {
  /** account name, e.g. `snowplow-acme` */
  readonly name: string;
  /** e-mail of the account's root user; unique across AWS */
  readonly email: string;
  /**
   * `create` a new member account, or `adopt` an existing one: its id is
   * imported into state with a Terraform `import` block.
   */
  readonly mode: "create" | "adopt";
  /** id of the existing account; required for `adopt` */
  readonly accountId?: string;
  /**
   * root or organisational unit to place the account in
   * @default - the organisation's root
   */
  readonly parentId?: string;
  /**
   * role that Organizations creates in the new account for the management account to assume
   * @default "OrganizationAccountAccessRole"
   */
  readonly accessRoleName?: string;
  /**
   * whether IAM users of the account may see billing. Changing it replaces
   * the account, which `prevent_destroy` refuses.
   * @default "DENY"
   */
  readonly iamUserAccessToBilling?: "ALLOW" | "DENY";
}

/**
 * The Snowplow member account (seed 001, "link the accounts"), guarded:
 * `prevent_destroy`, `close_on_deletion = false` (a destroy would only leave the
 * organisation, never close the account), and `role_name` ignored after creation
 * because AWS cannot read it back.
 */
export class SubAccount extends Construct {
  readonly account: OrganizationsAccount;

  constructor(scope: Construct, id: string, props: SubAccountProps) {
    super(scope, id);
    if (props.mode === "adopt" && props.accountId === undefined) {
      throw new PropsError("SubAccount", "mode 'adopt' needs accountId");
    }
    this.account = new OrganizationsAccount(this, "account", {
      name: props.name,
      email: props.email,
      parentId: props.parentId,
      roleName: props.accessRoleName ?? "OrganizationAccountAccessRole",
      iamUserAccessToBilling: props.iamUserAccessToBilling ?? "DENY",
      closeOnDeletion: false,
      lifecycle: { preventDestroy: true, ignoreChanges: ["role_name"] },
    });
    if (props.mode === "adopt" && props.accountId !== undefined) this.account.importFrom(props.accountId);

    new TerraformOutput(this, "account_id", {
      value: this.account.id,
      description: "id of the Snowplow account: put it in accounts.snowplow.id, then synth and apply the pipeline stack",
    });
  }
}
