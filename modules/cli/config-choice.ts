/**
 * Which configuration a run uses, decided in one place for every entry point
 * (main.ts under `cdktf synth/diff/deploy`, report, vendor):
 *
 *   1. `--config FILE` on the command line;
 *   2. else `$SNOWPLOW_IAC_CONFIG` (set but empty is an error: an unset
 *      variable in a script must not fall back to the example);
 *   3. else the project file `.snowplow-iac.json` in the working directory,
 *      `{ "config": "configs/acme-prod.json" }`, its path relative to that file;
 *   4. else the built-in example, said so on the first line of the run.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError } from "../config/errors";
import { CONFIG_ENV, displayPath, EXAMPLE_CONFIG, portablePath } from "../config/load";
import { parseJsonText } from "../config/read";
import { oneLine } from "../private/one-line";

export const PROJECT_FILE = ".snowplow-iac.json";

export interface ConfigChoice {
  /** absolute path of the config file */
  readonly file: string;
  /** where the choice came from, as the first line of a run says it */
  readonly via: "--config" | typeof CONFIG_ENV | typeof PROJECT_FILE | "built-in example";
}

export function chooseConfig(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): ConfigChoice {
  if (flag !== undefined) return { file: path.resolve(cwd, flag), via: "--config" };
  const fromEnv = env[CONFIG_ENV];
  if (fromEnv !== undefined) {
    if (fromEnv.trim() === "") {
      throw new ConfigError(CONFIG_ENV, [
        {
          field: CONFIG_ENV,
          message: `is set but empty; set it to your config file (e.g. ${CONFIG_ENV}=acme-prod.json) or unset it to use ${PROJECT_FILE} or the built-in example`,
        },
      ]);
    }
    return { file: path.resolve(cwd, fromEnv), via: CONFIG_ENV };
  }
  const project = path.join(cwd, PROJECT_FILE);
  if (fs.existsSync(project)) return { file: readProjectFile(project), via: PROJECT_FILE };
  return { file: EXAMPLE_CONFIG, via: "built-in example" };
}

function readProjectFile(file: string): string {
  const bad = (message: string, field = "") => new ConfigError(PROJECT_FILE, [{ field, message }]);
  let parsed: unknown;
  try {
    // the config's own reader: duplicate keys, comments and the rest are found here too
    parsed = parseJsonText(fs.readFileSync(file, "utf8").replace(/^\uFEFF/, ""), PROJECT_FILE);
  } catch (e) {
    const why =
      e instanceof ConfigError ? e.problems.map((p) => `${p.field ? `${p.field}: ` : ""}${p.message}`).join("; ") : e instanceof Error ? e.message : String(e);
    throw new ConfigError(PROJECT_FILE, [{ field: "", message: `not readable JSON (${oneLine(why)}); write {"config": "configs/acme-prod.json"}` }]);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw bad('expected an object such as {"config": "configs/acme-prod.json"}');
  const extra = Object.keys(parsed).filter((k) => k !== "config" && k !== "$comment");
  if (extra.length > 0) throw bad(`unknown key ${JSON.stringify(oneLine(extra[0]))}; the file holds only "config" (and "$comment")`);
  const value = (parsed as { config?: unknown }).config;
  if (typeof value !== "string" || value.trim() === "") throw bad('expected a non-empty path, e.g. {"config": "configs/acme-prod.json"}', "config");
  return path.resolve(path.dirname(file), value);
}

/** the first line of every run: which config, from where, for which company */
export function headline(verb: string, choice: ConfigChoice, company: string, portable = false): string {
  if (choice.file === EXAMPLE_CONFIG) {
    return `${verb} the built-in example company ${company} (config/example.json): name your own with --config, ${CONFIG_ENV} or ${PROJECT_FILE}`;
  }
  const via = choice.via === "--config" ? "" : ` (from ${choice.via})`;
  return `${verb} ${portable ? portablePath(choice.file) : displayPath(choice.file)}${via} for company ${company}`;
}
