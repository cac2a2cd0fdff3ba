/**
 * No value from a config is evaluated by Terraform: every `${...}` and `%{...}`
 * in every string leaf of the synthesized JSON is one the project writes on
 * purpose (a reference to a resource or data source of the same stack, or a
 * postcondition expression); IAM policy variables arrive escaped (`$${...}`).
 */
import { exampleConfig, synthStacks } from "./support/synth";

function strings(v: unknown, at: string, out: [string, string][]): [string, string][] {
  if (typeof v === "string") out.push([at, v]);
  else if (Array.isArray(v)) v.forEach((x, i) => strings(x, `${at}[${i}]`, out));
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) strings(x, `${at}.${k}`, out);
  return out;
}

/** template sequences Terraform would evaluate: not preceded by another `$` or `%` */
const TEMPLATE = /(?<![$%])([$%])\{([^}]*)\}/g;

function unexpected(stack: Record<string, any>): string[] {
  const declared = new Set<string>();
  for (const [type, byName] of Object.entries<Record<string, unknown>>(stack.resource ?? {})) for (const n of Object.keys(byName)) declared.add(`${type}.${n}`);
  for (const [type, byName] of Object.entries<Record<string, unknown>>(stack.data ?? {}))
    for (const n of Object.keys(byName)) declared.add(`data.${type}.${n}`);
  const out: string[] = [];
  for (const [at, s] of strings(stack, "", [])) {
    for (const m of s.matchAll(TEMPLATE)) {
      const [, sigil, body] = m;
      const ref = /^(data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+/.exec(body)?.[0];
      const ours =
        sigil === "$" && ((ref !== undefined && declared.has(ref)) || (at.includes(".postcondition[") && /^(self\.|length\(|try\(self\.)/.test(body)));
      if (!ours) out.push(`${at}: ${m[0]}`);
    }
  }
  return out;
}

test("the example's stacks hold only the project's own references; IAM variables are escaped", () => {
  const stacks = synthStacks(exampleConfig());
  for (const [name, stack] of Object.entries(stacks)) expect([name, unexpected(stack)]).toEqual([name, []]);
  const pipeline = JSON.stringify(stacks["snowplow-pipeline"]);
  expect(pipeline).toContain("$${aws:username}");
});

test("a maximal config (every option that carries user text on) holds no evaluated config value", () => {
  const stacks = synthStacks(
    exampleConfig((c) => {
      c.tags = { "team name": "data @ acme", "cost:center": "a=b+c/d" };
      c.accounts.snowplow.name = "Snowplow $ {acme} % {x}";
      c.pipeline.operator.snsMonitoring = true;
      c.backup.admit = "organization";
    }),
  );
  for (const [name, stack] of Object.entries(stacks)) expect([name, unexpected(stack)]).toEqual([name, []]);
});

test("the walker finds a planted template (the check can fail)", () => {
  const stack = synthStacks(exampleConfig()).management;
  const account = Object.values<any>(stack.resource.aws_organizations_account)[0];
  account.name = 'x-${file("/etc/passwd")}';
  expect(unexpected(stack)).toEqual([expect.stringMatching(/\.name: \$\{file\("\/etc\/passwd"\)\}$/)]);
});
