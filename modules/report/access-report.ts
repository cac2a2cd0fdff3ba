/**
 * The access report: who can do what, per account and principal, in Markdown.
 * What a reviewer reads instead of policy JSON. Built from the same policy
 * documents the stacks render, so it cannot drift from them.
 */
import { targetLabel, type Membership, type PolicyEntry, type PolicyTarget } from "../private/policy-registry";
import { CDKTF_TOKEN, type Statement } from "../private/policy";
import { RULES } from "../checks";

export interface AccessReportInput {
  readonly policies: readonly PolicyEntry[];
  readonly memberships: readonly Membership[];
  /** where the config came from, as shown to the reader */
  readonly source: string;
}

const KIND_LABEL: Record<PolicyEntry["kind"], string> = {
  managed: "managed policy",
  inline: "inline policy",
  bucket: "bucket policy",
  key: "key policy",
  scp: "service control policy",
  trust: "trust policy",
};

const TARGET_ORDER: Record<PolicyTarget["type"], number> = { account: 0, group: 1, user: 2, role: 3, bucket: 4, key: 5 };

export function renderAccessReport(input: AccessReportInput): string {
  const out: string[] = [];
  out.push("# Access report", "");
  out.push(
    `Generated from \`${input.source}\` by \`npm run report\` (and beside every synth, as \`cdktf.out/access-report.md\`). ` +
      "Per account and principal: each statement by Sid, grouped by service, with the reason it exists. " +
      "A `*` resource is marked and justified; acknowledged findings of the policy checks are listed with their reason.",
    "",
  );
  out.push(
    "Checks run on every synth: " +
      RULES.map((r) => `\`${r.id}\` (${r.description})`).join("; ") +
      "; `quota` (AWS size and attachment quotas); `guardrail` (access that must never be granted: other users' credentials, Organizations writes, the backup bucket's and key's destruction, the config's own rails); `public-access` (no resource or trust policy admits anyone, or an account outside the config, without a pinning condition); and `scp-denied` (no principal is granted what the account's SCP denies).",
    "",
  );

  // grouped once (by stack, and by target within a stack): a 5,000-stream app has 18,000 policies
  const byStack = groupBy(input.policies, (p) => p.stack);
  const membersByStack = groupBy(input.memberships, (m) => m.stack);
  for (const [stack, policies] of byStack) {
    out.push(`## Stack \`${stack}\`, account ${policies[0].account}`, "");
    const targets = new Map<string, PolicyTarget>();
    const held = new Map<string, typeof policies>();
    for (const p of policies) {
      for (const t of p.targets) targets.set(targetLabel(t), t);
      // a policy once per target, however often it names it
      for (const key of new Set(p.targets.map(targetLabel))) {
        const list = held.get(key);
        if (list) list.push(p);
        else held.set(key, [p]);
      }
    }
    const members = membersByStack.get(stack) ?? [];
    for (const m of members) targets.set(targetLabel({ type: "user", name: m.user }), { type: "user", name: m.user });
    const ordered = [...targets.values()].sort((a, b) => TARGET_ORDER[a.type] - TARGET_ORDER[b.type] || a.name.localeCompare(b.name));
    const usersOf = groupBy(members, (m) => m.group);
    const groupsOf = groupBy(members, (m) => m.user);
    for (const t of ordered) {
      out.push(`### ${t.type} \`${t.name}\``, "");
      if (t.type === "group") {
        const users = (usersOf.get(t.name) ?? []).map((m) => `\`${m.user}\``);
        out.push(`Members managed here: ${users.length > 0 ? users.join(", ") : "none"}.`, "");
      }
      if (t.type === "user") {
        const groups = (groupsOf.get(t.name) ?? []).map((m) => `\`${m.group}\``);
        if (groups.length > 0)
          out.push(`Member of ${groups.join(", ")}: has everything listed for ${groups.length === 1 ? "that group" : "those groups"}.`, "");
      }
      for (const p of held.get(targetLabel(t)) ?? []) renderPolicy(out, p);
    }
  }
  return (
    out
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      // an account id that is only known after another stack's apply (the member account created by the management stack)
      .replace(CDKTF_TOKEN, "<snowplow_account_id>")
      .trimEnd() + "\n"
  );
}

function renderPolicy(out: string[], p: PolicyEntry): void {
  out.push(`**${KIND_LABEL[p.kind]} \`${p.name}\`**`, "");
  out.push("| Service | Sid | Effect | Actions | Resources | Conditions | Why |", "|---|---|---|---|---|---|---|");
  const rows: { service: string; cells: string[] }[] = [];
  for (const s of p.document.statements) {
    if (s.notActions.length > 0) {
      rows.push({
        service: "*",
        cells: ["every service", s.sid, s.effect, `all actions except ${s.notActions.map(code).join(", ")}`, resourcesCell(s), conditionsCell(s), whyCell(s)],
      });
      continue;
    }
    const byService = new Map<string, string[]>();
    for (const a of s.actions) {
      const service = a === "*" ? "*" : a.split(":")[0];
      byService.set(service, [...(byService.get(service) ?? []), a === "*" ? "*" : a.split(":")[1]]);
    }
    for (const [service, names] of byService) {
      rows.push({
        service,
        cells: [`\`${service}\``, s.sid, s.effect, names.map(code).join(", "), resourcesCell(s), conditionsCell(s), whyCell(s)],
      });
    }
  }
  rows.sort((a, b) => a.service.localeCompare(b.service));
  for (const r of rows) out.push(`| ${r.cells.map(escapeCell).join(" | ")} |`);
  out.push("");
  if (p.acknowledgements.length > 0) {
    out.push("Acknowledged findings:");
    for (const a of p.acknowledgements) out.push(`- \`${a.rule}\`${a.sids ? ` (${a.sids.join(", ")})` : ""}: ${a.reason}`);
    out.push("");
  }
}

function code(s: string): string {
  return `\`${s}\``;
}

function resourcesCell(s: Statement): string {
  const principal = Object.entries(s.principals)
    .map(([k, v]) => `${k}: ${v.map(code).join(", ")}`)
    .join("; ");
  const resources = s.resources.length > 0 ? s.resources : s.notResources;
  const shown = resources.length > 12 ? [...resources.slice(0, 12).map(code), `and ${resources.length - 12} more`] : resources.map(code);
  const text = (s.notResources.length > 0 ? "all except " : "") + shown.join("<br>");
  return principal ? `${text}<br>principals: ${principal}` : text;
}

function conditionsCell(s: Statement): string {
  const parts: string[] = [];
  for (const [op, keys] of Object.entries(s.conditions)) {
    for (const [key, value] of Object.entries(keys)) {
      const values = typeof value === "string" ? [value] : [...value];
      const shown = values.length > 6 ? [...values.slice(0, 6), `and ${values.length - 6} more`] : values;
      parts.push(`${op} ${code(key)}: ${shown.map((v) => (v.startsWith("and ") ? v : code(v))).join(", ")}`);
    }
  }
  return parts.join("<br>");
}

function whyCell(s: Statement): string {
  return s.resources.includes("*") ? `**\`*\` resource:** ${s.reason}` : s.reason;
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** items by key, in first-seen order of the keys and the items */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
