/**
 * Temporary folders for tests, removed when their test file ends (jest runs
 * test/support/cleanup.ts after each file's tests), so a test that fails
 * midway or forgets its cleanup still leaves nothing in the temp folder.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const made: string[] = [];

/** a new empty folder in the temp folder, named snowplow-iac-<what>-<random> */
export function tempDir(what: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `snowplow-iac-${what}-`));
  made.push(dir);
  return dir;
}

/** remove every folder tempDir made in this test file */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
