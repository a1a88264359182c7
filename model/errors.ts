/**
 * Errors a user can fix. The CLI prints their message and exits with their code; anything else is
 * a bug in botinfra and is reported as one.
 */

/** One problem in a tenant spec: where it is, what was found and what is allowed. */
export interface SpecIssue {
  /** Field path as the user writes it: `environments.production.tiers.api.count`; empty for the whole file. */
  path: (string | number)[];
  message: string;
  /** 1-based line and column in the file, when the spec came from a file. */
  line?: number;
  column?: number;
}

/** Exit codes every command shares (the CLI's epilogue lists them). */
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
/** The machine lacks something the operation needs: a CLI, credentials, a passphrase. */
export const EXIT_NOT_READY = 3;

export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
  ) {
    super(message);
    this.name = "UserError";
  }
}

export class NotReadyError extends UserError {
  constructor(message: string) {
    super(message, EXIT_NOT_READY);
    this.name = "NotReadyError";
  }
}

/** `environments.production.tiers.api`; a key that is not a plain name is quoted (`environments["a\\nb"]`), so a message stays one line. */
export function formatPath(path: readonly (string | number)[]): string {
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : !/^[A-Za-z0-9_@-]+$/.test(part) ? `[${JSON.stringify(part)}]` : i === 0 ? part : `.${part}`))
    .join("");
}

/** A spec that failed validation; `source` names the file (or `<spec>` for one built in memory). */
export class SpecError extends UserError {
  constructor(
    readonly source: string,
    readonly issues: SpecIssue[],
  ) {
    super(
      issues
        .map((issue) => {
          const where = issue.line === undefined ? source : `${source}:${issue.line}:${issue.column ?? 1}`;
          const field = issue.path.length > 0 ? ` ${formatPath(issue.path)}:` : "";
          return `${where}:${field} ${issue.message}`;
        })
        .join("\n"),
    );
    this.name = "SpecError";
  }
}

/** Shows a value the user wrote, short enough for a one-line message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value === null) return "null";
  if (typeof value === "object") return "a mapping";
  return String(value);
}
