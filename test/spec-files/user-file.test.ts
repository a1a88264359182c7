import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UserError } from "../../model/errors.js";
import { readUserFile } from "../../spec-files/user-file.js";

const fail = (why: string) => new UserError(`x: ${why}`);

describe("readUserFile", () => {
  const dir = mkdtempSync(join(tmpdir(), "botinfra-user-file-"));

  it("returns the text of a readable file", () => {
    writeFileSync(join(dir, "a.yaml"), "tenant: acme\n");
    expect(readUserFile(join(dir, "a.yaml"), "tenant file", fail)).toBe("tenant: acme\n");
  });

  it("says a missing file does not exist, and a folder is not the kind of file wanted", () => {
    expect(() => readUserFile(join(dir, "nope.yaml"), "tenant file", fail)).toThrow("x: does not exist");
    expect(() => readUserFile(dir, "tenant file", fail)).toThrow("x: is a folder, not a tenant file");
  });

  it("refuses a file over the limit it is given, and anything but a regular file", () => {
    writeFileSync(join(dir, "big.yaml"), "x".repeat(2049));
    expect(() => readUserFile(join(dir, "big.yaml"), "tenant file", fail, 2048)).toThrow("x: is larger than 2 KiB; allowed: a tenant file of at most 2 KiB (2048 bytes)");
    expect(readUserFile(join(dir, "big.yaml"), "tenant file", fail, 4096)).toHaveLength(2049);
    expect(() => readUserFile("/dev/null", "tenant file", fail)).toThrow("x: is not a regular file (a device, a FIFO or a socket); allowed: a tenant file");
  });
});
