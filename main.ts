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
import { runSynth } from "./modules/stacks/cli";

// CDKTF captures a stack trace for every token it creates; with source maps on (tsx turns them on),
// each one is mapped back to TypeScript, which costs more than the synth itself on large configs.
// Nothing on the synth path shows those traces: map them only when debugging.
if (!process.env.SNOWPLOW_IAC_DEBUG) process.setSourceMapsEnabled(false);

// results to standard output, problems to standard error (cdktf synth shows stderr as errors)
void runSynth({ argv: process.argv.slice(2), env: process.env, log: (line) => console.error(line), out: (line) => console.log(line) }).then((code) => {
  process.exitCode = code;
});
