/**
 * npm run vendor -- --out <dir> [--config <file>]
 * Writes one plain Terraform module per construct, with README and tests, and
 * a root example wired with the config's values, into <dir>.
 */
import * as path from "node:path";
import { ConfigError } from "../modules/config/errors";
import { loadConfig, portablePath, resolveConfigPath } from "../modules/config/load";
import { vendorFiles, writeVendor } from "../modules/vendor/vendor";

function outDir(argv: readonly string[]): string {
  const i = argv.indexOf("--out");
  const value = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith("--out="))?.slice("--out=".length);
  if (value === undefined || value === "" || value.startsWith("-")) {
    throw new ConfigError("command line", [
      { field: "--out", message: "expected the folder to write the modules into, e.g. npm run vendor -- --out ../infra/modules/snowplow" },
    ]);
  }
  return value;
}

function main(): number {
  const argv = process.argv.slice(2);
  try {
    const out = outDir(argv);
    const file = resolveConfigPath(argv, process.env);
    const config = loadConfig(file);
    const { written, changed } = writeVendor(path.resolve(out), vendorFiles(config, portablePath(file)));
    console.error(`vendored ${written.length} files into ${out}: ${changed.length === 0 ? "nothing changed" : `${changed.length} written`}`);
    for (const c of changed) console.error(`  ${c}`);
    return 0;
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const line of e.lines()) console.error(line);
      return 1;
    }
    console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

process.exitCode = main();
