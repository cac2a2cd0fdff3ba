// The app that cdktf.json runs: the compiled app in dist/ (npm ci builds it; `npm run build`
// rebuilds it) when it is at least as new as every source file, else the TypeScript sources
// through tsx. Compiled, a synth of the example takes about half the time.
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const root = __dirname;
const stamp = path.join(root, "dist", ".built");

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
  return newest;
}

let fresh = false;
try {
  fresh = fs.statSync(stamp).mtimeMs >= newestSource();
} catch {
  fresh = false;
}
const compiled = fresh && !process.env.SNOWPLOW_IAC_FROM_SOURCES;
if (process.env.SNOWPLOW_IAC_TIMINGS) process.stderr.write(`launcher: ${compiled ? "compiled (dist/)" : "sources (tsx)"}\n`);
if (compiled) {
  require(path.join(root, "dist", "main.js"));
} else {
  // dist/ is missing or older than the sources: run the sources (slower; `npm run build` makes it fast again)
  const r = spawnSync(path.join(root, "node_modules", ".bin", "tsx"), [path.join(root, "main.ts"), ...process.argv.slice(2)], { stdio: "inherit" });
  process.exitCode = r.status ?? 1;
}
