/** SSH public key checks at their edges: the declared type, the body's own type, and the lengths that mark a truncated key. */
import { describe, expect, it } from "vitest";
import { sshPublicKeyProblem, SSH_KEY_TYPES } from "../../model/ssh.js";

/** A key body as OpenSSH writes it: the type as a length-prefixed string, then `rest` bytes of key material. */
function body(type: string, total: number): string {
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(type.length);
  const head = Buffer.concat([prefix, Buffer.from(type, "latin1")]);
  return Buffer.concat([head, Buffer.alloc(total - head.length, 7)]).toString("base64");
}

describe("sshPublicKeyProblem", () => {
  it("accepts every listed type with a body of that type, with or without a comment", () => {
    for (const type of SSH_KEY_TYPES) {
      const size = type === "ssh-ed25519" ? 51 : type === "ssh-rsa" ? 270 : 120;
      expect(sshPublicKeyProblem(`${type} ${body(type, size)}`), type).toBeUndefined();
      expect(sshPublicKeyProblem(`  ${type} ${body(type, size)} ops@acme  `), type).toBeUndefined();
    }
  });

  it("refuses a line without a body, of another type, or whose body is not base64", () => {
    expect(sshPublicKeyProblem("ssh-ed25519")).toBe("is not an OpenSSH public key: expected '<type> <base64 key> [comment]'");
    expect(sshPublicKeyProblem("")).toBe("is not an OpenSSH public key: expected '<type> <base64 key> [comment]'");
    expect(sshPublicKeyProblem(`ssh-dss ${body("ssh-dss", 100)}`)).toBe(`has key type "ssh-dss"; allowed: ${SSH_KEY_TYPES.join(", ")}`);
    expect(sshPublicKeyProblem("ssh-ed25519 AAAA*AAA")).toBe("has a key body that is not base64");
    expect(sshPublicKeyProblem("ssh-ed25519 AAAA=AAA")).toBe("has a key body that is not base64");
  });

  it("refuses a body of another type, or too short to hold its type", () => {
    const problem = "has a body that is not a ssh-ed25519 key (truncated or pasted wrong?)";
    expect(sshPublicKeyProblem(`ssh-ed25519 ${body("ssh-rsa", 51)}`)).toBe(problem);
    expect(sshPublicKeyProblem("ssh-ed25519 AAA=")).toBe(problem);
    expect(sshPublicKeyProblem(`ssh-ed25519 ${body("ssh-ed25519", 51).slice(0, 16)}`)).toBe(problem);
    const empty = Buffer.alloc(8).toString("base64");
    expect(sshPublicKeyProblem(`ssh-ed25519 ${empty}`)).toBe(problem);
  });

  it("takes an ssh-ed25519 body of exactly 51 bytes and an RSA one of 270 or more (2048 bits)", () => {
    expect(sshPublicKeyProblem(`ssh-ed25519 ${body("ssh-ed25519", 50)}`)).toBe("has an ssh-ed25519 body of the wrong length (truncated?)");
    expect(sshPublicKeyProblem(`ssh-ed25519 ${body("ssh-ed25519", 52)}`)).toBe("has an ssh-ed25519 body of the wrong length (truncated?)");
    expect(sshPublicKeyProblem(`ssh-rsa ${body("ssh-rsa", 269)}`)).toBe("is an RSA key shorter than 2048 bits; use ssh-ed25519 or RSA of 2048 bits or more");
    expect(sshPublicKeyProblem(`ssh-rsa ${body("ssh-rsa", 271)}`)).toBeUndefined();
  });
});
