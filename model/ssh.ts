/** OpenSSH public key checks: the key types every cloud accepts, and a body that really is that key. */

export const SSH_KEY_TYPES = [
  "ssh-ed25519",
  "ssh-rsa",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
] as const;

/** Returns why the line is not a usable OpenSSH public key, or undefined when it is one. */
export function sshPublicKeyProblem(line: string): string | undefined {
  const [type, body] = line.trim().split(/\s+/);
  if (!type || !body) return "is not an OpenSSH public key: expected '<type> <base64 key> [comment]'";
  if (!(SSH_KEY_TYPES as readonly string[]).includes(type)) {
    return `has key type "${type}"; allowed: ${SSH_KEY_TYPES.join(", ")}`;
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return "has a key body that is not base64";
  // The body starts with the key type again, as a length-prefixed string: a pasted or truncated key fails here.
  const bytes = Buffer.from(body, "base64");
  const declared = bytes.length >= 4 ? bytes.readUInt32BE(0) : -1;
  const embedded = declared > 0 && declared + 4 <= bytes.length ? bytes.subarray(4, 4 + declared).toString("latin1") : "";
  if (embedded !== type) return `has a body that is not a ${type} key (truncated or pasted wrong?)`;
  if (type === "ssh-ed25519" && bytes.length !== 51) return "has an ssh-ed25519 body of the wrong length (truncated?)";
  if (type === "ssh-rsa" && bytes.length < 270) return "is an RSA key shorter than 2048 bits; use ssh-ed25519 or RSA of 2048 bits or more";
  return undefined;
}
