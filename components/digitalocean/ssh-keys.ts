/**
 * The admin SSH keys on a DigitalOcean account. The account holds each key once and refuses to take
 * it again, so a key is uploaded by one stack only: its tenant's first environment's (in spec order:
 * production, usually), unless another tenant of the account uploads it (the model says which, by
 * name order). Every droplet of every environment names the keys by fingerprint, which is the key's
 * own: no stack needs another's outputs. Pure.
 */
import { createHash } from "node:crypto";
import type { Environment, Platform } from "../../model/platform.js";
import { formatSshPublicKey, type SshPublicKey } from "../../model/ssh.js";

export interface AdminKey {
  /** The key's name on the account: `<tenant>-admin-<n>`. */
  name: string;
  publicKey: string;
  /** DigitalOcean's fingerprint of it: the MD5 of the key's body, as colon-separated hex. */
  fingerprint: string;
  /** The tenant whose stack uploads the key, when not this one. */
  uploadedBy?: string;
}

export function sshFingerprint(key: SshPublicKey): string {
  const digest = createHash("md5").update(Buffer.from(key.body, "base64")).digest("hex");
  return digest.match(/../g)!.join(":");
}

export function adminKeys(platform: Platform): AdminKey[] {
  return platform.admin.sshPublicKeys.map((key, index) => {
    const uploadedBy = platform.admin.keysUploadedElsewhere[key.body];
    return { name: `${platform.tenant}-admin-${index + 1}`, publicKey: formatSshPublicKey(key), fingerprint: sshFingerprint(key), ...(uploadedBy === undefined ? {} : { uploadedBy }) };
  });
}

/** The keys this environment's stack uploads: the tenant's own, in its first environment. */
export function keysToUpload(platform: Platform, environment: Environment): AdminKey[] {
  if (platform.environments[0]?.name !== environment.name) return [];
  return adminKeys(platform).filter((key) => key.uploadedBy === undefined);
}
