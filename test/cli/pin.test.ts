/** `botinfra tenants pin` end to end: the allocated ranges written into the user's file, nothing else changed. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "../support/cli.js";

const SAMPLE = readFileSync(`${REPO_ROOT}stacks/tenants/acme.yaml`, "utf8");

function sampleCopy(): string {
  const file = join(mkdtempSync(join(tmpdir(), "botinfra-pin-")), "acme.yaml");
  writeFileSync(file, SAMPLE);
  return file;
}

describe("botinfra tenants pin", () => {
  it("writes every tier's allocated range into the file, keeping its comments and every other line", async () => {
    const file = sampleCopy();
    const shownBefore = await runCli(["tenants", "show", "--tenant-file", file, "--json"]);
    const result = await runCli(["tenants", "pin", "--tenant-file", file, "--json"]);
    expect(result.exitCode).toBe(0);
    const { pinned } = JSON.parse(result.stdout) as { pinned: { field: string; cidr: string }[] };
    expect(pinned).toContainEqual({ field: "environments.production.tiers.api.cidr", cidr: "10.20.2.0/24" });
    expect(pinned).toContainEqual({ field: "environments.tools.tiers.runner.cidr", cidr: "10.22.2.0/24" });
    const text = readFileSync(file, "utf8");
    // Comments and the long key line survive; every line of the original is still there.
    for (const line of SAMPLE.split("\n").filter((candidate) => !/^\s+\w+:\s+\{/.test(candidate))) expect(text).toContain(line);
    expect(text).toMatch(/api:\s+\{[^}]*cidr: 10\.20\.2\.0\/24/);
    // The same platform, now with every range pinned.
    const shownAfter = await runCli(["tenants", "show", "--tenant-file", file, "--json"]);
    expect(shownAfter.stdout.replaceAll('"pinned": true', '"pinned": false')).toBe(shownBefore.stdout);
    const again = await runCli(["tenants", "pin", "--tenant-file", file]);
    expect(again.stdout).toContain("every range is already pinned");
    expect(readFileSync(file, "utf8")).toBe(text);
  });

  it("refuses an invalid spec with the usual message, leaving the file untouched", async () => {
    const file = sampleCopy();
    writeFileSync(file, SAMPLE.replace("port: 8080", "port: 22"));
    const before = readFileSync(file, "utf8");
    const result = await runCli(["tenants", "pin", "--tenant-file", file]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/tiers\.api\.port: found 22, the SSH port/);
    expect(readFileSync(file, "utf8")).toBe(before);
  });
});
