/**
 * The CDKTF app: one config in, every account's Terraform out.
 *
 *   npx cdktf synth                                  # the built-in example config
 *   npx cdktf synth --app "npx tsx main.ts --config my.json"
 *   SNOWPLOW_IAC_CONFIG=my.json npx cdktf synth
 *   npx tsx main.ts --config my.json                 # without the cdktf CLI
 *
 * A bad config prints one line per problem, exits non-zero and writes nothing.
 * Stacks are synthesized into a staging folder and only moved into the output
 * folder when every stack is complete.
 */
import * as path from "node:path";
import { PolicyCheckError } from "./modules/checks";
import { ConfigError } from "./modules/config/errors";
import { displayPath, loadConfig, portablePath, resolveConfigPath } from "./modules/config/load";
import { synthesize } from "./modules/stacks/synth";

async function main(): Promise<number> {
  const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
  try {
    const file = resolveConfigPath(process.argv.slice(2), process.env);
    const config = loadConfig(file);
    const result = await synthesize(config, {
      outdir: path.resolve(outdir),
      projectDir: process.cwd(),
      notice: (m) => console.error(`notice: ${m}`),
      source: portablePath(file),
    });
    console.error(`synthesized ${result.stacks.length} stacks from ${displayPath(file)} into ${outdir}: ${result.stacks.join(", ")}`);
    return 0;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof PolicyCheckError) {
      for (const line of e.lines()) console.error(line);
      return 1;
    }
    const message = e instanceof Error ? e.message : String(e);
    console.error(`error: ${message}`);
    if (process.env.SNOWPLOW_IAC_DEBUG && e instanceof Error) console.error(e.stack);
    else console.error("(set SNOWPLOW_IAC_DEBUG=1 for a stack trace, and please report it: this is a bug)");
    return 1;
  }
}

void main().then((code) => (process.exitCode = code));
