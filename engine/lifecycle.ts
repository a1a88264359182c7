/**
 * The pure decisions around a stack's lifecycle: which environments an operation covers and in what
 * order, what each stack is named and configured with, and what must be confirmed before it runs.
 * Nothing here talks to Pulumi; engine/automation.ts does, with what this module decides.
 */
import { UserError } from "../model/errors.js";
import type { Environment, Platform } from "../model/platform.js";
import type { CloudModule, ConfigEntry } from "../components/contract.js";
import { configKey } from "../stacks/config.js";

export const OPERATIONS = ["up", "preview", "refresh", "destroy"] as const;
export type Operation = (typeof OPERATIONS)[number];


/** What a user reads for each operation: "Updating acme-production", "3 created". */
export const OPERATION_TITLES: Record<Operation, string> = {
  up: "Updating",
  preview: "Previewing",
  refresh: "Refreshing",
  destroy: "Destroying",
};

/**
 * The config every `<tenant>-<env>` stack gets, set on each run so that the stack always matches the
 * spec the CLI read, with the cloud's own keys (its provider's region). The spec's absolute path is always set: the program must read the very file the
 * CLI validated, whether it came from --tenant-file or from a --tenants-dir other than the project's.
 */
export function stackConfig(platform: Platform, environment: Environment, tenantFile: string, cloud: CloudModule): Record<string, ConfigEntry> {
  return {
    [configKey("tenant")]: { value: platform.tenant },
    [configKey("environment")]: { value: environment.name },
    [configKey("tenantFile")]: { value: tenantFile },
    ...cloud.stackConfig(platform, environment),
  };
}

/** The values of config entries marked secret: what must never appear in a message. */
export function secretValues(config: Record<string, ConfigEntry>): string[] {
  return Object.values(config)
    .filter((entry) => entry.secret && entry.value.length > 0)
    .map((entry) => entry.value);
}

export function parseParallel(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) {
    throw new UserError(`--parallel: found ${String(value)}; allowed: a whole number of at least 1 (resource operations run at once)`);
  }
  return value;
}

/** What has to happen before an operation may change an environment. */
export type Confirmation =
  | { kind: "none" }
  /** Ask yes/no on the terminal. */
  | { kind: "yes-no"; question: string }
  /** Ask for the tenant's name to be typed back. */
  | { kind: "type-name"; question: string; expected: string };

export interface ConfirmationInput {
  operation: Operation;
  /** The command as the user typed it (`up`, `up --env development`), for messages. */
  command: string;
  environment: Environment;
  tenant: string;
  yes: boolean;
  confirm?: string;
  /** Whether a person can answer on a terminal. */
  interactive: boolean;
}

/**
 * The guard in front of every change. `up` and `destroy` change real infrastructure: without --yes they
 * ask on a terminal and refuse elsewhere. Destroying production needs --yes and the tenant's name, typed
 * back or given with --confirm; nothing else removes a production environment.
 */
export function confirmationFor(input: ConfirmationInput): Confirmation {
  const { operation, environment, tenant } = input;
  if (input.confirm !== undefined && input.confirm !== tenant) {
    throw new UserError(`--confirm: found "${input.confirm}"; allowed: ${tenant}, the name of the tenant whose environment is destroyed`);
  }
  if (operation === "destroy" && environment.production) {
    if (!input.yes) {
      throw new UserError(
        `destroy --env ${environment.name}: ${environment.stack} is production; add --yes, and type the tenant's name when asked (or --confirm ${tenant} where nobody can type)`,
      );
    }
    if (input.confirm === tenant) return { kind: "none" };
    if (!input.interactive) {
      throw new UserError(`destroy --env ${environment.name}: ${environment.stack} is production; add --confirm ${tenant} to confirm it where nobody can type`);
    }
    return {
      kind: "type-name",
      question: `This destroys every unprotected resource of ${environment.stack}, tenant ${tenant}'s production. Type the tenant's name to go on: `,
      expected: tenant,
    };
  }
  if ((operation !== "up" && operation !== "destroy") || input.yes) return { kind: "none" };
  if (!input.interactive) {
    const what = operation === "up" ? "up changes real infrastructure; run botinfra preview to see the changes, then add --yes" : "destroy deletes real infrastructure; add --yes";
    throw new UserError(`${input.command}: ${environment.stack}: ${what} (nobody is at a terminal to confirm)`);
  }
  return operation === "up"
    ? { kind: "yes-no", question: `Apply these changes to ${environment.stack}? [y/N] ` }
    : { kind: "yes-no", question: `Destroy every resource of ${environment.stack}? [y/N] ` };
}

/** A yes on a terminal: y or yes, any case. */
export function isYes(answer: string): boolean {
  return /^\s*y(es)?\s*$/i.test(answer);
}
