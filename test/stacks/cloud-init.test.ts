/**
 * The first-boot config an AWS server gets (its user data) passes cloud-init's own schema check, the
 * one the server would run it through: a key given as anything but its one-line text installs nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userData } from "../../components/aws/server-group.js";
import type { Platform } from "../../model/platform.js";
import { parseSshPublicKey } from "../../model/ssh.js";
import { runIn } from "../support/ansible.js";
import { samplePlatforms } from "../support/plan.js";

const SECOND_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHl8YkG7ZcHMHKXckw4XwPKQyQf8x/7dXHJttsP8EaUd release bot";

let folder: string;
/** cloud-init's verdict on a config: its exit code and what it said. */
async function schemaCheck(name: string, config: string) {
  const file = join(folder, name);
  writeFileSync(file, config);
  const result = await runIn(folder, "cloud-init", ["schema", "--config-file", file]);
  return { file, exitCode: result.exitCode, output: `${result.stdout}${result.stderr}` };
}

describe("an AWS server's user data", () => {
  let platform: Platform;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), "botinfra-cloud-init-"));
    const initech = samplePlatforms().find((candidate) => candidate.tenant === "initech")!;
    // Two keys, the second with a comment of two words: each must stay one string.
    const second = parseSshPublicKey(SECOND_KEY).key!;
    platform = { ...initech, admin: { ...initech.admin, sshPublicKeys: [...initech.admin.sshPublicKeys, second] } };
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  // Servers' user data differ by host name only; cloud-init takes seconds a check, so one proxy and one tier.
  it("is a valid cloud-config, for a proxy and for a tier's server", async () => {
    const production = platform.environments[0]!;
    for (const host of [production.proxy.hosts[0]!, production.tiers[0]!.hosts[0]!]) {
      const verdict = await schemaCheck(`${host.name}.yaml`, userData(platform, host));
      // Exactly the verdict, so a deprecated key (cloud-init warns and goes on) fails too.
      expect(verdict, host.name).toEqual({ file: verdict.file, exitCode: 0, output: `Valid cloud-config: ${verdict.file}` });
    }
  });

  it("is judged by a check that refuses a key given as an object (the check can fail)", async () => {
    const host = platform.environments[0]!.proxy.hosts[0]!;
    const keysAsObjects = userData(platform, host).replace(/ssh_authorized_keys:\n(?: {6}- .*\n)+/, "ssh_authorized_keys:\n      - type: ssh-ed25519\n        body: AAAA\n");
    expect(keysAsObjects).toContain("type: ssh-ed25519");
    const verdict = await schemaCheck("objects.yaml", keysAsObjects);
    expect(verdict.exitCode).not.toBe(0);
    expect(verdict.output).toMatch(/ssh_authorized_keys/);
  });
});
