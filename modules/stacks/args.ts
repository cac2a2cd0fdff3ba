/**
 * The synth command's command line (main.ts, and `cdktf synth/diff/deploy`
 * through cdktf.json's "app"), parsed by the shared parser in modules/cli.
 */
import type { CommandSpec } from "../cli/command";

export const SYNTH_COMMAND: CommandSpec = {
  name: "npx tsx main.ts",
  summary:
    "Synthesize every account's Terraform from one configuration into cdktf.out (or $CDKTF_OUTDIR). A bad config prints one line per problem, exits 1 and writes nothing.",
  examples: [
    "npx tsx main.ts                                # .snowplow-iac.json, $SNOWPLOW_IAC_CONFIG, else the built-in example",
    "npx tsx main.ts --config acme-prod.json",
    "SNOWPLOW_IAC_CONFIG=acme-prod.json npx cdktf synth",
    "echo '{\"config\": \"acme-prod.json\"}' > .snowplow-iac.json && npx cdktf diff '*'",
  ],
  notes: ["Exit codes: 0 synthesized, 1 the config or a policy check failed (nothing written), 2 a command-line mistake."],
};

export interface SynthOpts {
  readonly config?: string;
}
