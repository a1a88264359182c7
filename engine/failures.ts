/**
 * What went wrong at the engine boundary, in words a user can act on, and the exit code that goes with
 * it. engine/automation.ts turns the Automation API's errors into an EngineFailure; this module decides
 * what the user reads. The CLI's own output is shown only without the command line the SDK puts in
 * front of it (it carries every argument, secret config values included) and with secrets redacted.
 */
import { EXIT_FAILED, EXIT_NOT_READY } from "../model/errors.js";
export const PULUMI_INSTALL_URL = "https://www.pulumi.com/docs/install/";

export type EngineFailureKind =
  /** No `pulumi` to run. */
  | "cli-missing"
  /** A `pulumi` the SDK refuses (too old, a major version ahead, unparseable). */
  | "cli-version"
  /** The CLI could not be installed (--install-pulumi). */
  | "cli-install"
  /** Another update holds the stack's lock (ConcurrentUpdateError). */
  | "locked"
  /** The stack does not exist in the backend (StackNotFoundError). */
  | "stack-not-found"
  /** Any other failed command: its output says why. */
  | "command";

export class EngineFailure extends Error {
  constructor(
    readonly kind: EngineFailureKind,
    /** What the CLI (or the SDK) said; may hold secrets until redacted. */
    readonly output: string,
    readonly stackName?: string,
  ) {
    super(`${kind}${stackName ? ` (${stackName})` : ""}`);
    this.name = "EngineFailure";
  }
}

export interface FailureReport {
  message: string;
  exitCode: number;
}

/** Replaces every secret value in a text. Longest first, so that a secret containing another is hidden whole. */
export function redact(text: string, secrets: readonly string[]): string {
  return [...secrets]
    .filter((secret) => secret.length > 0)
    .sort((a, b) => b.length - a.length)
    .reduce((result, secret) => result.split(secret).join("[secret]"), text);
}

/**
 * The CLI's own words: without execa's `Command failed with exit code N: <command line>` header (which
 * holds every argument), without blank lines, colour directives or the SDK's debugging prefixes.
 */
export function cliOutput(output: string): string {
  return output
    .split("\n")
    .filter((line) => !/^Command failed with (exit code \d+|ENOENT)/.test(line) && line.trim() !== "")
    .map((line) => line.replace(/<\{%[^%]*%\}>/g, "").trimEnd())
    .join("\n");
}

const PASSPHRASE_MISSING = /passphrase must be set with PULUMI_CONFIG_PASSPHRASE/;
const PASSPHRASE_WRONG = /incorrect passphrase/i;
/** What the CLI says when `--expect-no-changes` meets a change. */
const CHANGES_NOT_EXPECTED = /no changes were expected/;
const LOCK_HOLDER = /^\s*(\S+): created by (.+)$/;

/** Who holds a DIY backend's lock: `created by me@host (pid 1) at <time>` lines of the CLI's message. */
function lockHolders(output: string): string[] {
  return output
    .split("\n")
    .map((line) => LOCK_HOLDER.exec(line)?.[2])
    .filter((holder): holder is string => holder !== undefined);
}

/**
 * The message and exit code for a failure; `secrets` are redacted from anything the CLI said. A failed
 * update's CLI output only says "update failed": the errors the engine reported as events say why, so
 * when there are some (`engineErrors`), they are the message.
 */
export function describeFailure(failure: EngineFailure, secrets: readonly string[] = [], engineErrors: readonly string[] = []): FailureReport {
  const said = redact(cliOutput(failure.output), secrets);
  const stack = failure.stackName ?? "the stack";
  switch (failure.kind) {
    case "cli-missing":
      return {
        message: `the Pulumi CLI (pulumi) is not installed or not on PATH; botinfra drives it to change infrastructure. Install it (${PULUMI_INSTALL_URL}), or rerun with --install-pulumi to let botinfra install it under ~/.pulumi/versions`,
        exitCode: EXIT_NOT_READY,
      };
    case "cli-version":
      return { message: `the Pulumi CLI on PATH cannot be used: ${said}. Install a current 3.x release (${PULUMI_INSTALL_URL})`, exitCode: EXIT_NOT_READY };
    case "cli-install":
      return { message: `could not install the Pulumi CLI: ${said}. Install it yourself (${PULUMI_INSTALL_URL})`, exitCode: EXIT_NOT_READY };
    case "locked": {
      const holders = lockHolders(said);
      const by = holders.length > 0 ? ` (${holders.join("; ")})` : "";
      return {
        message: `stack ${stack} is locked by another update${by}; nothing was changed. Wait for that update to end; if none is running (it was killed), release the lock with \`pulumi cancel --stack ${stack}\` against the same backend`,
        exitCode: EXIT_FAILED,
      };
    }
    case "stack-not-found":
      return {
        message: `stack ${stack} does not exist in this backend: it has not been deployed here (is --backend-url / PULUMI_BACKEND_URL the backend it was deployed to?)`,
        exitCode: EXIT_FAILED,
      };
    case "command":
      if (PASSPHRASE_MISSING.test(said)) {
        return { message: "no passphrase for the stacks' secrets: set PULUMI_CONFIG_PASSPHRASE to it, or PULUMI_CONFIG_PASSPHRASE_FILE to a file holding it", exitCode: EXIT_NOT_READY };
      }
      if (PASSPHRASE_WRONG.test(said)) {
        return {
          message: `the passphrase (PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE) does not decrypt ${stack}'s secrets: use the passphrase the stack was created with`,
          exitCode: EXIT_NOT_READY,
        };
      }
      if (CHANGES_NOT_EXPECTED.test(said)) {
        return { message: `${stack} has drifted: the preview proposes changes where none were expected (the resource lines above name them)`, exitCode: EXIT_FAILED };
      }
      {
        const why = engineErrors.length > 0 ? redact(engineErrors.join("\n"), secrets) : said || "pulumi failed without saying why";
        return { message: `${stack} failed: ${why.split("\n").join("\n  ")}`, exitCode: EXIT_FAILED };
      }
  }
}
