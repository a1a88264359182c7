/**
 * Is this machine ready to run Pulumi for a tenant? Where the state lives and whether the stacks'
 * secrets can be decrypted, checked before anything starts, each failure one message that names the
 * variables to set (exit 3). Credentials are each cloud's own check (its module's `credentials`).
 */
import { isAbsolute, join } from "node:path";
import { NotReadyError, UserError } from "../model/errors.js";
import type { Env, FileProbe } from "../components/contract.js";

export type { Env, FileProbe };

export const DEFAULT_STATE_DIR = [".botinfra", "state"] as const;
export const PASSPHRASE_PROVIDER = "passphrase";

export interface Backend {
  url: string;
  /** The folder of a local file backend, which botinfra creates. */
  localDir?: string;
  /** Where the URL came from, for messages. */
  origin: "--backend-url" | "PULUMI_BACKEND_URL" | "default";
}

const BACKEND_SCHEMES = ["file://", "s3://", "azblob://", "gs://", "https://", "http://"];

/** Run by a CI system: GitHub Actions, GitLab CI and most others set CI=true. */
export function inCi(env: Env): boolean {
  const value = (env.CI ?? "").toLowerCase();
  return value !== "" && value !== "false" && value !== "0";
}

/**
 * The state backend: --backend-url, else PULUMI_BACKEND_URL, else a file backend in the user's home, so
 * that nobody needs an account anywhere to start. Except in CI: a runner's home is thrown away with it,
 * and the state with it, so there the default is refused.
 */
export function resolveBackend(flag: string | undefined, env: Env, home: string): Backend {
  if (flag === undefined && !env.PULUMI_BACKEND_URL && inCi(env)) {
    throw new NotReadyError(
      "no state backend in CI (CI is set): the default, a folder in the runner's home, is lost with the runner. " +
        "Set PULUMI_BACKEND_URL to s3://BUCKET, azblob://CONTAINER, gs://BUCKET or https://api.pulumi.com; --backend-url file://PATH only where the runner keeps its disk",
    );
  }
  const [url, origin]: [string, Backend["origin"]] =
    flag !== undefined
      ? [flag, "--backend-url"]
      : env.PULUMI_BACKEND_URL
        ? [env.PULUMI_BACKEND_URL, "PULUMI_BACKEND_URL"]
        : [`file://${join(home, ...DEFAULT_STATE_DIR)}`, "default"];
  if (!BACKEND_SCHEMES.some((scheme) => url.startsWith(scheme))) {
    throw new UserError(
      `${origin}: found "${url}"; allowed: file://PATH, s3://BUCKET, azblob://CONTAINER, gs://BUCKET or https://api.pulumi.com (Pulumi Cloud)`,
    );
  }
  if (!url.startsWith("file://")) return { url, origin };
  const localDir = localBackendDir(url, home);
  if (!isAbsolute(localDir)) {
    throw new UserError(`${origin}: found "${url}"; allowed: file:// followed by an absolute path or ~/PATH`);
  }
  // The real home replaces ~, so that the folder botinfra creates is the one Pulumi uses.
  return { url: `file://${localDir}`, localDir, origin };
}

function localBackendDir(url: string, home: string): string {
  const path = url.slice("file://".length).split("?")[0]!;
  return path === "~" || path.startsWith("~/") ? join(home, path.slice(1)) : path;
}

/**
 * The passphrase provider encrypts every stack's secrets with PULUMI_CONFIG_PASSPHRASE (or the file
 * PULUMI_CONFIG_PASSPHRASE_FILE names). Pulumi accepts an empty passphrase, so only an unset one is refused.
 */
export function checkPassphrase(secretsProvider: string, env: Env, files: FileProbe): void {
  if (secretsProvider !== PASSPHRASE_PROVIDER) return;
  // A CI passes its secrets as variables, and a secret that was never created as an empty one.
  if (env.PULUMI_CONFIG_PASSPHRASE === "" && !env.PULUMI_CONFIG_PASSPHRASE_FILE && inCi(env)) {
    throw new NotReadyError("PULUMI_CONFIG_PASSPHRASE is empty in CI (CI is set): create the secret PULUMI_CONFIG_PASSPHRASE in the CI's secret store, with the stacks' passphrase");
  }
  if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) return;
  const file = env.PULUMI_CONFIG_PASSPHRASE_FILE;
  if (file !== undefined && file !== "") {
    if (files.readText(file) === undefined) {
      throw new NotReadyError(`PULUMI_CONFIG_PASSPHRASE_FILE: ${file} cannot be read; it must be a file holding the passphrase of the stacks' secrets`);
    }
    const mode = files.mode(file) ?? 0;
    if ((mode & 0o077) !== 0) {
      throw new NotReadyError(
        `PULUMI_CONFIG_PASSPHRASE_FILE: ${file} can be read or written by other users (mode ${(mode & 0o777).toString(8).padStart(4, "0")}); ` +
          `allowed: a file only its owner can use: chmod 600 ${file}`,
      );
    }
    return;
  }
  throw new NotReadyError(
    "no passphrase for the stacks' secrets: set PULUMI_CONFIG_PASSPHRASE to it, or PULUMI_CONFIG_PASSPHRASE_FILE to a file holding it. " +
      "Use the same passphrase every time: it is the only key to the secrets in these stacks.",
  );
}
