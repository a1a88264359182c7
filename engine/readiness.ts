/**
 * Is this machine ready to run Pulumi for a tenant? Where the state lives, whether the stacks' secrets
 * can be decrypted and whether the cloud's provider will find credentials: all checked before anything
 * starts, each failure one message that names the variables to set (exit 3).
 */
import { isAbsolute, join } from "node:path";
import { NotReadyError, UserError } from "../model/errors.js";
import type { Cloud } from "../model/spec.js";


export type Env = Readonly<Record<string, string | undefined>>;

/** How readiness checks look at files (credentials caches, passphrase files): the real file system or a test's. */
export interface FileProbe {
  home: string;
  /** The file's text, or undefined when it does not exist or cannot be read. */
  readText(path: string): string | undefined;
}

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
    if (files.readText(file) !== undefined) return;
    throw new NotReadyError(`PULUMI_CONFIG_PASSPHRASE_FILE: ${file} cannot be read; it must be a file holding the passphrase of the stacks' secrets`);
  }
  throw new NotReadyError(
    "no passphrase for the stacks' secrets: set PULUMI_CONFIG_PASSPHRASE to it, or PULUMI_CONFIG_PASSPHRASE_FILE to a file holding it. " +
      "Use the same passphrase every time: it is the only key to the secrets in these stacks.",
  );
}

/** What a cloud's provider will authenticate with, as a phrase for the progress line. */
export type CredentialSource = string;

const isSet = (env: Env, name: string) => (env[name] ?? "") !== "";
const isTrue = (env: Env, name: string) => env[name]?.toLowerCase() === "true";

function missing(env: Env, names: string[]): string[] {
  return names.filter((name) => !isSet(env, name));
}

/**
 * Azure, as the azure-native provider decides (first match wins, as in its auth code): the default
 * credential chain (ARM_USE_DEFAULT_AZURE_CREDENTIAL), a client certificate, a client secret, OIDC,
 * managed identity, and otherwise the Azure CLI's login. Each method's required variables are checked.
 */
function azureCredentials(env: Env, files: FileProbe): CredentialSource {
  const ids = ["ARM_CLIENT_ID", "ARM_TENANT_ID", "ARM_SUBSCRIPTION_ID"];
  const require = (method: string, names: string[]): CredentialSource => {
    const absent = missing(env, names);
    if (absent.length > 0) throw new NotReadyError(`Azure credentials: ${method} also needs ${absent.join(", ")}`);
    return method;
  };
  if (isTrue(env, "ARM_USE_DEFAULT_AZURE_CREDENTIAL")) return require("the default Azure credential chain (ARM_USE_DEFAULT_AZURE_CREDENTIAL)", ["ARM_SUBSCRIPTION_ID"]);
  if (isSet(env, "ARM_CLIENT_CERTIFICATE_PATH")) return require("a service principal with a client certificate (ARM_CLIENT_CERTIFICATE_PATH)", ids);
  if (isSet(env, "ARM_CLIENT_SECRET")) return require("a service principal with a client secret (ARM_CLIENT_SECRET)", ids);
  if (isTrue(env, "ARM_USE_OIDC")) {
    const method = require("OIDC (ARM_USE_OIDC)", ids);
    const hasToken =
      isSet(env, "ARM_OIDC_TOKEN") || isSet(env, "ARM_OIDC_TOKEN_FILE_PATH") || (isSet(env, "ACTIONS_ID_TOKEN_REQUEST_URL") && isSet(env, "ACTIONS_ID_TOKEN_REQUEST_TOKEN"));
    if (!hasToken) {
      throw new NotReadyError("Azure credentials: OIDC (ARM_USE_OIDC) also needs a token: ARM_OIDC_TOKEN, ARM_OIDC_TOKEN_FILE_PATH, or ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN");
    }
    return method;
  }
  if (isTrue(env, "ARM_USE_MSI")) return require("a managed identity (ARM_USE_MSI)", ["ARM_SUBSCRIPTION_ID"]);
  if (azureCliLoggedIn(env, files)) return "the Azure CLI's login (az login)";
  throw new NotReadyError(
    "no Azure credentials: run `az login`, or set ARM_CLIENT_ID, ARM_CLIENT_SECRET, ARM_TENANT_ID and ARM_SUBSCRIPTION_ID (a service principal); " +
      "ARM_USE_MSI=true (managed identity), ARM_USE_OIDC=true (OIDC) or ARM_USE_DEFAULT_AZURE_CREDENTIAL=true also work, each with ARM_SUBSCRIPTION_ID",
  );
}

/** `az login` leaves the account's subscriptions in azureProfile.json (with a byte-order mark); `az logout` empties them. */
function azureCliLoggedIn(env: Env, files: FileProbe): boolean {
  const configDir = env.AZURE_CONFIG_DIR || join(files.home, ".azure");
  const text = files.readText(join(configDir, "azureProfile.json"));
  if (text === undefined) return false;
  try {
    const profile = JSON.parse(text.replace(/^\uFEFF/, "")) as { subscriptions?: unknown[] };
    return Array.isArray(profile.subscriptions) && profile.subscriptions.length > 0;
  } catch {
    return false;
  }
}

/**
 * AWS, as the AWS SDK's default chain finds credentials: keys in the environment, a profile, the shared
 * files, web identity (EKS, CI OIDC) or a container's credentials. An EC2 instance profile cannot be seen
 * from here; --no-credentials-check is for those machines.
 */
function awsCredentials(env: Env, files: FileProbe): CredentialSource {
  if (isSet(env, "AWS_ACCESS_KEY_ID") || isSet(env, "AWS_SECRET_ACCESS_KEY")) {
    const absent = missing(env, ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]);
    if (absent.length > 0) throw new NotReadyError(`AWS credentials: access keys need both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; ${absent.join(", ")} is not set`);
    return "access keys (AWS_ACCESS_KEY_ID)";
  }
  if (isSet(env, "AWS_PROFILE")) return `the profile ${env.AWS_PROFILE} (AWS_PROFILE)`;
  if (isSet(env, "AWS_WEB_IDENTITY_TOKEN_FILE") && isSet(env, "AWS_ROLE_ARN")) return "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)";
  if (isSet(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") || isSet(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI")) return "the container's credentials";
  const shared = [env.AWS_SHARED_CREDENTIALS_FILE || join(files.home, ".aws", "credentials"), env.AWS_CONFIG_FILE || join(files.home, ".aws", "config")];
  const found = shared.find((file) => /^\s*\[\s*(profile\s+)?default\s*\]/m.test(files.readText(file) ?? ""));
  if (found) return `the default profile in ${found}`;
  throw new NotReadyError(
    "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE (a profile in ~/.aws), or configure a default profile with `aws configure`; " +
      "on an EC2 instance with an instance profile, add --no-credentials-check",
  );
}

function digitalOceanCredentials(env: Env): CredentialSource {
  if (isSet(env, "DIGITALOCEAN_TOKEN")) return "an API token (DIGITALOCEAN_TOKEN)";
  if (isSet(env, "DIGITALOCEAN_ACCESS_TOKEN")) return "an API token (DIGITALOCEAN_ACCESS_TOKEN)";
  throw new NotReadyError("no DigitalOcean credentials: set DIGITALOCEAN_TOKEN (or DIGITALOCEAN_ACCESS_TOKEN) to an API token with write scope");
}

/** What the cloud's provider will authenticate with; a NotReadyError naming the variables when nothing is there. */
export function checkCredentials(cloud: Cloud, env: Env, files: FileProbe): CredentialSource {
  switch (cloud) {
    case "azure":
      return azureCredentials(env, files);
    case "aws":
      return awsCredentials(env, files);
    case "digitalocean":
      return digitalOceanCredentials(env);
  }
}
