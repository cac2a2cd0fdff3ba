/**
 * Our own policies must agree with each other: a principal we create must not
 * be granted an action that our service control policy denies in its account.
 * Such a grant can never work, and a reader of the identity policy believes it
 * does. Conditional SCP denies (the region list) are not judged here: they
 * depend on the request, not on the action.
 *
 * The SCP shapes this project emits are judged exactly: `Deny` with `NotAction`
 * of whole services (`svc:*`) on `*`, and `Deny` with `Action`. Any other
 * unconditional Deny shape (a `NotAction` naming single actions, `NotResource`)
 * is not judged: every granted action of a service it mentions is reported, so
 * the check fails closed instead of guessing.
 */
import { globsIntersect, serviceOf } from "../private/glob";
import { list, statementsOf, type CheckedPolicy, type Finding, type RawStatement } from "./types";

export const SCP_DENIED_RULE = "scp-denied";

/** the unconditional denials of one SCP statement, as a test on a granted action pattern; undefined when it denies nothing unconditionally */
function denialOf(s: RawStatement): ((granted: string) => string | undefined) | undefined {
  if (s.Effect !== "Deny" || (s.Condition !== undefined && Object.keys(s.Condition).length > 0)) return undefined;
  const resources = list(s.Resource);
  const sid = typeof s.Sid === "string" ? s.Sid : "(no Sid)";
  if (s.NotResource !== undefined || !resources.includes("*")) {
    // a Deny on some resources only: cannot be judged by action alone
    return () => `SCP statement ${sid} denies some resources (${[...list(s.NotResource), ...resources].join(", ")}); not judged, so reported`;
  }
  if (s.NotAction !== undefined) {
    const exempt = list(s.NotAction);
    const wholeServices = new Set(exempt.filter((a) => a.endsWith(":*")).map(serviceOf));
    const partly = new Set(exempt.filter((a) => !a.endsWith(":*")).map(serviceOf));
    return (granted) => {
      const service = serviceOf(granted);
      if (service === "*") return `SCP statement ${sid} denies every service but ${[...wholeServices].sort().join(", ")}`;
      if (wholeServices.has(service)) return undefined;
      if (partly.has(service)) return `SCP statement ${sid} exempts only some ${service} actions; not judged, so reported`;
      return `SCP statement ${sid} denies every ${service} action`;
    };
  }
  const denied = list(s.Action);
  return (granted) => {
    // any action both the Deny and the grant could name
    const hit = denied.find((d) => globsIntersect(d, granted, true));
    return hit === undefined ? undefined : `SCP statement ${sid} denies ${hit}`;
  };
}

export function checkScpConsistency(policies: readonly CheckedPolicy[]): Finding[] {
  const findings: Finding[] = [];
  for (const scp of policies) {
    if (scp.kind !== "scp" || scp.governs === undefined) continue;
    const denials = statementsOf(scp).flatMap((s) => denialOf(s) ?? []);
    if (denials.length === 0) continue;
    for (const p of policies) {
      if ((p.kind !== "managed" && p.kind !== "inline") || p.account !== scp.governs) continue;
      for (const s of statementsOf(p)) {
        if (s.Effect !== "Allow") continue;
        const sid = typeof s.Sid === "string" ? s.Sid : undefined;
        const reasons = new Map<string, string>();
        for (const action of list(s.Action)) {
          for (const deny of denials) {
            const why = deny(action);
            if (why !== undefined && !reasons.has(action)) reasons.set(action, why);
          }
        }
        if (s.NotAction !== undefined) reasons.set("NotAction", "an Allow with NotAction grants services the SCP may deny; not judged, so reported");
        for (const [action, why] of reasons) {
          findings.push({
            rule: SCP_DENIED_RULE,
            policy: `${p.stack}: ${p.name}`,
            sid,
            message: `grants ${action}, but ${why} in account ${scp.governs} (${scp.stack}: ${scp.name}); remove the grant or open the service in the SCP (organization.serviceControlPolicy)`,
          });
        }
      }
    }
  }
  return findings;
}
