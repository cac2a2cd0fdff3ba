/**
 * Atomic output. The output folder (`cdktf.out`) is a symbolic link to a
 * generation folder beside it (`.cdktf.out.gen-<pid>-<random>`). A synth
 * writes a whole new generation, then switches the link with one rename,
 * which POSIX makes atomic: a synth killed at any instant leaves `cdktf.out`
 * exactly as before or exactly the new output, never a mix.
 *
 * Generation folders sit beside the output folder, at the same depth, so the
 * relative state paths in the stacks (`../../../terraform.<stack>.tfstate`)
 * resolve to the same project folder whether a shell follows the link or not.
 *
 * What Terraform and users keep in the output (`.terraform`, lock files, plan
 * files: everything the synth did not generate) is carried into the new
 * generation before the switch, by hard links (a copy across filesystems), so
 * the old generation is only read, never changed, until it is no longer used.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const GEN = (name: string) => `.${name}.gen-`;
const LINK = (name: string) => `.${name}.link-`;
/** a plain output folder moved aside for its one-time conversion to a link */
const PREV = (name: string) => `.${name}.prev-`;

/** files the synth generates, relative to the output folder: everything else is carried over */
export function isGenerated(rel: string): boolean {
  const parts = rel.split(/[\\/]/);
  if (parts.length === 1) return parts[0] === "manifest.json" || parts[0] === "access-report.md";
  return parts.length === 3 && parts[0] === "stacks" && parts[2] === "cdk.tf.json";
}

export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutputError";
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  // a killed process nobody has reaped yet (a zombie) still answers signal 0
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return true;
  }
}

/** the generation folder the output link points at, if it is a link */
export function currentGeneration(outdir: string): string | undefined {
  try {
    if (!fs.lstatSync(outdir).isSymbolicLink()) return undefined;
    return path.resolve(path.dirname(outdir), fs.readlinkSync(outdir));
  } catch {
    return undefined;
  }
}

/**
 * Remove what killed synths left: generation and link folders of processes
 * that no longer run and that the output link does not point at (older
 * releases' `.cdktf.out.staging-*` too).
 */
export function cleanStale(outdir: string, notice?: (m: string) => void): void {
  const parent = path.dirname(outdir);
  const name = path.basename(outdir);
  let isDir = false;
  try {
    isDir = fs.statSync(parent).isDirectory();
  } catch {
    // an unreachable parent is reported when the new generation is made
  }
  if (!isDir) return;
  const current = currentGeneration(outdir);
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  for (const entry of fs.readdirSync(parent).sort()) {
    const full = path.join(parent, entry);
    // a synth killed while converting a plain output folder: put it back
    const prev = new RegExp(`^\\.${esc}\\.prev-(\\d+)-`).exec(entry);
    if (prev && !alive(Number(prev[1]))) {
      if (!fs.existsSync(outdir)) fs.renameSync(full, outdir);
      continue;
    }
    const m = new RegExp(`^\\.${esc}\\.(?:(?:gen|link)-(\\d+)-|staging-)`).exec(entry);
    if (!m) continue;
    if (full === current || (m[1] !== undefined && alive(Number(m[1])))) continue;
    try {
      fs.rmSync(full, { recursive: true, force: true });
    } catch (e) {
      notice?.(`could not remove the stale folder ${entry} (${(e as Error).message}); remove it by hand`);
    }
  }
}

/** a new, empty generation folder beside the output folder */
export function newGeneration(outdir: string): string {
  const parent = path.dirname(outdir);
  try {
    fs.mkdirSync(parent, { recursive: true });
    const gen = fs.mkdtempSync(path.join(parent, `${GEN(path.basename(outdir))}${process.pid}-`));
    fs.chmodSync(gen, 0o755); // mkdtemp makes it private; the output is as readable as a folder mkdir makes
    return gen;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "";
    const why =
      code === "EEXIST" || code === "ENOTDIR"
        ? `a part of ${parent} is a file, not a folder`
        : code === "EACCES" || code === "EPERM" || code === "EROFS"
          ? `no permission to write in ${parent}`
          : (e as Error).message;
    throw new OutputError(`cannot write the output ${path.basename(outdir)}: ${why} (${code || "error"}); nothing was changed`);
  }
}

/** hard-link (or copy) a tree; symbolic links are recreated as they are */
function linkTree(from: string, to: string) {
  const st = fs.lstatSync(from);
  if (st.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(from), to);
  else if (st.isDirectory()) {
    fs.mkdirSync(to, { recursive: true });
    for (const e of fs.readdirSync(from)) linkTree(path.join(from, e), path.join(to, e));
  } else {
    try {
      fs.linkSync(from, to);
    } catch {
      fs.copyFileSync(from, to);
    }
  }
}

/**
 * Carry what the synth did not generate from the previous output into the new
 * generation (including folders of stacks no longer in the config, so nothing
 * Terraform keeps there is lost; their cdk.tf.json is not carried).
 */
export function carryOver(outdir: string, gen: string): string[] {
  const carried: string[] = [];
  if (!fs.existsSync(outdir)) return carried;
  const walk = (rel: string) => {
    const from = path.join(outdir, rel);
    let st: fs.Stats;
    try {
      st = rel === "" ? fs.statSync(from) : fs.lstatSync(from); // the output folder itself is a link
    } catch {
      return;
    }
    if (st.isDirectory() && (rel === "" || rel === "stacks" || /^stacks[\\/][^\\/]+$/.test(rel))) {
      for (const e of fs.readdirSync(from)) walk(rel === "" ? e : path.join(rel, e));
      return;
    }
    if (rel === "" || isGenerated(rel)) return;
    const to = path.join(gen, rel);
    if (fs.existsSync(to)) return;
    fs.mkdirSync(path.dirname(to), { recursive: true });
    linkTree(from, to);
    carried.push(rel);
  };
  try {
    walk("");
  } catch (e) {
    throw new OutputError(
      `cannot carry ${path.basename(outdir)}'s Terraform files into the new output (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); nothing was changed`,
    );
  }
  return carried;
}

/**
 * Point the output folder at the new generation in one rename, then remove the
 * previous generation. An output folder that is still a plain folder (written
 * by an older release, or by cdktf itself) is first moved aside whole and
 * linked back, so the switch after it is atomic too.
 */
export function switchTo(outdir: string, gen: string, notice?: (m: string) => void): void {
  const parent = path.dirname(outdir);
  const name = path.basename(outdir);
  const previous = currentGeneration(outdir);
  let legacy: string | undefined;
  try {
    if (fs.existsSync(outdir) && previous === undefined) {
      const st = fs.lstatSync(outdir);
      if (!st.isDirectory()) throw new OutputError(`${name} exists and is not a folder; move it away, then synth again`);
      // once per project: a plain folder becomes a generation
      legacy = path.join(parent, `${PREV(name)}${process.pid}-${path.basename(gen).slice(-6)}`);
      fs.renameSync(outdir, legacy);
    }
    const link = path.join(parent, `${LINK(name)}${process.pid}-${path.basename(gen).slice(-6)}`);
    fs.rmSync(link, { force: true });
    fs.symlinkSync(path.basename(gen), link, "dir");
    fs.renameSync(link, outdir);
  } catch (e) {
    if (legacy !== undefined && !fs.existsSync(outdir)) fs.renameSync(legacy, outdir);
    if (e instanceof OutputError) throw e;
    throw new OutputError(
      `cannot switch ${name} to the new output (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); the previous output is unchanged`,
    );
  }
  for (const old of [previous, legacy]) {
    if (old === undefined || old === gen) continue;
    try {
      fs.rmSync(old, { recursive: true, force: true });
    } catch (e) {
      notice?.(`could not remove the previous output ${path.basename(old)} (${(e as Error).message}); remove it by hand`);
    }
  }
}
