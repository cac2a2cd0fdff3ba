/**
 * Quotas across policies: each policy's size for its kind, the sum of a
 * principal's inline policies, and managed policies attached per principal.
 */
import { MAX_ATTACHMENTS, policySize, sizeLimit } from "../private/quotas";
import { targetLabel } from "../private/policy-registry";
import type { CheckedPolicy, Finding } from "./types";

export const QUOTA_RULE = "quota";

const size = (p: CheckedPolicy) => policySize(p.json);

export function checkQuotas(policies: readonly CheckedPolicy[]): Finding[] {
  const findings: Finding[] = [];
  const inline = new Map<string, { total: number; names: string[]; limit: number }>();
  const attached = new Map<string, string[]>();
  for (const p of policies) {
    const label = `${p.stack}: ${p.name}`;
    if (p.kind === "inline") {
      for (const t of p.targets) {
        const key = `${p.stack}\u0000${targetLabel(t)}`;
        const entry = inline.get(key) ?? { total: 0, names: [], limit: sizeLimit("inline", t.type) };
        entry.total += size(p);
        entry.names.push(p.name);
        inline.set(key, entry);
      }
      continue;
    }
    const limit = sizeLimit(p.kind);
    const n = size(p);
    if (n > limit)
      findings.push({
        rule: QUOTA_RULE,
        policy: label,
        message: `is ${n} characters, ${n - limit} over AWS's ${limit}-character quota for a ${p.kind} policy`,
      });
    if (p.kind === "managed") {
      for (const t of p.targets) {
        const key = `${p.stack}\u0000${targetLabel(t)}`;
        attached.set(key, [...(attached.get(key) ?? []), p.name]);
      }
    }
  }
  for (const [key, e] of inline) {
    const [stack, target] = key.split("\u0000");
    if (e.total > e.limit) {
      findings.push({
        rule: QUOTA_RULE,
        policy: `${stack}: ${target}`,
        message: `inline policies (${e.names.join(", ")}) total ${e.total} characters, ${e.total - e.limit} over AWS's ${e.limit}-character quota`,
      });
    }
  }
  for (const [key, names] of attached) {
    const [stack, target] = key.split("\u0000");
    if (names.length > MAX_ATTACHMENTS) {
      findings.push({
        rule: QUOTA_RULE,
        policy: `${stack}: ${target}`,
        message: `has ${names.length} managed policies attached, ${names.length - MAX_ATTACHMENTS} over AWS's quota of ${MAX_ATTACHMENTS}`,
      });
    }
  }
  return findings;
}
