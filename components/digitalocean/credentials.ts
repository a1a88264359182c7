/** Whether the digitalocean provider will find its API token. */
import { NotReadyError } from "../../model/errors.js";
import type { CredentialSource, Env } from "../contract.js";
import { isSet } from "../env-vars.js";

export function digitalOceanCredentials(env: Env): CredentialSource {
  if (isSet(env, "DIGITALOCEAN_TOKEN")) return "an API token (DIGITALOCEAN_TOKEN)";
  if (isSet(env, "DIGITALOCEAN_ACCESS_TOKEN")) return "an API token (DIGITALOCEAN_ACCESS_TOKEN)";
  throw new NotReadyError("no DigitalOcean credentials: set DIGITALOCEAN_TOKEN (or DIGITALOCEAN_ACCESS_TOKEN) to an API token with write scope");
}
