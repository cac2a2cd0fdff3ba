/** The app as users run it: a real process, a real output folder. */
import { tokenStackTraces } from "../modules/private/cdk";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stackSummary } from "../modules/stacks/cli";
import { LAUNCHER, ROOT, tree } from "./support/synth";
import { tempDir } from "./support/temp";

jest.setTimeout(60_000);

function run(cwd: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [LAUNCHER, ...args], {
    cwd,
    env: { ...process.env, CDKTF_OUTDIR: "cdktf.out", ...env },
    encoding: "utf8",
  });
}

describe("main.ts", () => {
  let work: string;
  beforeEach(() => {
    work = tempDir("main");
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  test("synthesizes every stack of the example, byte-identical on a second run and in another folder, with no absolute path", () => {
    const first = run(work, []);
    expect(first.status).toBe(0);
    const a = tree(path.join(work, "cdktf.out"));
    expect(Object.keys(a).sort()).toEqual([
      "access-report.md",
      "manifest.json",
      "stacks/backup/cdk.tf.json",
      "stacks/management/cdk.tf.json",
      "stacks/snowplow-pipeline/cdk.tf.json",
      "stacks/source-legacy/cdk.tf.json",
      "stacks/source-shop/cdk.tf.json",
    ]);
    expect(run(work, []).status).toBe(0);
    expect(tree(path.join(work, "cdktf.out"))).toEqual(a);
    const other = tempDir("other");
    try {
      expect(run(other, []).status).toBe(0);
      expect(tree(path.join(other, "cdktf.out"))).toEqual(a);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
    const all = Object.values(a).join("\n");
    for (const forbidden of [work, ROOT, os.homedir(), os.userInfo().username === "root" ? "/root/" : os.userInfo().username]) {
      expect(all).not.toContain(forbidden);
    }
    expect(all).not.toMatch(/20\d\d-\d\d-\d\dT\d\d:/); // no timestamps
    expect(JSON.parse(a["stacks/management/cdk.tf.json"]).terraform.backend.local.path).toBe("../../../terraform.management.tfstate");
  });

  test("fails on a bad config with one line per problem, exit 1, no stack trace and nothing written", () => {
    const bad = path.join(work, "bad.json");
    fs.writeFileSync(bad, JSON.stringify({ company: "ACME", region: "mars-1", accounts: {}, pipeline: { flow: "sideways" }, extra: true }));
    const r = run(work, ["--config", bad]);
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines[0]).toMatch(/^Configuration .*bad\.json has \d+ problems; nothing was written:$/);
    const fields = lines.slice(1).map((l) => l.replace(/^ {2}- ([^:]+):.*$/, "$1"));
    expect(fields).toEqual(expect.arrayContaining(["company", "region", "accounts.management", "accounts.snowplow", "pipeline.flow", "extra"]));
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    expect(fs.existsSync(path.join(work, "cdktf.out"))).toBe(false);
    expect(fs.readdirSync(work)).toEqual(["bad.json"]);
  });

  test("reads the config named by SNOWPLOW_IAC_CONFIG", () => {
    const cfg = JSON.parse(fs.readFileSync(path.join(ROOT, "config", "example.json"), "utf8"));
    delete cfg.$schema;
    delete cfg.backup;
    delete cfg.accounts.backup;
    cfg.accounts.sources = [];
    fs.writeFileSync(path.join(work, "mine.json"), JSON.stringify(cfg));
    const r = run(work, [], { SNOWPLOW_IAC_CONFIG: "mine.json" });
    expect(r.stdout).toContain("synthesized 2 stacks from mine.json");
    expect(fs.readdirSync(path.join(work, "cdktf.out", "stacks")).sort()).toEqual(["management", "snowplow-pipeline"]);
  });

  test("a new account without its id yet: every stack, the pipeline reading the id from the management stack's state", () => {
    const cfg = JSON.parse(fs.readFileSync(path.join(ROOT, "config", "example.json"), "utf8"));
    delete cfg.$schema;
    delete cfg.accounts.snowplow.id;
    fs.writeFileSync(path.join(work, "phase1.json"), JSON.stringify(cfg));
    const r = run(work, ["--config", "phase1.json"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    const pipeline = JSON.parse(fs.readFileSync(path.join(work, "cdktf.out", "stacks", "snowplow-pipeline", "cdk.tf.json"), "utf8"));
    expect(pipeline.data.terraform_remote_state.state_of_management.config).toEqual({ path: "../../../terraform.management.tfstate" });
    const id = "${data.terraform_remote_state.state_of_management.outputs.snowplow_account_id}";
    expect(pipeline.provider.aws[0].allowed_account_ids).toEqual([id]);
    expect(pipeline.provider.aws[0].assume_role[0].role_arn).toBe(`arn:aws:iam::${id}:role/OrganizationAccountAccessRole`);
    // policies name the account through the same reference (never escaped into a literal)
    expect(JSON.stringify(pipeline.resource.aws_iam_policy)).toContain(`arn:aws:kinesis:eu-west-1:${id}:stream/acme-raw-good`);
    expect(JSON.stringify(pipeline)).not.toMatch(/\$\$\{data\.terraform_remote_state|TfToken/);
    const report = fs.readFileSync(path.join(work, "cdktf.out", "access-report.md"), "utf8");
    expect(report).toContain("## Stack `snowplow-pipeline`, account <snowplow_account_id>");
    const management = JSON.parse(fs.readFileSync(path.join(work, "cdktf.out", "stacks", "management", "cdk.tf.json"), "utf8"));
    expect(management.output.snowplow_account_id.value).toMatch(/^\$\{aws_organizations_account\.\w+\.id\}$/);
  });
});

test("CDKTF's per-token stack traces are off unless SNOWPLOW_IAC_DEBUG is set (they were a quarter of a large synth)", () => {
  const st = require("cdktf/lib/tokens/private/stack-trace") as { captureStackTrace: () => string[] };
  tokenStackTraces({ SNOWPLOW_IAC_DEBUG: "1" });
  expect(st.captureStackTrace().length).toBeGreaterThan(0);
  tokenStackTraces({});
  expect(st.captureStackTrace()).toEqual([]);
});

describe("the synth's last line", () => {
  test("names every stack up to a dozen", () => {
    const stacks = ["backup", "management", "snowplow-pipeline", "source-a", "source-b"];
    expect(stackSummary(stacks)).toBe("backup, management, snowplow-pipeline, source-a, source-b");
  });

  test("above a dozen, names the others and counts the source-account stacks, first to last", () => {
    const sources = Array.from({ length: 1000 }, (_, i) => `source-src${String(i).padStart(4, "0")}`);
    const line = stackSummary(["backup", "management", "snowplow-pipeline", ...sources]);
    expect(line).toBe("backup, management, snowplow-pipeline, 1,000 source-account stacks (source-src0000 to source-src0999)");
  });

  test("above a dozen without source accounts, names ten and counts the rest", () => {
    const stacks = Array.from({ length: 13 }, (_, i) => `s${String(i).padStart(2, "0")}`);
    expect(stackSummary(stacks)).toBe("s00, s01, s02, s03, s04, s05, s06, s07, s08, s09 and 3 more");
  });
});
