/**
 * Every policy document the constructs emit, with what it is attached to. The
 * synth-time checks (modules/checks/) and the access report read this; the
 * Terraform output does not depend on it.
 */
import type { IConstruct } from "constructs";
import { TerraformStack } from "./cdk";
import type { PolicyDocument } from "./policy";

/** how AWS stores the document, which decides its quota and which checks apply */
export type PolicyKind = "managed" | "inline" | "bucket" | "key" | "scp" | "trust";

export type PrincipalType = "user" | "group" | "role" | "bucket" | "key" | "account";

/** a principal or resource a policy applies to: `role:acme-enrich`, `bucket:acme-dynamodb-backups` */
export interface PolicyTarget {
  readonly type: PrincipalType;
  readonly name: string;
}

/** a finding accepted on purpose, with its reason (cdk-nag style) */
export interface Acknowledgement {
  /** the check id, e.g. "no-wildcard-action" */
  readonly rule: string;
  readonly reason: string;
  /** only these statements @default - the whole policy */
  readonly sids?: readonly string[];
}

export interface PolicyEntry {
  /** the stack (one account) the policy is in */
  readonly stack: string;
  readonly account: string;
  /** the policy's own name (managed and inline policies) or a label */
  readonly name: string;
  readonly kind: PolicyKind;
  readonly document: PolicyDocument;
  /** what the policy is attached to or governs */
  readonly targets: readonly PolicyTarget[];
  readonly acknowledgements: readonly Acknowledgement[];
  /** for an SCP: the account id it is attached to, when known */
  readonly governs?: string;
  /** construct path, to find it in the code */
  readonly path: string;
}

export interface Membership {
  readonly stack: string;
  readonly user: string;
  readonly group: string;
}

interface Registry {
  readonly policies: PolicyEntry[];
  readonly memberships: Membership[];
}

const registries = new WeakMap<IConstruct, Registry>();

function registryOf(scope: IConstruct): Registry {
  const root = scope.node.root;
  let r = registries.get(root);
  if (!r) {
    r = { policies: [], memberships: [] };
    registries.set(root, r);
  }
  return r;
}

function stackOf(scope: IConstruct): TerraformStack {
  return TerraformStack.of(scope);
}

export interface RegisterPolicyProps {
  readonly name: string;
  readonly kind: PolicyKind;
  readonly document: PolicyDocument;
  readonly targets: readonly PolicyTarget[];
  /** the account the policy lives in @default - the stack's account */
  readonly account?: string;
  /** @default [] */
  readonly acknowledgements?: readonly Acknowledgement[];
  /** for an SCP: the account id it is attached to @default - unknown */
  readonly governs?: string;
}

export function registerPolicy(scope: IConstruct, props: RegisterPolicyProps): void {
  registryOf(scope).policies.push({
    stack: stackOf(scope).node.id,
    account: props.account ?? (stackOf(scope) as { env?: { account?: string } }).env?.account ?? "unknown",
    name: props.name,
    kind: props.kind,
    document: props.document,
    targets: props.targets,
    acknowledgements: props.acknowledgements ?? [],
    governs: props.governs,
    path: scope.node.path,
  });
}

export function registerMembership(scope: IConstruct, user: string, group: string): void {
  registryOf(scope).memberships.push({ stack: stackOf(scope).node.id, user, group });
}

/** every policy registered under an app (or any construct of it), in creation order */
export function registeredPolicies(scope: IConstruct): readonly PolicyEntry[] {
  return registryOf(scope).policies;
}

export function registeredMemberships(scope: IConstruct): readonly Membership[] {
  return registryOf(scope).memberships;
}

export function targetLabel(t: PolicyTarget): string {
  return `${t.type} ${t.name}`;
}
