/**
 * Simulated access, from the synthesized Terraform: the policies a principal
 * really gets (attachments, inline policies, group memberships resolved from
 * the stack JSON), evaluated with the resource policy and the SCP by
 * @cloud-copilot/iam-simulate. AGPL: a devDependency, used by tests only.
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { parsePolicy, type StackJson } from "./synth";

type Policy = { Version: string; Statement: any[] };

const REF = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}$/;

function all(stack: StackJson, type: string): [string, any][] {
  return Object.entries(stack.resource?.[type] ?? {});
}

/** a literal, or the named attribute of the resource a reference points at */
function resolve(stack: StackJson, value: string): string {
  const m = REF.exec(value);
  if (!m) return value;
  const [, type, id, attr] = m;
  const r = stack.resource?.[type]?.[id];
  if (!r) throw new Error(`unresolved reference ${value}`);
  if (attr === "arn" && type === "aws_iam_policy") return `policy:${id}`;
  return r[attr] ?? r.name ?? value;
}

function managedPolicy(stack: StackJson, arnRef: string): Policy {
  const id = resolve(stack, arnRef);
  if (!id.startsWith("policy:")) throw new Error(`not a policy of this stack: ${arnRef}`);
  return parsePolicy(stack.resource.aws_iam_policy[id.slice("policy:".length)].policy);
}

/** every identity policy of a role, user (with its groups) or group, as applied */
export function identityPolicies(stack: StackJson, type: "role" | "user" | "group", name: string): { name: string; policy: Policy }[] {
  const out: { name: string; policy: Policy }[] = [];
  const add = (label: string, policy: Policy) => out.push({ name: `${label}-${out.length}`, policy });
  if (type === "role") {
    for (const [, a] of all(stack, "aws_iam_role_policy_attachment")) if (resolve(stack, a.role) === name) add("managed", managedPolicy(stack, a.policy_arn));
    for (const [, p] of all(stack, "aws_iam_role_policy")) if (resolve(stack, p.role) === name) add("inline", parsePolicy(p.policy));
  }
  if (type === "user") {
    for (const [, a] of all(stack, "aws_iam_user_policy_attachment")) if (resolve(stack, a.user) === name) add("managed", managedPolicy(stack, a.policy_arn));
    for (const [, m] of all(stack, "aws_iam_user_group_membership")) {
      if (resolve(stack, m.user) !== name) continue;
      for (const g of m.groups) out.push(...identityPolicies(stack, "group", resolve(stack, g)));
    }
  }
  if (type === "group") {
    for (const [, a] of all(stack, "aws_iam_group_policy_attachment")) if (resolve(stack, a.group) === name) add("managed", managedPolicy(stack, a.policy_arn));
    for (const [, p] of all(stack, "aws_iam_group_policy")) if (resolve(stack, p.group) === name) add("inline", parsePolicy(p.policy));
  }
  return out;
}

export function bucketPolicy(stack: StackJson): Policy {
  const [[, p]] = all(stack, "aws_s3_bucket_policy");
  return parsePolicy(p.policy);
}

export function serviceControlPolicies(management: StackJson): Policy[] {
  return all(management, "aws_organizations_policy").map(([, p]) => parsePolicy(p.content));
}

export type Outcome = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

export interface Request {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** the account that owns the resource */
  readonly resourceAccount: string;
  readonly context?: Record<string, string | string[]>;
}

export interface Evaluated {
  readonly identity: { name: string; policy: Policy }[];
  readonly resourcePolicy?: Policy;
  readonly scps?: Policy[];
  readonly orgId?: string;
}

/** AWS's answer for one request: identity, resource and SCP policies together */
export async function simulate(req: Request, policies: Evaluated): Promise<Outcome> {
  const result = await runSimulation(
    {
      request: {
        principal: req.principal,
        action: req.action,
        resource: { resource: req.resource, accountId: req.resourceAccount },
        // what AWS always puts in the request context for a signed call by an IAM principal
        contextVariables: {
          "aws:SecureTransport": "true",
          "aws:PrincipalArn": req.principal,
          "aws:PrincipalAccount": req.principal.split(":")[4],
          ...req.context,
        },
      },
      identityPolicies: policies.identity,
      serviceControlPolicies: policies.scps?.length
        ? [
            {
              orgIdentifier: policies.orgId ?? "o-a1b2c3d4e5",
              policies: [{ name: "FullAWSAccess", policy: FULL_ACCESS }, ...policies.scps.map((policy, i) => ({ name: `scp-${i}`, policy }))],
            },
          ]
        : [],
      resourceControlPolicies: [],
      resourcePolicy: policies.resourcePolicy,
    },
    {},
  );
  if (result.resultType === "error") throw new Error(`simulation error: ${JSON.stringify(result.errors)}`);
  return result.overallResult as Outcome;
}

/** the FullAWSAccess SCP AWS attaches by default; ours is added beside it, as in a real organisation */
const FULL_ACCESS = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
