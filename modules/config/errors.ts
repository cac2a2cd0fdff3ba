/**
 * The typed error a user sees instead of a stack trace. One problem per line,
 * each naming the field, the bad value and what is accepted.
 */
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
    return [`Configuration ${this.source} has ${n} problem${n === 1 ? "" : "s"}; nothing was written:`, ...this.problems.map((p) => `  - ${formatProblem(p)}`)];
  }
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.field === "" ? "(file)" : p.field;
  const got = p.value === undefined ? "" : `; got ${showValue(p.value)}`;
  return `${where}: ${p.message}${got}`;
}

function showValue(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
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
