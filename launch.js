// Runs one of the project's programs: its bundle in dist/ (npm ci builds them; `npm run build`
// rebuilds them) when dist/ is at least as new as every source file, else its TypeScript source
// through tsx, so an edited source is never run stale. Used by synth.js (the app cdktf.json runs)
// and cli.js (npm run report, review, vendor, adopt, ci).
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const root = __dirname;

function newestSource() {
  let newest = fs.statSync(path.join(root, "main.ts")).mtimeMs;
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|json)$/.test(e.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  walk(path.join(root, "modules"));
  walk(path.join(root, "scripts"));
  return newest;
}

/** run dist/<name>.js, or the source file (relative to the project) through tsx, with these arguments */
function launch(name, source, args) {
  let fresh = false;
  try {
    fresh = fs.statSync(path.join(root, "dist", ".built")).mtimeMs >= newestSource() && fs.existsSync(path.join(root, "dist", `${name}.js`));
  } catch {
    fresh = false;
  }
  const compiled = fresh && !process.env.SNOWPLOW_IAC_FROM_SOURCES;
  if (process.env.SNOWPLOW_IAC_TIMINGS) process.stderr.write(`launcher: ${compiled ? "compiled (dist/)" : "sources (tsx)"}\n`);
  if (compiled) {
    runBundle(path.join(root, "dist", `${name}.js`), path.join(root, "dist", `${name}.cache`));
  } else {
    // dist/ is missing or older than the sources: run the sources (slower; `npm run build` makes it fast again)
    const r = spawnSync(path.join(root, "node_modules", ".bin", "tsx"), [path.join(root, source), ...args], { stdio: "inherit" });
    process.exitCode = r.status ?? 1;
  }
}

// The bundle through V8's code cache: compiling 3 MB of JavaScript is a fifth of a synth. The
// cache is written after the first run (and whenever V8 rejects it, e.g. after a Node upgrade),
// atomically; a folder that cannot be written only costs the speed-up. The bundle runs as the main
// module (require.main is its module), as it would with `node dist/<name>.js`.
function runBundle(file, cacheFile) {
  const vm = require("node:vm");
  const Module = require("node:module");
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, "utf8")), { filename: file, cachedData, importModuleDynamically: undefined });
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once("exit", () => {
      const tmp = `${cacheFile}.${process.pid}`;
      try {
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, cacheFile);
      } catch {
        fs.rmSync(tmp, { force: true });
      }
    });
  }
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  const req = Module.createRequire(file);
  Object.defineProperty(req, "main", { value: mod });
  script.runInThisContext().call(mod.exports, mod.exports, req, mod, file, path.dirname(file));
}

module.exports = { launch };
