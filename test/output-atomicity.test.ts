/**
 * The output folder is exactly the old output or exactly the new one, whatever
 * happens to a synth: killed at random instants, an unwritable folder, a
 * corrupt previous output, stale folders of killed runs, and the one-time move
 * from a plain `cdktf.out` folder. What Terraform keeps there survives.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { runSynth } from "../modules/stacks/cli";
import { exampleInput, LAUNCHER, ROOT } from "./support/synth";
import { tempDir } from "./support/temp";

jest.setTimeout(180_000);

/** every file under a folder (following the output link), path -> content */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(full, r);
      else out[r] = fs.readFileSync(full, "utf8");
    }
  };
  if (fs.existsSync(dir)) walk(dir, "");
  return out;
}

function configs(dir: string) {
  const a = exampleInput();
  const b = exampleInput();
  b.kinesis.streams.push({ name: "acme-extra" });
  b.kinesis.applications[2].reads.push("acme-extra");
  b.tags.owner = "another-team";
  fs.writeFileSync(path.join(dir, "a.json"), JSON.stringify(a));
  fs.writeFileSync(path.join(dir, "b.json"), JSON.stringify(b));
}

const quiet = { log: () => undefined, out: () => undefined };
const synth = (dir: string, file: string, env: NodeJS.ProcessEnv = {}) => runSynth({ argv: ["--config", file], env, cwd: dir, ...quiet });

/** what Terraform and a user leave in the output between synths */
function terraformFiles(dir: string) {
  const stack = path.join(dir, "cdktf.out", "stacks", "backup");
  fs.mkdirSync(path.join(stack, ".terraform", "providers"), { recursive: true });
  fs.writeFileSync(path.join(stack, ".terraform", "providers", "marker"), "provider");
  fs.writeFileSync(path.join(stack, ".terraform.lock.hcl"), "# lock\n");
  fs.writeFileSync(path.join(stack, "plan.json"), "{}\n");
}

describe("atomic output", () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir("atomic");
    configs(dir);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("a synth killed at random instants leaves exactly the old or exactly the new output, Terraform's files kept", async () => {
    expect(await synth(dir, "b.json")).toBe(0);
    terraformFiles(dir);
    const b = snapshot(path.join(dir, "cdktf.out"));
    expect(await synth(dir, "a.json")).toBe(0);
    const a = snapshot(path.join(dir, "cdktf.out"));
    expect(a).not.toEqual(b);
    expect(a["stacks/backup/.terraform/providers/marker"]).toBe("provider");
    // how long a whole synth takes here, to spread the kills over it
    const t0 = Date.now();
    spawnSync(process.execPath, [LAUNCHER, "--config", "a.json"], { cwd: dir, env: { ...process.env, CDKTF_OUTDIR: "cdktf.out" } });
    const full = Date.now() - t0;
    let seed = 20261123;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const seen = { old: 0, new: 0 };
    let current = a;
    for (let i = 0; i < 14; i++) {
      const target = current === a ? "b.json" : "a.json";
      // its own process group: the launcher runs the sources through a tsx child when dist/ is stale
      const child = spawn(process.execPath, [LAUNCHER, "--config", target], {
        cwd: dir,
        env: { ...process.env, CDKTF_OUTDIR: "cdktf.out" },
        stdio: "ignore",
        detached: true,
      });
      const at = Math.floor(full * (0.3 + random()));
      const killed = new Promise<void>((resolve) => child.on("exit", () => resolve()));
      await new Promise((r) => setTimeout(r, at));
      // SIGKILL the whole process group
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already finished
      }
      await killed;
      const now = snapshot(path.join(dir, "cdktf.out"));
      const next = target === "a.json" ? a : b;
      if (JSON.stringify(now) === JSON.stringify(current)) seen.old++;
      else {
        expect(now).toEqual(next);
        seen.new++;
        current = next;
      }
    }
    // a later synth cleans what the killed ones left beside the output
    expect(await synth(dir, current === a ? "a.json" : "b.json")).toBe(0);
    const beside = fs.readdirSync(dir).filter((n) => n.startsWith(".cdktf.out."));
    expect(beside).toHaveLength(1);
    expect(fs.readlinkSync(path.join(dir, "cdktf.out"))).toBe(beside[0]);
    expect(seen.old + seen.new).toBe(14);
    process.stdout.write(`kill test: ${seen.old} runs left the old output, ${seen.new} the new one\n`);
  });

  test("a plain cdktf.out folder (older releases, or the cdktf CLI) becomes a link once, keeping Terraform's files", async () => {
    fs.mkdirSync(path.join(dir, "cdktf.out", "stacks", "backup"), { recursive: true });
    fs.writeFileSync(path.join(dir, "cdktf.out", "stacks", "backup", "cdk.tf.json"), "{}");
    terraformFiles(dir);
    expect(await synth(dir, "a.json")).toBe(0);
    expect(fs.lstatSync(path.join(dir, "cdktf.out")).isSymbolicLink()).toBe(true);
    const now = snapshot(path.join(dir, "cdktf.out"));
    expect(now["stacks/backup/.terraform.lock.hcl"]).toBe("# lock\n");
    expect(now["stacks/backup/plan.json"]).toBe("{}\n");
    expect(JSON.parse(now["stacks/backup/cdk.tf.json"]).resource).toBeDefined();
  });

  test("a conversion killed between its two renames is put back by the next synth", async () => {
    expect(await synth(dir, "a.json")).toBe(0);
    const a = snapshot(path.join(dir, "cdktf.out"));
    // what a kill between 'move the plain folder aside' and 'link' leaves: no cdktf.out, a .prev- folder of a dead process
    const target = path.join(dir, fs.readlinkSync(path.join(dir, "cdktf.out")));
    fs.rmSync(path.join(dir, "cdktf.out"));
    fs.renameSync(target, path.join(dir, ".cdktf.out.prev-999999-abcdef"));
    expect(await synth(dir, "a.json")).toBe(0);
    expect(snapshot(path.join(dir, "cdktf.out"))).toEqual(a);
    expect(fs.readdirSync(dir).filter((n) => n.startsWith(".cdktf.out."))).toHaveLength(1);
  });

  test("a truncated previous cdk.tf.json or manifest never crashes the synth, and is replaced whole", async () => {
    expect(await synth(dir, "a.json")).toBe(0);
    const a = snapshot(path.join(dir, "cdktf.out"));
    const file = path.join(dir, "cdktf.out", "stacks", "backup", "cdk.tf.json");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").slice(0, 100));
    fs.writeFileSync(path.join(dir, "cdktf.out", "manifest.json"), "{");
    const lines: string[] = [];
    expect(await runSynth({ argv: ["--config", "a.json"], env: {}, cwd: dir, log: (l) => lines.push(l), out: () => undefined })).toBe(0);
    expect(lines).toEqual([]);
    expect(snapshot(path.join(dir, "cdktf.out"))).toEqual(a);
  });

  test("an output folder that cannot be written: one clear line, exit 1, the old output untouched", async () => {
    expect(await synth(dir, "a.json")).toBe(0);
    const a = snapshot(path.join(dir, "cdktf.out"));
    // a path through a file: refused whoever runs the test, root included
    fs.writeFileSync(path.join(dir, "file"), "");
    const lines: string[] = [];
    const code = await runSynth({ argv: ["--config", "a.json"], env: { CDKTF_OUTDIR: "file/out" }, cwd: dir, log: (l) => lines.push(l), out: () => undefined });
    expect(code).toBe(1);
    expect(lines).toEqual([
      expect.stringMatching(/^error: cannot write the output out: a part of .*file is a file, not a folder \((EEXIST|ENOTDIR)\); nothing was changed$/),
    ]);
    // a folder the user may not write, as an ordinary user (the test runs the synth as nobody when it is root)
    const ro = path.join(dir, "ro");
    fs.mkdirSync(ro);
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(ro, 0o555);
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const r = spawnSync(process.execPath, [LAUNCHER, "--config", path.join(dir, "a.json")], {
      cwd: ro,
      env: { ...process.env, CDKTF_OUTDIR: "cdktf.out", HOME: dir, TSX_TSCONFIG_PATH: path.join(ROOT, "tsconfig.json") },
      encoding: "utf8",
      ...asNobody,
    });
    expect(r.status).toBe(1);
    expect(r.stderr.split("\n").filter((l) => l && !l.startsWith("npm warn"))).toEqual([
      expect.stringMatching(/^error: cannot write the output cdktf\.out: no permission to write in .*ro \(EACCES\); nothing was changed$/),
    ]);
    expect(fs.readdirSync(ro)).toEqual([]);
    expect(snapshot(path.join(dir, "cdktf.out"))).toEqual(a);
  });
});
