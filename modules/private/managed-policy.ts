/**
 * Customer-managed policies that stay within AWS's 6,144-character quota:
 * a document that does not fit is merged, then split into numbered policies
 * (`name`, `name-2`, ...), as AWS CDK does with its OverflowPolicyN. The first
 * keeps the logical id `<id>` so configs that fit see no change.
 */
import { IamPolicy } from "./cdk";
import type { Construct } from "constructs";
import type { PolicyDocument } from "./policy";
import { registerPolicy, type Acknowledgement, type PolicyTarget } from "./policy-registry";
import { fitPolicy, POLICY_SIZE_LIMITS } from "./quotas";

export interface ManagedPoliciesProps {
  readonly name: string;
  readonly path: string;
  readonly description: string;
  readonly document: PolicyDocument;
  readonly account: string;
  /** what the policies get attached to (for the checks and the report) */
  readonly targets: readonly PolicyTarget[];
  readonly acknowledgements?: readonly Acknowledgement[];
}

export interface ManagedPolicies {
  readonly policies: IamPolicy[];
  readonly documents: PolicyDocument[];
}

export function createManagedPolicies(scope: Construct, id: string, props: ManagedPoliciesProps): ManagedPolicies {
  const documents = fitPolicy(props.document, POLICY_SIZE_LIMITS.managed, `managed policy ${props.name}`);
  const policies = documents.map((document, i) => {
    const name = i === 0 ? props.name : `${props.name}-${i + 1}`;
    const policy = new IamPolicy(scope, i === 0 ? id : `${id}_${i + 1}`, {
      name,
      path: props.path,
      // "part N", not "N of M": a description cannot change without replacing the policy
      description: i === 0 ? props.description : `${props.description} (part ${i + 1})`,
      policy: document.toTerraform(),
    });
    registerPolicy(scope, { name, kind: "managed", document, targets: props.targets, account: props.account, acknowledgements: props.acknowledgements });
    return policy;
  });
  return { policies, documents };
}
