/**
 * The admin SSH keys on a DigitalOcean account. The account holds each key once and refuses to take
 * it again, so a tenant's keys are uploaded by one stack only, its first environment's (in spec
 * order: production, usually), and every droplet of every environment names them by fingerprint, which
 * is the key's own: no environment needs another's outputs. Pure.
 */
import { createHash } from "node:crypto";
import type { Environment, Platform } from "../../model/platform.js";

export interface AdminKey {
  /** The key's name on the account: `<tenant>-admin-<n>`. */
  name: string;
  publicKey: string;
  /** DigitalOcean's fingerprint of it: the MD5 of the key's body, as colon-separated hex. */
  fingerprint: string;
}

export function sshFingerprint(publicKey: string): string {
  const body = publicKey.trim().split(/\s+/)[1] ?? "";
  const digest = createHash("md5").update(Buffer.from(body, "base64")).digest("hex");
  return digest.match(/../g)!.join(":");
}

export function adminKeys(platform: Platform): AdminKey[] {
  return platform.admin.sshPublicKeys.map((publicKey, index) => ({ name: `${platform.tenant}-admin-${index + 1}`, publicKey, fingerprint: sshFingerprint(publicKey) }));
}

/** Whether this environment's stack uploads the tenant's keys. */
export function ownsAdminKeys(platform: Platform, environment: Environment): boolean {
  return platform.environments[0]?.name === environment.name;
}
