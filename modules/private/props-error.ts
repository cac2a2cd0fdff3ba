/**
 * A construct was given props that contradict each other. Config validation
 * stops these cases before any construct runs; this error is for code that
 * uses the constructs directly, and main.ts prints it without a stack trace.
 */
export class PropsError extends Error {
  constructor(construct: string, message: string) {
    super(`${construct}: ${message}`);
    this.name = "PropsError";
  }
}
