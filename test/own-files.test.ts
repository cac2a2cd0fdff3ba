/**
 * A user's own config in the repository root (the README's acme-prod.json or
 * acme-prod.ts) is theirs: the project's format and lint checks, which npm test
 * runs, leave it alone, and still check the project's own files.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..");
const BIN = (name: string) => path.join(ROOT, "node_modules", ".bin", name);

function prettierIgnores(file: string): boolean {
  const r = spawnSync(BIN("prettier"), ["--file-info", file], { cwd: ROOT, encoding: "utf8" });
  return JSON.parse(r.stdout).ignored === true;
}

function eslintIgnores(files: string[]): Record<string, boolean> {
  const script = `const { ESLint } = require("eslint"); const e = new ESLint(); Promise.all(${JSON.stringify(files)}.map((f) => e.isPathIgnored(f))).then((r) => console.log(JSON.stringify(r)));`;
  const r = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
  const ignored = JSON.parse(r.stdout) as boolean[];
  return Object.fromEntries(files.map((f, i) => [f, ignored[i]]));
}

test("prettier skips a user's config in the root, and checks the project's files", () => {
  expect(prettierIgnores("acme-prod.json")).toBe(true);
  expect(prettierIgnores("acme-prod.ts")).toBe(true);
  for (const own of ["package.json", "main.ts", "config/example.json", "modules/index.ts", "test/own-files.test.ts"])
    expect([own, prettierIgnores(own)]).toEqual([own, false]);
});

test("eslint skips a user's .ts config in the root, and lints the project's files", () => {
  expect(eslintIgnores(["acme-prod.ts", "main.ts", "modules/index.ts", "scripts/review.ts"])).toEqual({
    "acme-prod.ts": true,
    "main.ts": false,
    "modules/index.ts": false,
    "scripts/review.ts": false,
  });
});
