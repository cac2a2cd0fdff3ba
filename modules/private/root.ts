/**
 * The project's folder, whether this code runs from its TypeScript sources
 * (tsx) or compiled into dist/ (the synth launcher): the nearest folder up
 * that holds the project's package.json.
 */
import * as fs from "node:fs";
import * as path from "node:path";

function find(from: string): string {
  let dir = from;
  for (;;) {
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "config", "example.json"))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return path.join(from, "..", "..");
    dir = up;
  }
}

export const PROJECT_ROOT = find(__dirname);
