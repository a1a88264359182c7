/** Whether the azure-native provider will find credentials on this machine, checked in its own order. */
import { join } from "node:path";
import { NotReadyError } from "../../model/errors.js";
import type { CredentialSource, Env, FileProbe } from "../contract.js";
import { isSet, isTrue, missing } from "../env-vars.js";

/**
 * Azure, as the azure-native provider decides (first match wins, as in its auth code): the default
 * credential chain (ARM_USE_DEFAULT_AZURE_CREDENTIAL), a client certificate, a client secret, OIDC,
 * managed identity, and otherwise the Azure CLI's login. Each method's required variables are checked.
 */
export function azureCredentials(env: Env, files: FileProbe): CredentialSource {
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
