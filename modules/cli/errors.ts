/**
 * How every command prints what stopped it: a config or inventory problem as
 * its lines (one per problem), anything else as one `error:` line.
 */
import { ConfigError } from "../config/errors";
import { QuotaError } from "../private/quotas";
import type { Io } from "./command";

/** print the error for a user and return the exit code (1) */
export function printFailure(e: unknown, io: Pick<Io, "err">): number {
  // ConfigError, and the other errors that print themselves (policy checks)
  const lines =
    e instanceof ConfigError
      ? e.lines()
      : typeof (e as { lines?: unknown })?.lines === "function"
        ? (e as unknown as { lines(): string[] }).lines()
        : undefined;
  if (lines !== undefined) {
    for (const l of lines) io.err(l);
    return 1;
  }
  if (e instanceof QuotaError) {
    io.err(`error: ${e.message}; nothing was written`);
    return 1;
  }
  io.err(`error: ${e instanceof Error ? e.message : String(e)}`);
  return 1;
}
