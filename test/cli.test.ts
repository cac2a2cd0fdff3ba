/**
 * Every entry point behaves like a real tool, run as users run it (a real
 * process): strict arguments with suggestions, --help with examples, the
 * config chosen in one place, the first line naming config and company,
 * results on stdout, problems on stderr, no colour codes.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { chooseConfig, PROJECT_FILE } from "../modules/cli/config-choice";
import { oneLine } from "../modules/cli/command";
import { ConfigError } from "../modules/config/errors";
import { EXAMPLE_CONFIG } from "../modules/config/load";
import { CLI, LAUNCHER, ROOT, tree } from "./support/synth";
import { tempDir } from "./support/temp";

jest.setTimeout(120_000);
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const ENTRY = {
  main: path.join(ROOT, "main.ts"),
  report: path.join(ROOT, "scripts", "report.ts"),
  vendor: path.join(ROOT, "scripts", "vendor.ts"),
  review: path.join(ROOT, "scripts", "review.ts"),
  bench: path.join(ROOT, "scripts", "bench.ts"),
  "check:cdktn": path.join(ROOT, "scripts", "check-cdktn.ts"),
  adopt: path.join(ROOT, "scripts", "adopt.ts"),
  differential: path.join(ROOT, "scripts", "differential.ts"),
  "provider-schema": path.join(ROOT, "scripts", "provider-schema.ts"),
  "iam-bearing": path.join(ROOT, "scripts", "iam-bearing.ts"),
  schema: path.join(ROOT, "scripts", "write-schema.ts"),
};
const baseEnv = () => {
  const env: Record<string, string | undefined> = { ...process.env, CDKTF_OUTDIR: "cdktf.out", FORCE_COLOR: "1" };
  delete env.SNOWPLOW_IAC_CONFIG;
  return env;
};
// each as package.json and cdktf.json run it: the app through synth.js, the commands and developer
// tools through cli.js (both the bundle in CI, the sources when dist/ is stale)
const CLI_NAME: Partial<Record<keyof typeof ENTRY, string>> = { "check:cdktn": "check-cdktn", schema: "write-schema" };
const run = (cwd: string, entry: keyof typeof ENTRY, args: string[], env: Record<string, string | undefined> = baseEnv()) =>
  entry === "main"
    ? spawnSync(process.execPath, [LAUNCHER, ...args], { cwd, env: env as NodeJS.ProcessEnv, encoding: "utf8" })
    : spawnSync(process.execPath, [CLI, CLI_NAME[entry] ?? entry, ...args], { cwd, env: env as NodeJS.ProcessEnv, encoding: "utf8" });
const errLines = (s: string) =>
  s
    .split("\n")
    .filter((l) => l !== "" && !/^npm warn/.test(l))
    .map((l) => l);

let work: string;
beforeEach(() => {
  work = tempDir("cli");
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

describe("command-line mistakes: one line, exit 2, nothing run or written", () => {
  test.each<[keyof typeof ENTRY, string[], RegExp]>([
    ["main", ["--confg", "my.json"], /^error: unknown option --confg \(did you mean --config\?\); see --help$/],
    ["main", ["my.json"], /^error: unexpected argument "my.json" \(did you mean --config my.json\?\); see --help$/],
    ["main", ["--config"], /^error: --config needs a value \(a file\), e\.g\. --config acme-prod\.json; see --help$/],
    ["report", ["--config", "--out", "x.md"], /^error: --config needs a value before the next option --out; see --help$/],
    ["main", ["--config="], /^error: --config needs a value, not an empty string; see --help$/],
    ["main", ["--hlep"], /did you mean --help\?/],
    ["report", ["--ot", "x.md"], /^error: unknown option --ot \(did you mean --out\?\); see --help$/],
    ["report", ["config/example.json"], /did you mean --config config\/example\.json\?/],
    ["vendor", [], /^error: --out is required; see --help$/],
    ["vendor", ["--out", "v", "extra"], /^error: unexpected argument "extra"; see --help$/],
    ["review", ["--format", "xml", "--plan", "p.json"], /^error: --format "xml" is not accepted: expected one of: markdown, json, sarif; see --help$/],
    ["review", ["--plan-dri", "x"], /did you mean --plan-dir\?/],
    ["review", ["--base-synth", "a", "--plan", "p.json"], /^error: --base-synth and --head-synth go together; see --help$/],
    ["bench", ["--repeat", "0"], /^error: --repeat "0" is not accepted: expected a whole number above 0/],
    ["bench", ["--sizes", "10,x"], /^error: --sizes "10,x" is not accepted/],
    ["check:cdktn", ["--kep"], /did you mean --keep\?/],
    ["adopt", [], /^error: --from is required; see --help$/],
    ["differential", ["--count", "0"], /^error: --count "0" is not accepted: expected a whole number from 1 to 999999/],
    ["differential", ["--sed", "4"], /did you mean --seed\?/],
    ["provider-schema", ["--pakage", "x"], /did you mean --package\?/],
    ["schema", ["--out", "x"], /^error: unknown option --out/],
    ["iam-bearing", ["schema.json"], /^error: unexpected argument "schema.json"/],
    ["main", ["--config", "a\u001b[31mb\n.json", "x\u202e.json"], /^error: unexpected argument "x\\u202e\.json"/],
  ])("%s %j", (entry, args, message) => {
    const r = run(work, entry, args);
    expect(r.status).toBe(2);
    expect(errLines(r.stderr)).toEqual([expect.stringMatching(message)]);
    expect(r.stdout).toBe("");
    expect(fs.readdirSync(work)).toEqual([]);
  });
});

describe("--help", () => {
  test.each(Object.keys(ENTRY) as (keyof typeof ENTRY)[])("%s --help: usage, options and examples on stdout, exit 0, nothing run", (entry) => {
    const r = run(work, entry, ["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: /);
    expect(r.stdout).toContain("Options:");
    expect(r.stdout).toContain("Examples:");
    expect(r.stdout).toContain("-h, --help");
    expect(errLines(r.stderr)).toEqual([]);
    expect(fs.readdirSync(work)).toEqual([]);
  });
});

describe("which config: --config, then SNOWPLOW_IAC_CONFIG, then .snowplow-iac.json, then the example", () => {
  const mine = (dir: string, name: string, company: string) => {
    const cfg = JSON.parse(fs.readFileSync(EXAMPLE_CONFIG, "utf8"));
    delete cfg.$schema;
    cfg.company = company;
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), JSON.stringify(cfg));
  };

  test("in process: the order, paths relative to the project file, and an empty variable refused", () => {
    mine(work, "configs/p.json", "proj");
    expect(chooseConfig(undefined, {}, work)).toEqual({ file: EXAMPLE_CONFIG, via: "built-in example" });
    fs.writeFileSync(path.join(work, PROJECT_FILE), JSON.stringify({ config: "configs/p.json" }));
    expect(chooseConfig(undefined, {}, work)).toEqual({ file: path.join(work, "configs", "p.json"), via: PROJECT_FILE });
    expect(chooseConfig(undefined, { SNOWPLOW_IAC_CONFIG: "e.json" }, work)).toEqual({ file: path.join(work, "e.json"), via: "SNOWPLOW_IAC_CONFIG" });
    expect(chooseConfig("f.json", { SNOWPLOW_IAC_CONFIG: "e.json" }, work)).toEqual({ file: path.join(work, "f.json"), via: "--config" });
    expect(() => chooseConfig(undefined, { SNOWPLOW_IAC_CONFIG: "" }, work)).toThrow(ConfigError);
    try {
      chooseConfig(undefined, { SNOWPLOW_IAC_CONFIG: "  " }, work);
      throw new Error("not refused");
    } catch (e) {
      expect((e as ConfigError).lines()[1]).toMatch(/^ {2}- SNOWPLOW_IAC_CONFIG: is set but empty/);
    }
  });

  test.each([
    ["not JSON", "{config:", /^ {2}- \(file\): not readable JSON/],
    ["an array", "[]", /expected an object such as/],
    ["a misspelt key", '{"confg": "a.json"}', /unknown key "confg"/],
    ["an empty path", '{"config": ""}', /config: expected a non-empty path/],
  ])("a project file that is %s: one line per problem, exit 1, nothing written", (_what, text, message) => {
    fs.writeFileSync(path.join(work, PROJECT_FILE), text);
    const r = run(work, "main", []);
    expect(r.status).toBe(1);
    const lines = errLines(r.stderr);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Configuration \.snowplow-iac\.json has 1 problem; nothing was written:$/);
    expect(lines[1]).toMatch(message);
    expect(fs.readdirSync(work)).toEqual([PROJECT_FILE]);
  });

  test("the project file is read by main.ts, report and vendor, and each run's first line says so", () => {
    mine(work, "configs/p.json", "proj");
    fs.writeFileSync(path.join(work, PROJECT_FILE), JSON.stringify({ config: "configs/p.json" }));
    const synth = run(work, "main", []);
    expect(synth.status).toBe(0);
    expect(synth.stdout.split("\n")[0]).toBe("synthesizing configs/p.json (from .snowplow-iac.json) for company proj");
    const report = run(work, "report", ["--out", "r.md"]);
    expect(report.status).toBe(0);
    expect(report.stdout.split("\n")[0]).toBe("reported on configs/p.json (from .snowplow-iac.json) for company proj");
    const vendor = run(work, "vendor", ["--out", "v"]);
    expect(vendor.status).toBe(0);
    expect(vendor.stdout.split("\n")[0]).toBe("vendoring configs/p.json (from .snowplow-iac.json) for company proj");
    // the environment wins over the project file, --config over both
    mine(work, "e.json", "envco");
    expect(run(work, "main", [], { ...baseEnv(), SNOWPLOW_IAC_CONFIG: "e.json" }).stdout.split("\n")[0]).toBe(
      "synthesizing e.json (from SNOWPLOW_IAC_CONFIG) for company envco",
    );
    mine(work, "f.json", "flagco");
    expect(run(work, "main", ["--config", "f.json"], { ...baseEnv(), SNOWPLOW_IAC_CONFIG: "e.json" }).stdout.split("\n")[0]).toBe(
      "synthesizing f.json for company flagco",
    );
  });

  test("an empty SNOWPLOW_IAC_CONFIG is an error, not the example", () => {
    const r = run(work, "main", [], { ...baseEnv(), SNOWPLOW_IAC_CONFIG: "" });
    expect(r.status).toBe(1);
    expect(errLines(r.stderr)[1]).toMatch(/^ {2}- SNOWPLOW_IAC_CONFIG: is set but empty; set it to your config file/);
    expect(fs.readdirSync(work)).toEqual([]);
  });

  test("with nothing named, the first line says it is the built-in example; results on stdout, nothing on stderr, no colour codes", () => {
    const r = run(work, "main", []);
    expect(r.status).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe(
      "synthesizing the built-in example company acme (config/example.json): name your own with --config, SNOWPLOW_IAC_CONFIG or .snowplow-iac.json",
    );
    expect(errLines(r.stderr)).toEqual([]);
    expect(r.stdout).not.toContain("\u001b");
    // the record of which config produced the output, which cdktf synth/diff/deploy print
    const manifest = JSON.parse(fs.readFileSync(path.join(work, "cdktf.out", "manifest.json"), "utf8"));
    expect(manifest.stacks.management.annotations).toEqual([
      expect.objectContaining({
        level: "@cdktf/info",
        message:
          "this output was synthesized from the built-in example company acme (config/example.json): name your own with --config, SNOWPLOW_IAC_CONFIG or .snowplow-iac.json",
      }),
    ]);
  });

  test("the report on stdout stays clean for a pipe: the first line goes to stderr there", () => {
    const r = run(work, "report", []);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^# /);
    expect(errLines(r.stderr)).toEqual([expect.stringMatching(/^reported on the built-in example company acme/)]);
  });
});

test("cdktf synth shows the success as plain output, never as an error", () => {
  const env = { ...baseEnv(), CHECKPOINT_DISABLE: "1", CI: "1" } as Record<string, string | undefined>;
  delete env.CDKTF_OUTDIR;
  delete env.TF_CLI_CONFIG_FILE; // a missing CLI config file makes terraform itself warn, which the CLI shows as errors
  fs.writeFileSync(path.join(work, "cdktf.json"), JSON.stringify({ language: "typescript", app: `${TSX} ${ENTRY.main}`, output: "cdktf.out" }));
  const r = spawnSync(path.join(ROOT, "node_modules", ".bin", "cdktf"), ["synth"], { cwd: work, env: env as NodeJS.ProcessEnv, encoding: "utf8" });
  expect(r.status).toBe(0);
  const all = `${r.stdout}\n${r.stderr}`;
  expect(all).toContain("synthesizing the built-in example company acme");
  expect(all).toContain("INFO [management]: this output was synthesized from the built-in example company acme");
  expect(all).not.toMatch(/ERROR/);
});

test("oneLine escapes what would break a line or the terminal", () => {
  expect(oneLine("a\nb\r\u001b[31m\u202eend\u2066")).toBe("a\\nb\\r\\x1b[31m\\u202eend\\u2066");
});

test("cdktf.json's app (synth.js) and npm run's commands (cli.js) run the bundles when dist/ is fresh, the sources otherwise, with the same bytes", () => {
  const launcher = path.join(ROOT, "synth.js");
  expect(JSON.parse(fs.readFileSync(path.join(ROOT, "cdktf.json"), "utf8")).app).toBe("node synth.js");
  const newest = (dir: string): number =>
    Math.max(
      ...fs.readdirSync(dir, { withFileTypes: true }).map((e) => {
        const p = path.join(dir, e.name);
        return e.isDirectory() ? newest(p) : /\.(ts|json)$/.test(e.name) ? fs.statSync(p).mtimeMs : 0;
      }),
    );
  const stamp = path.join(ROOT, "dist", ".built");
  const fresh =
    fs.existsSync(stamp) &&
    fs.statSync(stamp).mtimeMs >=
      Math.max(newest(path.join(ROOT, "modules")), newest(path.join(ROOT, "scripts")), fs.statSync(path.join(ROOT, "main.ts")).mtimeMs);
  const runIn = (dir: string, env: Record<string, string>) =>
    spawnSync(process.execPath, [launcher], { cwd: dir, env: { ...baseEnv(), SNOWPLOW_IAC_TIMINGS: "1", ...env } as NodeJS.ProcessEnv, encoding: "utf8" });
  const a = tempDir("launch");
  const b = tempDir("launch");
  try {
    const viaLauncher = runIn(a, {});
    expect(viaLauncher.status).toBe(0);
    expect(viaLauncher.stderr).toContain(fresh ? "launcher: compiled (dist/)" : "launcher: sources (tsx)");
    expect(viaLauncher.stderr).toMatch(/timings: load \d+ ms, config \d+ ms, build \d+ ms, checks \d+ ms, synth \d+ ms, report \d+ ms, write \d+ ms/);
    const fromSources = runIn(b, { SNOWPLOW_IAC_FROM_SOURCES: "1" });
    expect(fromSources.stderr).toContain("launcher: sources (tsx)");
    expect(tree(path.join(a, "cdktf.out"))).toEqual(tree(path.join(b, "cdktf.out")));
    // the commands npm run runs (cli.js) the same way: bundle and sources write the same bytes
    const cli = (dir: string, env: Record<string, string>) =>
      spawnSync(process.execPath, [CLI, "vendor", "--out", "vendored"], {
        cwd: dir,
        env: { ...baseEnv(), SNOWPLOW_IAC_TIMINGS: "1", ...env } as NodeJS.ProcessEnv,
        encoding: "utf8",
      });
    const bundled = cli(a, {});
    expect(bundled.status).toBe(0);
    expect(bundled.stderr).toContain(fresh ? "launcher: compiled (dist/)" : "launcher: sources (tsx)");
    expect(cli(b, { SNOWPLOW_IAC_FROM_SOURCES: "1" }).stderr).toContain("launcher: sources (tsx)");
    expect(Object.keys(tree(path.join(a, "vendored"))).length).toBeGreaterThan(20);
    expect(tree(path.join(a, "vendored"))).toEqual(tree(path.join(b, "vendored")));
    const unknown = spawnSync(process.execPath, [CLI, "benhc"], { encoding: "utf8" });
    expect([unknown.status, unknown.stderr.trim()]).toEqual([
      2,
      'cli.js: unknown command "benhc"; one of report, review, vendor, adopt, ci, bench, differential, provider-schema, iam-bearing, check-cdktn, write-schema',
    ]);
    // package.json runs every command and tool through cli.js, each one it knows
    const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    for (const [name, line] of Object.entries(scripts).filter(([, l]) => l.startsWith("node cli.js "))) {
      const command = line.split(" ")[2];
      expect([name, spawnSync(process.execPath, [CLI, command, "--help"], { encoding: "utf8" }).status]).toEqual([name, 0]);
    }
  } finally {
    fs.rmSync(a, { recursive: true, force: true });
    fs.rmSync(b, { recursive: true, force: true });
  }
});
