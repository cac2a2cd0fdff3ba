/**
 * npm run ci -- <task> [options]: what the plan and apply workflows need.
 *
 *   check     the config can be planned in CI: a remote (S3) backend and a `ci` block
 *   changed   the stacks a pull request changes (base synth against head synth), as a
 *             GitHub Actions matrix with each stack's account and read-only plan role
 *   waves     the stacks in apply order, grouped by dependency depth, for the apply workflow
 *   atlantis  write atlantis.yaml: one project per stack, with its dependencies
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Option } from "commander";
import { applyOrder, changedStacks } from "../modules/ci/changed";
import { printFailure } from "../modules/cli/errors";
import { parseCommand, USAGE_EXIT, type CommandSpec, type Io } from "../modules/cli/command";
import { chooseConfig, headline } from "../modules/cli/config-choice";
import { loadConfig } from "../modules/config/load";
import type { Config } from "../modules/config/schema";
import { closest } from "../modules/private/closest";
import { accountEnv, arns } from "../modules/private/arn";
import { writeOutputFile } from "../modules/cli/output-file";

const MAX_WAVES = 4;

const SPECS: Record<string, CommandSpec> = {
  check: {
    name: "npm run ci -- check",
    summary: "Refuse a config that CI cannot plan for real: it needs backend.type s3 (state not on one machine) and a ci block (read-only plan roles).",
    examples: ["npm run ci -- check --config acme-prod.json"],
  },
  changed: {
    name: "npm run ci -- changed",
    summary: "The stacks a pull request changes, base synth against head synth, as a GitHub Actions matrix (one line of JSON).",
    options: [
      new Option("--base <outdir>", "the base branch's synth (its cdktf.out); absent or unreadable: every stack is planned"),
      new Option("--head <outdir>", "the pull request's synth").default("cdktf.out"),
    ],
    examples: ["npm run -s ci -- changed --base ../base/cdktf.out --head cdktf.out"],
  },
  waves: {
    name: "npm run ci -- waves",
    summary: `The stacks in apply order, grouped by dependency depth (at most ${MAX_WAVES} waves), as one line of JSON.`,
    config: false,
    options: [new Option("--head <outdir>", "the synth to apply").default("cdktf.out")],
    examples: ["npm run -s ci -- waves --head cdktf.out"],
  },
  atlantis: {
    name: "npm run ci -- atlantis",
    summary: "Write an Atlantis repo config with one project per stack and its dependencies.",
    config: false,
    options: [
      new Option("--head <outdir>", "the synth to describe").default("cdktf.out"),
      new Option("-o, --out <file>", "where to write it").default("atlantis.yaml"),
    ],
    examples: ["npm run ci -- atlantis --out atlantis.yaml"],
  },
};

type Manifest = { stacks: Record<string, { synthesizedStackPath: string; workingDirectory: string; dependencies?: string[] }> };
const manifestOf = (outdir: string): Manifest => JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as Manifest;

/** the read-only plan role of the stack's account, from its provider (allowed_account_ids, region) */
function planRole(config: Config, outdir: string, m: Manifest, stack: string): { account: string; role_arn: string } {
  const json = JSON.parse(fs.readFileSync(path.join(outdir, m.stacks[stack].synthesizedStackPath), "utf8"));
  const provider = json.provider?.aws?.[0] ?? {};
  const account = String(provider.allowed_account_ids?.[0] ?? "");
  const name = config.ci?.planRoleName ?? "snowplow-iac-plan";
  return { account, role_arn: arns.iamRole(accountEnv(account, String(provider.region ?? config.region)), name, config.iam.path) };
}

/** the config, with the run's first line naming it and its company (on stderr: stdout may carry JSON) */
function configFor(opts: { config?: string }, env: NodeJS.ProcessEnv, cwd: string, io: Io): Config {
  const choice = chooseConfig(opts.config, env, cwd);
  const config = loadConfig(choice.file, choice.via);
  io.err(headline("checking", choice, config.company));
  return config;
}

export function runCi(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string, io: Io): number {
  const [task, ...rest] = argv;
  const spec = task === undefined ? undefined : SPECS[task];
  if (task === "--help" || task === "-h") {
    io.out("Usage: npm run ci -- <task> [options]   (each task takes --help)");
    io.out("");
    for (const [name, s] of Object.entries(SPECS)) io.out(`  ${name.padEnd(9)} ${s.summary}`);
    io.out("");
    io.out("Examples:");
    io.out("  npm run ci -- check");
    io.out("  npm run -s ci -- changed --base ../base/cdktf.out");
    return 0;
  }
  if (spec === undefined) {
    const guess = task === undefined ? undefined : closest(task, Object.keys(SPECS));
    io.err(
      `error: ${task === undefined ? "no task given" : `unknown task "${task}"${guess ? ` (did you mean ${guess}?)` : ""}`}; one of ${Object.keys(SPECS).join(", ")}; see --help`,
    );
    return USAGE_EXIT;
  }
  const parsed = parseCommand<{ config?: string; base?: string; head: string; out?: string }>(spec, rest, io);
  if (parsed.kind === "exit") return parsed.code;
  const o = parsed.opts;
  try {
    if (task === "check") {
      const config = configFor(o, env, cwd, io);
      const problems: string[] = [];
      if (config.backend.type !== "s3")
        problems.push('backend: is "local"; a plan in CI would plan every resource as new. Set backend.type "s3" (state in S3, use_lockfile)');
      if (config.ci === undefined) problems.push('ci: missing; add {"github": {"repository": "owner/name"}} so every account gets a read-only plan role');
      for (const p of problems) io.err(`error: ${p}`);
      if (problems.length === 0)
        io.out(`ci: ${config.company} plans against s3://${config.backend.type === "s3" ? config.backend.bucket : ""} with read-only plan roles`);
      return problems.length === 0 ? 0 : 1;
    }
    const head = path.resolve(cwd, o.head);
    if (task === "changed") {
      const config = configFor(o, env, cwd, io);
      const base = o.base !== undefined && fs.existsSync(path.join(path.resolve(cwd, o.base), "manifest.json")) ? path.resolve(cwd, o.base) : undefined;
      const c = changedStacks(base, head);
      const baseManifest = base ? manifestOf(base) : undefined;
      const headManifest = manifestOf(head);
      const include = c.plan.map((p) => ({
        stack: p.stack,
        from: p.from,
        dir: `${p.from === "head" ? o.head : o.base}/stacks/${p.stack}`,
        ...planRole(config, p.from === "head" ? head : base!, p.from === "head" ? headManifest : baseManifest!, p.stack),
      }));
      io.out(
        JSON.stringify({
          any: include.length > 0,
          include,
          changed: c.changed,
          added: c.added,
          removed: c.removed,
          unchanged: c.unchanged,
          base: base !== undefined,
        }),
      );
      return 0;
    }
    const m = manifestOf(head);
    if (task === "waves") {
      const depth: Record<string, number> = {};
      for (const s of applyOrder(m.stacks)) depth[s] = Math.max(-1, ...(m.stacks[s].dependencies ?? []).map((d) => depth[d] ?? -1)) + 1;
      const deepest = Math.max(...Object.values(depth));
      if (deepest >= MAX_WAVES) throw new Error(`the stacks are ${deepest + 1} dependencies deep; the apply workflow has ${MAX_WAVES} waves`);
      const waves = Array.from({ length: MAX_WAVES }, (_, i) =>
        Object.keys(depth)
          .filter((s) => depth[s] === i)
          .sort(),
      );
      io.out(JSON.stringify(Object.fromEntries(waves.map((w, i) => [`wave${i}`, w]))));
      return 0;
    }
    // atlantis
    const lines = [
      "# Generated by npm run ci -- atlantis: one Atlantis project per stack, planned after the stacks it depends on.",
      "# The server must synthesize first (repos.yaml pre_workflow_hooks: npm ci && npx tsx main.ts); see README.",
      "version: 3",
      "automerge: false",
      "parallel_plan: true",
      "parallel_apply: false",
      "projects:",
      ...applyOrder(m.stacks).flatMap((s) => [
        `  - name: ${s}`,
        `    dir: ${path.posix.join(o.head.split(path.sep).join("/"), m.stacks[s].workingDirectory)}`,
        "    workflow: snowplow-iac",
        "    autoplan:",
        "      enabled: false",
        ...((m.stacks[s].dependencies ?? []).length > 0 ? ["    depends_on:", ...[...m.stacks[s].dependencies!].sort().map((d) => `      - ${d}`)] : []),
      ]),
      "workflows:",
      "  snowplow-iac:",
      "    plan:",
      "      steps:",
      "        - init",
      "        - plan",
      "    apply:",
      "      steps:",
      "        - apply",
      "",
    ];
    writeOutputFile(path.resolve(cwd, o.out ?? "atlantis.yaml"), lines.join("\n"));
    io.out(`wrote ${o.out ?? "atlantis.yaml"}: ${Object.keys(m.stacks).length} projects`);
    return 0;
  } catch (e) {
    return printFailure(e, io);
  }
}

if (require.main === module)
  process.exitCode = runCi(process.argv.slice(2), process.env, process.cwd(), { out: (l) => console.log(l), err: (l) => console.error(l) });
