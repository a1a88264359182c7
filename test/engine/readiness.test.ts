import { describe, expect, it } from "vitest";
import { checkPassphrase, resolveBackend } from "../../engine/readiness.js";
import { NotReadyError } from "../../model/errors.js";
import { UserError } from "../../model/errors.js";
import { thrownBy } from "../support/errors.js";
import { files, HOME } from "../support/file-probe.js";

const notReady = (run: () => unknown) => thrownBy(NotReadyError, run);

describe("resolveBackend", () => {
  it("defaults to a file backend in the user's home", () => {
    expect(resolveBackend(undefined, {}, HOME)).toEqual({ url: "file:///home/ops/.botinfra/state", localDir: "/home/ops/.botinfra/state", origin: "default" });
  });

  it("takes PULUMI_BACKEND_URL, and --backend-url over it", () => {
    expect(resolveBackend(undefined, { PULUMI_BACKEND_URL: "s3://team-state" }, HOME)).toEqual({ url: "s3://team-state", origin: "PULUMI_BACKEND_URL" });
    expect(resolveBackend("azblob://state", { PULUMI_BACKEND_URL: "s3://team-state" }, HOME)).toEqual({ url: "azblob://state", origin: "--backend-url" });
    expect(resolveBackend("https://api.pulumi.com", {}, HOME).url).toBe("https://api.pulumi.com");
  });

  it("expands ~ in a file backend to the real home", () => {
    expect(resolveBackend("file://~/infra-state", {}, HOME)).toMatchObject({ url: "file:///home/ops/infra-state", localDir: "/home/ops/infra-state" });
  });

  it("in CI, refuses the local default (lost with the runner) and names the variable to set (exit 3)", () => {
    for (const CI of ["true", "1", "yes"]) {
      expect(notReady(() => resolveBackend(undefined, { CI }, HOME)).message).toMatch(/^no state backend in CI \(CI is set\): .*Set PULUMI_BACKEND_URL to s3:\/\/BUCKET/);
      expect(() => resolveBackend(undefined, { CI, PULUMI_BACKEND_URL: "" }, HOME)).toThrow(NotReadyError);
    }
    expect(resolveBackend(undefined, { CI: "true", PULUMI_BACKEND_URL: "s3://team-state" }, HOME).url).toBe("s3://team-state");
    expect(resolveBackend("file:///srv/state", { CI: "true" }, HOME).url).toBe("file:///srv/state");
    for (const CI of ["false", "0", ""]) expect(resolveBackend(undefined, { CI }, HOME).origin).toBe("default");
  });

  it("refuses other URLs, naming where they came from (exit 2)", () => {
    expect(() => resolveBackend("ftp://x", {}, HOME)).toThrow(UserError);
    expect(() => resolveBackend(undefined, { PULUMI_BACKEND_URL: "state" }, HOME)).toThrow(/^PULUMI_BACKEND_URL: found "state"; allowed: file:\/\/PATH/);
    expect(() => resolveBackend("file://relative/dir", {}, HOME)).toThrow(/allowed: file:\/\/ followed by an absolute path/);
  });
});

describe("checkPassphrase", () => {
  it("in CI, refuses an empty PULUMI_CONFIG_PASSPHRASE: a secret that was never created", () => {
    expect(notReady(() => checkPassphrase("passphrase", { CI: "true", PULUMI_CONFIG_PASSPHRASE: "" }, files())).message).toContain("PULUMI_CONFIG_PASSPHRASE is empty in CI");
    expect(() => checkPassphrase("passphrase", { CI: "true", PULUMI_CONFIG_PASSPHRASE: "s3cret" }, files())).not.toThrow();
  });

  it("accepts PULUMI_CONFIG_PASSPHRASE, even empty (Pulumi allows an empty passphrase)", () => {
    expect(() => checkPassphrase("passphrase", { PULUMI_CONFIG_PASSPHRASE: "" }, files())).not.toThrow();
  });

  it("accepts a readable PULUMI_CONFIG_PASSPHRASE_FILE and refuses an unreadable one", () => {
    expect(() => checkPassphrase("passphrase", { PULUMI_CONFIG_PASSPHRASE_FILE: "/run/pass" }, files({ "/run/pass": "pw\n" }))).not.toThrow();
    const error = notReady(() => checkPassphrase("passphrase", { PULUMI_CONFIG_PASSPHRASE_FILE: "/run/nope" }, files()));
    expect(error.message).toMatch(/^PULUMI_CONFIG_PASSPHRASE_FILE: \/run\/nope cannot be read/);
  });

  it("refuses a passphrase file other users can read, with exit 3, naming it", () => {
    const env = { PULUMI_CONFIG_PASSPHRASE_FILE: "/run/pass" };
    for (const mode of [0o644, 0o640, 0o660, 0o604]) {
      const error = notReady(() => checkPassphrase("passphrase", env, files({ "/run/pass": "pw\n" }, { "/run/pass": 0o100000 | mode })));
      expect(error.exitCode).toBe(3);
      expect(error.message).toBe(
        `PULUMI_CONFIG_PASSPHRASE_FILE: /run/pass can be read or written by other users (mode 0${mode.toString(8)}); allowed: a file only its owner can use: chmod 600 /run/pass`,
      );
    }
    expect(() => checkPassphrase("passphrase", env, files({ "/run/pass": "pw\n" }, { "/run/pass": 0o100400 }))).not.toThrow();
  });

  it("refuses a missing passphrase with exit 3, naming both variables", () => {
    const error = notReady(() => checkPassphrase("passphrase", {}, files()));
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain("PULUMI_CONFIG_PASSPHRASE to it, or PULUMI_CONFIG_PASSPHRASE_FILE to a file holding it");
  });

  it("needs no passphrase with another secrets provider", () => {
    expect(() => checkPassphrase("awskms://alias/botinfra", {}, files())).not.toThrow();
  });
});
