/**
 * The files a command writes (--out, --report, vendored modules): all of them
 * or none. Each is first written whole to a temporary file beside it; only when
 * every one is written are they renamed over their targets (a rename within a
 * folder replaces the file in one step). A failure removes the temporary files
 * and names the file and what to do, in one line.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export class OutputFileError extends Error {}

/** what a file-system error code means for a file a user named, and what to do */
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: "its folder does not exist; create it first",
  ENOTDIR: "a part of its path is a file, not a folder",
  // mkdir of a folder where a file of that name is
  EEXIST: "a part of its path is a file, not a folder",
  EISDIR: "it is a folder; name a file",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EDQUOT: "over the disk quota",
  ENAMETOOLONG: "the name is too long",
};

function explain(file: string, e: unknown): OutputFileError {
  const code = (e as NodeJS.ErrnoException)?.code;
  const reason = (code && REASONS[code]) ?? (e instanceof Error ? e.message : String(e));
  return new OutputFileError(`cannot write ${file}: ${reason}; nothing was written`);
}

/** write every [file, text] whole, or none of them (each file's folder is made when `makeFolders`) */
export function writeOutputFiles(entries: readonly (readonly [string, string])[], makeFolders = false): void {
  const staged: [string, string][] = [];
  try {
    for (const [file, text] of entries) {
      try {
        if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw Object.assign(new Error("is a folder"), { code: "EISDIR" });
        if (makeFolders) fs.mkdirSync(path.dirname(file), { recursive: true });
        const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
        fs.writeFileSync(tmp, text);
        staged.push([tmp, file]);
      } catch (e) {
        throw explain(file, e);
      }
    }
    for (const [i, [tmp, file]] of staged.entries()) {
      try {
        fs.renameSync(tmp, file);
      } catch (e) {
        // a rename beside the file it replaces fails only with the folder changing under it
        const code = (e as NodeJS.ErrnoException)?.code;
        throw new OutputFileError(`cannot replace ${file}: ${(code && REASONS[code]) ?? String(e)}; ${i} of ${staged.length} files were replaced before it`);
      }
    }
    staged.length = 0;
  } finally {
    for (const [tmp] of staged) fs.rmSync(tmp, { force: true });
  }
}

/** write one file whole, or not at all */
export function writeOutputFile(file: string, text: string): void {
  writeOutputFiles([[file, text]]);
}
