/**
 * The typed error a user sees instead of a stack trace. One problem per line,
 * each naming the field, the bad value and what is accepted.
 */
import { oneLine } from "../private/one-line";

export interface ConfigProblem {
  /** dotted path of the field, e.g. `accounts.backup.id`; empty for the file itself */
  readonly field: string;
  /** what is wrong and what is accepted */
  readonly message: string;
  /** the value found, when there is one */
  readonly value?: unknown;
}

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(`${source}: ${problems.length} problem(s) in the configuration`);
    this.name = "ConfigError";
  }

  /** the lines printed to the user: a header, then one line per problem */
  lines(): string[] {
    const n = this.problems.length;
    const shown = this.problems.slice(0, MAX_PROBLEM_LINES).map((p) => `  - ${formatProblem(p)}`);
    const more = n > MAX_PROBLEM_LINES ? [`  ... and ${n - MAX_PROBLEM_LINES} more problems of the same kinds; fix these and run again`] : [];
    return [`Configuration ${oneLine(this.source)} has ${n} problem${n === 1 ? "" : "s"}; nothing was written:`, ...shown, ...more];
  }
}

/** a config with thousands of mistakes must not print megabytes */
export const MAX_PROBLEM_LINES = 200;

/** one line, always: fields, messages and values are escaped (newlines, terminal escapes, direction overrides) */
export function formatProblem(p: ConfigProblem): string {
  const where = p.field === "" ? "(file)" : p.field;
  const got = p.value === undefined ? "" : `; got ${showValue(p.value)}`;
  return oneLine(`${clip(where, 200)}: ${clip(p.message, 600)}${got}`);
}

function clip(text: string, n: number): string {
  return text.length > n ? `${text.slice(0, n - 3)}...` : text;
}

function showValue(v: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    text = "(a value that cannot be shown)";
  }
  return clip(oneLine(text), 80);
}

/** dotted path as users write it: `kinesis.applications[1].streams[0]` */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}
