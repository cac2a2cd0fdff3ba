/**
 * The review of Terraform plans (`terraform show -json`): what each stack
 * creates, updates, replaces and destroys, loud warnings when data would be
 * lost, the IAM statements added and removed per policy, and a verdict:
 * broadening, narrowing or unchanged. Reads plan JSON only, so it works on
 * plans of the CDKTF stacks and of the vendored modules alike.
 */
import { broadening, diffStatements, normalise, type NormalStatement } from "./policy-diff";

/** policy-bearing resource types: the attribute that holds the document, and what to call it */
export const POLICY_ATTRIBUTES: Readonly<Record<string, readonly [string, string]>> = {
  aws_iam_policy: ["policy", "managed policy"],
  aws_iam_role_policy: ["policy", "inline policy of role"],
  aws_iam_group_policy: ["policy", "inline policy of group"],
  aws_iam_user_policy: ["policy", "inline policy of user"],
  aws_iam_role: ["assume_role_policy", "trust policy of role"],
  aws_s3_bucket_policy: ["policy", "bucket policy"],
  aws_kms_key: ["policy", "key policy"],
  aws_organizations_policy: ["content", "service control policy"],
};

/** resources that grant by existing: an added one broadens, a removed one narrows */
export const GRANTING_LINKS: Readonly<Record<string, readonly string[]>> = {
  aws_iam_role_policy_attachment: ["role", "policy_arn"],
  aws_iam_group_policy_attachment: ["group", "policy_arn"],
  aws_iam_user_policy_attachment: ["user", "policy_arn"],
  aws_iam_policy_attachment: ["name", "policy_arn"],
  aws_iam_user_group_membership: ["user", "groups"],
  aws_iam_group_membership: ["group", "users"],
};

/** resources that hold data, or guard it: a destroy or replace of one is called out loudly */
export const DATA_RESOURCES: Readonly<Record<string, string>> = {
  aws_organizations_account: "the member account",
  aws_s3_bucket: "a bucket",
  aws_s3_bucket_policy: "a bucket's policy",
  aws_s3_bucket_versioning: "a bucket's versioning",
  aws_s3_bucket_server_side_encryption_configuration: "a bucket's encryption",
  aws_kms_key: "a KMS key",
  aws_dynamodb_table: "a DynamoDB table",
};

export type Verdict = "broadening" | "narrowing" | "unchanged";

export interface PolicyChange {
  readonly address: string;
  readonly label: string;
  readonly added: NormalStatement[];
  readonly removed: NormalStatement[];
  readonly broadening: string[];
}

export interface StackReview {
  readonly stack: string;
  readonly counts: { create: number; update: number; replace: number; destroy: number };
  readonly dataWarnings: string[];
  readonly policies: PolicyChange[];
  /** attachments and memberships added (broadening) or removed (narrowing) */
  readonly links: { readonly sign: "+" | "-"; readonly text: string }[];
  readonly verdict: Verdict;
}

/** attribute values of a resource in a plan: JSON of any shape */
type Values = Record<string, unknown>;

interface ResourceChange {
  address: string;
  type: string;
  change: { actions: string[]; before: Values | null; after: Values | null; after_unknown?: Record<string, unknown> };
}

function kind(actions: string[]): "create" | "update" | "replace" | "destroy" | "none" {
  const a = actions.join(",");
  if (a === "create") return "create";
  if (a === "update") return "update";
  if (a === "delete") return "destroy";
  if (a === "delete,create" || a === "create,delete") return "replace";
  return "none";
}

function label(rc: ResourceChange, values: Values): string {
  const [, what] = POLICY_ATTRIBUTES[rc.type];
  const name =
    rc.type === "aws_iam_role_policy"
      ? `${values.role} / ${values.name}`
      : rc.type === "aws_iam_group_policy"
        ? `${values.group} / ${values.name}`
        : rc.type === "aws_iam_user_policy"
          ? `${values.user} / ${values.name}`
          : rc.type === "aws_s3_bucket_policy"
            ? values.bucket
            : rc.type === "aws_kms_key"
              ? values.description
              : values.name;
  return `${what} \`${String(name ?? rc.address)}\``;
}

function linkText(rc: ResourceChange, values: Values): string {
  const [who, what] = GRANTING_LINKS[rc.type];
  const show = (v: unknown) => (v === undefined || v === null ? "(known after apply)" : Array.isArray(v) ? v.join(", ") : String(v));
  return `${rc.type.replace(/^aws_iam_/, "").replace(/_/g, " ")}: ${show(values[who])} ← ${show(values[what])} (\`${rc.address}\`)`;
}

export async function reviewPlan(stack: string, plan: { resource_changes?: ResourceChange[] }): Promise<StackReview> {
  const counts = { create: 0, update: 0, replace: 0, destroy: 0 };
  const dataWarnings: string[] = [];
  const policies: PolicyChange[] = [];
  const links: { sign: "+" | "-"; text: string }[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const k = kind(rc.change.actions);
    if (k === "none") continue;
    counts[k]++;
    if ((k === "destroy" || k === "replace") && DATA_RESOURCES[rc.type]) {
      dataWarnings.push(`${DATA_RESOURCES[rc.type]} would be ${k === "destroy" ? "DESTROYED" : "REPLACED (destroyed, then created empty)"}: \`${rc.address}\``);
    }
    const before = rc.change.before ?? {};
    const after = rc.change.after ?? {};
    const policyAttr = POLICY_ATTRIBUTES[rc.type];
    if (policyAttr) {
      const [attr] = policyAttr;
      const unknownAfter = rc.change.after_unknown?.[attr] === true;
      const text = (v: unknown) => (typeof v === "string" ? v : null);
      const b = normalise(k === "create" ? null : text(before[attr]));
      const a = unknownAfter ? [] : normalise(k === "destroy" ? null : text(after[attr]));
      const diff = diffStatements(b, a);
      const reasons = unknownAfter ? ["the new document is known only at apply time"] : (await broadening(b, a)).reasons;
      if (diff.added.length + diff.removed.length > 0 || reasons.length > 0) {
        policies.push({
          address: rc.address,
          label: label(rc, k === "destroy" ? before : { ...before, ...after }),
          added: diff.added,
          removed: diff.removed,
          broadening: reasons,
        });
      }
    }
    const link = GRANTING_LINKS[rc.type];
    if (link) {
      const [who, what] = link;
      const same = JSON.stringify([before[who], before[what]]) === JSON.stringify([after[who], after[what]]);
      if (k === "create") links.push({ sign: "+", text: linkText(rc, after) });
      else if (k === "destroy") links.push({ sign: "-", text: linkText(rc, before) });
      else if (k === "replace" && before[who] === after[who] && rc.change.after_unknown?.[what] === true) {
        // re-attached because the policy itself is replaced: its content is reviewed above
      } else if (!same) {
        const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);
        const added = asList(after[what]).filter((x) => !asList(before[what]).includes(x));
        links.push({ sign: added.length > 0 || before[who] !== after[who] ? "+" : "-", text: linkText(rc, after) });
      }
    }
  }
  const broad = policies.some((p) => p.broadening.length > 0) || links.some((l) => l.sign === "+");
  const changed = policies.length > 0 || links.length > 0;
  return { stack, counts, dataWarnings, policies, links, verdict: broad ? "broadening" : changed ? "narrowing" : "unchanged" };
}

export function overallVerdict(reviews: readonly StackReview[]): Verdict {
  if (reviews.some((r) => r.verdict === "broadening")) return "broadening";
  if (reviews.some((r) => r.verdict === "narrowing")) return "narrowing";
  return "unchanged";
}

function cell(values: string[]): string {
  return values.length === 0
    ? ""
    : values
        .map((v) => `\`${v}\``)
        .join("<br>")
        .replace(/\|/g, "\\|");
}

function row(sign: "+" | "-", s: NormalStatement): string {
  const actions = s.notActions.length > 0 ? `all except ${cell(s.notActions)}` : cell(s.actions);
  const resources = s.notResources.length > 0 ? `all except ${cell(s.notResources)}` : cell(s.resources);
  const conditions = s.conditions ? `\`${s.conditions.replace(/\|/g, "\\|")}\`` : "";
  return `| ${sign} | ${s.effect} | ${actions} | ${resources} | ${cell(s.principals)} | ${conditions} | ${s.sid} |`;
}

export function renderReview(reviews: readonly StackReview[]): string {
  const verdict = overallVerdict(reviews);
  const out: string[] = [];
  const badge = verdict === "broadening" ? "⚠️ **broadening**" : verdict === "narrowing" ? "**narrowing**" : "**unchanged**";
  out.push(`# IAM and data review: ${verdict}`, "");
  out.push(
    `Verdict: ${badge}. ${verdict === "broadening" ? "Someone gains access they did not have, a Deny is removed or loosened, or an attachment or membership is added: a reviewer must approve." : verdict === "narrowing" ? "Access only shrinks." : "No change to who can do what."}`,
    "",
  );
  const warnings = reviews.flatMap((r) => r.dataWarnings.map((w) => `${r.stack}: ${w}`));
  if (warnings.length > 0) {
    out.push("> [!CAUTION]", "> **Data loss.** This plan destroys or replaces resources that hold data:", ...warnings.map((w) => `> - ${w}`), "");
  }
  out.push("| stack | create | update | replace | destroy | IAM verdict |", "|---|---|---|---|---|---|");
  for (const r of reviews) out.push(`| ${r.stack} | ${r.counts.create} | ${r.counts.update} | ${r.counts.replace} | ${r.counts.destroy} | ${r.verdict} |`);
  out.push("");
  for (const r of reviews) {
    if (r.policies.length === 0 && r.links.length === 0) continue;
    out.push(`## ${r.stack}`, "");
    for (const p of r.policies) {
      out.push(`### ${p.label}`, "", `\`${p.address}\``, "");
      if (p.added.length + p.removed.length > 0) {
        out.push("| | Effect | Actions | Resources | Principals | Conditions | Sid |", "|---|---|---|---|---|---|---|");
        for (const s of p.removed) out.push(row("-", s));
        for (const s of p.added) out.push(row("+", s));
        out.push("");
      }
      if (p.broadening.length > 0) {
        const shown = p.broadening.slice(0, 20);
        out.push("Broadens:", ...shown.map((b) => `- ${b}`), ...(p.broadening.length > 20 ? [`- and ${p.broadening.length - 20} more`] : []), "");
      }
    }
    if (r.links.length > 0) {
      out.push("### Attachments and memberships", "", ...r.links.map((l) => `- ${l.sign} ${l.text}`), "");
    }
  }
  return out.join("\n").trimEnd() + "\n";
}
