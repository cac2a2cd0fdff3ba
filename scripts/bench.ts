/**
 * npm run bench [-- --repeat N] [--sizes 10,100,1000] [--write]
 * Wall time and peak memory of synth (the app run directly, and `cdktf synth`
 * end to end) for the example config and generated configs, the policies they
 * produce, the CLI's own cost, and the CDKTF template's default way. Prints a
 * Markdown table and writes it to the temp folder, or to bench/results.md with --write.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { InvalidArgumentError, Option } from "commander";
import { parseCommand, type CommandSpec } from "../modules/cli/command";
import { validateConfig } from "../modules/config/load";
import { registeredPolicies } from "../modules/private/policy-registry";
import { policySize } from "../modules/private/quotas";
import { withAppInMemory } from "../modules/stacks/app";
import { scaledInput } from "./scaled-config";

const ROOT = path.join(__dirname, "..");
const BIN = (name: string) => path.join(ROOT, "node_modules", ".bin", name);
const RSS_PRELOAD = path.join(ROOT, "bench", "rss.cjs");

interface Run {
  readonly seconds: number;
  readonly peakMb: number;
  /** CPU time of all its node processes (median over the runs) */
  readonly cpuSeconds: number;
}

/**
 * Folders of finished runs, removed when the benchmark ends, not between runs. This machine's
 * root filesystem is ext4 without a journal, where creating a file within seconds of deleting
 * thousands costs up to 1 ms (the kernel skips recently deleted inodes when it allocates one):
 * removing a 1,000-stack run before the next would bill the next run for the removal.
 */
const finished: string[] = [];

/** run a command in a fresh folder, `repeat` times: median wall time, highest peak RSS of any of its node processes */
function measure(label: string, command: string, args: string[], repeat: number, setup?: (dir: string) => void): Run & { dirs: string[] } {
  const times: number[] = [];
  const cpus: number[] = [];
  const dirs: string[] = [];
  let peak = 0;
  for (let i = 0; i < repeat; i++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snowplow-iac-bench-"));
    finished.push(dir);
    dirs.push(dir);
    {
      setup?.(dir);
      const rssFile = path.join(dir, "rss.txt");
      const env = { ...process.env, NODE_OPTIONS: `--require ${RSS_PRELOAD}`, BENCH_RSS_FILE: rssFile, CHECKPOINT_DISABLE: "1", CI: "1", CDKTF_OUTDIR: "" };
      delete (env as Record<string, string | undefined>).CDKTF_OUTDIR;
      const start = process.hrtime.bigint();
      const r = spawnSync(command, args, { cwd: dir, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (r.status !== 0) throw new Error(`${label} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
      times.push(seconds);
      const lines = fs.existsSync(rssFile) ? fs.readFileSync(rssFile, "utf8").trim().split("\n") : ["0 0 0"];
      peak = Math.max(peak, ...lines.map((l) => Number(l.split(" ")[1])));
      cpus.push(lines.reduce((sum, l) => sum + Number(l.split(" ")[2] ?? 0), 0) / 1e6);
    }
  }
  return { seconds: median(times), peakMb: peak / 1024, cpuSeconds: median(cpus), dirs };
}

/**
 * The disk's share: the seconds to write the files of a synth's output (a folder and a file per
 * stack, as the synth writes them) with nothing else, median of `repeat` runs in fresh folders.
 */
function writeFloor(output: string, repeat: number): number {
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snowplow-iac-bench-"));
    finished.push(dir);
    const r = spawnSync(process.execPath, [path.join(ROOT, "bench", "write-floor.cjs"), output, dir], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`the write floor failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    times.push(Number(r.stdout.trim()) / 1000);
  }
  return median(times);
}

/** the middle value (the upper middle of an even count) */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

interface Case {
  readonly name: string;
  readonly streams: number;
  readonly input: unknown;
}

function policyStats(input: unknown) {
  return withAppInMemory(validateConfig(input, "bench config"), (app) => {
    const sizes = registeredPolicies(app).map((p) => policySize(p.document));
    return { stacks: app.node.children.length, count: sizes.length, total: sizes.reduce((a, b) => a + b, 0), largest: Math.max(...sizes) };
  });
}

const positiveInt = (v: string) => {
  if (!/^[1-9]\d*$/.test(v)) throw new InvalidArgumentError("expected a whole number above 0, e.g. 3");
  return Number(v);
};
const sizeList = (v: string) => {
  if (!/^[1-9]\d*(,[1-9]\d*)*$/.test(v)) throw new InvalidArgumentError("expected whole numbers above 0 separated by commas, e.g. 10,100,1000");
  return v.split(",").map(Number);
};

export const BENCH_COMMAND: CommandSpec = {
  name: "npm run bench --",
  summary:
    "Measure synth wall time and peak memory (direct and through cdktf synth) for the example and generated configs, with the import floor and the CLI's own cost from the same run.",
  config: false,
  options: [
    new Option("--repeat <n>", "runs per measurement (the median is kept)").argParser(positiveInt).default(3),
    new Option("--sizes <list>", "generated config sizes: streams, apps and source accounts each").argParser(sizeList).default([10, 100, 1000], "10,100,1000"),
    new Option("--write", "write the results to bench/results.md (default: the temp folder, so a run never dirties the checkout)"),
  ],
  examples: ["npm run bench", "npm run bench -- --repeat 5 --sizes 100,1000,5000 --write"],
};

function main() {
  const parsed = parseCommand<{ repeat: number; sizes: number[]; write?: boolean }>(BENCH_COMMAND, process.argv.slice(2), {
    out: (l) => console.log(l),
    err: (l) => console.error(l),
  });
  if (parsed.kind === "exit") {
    process.exitCode = parsed.code;
    return;
  }
  const { repeat, sizes } = parsed.opts;
  const cases: Case[] = [
    { name: "example (config/example.json)", streams: 3, input: JSON.parse(fs.readFileSync(path.join(ROOT, "config", "example.json"), "utf8")) },
    ...sizes.map((n) => {
      const input = scaledInput(n, n, { allStreamsConsumer: false });
      // more source accounts than a bucket policy can list: admit the organisation's writer roles
      if (n > 300) input.backup.admit = "organization";
      return { name: `${n} streams, ${n} apps, ${n} sources`, streams: n, input };
    }),
  ];
  const tsx = BIN("tsx");
  const cdktf = BIN("cdktf");
  // the app as cdktf.json runs it: the compiled dist/ (fresh after npm ci or npm run build), else the sources
  const launcher = path.join(ROOT, "synth.js");
  const runsCompiled = () =>
    spawnSync(process.execPath, [launcher, "--help"], { env: { ...process.env, SNOWPLOW_IAC_TIMINGS: "1" }, encoding: "utf8" }).stderr.includes(
      "launcher: compiled",
    );
  const compiled = runsCompiled();
  if (!compiled) process.stderr.write("bench: dist/ is missing or stale, so the launcher runs the sources; run npm run build first for the compiled numbers\n");
  const app = `${process.execPath} ${launcher}`;
  const rows: string[] = [];
  const direct: { streams: number; seconds: number; peakMb: number }[] = [];
  const bigPeak = (n: number) => direct.find((p) => p.streams === n)?.peakMb ?? 0;
  let exampleDirect = 0;
  let exampleCpu = 0;
  let examplePeak = 0;
  let exampleCdktf = 0;
  for (const c of cases) {
    process.stderr.write(`bench: ${c.name}\n`);
    const stats = policyStats(c.input);
    const writeConfig = (dir: string) => fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(c.input));
    const d = measure(`direct ${c.name}`, process.execPath, [launcher, "--config", "config.json"], repeat, writeConfig);
    const disk = writeFloor(path.join(d.dirs[0], "cdktf.out"), repeat);
    const e = measure(`cdktf synth ${c.name}`, cdktf, ["synth", "--app", `${app} --config config.json`, "--output", "cdktf.out"], repeat, (dir) => {
      writeConfig(dir);
      fs.writeFileSync(path.join(dir, "cdktf.json"), JSON.stringify({ language: "typescript", app: "true", output: "cdktf.out" }));
    });
    if (c.streams === 3) {
      exampleDirect = d.seconds;
      exampleCpu = d.cpuSeconds;
      examplePeak = d.peakMb;
      exampleCdktf = e.seconds;
    } else direct.push({ streams: c.streams, seconds: d.seconds, peakMb: d.peakMb });
    rows.push(
      `| ${c.name} | ${stats.stacks} | ${stats.count} | ${stats.total.toLocaleString("en")} / ${stats.largest.toLocaleString("en")} | ${d.seconds.toFixed(2)} | ${disk.toFixed(2)} | ${d.peakMb.toFixed(0)} | ${e.seconds.toFixed(2)} | ${e.peakMb.toFixed(0)} |`,
    );
  }
  // a source edited while the benchmark runs turns the launcher to the sources midway: mixed numbers
  const wentStale = () => {
    if (runsCompiled() === compiled) return false;
    process.stderr.write(
      "bench: dist/ went stale during the run (a source changed), so the runs mix the bundle and the sources; nothing written. Run npm run build, then the benchmark again, and edit nothing meanwhile\n",
    );
    process.exitCode = 1;
    return true;
  };
  if (wentStale()) return;
  process.stderr.write("bench: baselines\n");
  // the import floor: node requiring cdktf and one deep-imported provider class, nothing else
  const floor = measure(
    "import floor",
    process.execPath,
    [
      "-e",
      `require(${JSON.stringify(path.join(ROOT, "node_modules", "cdktf"))}); require(${JSON.stringify(path.join(ROOT, "node_modules", "@cdktf", "provider-aws", "lib", "iam-group"))})`,
    ],
    repeat,
  );
  const sources = measure("direct, sources through tsx", tsx, [path.join(ROOT, "main.ts")], repeat);
  // where one example synth spends its time (SNOWPLOW_IAC_TIMINGS)
  const phaseDir = fs.mkdtempSync(path.join(os.tmpdir(), "snowplow-iac-bench-"));
  const phases = spawnSync(process.execPath, [launcher], {
    cwd: phaseDir,
    env: { ...process.env, SNOWPLOW_IAC_TIMINGS: "1", CDKTF_OUTDIR: "cdktf.out" },
    encoding: "utf8",
  })
    .stderr.split("\n")
    .find((l) => l.startsWith("timings: "))
    ?.slice("timings: ".length);
  fs.rmSync(phaseDir, { recursive: true, force: true });
  const oneResource = measure(
    "cdktf synth one-resource app",
    cdktf,
    ["synth", "--app", `${process.execPath} ${path.join(ROOT, "bench", "fixtures", "one-resource.cjs")}`, "--output", "cdktf.out"],
    repeat,
    (dir) => fs.writeFileSync(path.join(dir, "cdktf.json"), JSON.stringify({ language: "typescript", app: "true", output: "cdktf.out" })),
  );
  const template = measure(
    "ts-node, root import",
    BIN("ts-node"),
    ["--project", path.join(ROOT, "tsconfig.json"), path.join(ROOT, "bench", "fixtures", "template-default.ts"), "--config", "config.json"],
    1,
    (dir) => fs.copyFileSync(path.join(ROOT, "config", "example.json"), path.join(dir, "config.json")),
  );

  // least-squares slope of direct synth time against streams (each with as many apps and sources)
  const n = direct.length;
  const mx = direct.reduce((a, p) => a + p.streams, 0) / n;
  const my = direct.reduce((a, p) => a + p.seconds, 0) / n;
  const slope = direct.reduce((a, p) => a + (p.streams - mx) * (p.seconds - my), 0) / direct.reduce((a, p) => a + (p.streams - mx) ** 2, 0);
  const intercept = my - slope * mx;
  const residuals = direct.map((p) => `${p.streams}: ${(p.seconds - (intercept + slope * p.streams)).toFixed(2)} s`).join(", ");
  const big = direct.find((p) => p.streams === 1000);
  const huge = direct.find((p) => p.streams === 5000);
  const overhead = exampleCdktf - oneResource.seconds;
  const verdict = (ok: boolean) => (ok ? "met" : "**missed**");
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";

  const md = [
    "# Benchmark",
    "",
    `Measured by \`npm run bench\` on ${os.cpus().length} cores (${cpu}), Node ${process.version}; median of ${repeat} runs, peak memory is the largest resident set of any node process of the run. Generated configs: the example with n streams, n applications (one stream each) and n source accounts (two tables each; every third uses Data Pipeline); above 300 sources, \`backup.admit: "organization"\`. "Its files written alone": the same folders and files written the same way (a folder and a file per stack, 32 at a time) by a process that does nothing else (bench/write-floor.cjs), the disk's share of the synth. Every run writes into a fresh folder, and the folders are removed when the benchmark ends, not between runs: on this machine's ext4 without a journal, creating files within seconds of deleting thousands costs up to 1 ms each, which would bill each run for the previous run's removal.`,
    "",
    "| config | stacks | policies | policy characters (total / largest) | direct synth (s) | its files written alone (s) | direct peak (MB) | `cdktf synth` (s) | `cdktf synth` peak (MB) |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
    "| baseline | wall (s) | peak (MB) |",
    "|---|---|---|",
    `| the import floor: \`node\` requiring \`cdktf\` and one deep-imported provider class | ${floor.seconds.toFixed(2)} | ${floor.peakMb.toFixed(0)} |`,
    `| the example config from the sources through tsx (development) | ${sources.seconds.toFixed(2)} | ${sources.peakMb.toFixed(0)} |`,
    `| \`cdktf synth\` of a one-resource app (the CLI's own cost) | ${oneResource.seconds.toFixed(2)} | ${oneResource.peakMb.toFixed(0)} |`,
    `| the CDKTF template's default way for the example config: ts-node (type-checking) with \`import "@cdktf/provider-aws"\` | ${template.seconds.toFixed(2)} | ${template.peakMb.toFixed(0)} |`,
    "",
    `The app ran ${compiled ? "bundled (dist/synth.js, as cdktf.json runs it after npm ci)" : "from the sources (dist/ was missing or stale)"}. One example synth, by phase: ${phases ?? "(not reported)"}.`,
    "",
    "Goals (issue #18):",
    "",
    `- example config, app run directly, under 0.5 s wall: ${exampleDirect.toFixed(2)} s, ${verdict(exampleDirect < 0.5)}.`,
    `- example config, app run directly, within 2x the import floor (same run), wall: ${exampleDirect.toFixed(2)} s against ${floor.seconds.toFixed(2)} s, ${(exampleDirect / floor.seconds).toFixed(1)}x, ${verdict(exampleDirect <= 2 * floor.seconds)}; CPU: ${exampleCpu.toFixed(2)} s against ${floor.cpuSeconds.toFixed(2)} s, ${(exampleCpu / floor.cpuSeconds).toFixed(1)}x, ${verdict(exampleCpu <= 2 * floor.cpuSeconds)}.`,
    `- example config through \`cdktf synth\`, at most 0.5 s above the one-resource app: ${overhead.toFixed(2)} s above, ${verdict(overhead <= 0.5)}.`,
    big
      ? `- 1,000 streams, apps and sources directly, under 2 s and 300 MB: ${big.seconds.toFixed(2)} s and ${bigPeak(big.streams).toFixed(0)} MB, ${verdict(big.seconds < 2 && bigPeak(big.streams) < 300)}.`
      : "- 1,000 streams: not measured in this run.",
    huge
      ? `- 5,000 streams, apps and sources directly, under 8 s and 800 MB: ${huge.seconds.toFixed(2)} s and ${bigPeak(huge.streams).toFixed(0)} MB, ${verdict(huge.seconds < 8 && bigPeak(huge.streams) < 800)}.`
      : "- 5,000 streams: not measured in this run (--sizes 10,100,1000,5000).",
    n >= 2
      ? `- growth: direct synth time = ${intercept.toFixed(2)} s + ${(slope * 1000).toFixed(2)} ms per stream (with its app and source account), least squares over the generated configs; residuals ${residuals}.`
      : "- growth: not fitted (a fit needs at least two --sizes).",
    `- what the choices save (tsx and deep imports against ts-node and the root import), example config run directly: ${template.seconds.toFixed(2)} s and ${template.peakMb.toFixed(0)} MB against ${exampleDirect.toFixed(2)} s and ${examplePeak.toFixed(0)} MB (${(template.seconds / exampleDirect).toFixed(1)}x the time, ${(template.peakMb / examplePeak).toFixed(1)}x the memory).`,
    "",
  ].join("\n");
  if (wentStale()) return;
  // a run never dirties the checkout: results go to the temp folder unless --write asks for bench/results.md
  const target = parsed.opts.write ? path.join(ROOT, "bench", "results.md") : path.join(os.tmpdir(), "snowplow-iac-bench-results.md");
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, md);
  process.stdout.write(md);
  process.stderr.write(`results written to ${target}\n`);
}

try {
  main();
} finally {
  for (const dir of finished) fs.rmSync(dir, { recursive: true, force: true });
}
