/** What the user is told of an error: their mistake (a UserError, its own exit code) or a bug in botinfra (exit 1). */
import { EXIT_FAILED, UserError } from "../model/errors.js";

export interface Failure {
  message: string;
  exitCode: number;
  /** A bug in botinfra rather than a mistake of the user's. */
  internal?: true;
}

export const INTERNAL_HINT = "This is a bug in botinfra; rerun with BOTINFRA_DEBUG=1 for details.";

export function failureOf(error: unknown): Failure {
  if (error instanceof UserError) return { message: error.message, exitCode: error.exitCode };
  const message = process.env.BOTINFRA_DEBUG ? ((error as Error)?.stack ?? String(error)) : ((error as Error)?.message ?? String(error));
  return { message, exitCode: EXIT_FAILED, internal: true };
}

/** The failure's line(s) for stderr, after a label such as `error:`. */
export function describeFailure(failure: Failure): string {
  return failure.internal ? `internal error: ${failure.message} (${INTERNAL_HINT})` : failure.message;
}

/** Raised by yargs' own checks (unknown option, conflicting flags, missing command). */
export class UsageError extends UserError {}
