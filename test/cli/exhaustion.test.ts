/** Files built to exhaust the machine: each is one clear exit 2 naming the file (and field), never a hang or a crash. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { sampleSpec, toYaml } from "../support/specs.js";

const dir = mkdtempSync(join(tmpdir(), "botinfra-exhaustion-"));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** A spec's own text followed by `extra`: every line above it is a valid tenant. */
const SPEC_TEXT = toYaml(sampleSpec());

/** The hang guard: a FIFO or /dev/zero that is read would never end. */
const validate = (path: string) => runCli(["tenants", "validate", "--tenant-file", path], { timeout: 20_000 });

function expectRefused(result: { exitCode: number; stdout: string; stderr: string }, message: RegExp) {
  expect(result.exitCode).toBe(2);
  expect(`${result.stdout}${result.stderr}`).toMatch(message);
  expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
}

describe("files made to exhaust botinfra", () => {
  it("refuses a YAML alias bomb by its expansion", async () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]", ..."bcdefg".split("").map((name, index) => `${name}: &${name} [${Array(9).fill(`*${"abcdefg"[index]}`).join(", ")}]`)];
    const path = file("bomb.yaml", `${SPEC_TEXT}${levels.join("\n")}\n`);
    expectRefused(await validate(path), /bomb\.yaml: expands its YAML aliases too much; allowed: aliases that repeat at most 100 nodes/);
  });

  it("refuses 10,000-deep nesting, flow or block, with its line", async () => {
    const flow = file("flow.yaml", `${SPEC_TEXT}extra: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`);
    expectRefused(await validate(flow), /flow\.yaml:\d+:\d+: nests deeper than 32 levels/);
    const block = file("block.yaml", `${SPEC_TEXT}extra:\n  ${"- ".repeat(10_000)}x\n`);
    expectRefused(await validate(block), /block\.yaml:\d+:\d+: nests deeper than 32 levels/);
  });

  it("refuses a 10 MB spec, stating the limit", async () => {
    const path = file("huge.yaml", `${SPEC_TEXT}extra:\n${Array.from({ length: 600_000 }, (_, index) => `  k${index}: 1`).join("\n")}\n`);
    expectRefused(await validate(path), /huge\.yaml: is larger than 128 KiB; allowed: a tenant file of at most 128 KiB \(131072 bytes\)/);
  });

  it("refuses a device and a FIFO without reading them", async () => {
    expectRefused(await validate("/dev/zero"), /\/dev\/zero: is not a regular file \(a device, a FIFO or a socket\); allowed: a tenant file/);
    const fifo = join(dir, "fifo.yaml");
    execFileSync("mkfifo", [fifo]);
    expectRefused(await validate(fifo), /fifo\.yaml: is not a regular file/);
    const outputs = await runCli(["render", "--tenant", "acme", "--outputs", fifo, "--out", join(dir, "out")], { timeout: 20_000 });
    expectRefused(outputs, /--outputs .*fifo\.yaml: is not a regular file/);
  });

  it("reports 300 environments without cidr as running out of addresses, naming the environment", async () => {
    const spec = sampleSpec();
    const tiers = spec.environments.development!.tiers;
    spec.environments = Object.fromEntries(Array.from({ length: 300 }, (_, index) => [`e${index}`, { tiers: structuredClone(tiers) }]));
    const path = file("many.yaml", toYaml(spec));
    expectRefused(await validate(path), /many\.yaml:\d+:\d+: environments\.e236: has no cidr, and 10\.0\.0\.0\/8 has no free \/16 left/);
  });
});
