/**
 * The files a command writes (--out, --report, vendored modules) are written
 * whole or not at all, and a file that cannot be written is one line naming
 * it and what to do (modules/cli/output-file.ts).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { OutputFileError, writeOutputFiles } from "../modules/cli/output-file";
import { writeVendor } from "../modules/vendor/vendor";
import { CLI } from "./support/synth";
import { tempDir } from "./support/temp";

let dir: string;
beforeEach(() => {
  dir = tempDir("output-files");
});

test("a second file that cannot be written leaves the first as it was, and no temporary file behind", () => {
  const a = path.join(dir, "a.md");
  fs.writeFileSync(a, "old");
  fs.mkdirSync(path.join(dir, "b.md"));
  expect(() =>
    writeOutputFiles([
      [a, "new"],
      [path.join(dir, "b.md"), "new"],
    ]),
  ).toThrow(new OutputFileError(`cannot write ${path.join(dir, "b.md")}: it is a folder; name a file; nothing was written`));
  expect(fs.readFileSync(a, "utf8")).toBe("old");
  expect(fs.readdirSync(dir).sort()).toEqual(["a.md", "b.md"]);
});

test("every file written whole when all can be", () => {
  writeOutputFiles(
    [
      [path.join(dir, "x", "a.md"), "a"],
      [path.join(dir, "y", "b.md"), "b"],
    ],
    true,
  );
  expect([fs.readFileSync(path.join(dir, "x", "a.md"), "utf8"), fs.readFileSync(path.join(dir, "y", "b.md"), "utf8")]).toEqual(["a", "b"]);
  expect(fs.readdirSync(path.join(dir, "x"))).toEqual(["a.md"]);
});

test("vendoring over a tree with a file where a module folder goes: nothing written, the old files kept", () => {
  fs.writeFileSync(path.join(dir, "README.md"), "old");
  fs.writeFileSync(path.join(dir, "kinesis-app"), "a file, not a folder");
  expect(() => writeVendor(dir, { "README.md": "new", "kinesis-app/main.tf": "x", "operator-group/main.tf": "y" })).toThrow(
    /^cannot write .*kinesis-app\/main\.tf: a part of its path is a file, not a folder; nothing was written$/,
  );
  expect(fs.readFileSync(path.join(dir, "README.md"), "utf8")).toBe("old");
  expect(fs.readdirSync(dir).sort()).toEqual(["README.md", "kinesis-app"]);
});

test.each([
  ["vendor", ["--out", "afile"], /^error: cannot write .*afile\/.*: a part of its path is a file, not a folder; nothing was written$/],
  ["review", ["--plan", "s=plan.json", "--out", "adir"], /^error: cannot write adir: it is a folder; name a file; nothing was written$/],
  ["report", ["--out", "adir"], /^error: cannot write .*adir: it is a folder; name a file; nothing was written$/],
])("npm run %s with an --out it cannot write: one line, exit 1", (command, args, line) => {
  fs.writeFileSync(path.join(dir, "afile"), "x");
  fs.mkdirSync(path.join(dir, "adir"));
  fs.writeFileSync(path.join(dir, "plan.json"), JSON.stringify({ format_version: "1.2", planned_values: {} }));
  const r = spawnSync(process.execPath, [CLI, command, ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, SNOWPLOW_IAC_CONFIG: undefined } });
  expect(r.status).toBe(1);
  const errors = r.stderr.split("\n").filter((l) => l.startsWith("error:"));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(line);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(fs.readdirSync(dir).sort()).toEqual(["adir", "afile", "plan.json"]);
  expect(fs.readdirSync(path.join(dir, "adir"))).toEqual([]);
});
