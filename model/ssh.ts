/**
 * OpenSSH public keys, parsed whole: one key per entry, a type every cloud accepts, a body that
 * really is a key of that type, and a comment that can only ever be data. Consumers render the
 * parsed parts (formatSshPublicKey), never the text the user wrote.
 */

export const SSH_KEY_TYPES = [
  "ssh-ed25519",
  "ssh-rsa",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
] as const;
export type SshKeyType = (typeof SSH_KEY_TYPES)[number];

export interface SshPublicKey {
  type: SshKeyType;
  /** Base64 of the key blob, canonical (re-encoding the bytes gives it back). */
  body: string;
  comment?: string;
}

export const RSA_MIN_BITS = 2048;
export const SSH_COMMENT_MAX_LENGTH = 200;

/** Jinja's delimiters: a comment holding one could become a template wherever a tool renders it. */
const TEMPLATE_DELIMITERS = ["{{", "}}", "{%", "%}", "{#", "#}"];
/** Control and format characters, line and paragraph separators, surrogates, private and unassigned code points. */
const UNPRINTABLE = /[\p{C}\p{Zl}\p{Zp}]/u;

export const SSH_KEY_ALLOWED =
  "one OpenSSH public key line '<type> <base64 key> [comment]', without options before the type; " +
  `the comment: printable characters, at most ${SSH_COMMENT_MAX_LENGTH}, no template delimiters (${TEMPLATE_DELIMITERS.join(" ")})`;

/** The fields of each key type's blob after the type itself, as length-prefixed strings (RFC 4253, PROTOCOL.u2f). */
const BLOB_FIELDS: Record<SshKeyType, string[]> = {
  "ssh-ed25519": ["key"],
  "ssh-rsa": ["e", "n"],
  "ecdsa-sha2-nistp256": ["curve", "point"],
  "ecdsa-sha2-nistp384": ["curve", "point"],
  "ecdsa-sha2-nistp521": ["curve", "point"],
  "sk-ssh-ed25519@openssh.com": ["key", "application"],
  "sk-ecdsa-sha2-nistp256@openssh.com": ["curve", "point", "application"],
};

export type SshKeyResult = { key: SshPublicKey; problem?: undefined } | { key?: undefined; problem: string };

/** Parses one entry of `admin.sshPublicKeys`; the problem says what is wrong and what is allowed. */
export function parseSshPublicKey(text: string): SshKeyResult {
  const fail = (problem: string): SshKeyResult => ({ problem });
  const line = text.replace(/^[ \t]+|[ \t]*\n?$/g, "");
  if (/[\r\n]/.test(line)) return fail(`holds more than one line; allowed: ${SSH_KEY_ALLOWED}`);
  const match = /^(\S+)[ \t]+(\S+)(?:[ \t]+(.*))?$/s.exec(line);
  if (!match) return fail(`is not an OpenSSH public key; allowed: ${SSH_KEY_ALLOWED}`);
  const [, type, body, rawComment] = match as unknown as [string, string, string, string | undefined];
  if (!isKeyType(type)) {
    const words = line.split(/[ \t]+/);
    if (words.slice(1).some(isKeyType) || /[=,"]/.test(type)) {
      return fail(`starts with authorized_keys options ("${truncate(type)}") before the key type; allowed: ${SSH_KEY_ALLOWED}`);
    }
    return fail(`has key type "${truncate(type)}"; allowed: ${SSH_KEY_TYPES.join(", ")}`);
  }
  const bodyProblem = keyBlobProblem(type, body);
  if (bodyProblem) return fail(bodyProblem);
  const comment = rawComment?.trim();
  if (comment) {
    const commentProblem = sshCommentProblem(comment);
    if (commentProblem) return fail(commentProblem);
  }
  return { key: { type, body, ...(comment ? { comment } : {}) } };
}

/** The one line every consumer writes: rebuilt from the parsed parts. */
export function formatSshPublicKey(key: SshPublicKey): string {
  return key.comment === undefined ? `${key.type} ${key.body}` : `${key.type} ${key.body} ${key.comment}`;
}

function isKeyType(word: string): word is SshKeyType {
  return (SSH_KEY_TYPES as readonly string[]).includes(word);
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function sshCommentProblem(comment: string): string | undefined {
  if (comment.length > SSH_COMMENT_MAX_LENGTH) return `has a comment of ${comment.length} characters; allowed: at most ${SSH_COMMENT_MAX_LENGTH}`;
  if (UNPRINTABLE.test(comment)) return `has a comment with a control or unprintable character; allowed: ${SSH_KEY_ALLOWED}`;
  const delimiter = TEMPLATE_DELIMITERS.find((candidate) => comment.includes(candidate));
  if (delimiter) return `has a comment with the template delimiter "${delimiter}"; allowed: ${SSH_KEY_ALLOWED}`;
  return undefined;
}

/** Why the body is not a well-formed key of this type, or undefined. */
function keyBlobProblem(type: SshKeyType, body: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 !== 0) return "has a key body that is not base64";
  const bytes = Buffer.from(body, "base64");
  if (bytes.toString("base64") !== body) return "has a key body that is not base64";
  const fields = readStrings(bytes);
  const expected = 1 + BLOB_FIELDS[type].length;
  // The blob starts with the type again: a pasted or truncated key fails here.
  if (!fields || fields.length !== expected || fields[0]!.toString("latin1") !== type) {
    return `has a body that is not a ${type} key (truncated or pasted wrong?)`;
  }
  const named = Object.fromEntries(BLOB_FIELDS[type].map((name, index) => [name, fields[index + 1]!]));
  if (named.key && named.key.length !== 32) return `has a ${type} body of the wrong length (truncated?)`;
  if (named.curve && !type.includes(named.curve.toString("latin1"))) return `has a body that is not a ${type} key (its curve is another)`;
  if (named.n && modulusBits(named.n) < RSA_MIN_BITS) {
    return `is an RSA key shorter than ${RSA_MIN_BITS} bits; use ssh-ed25519 or RSA of ${RSA_MIN_BITS} bits or more`;
  }
  return undefined;
}

/** Splits a blob into its length-prefixed strings; undefined unless they cover it exactly. */
function readStrings(bytes: Buffer): Buffer[] | undefined {
  const fields: Buffer[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (offset + 4 > bytes.length) return undefined;
    const length = bytes.readUInt32BE(offset);
    if (offset + 4 + length > bytes.length) return undefined;
    fields.push(bytes.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return fields;
}

/** Bits of an mpint (big-endian, a leading zero byte when the top bit is set). */
function modulusBits(mpint: Buffer): number {
  let start = 0;
  while (start < mpint.length && mpint[start] === 0) start++;
  if (start === mpint.length) return 0;
  return (mpint.length - start - 1) * 8 + (32 - Math.clz32(mpint[start]!));
}
