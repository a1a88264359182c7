/**
 * The real lifecycle: preview, up, outputs, a second up and destroy of a small throwaway tenant on a real
 * cloud, through the built CLI and the user's Pulumi CLI. `BOTINFRA_E2E=1 npm run test:e2e` runs it
 * (vitest.e2e.config.ts refuses without BOTINFRA_E2E=1). It costs a few minutes of two small servers.
 *
 * BOTINFRA_E2E_CLOUD: azure (default), aws or digitalocean; BOTINFRA_E2E_REGION: the region (default
 * westeurope, eu-west-1, ams3). State goes to PULUMI_BACKEND_URL, else to a temporary file backend.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLOUDS, type Cloud } from "../../model/spec.js";
import { REPO_ROOT, runCli } from "../support/cli.js";
import { toYaml, VALID_SSH_KEY } from "../support/specs.js";

const cloud = (process.env.BOTINFRA_E2E_CLOUD ?? "azure") as Cloud;
if (!CLOUDS.includes(cloud)) throw new Error(`BOTINFRA_E2E_CLOUD: found "${cloud}"; allowed: ${CLOUDS.join(", ")}`);

const SMALLEST: Record<Cloud, { region: string; size: string }> = {
  azure: { region: "westeurope", size: "Standard_B1s" },
  aws: { region: "eu-west-1", size: "t3.micro" },
  digitalocean: { region: "ams3", size: "s-1vcpu-1gb" },
};

const tenant = `e2e${randomBytes(3).toString("hex").slice(0, 5)}`;
const work = mkdtempSync(join(tmpdir(), "botinfra-e2e-"));
const tenantFile = join(work, `${tenant}.yaml`);
writeFileSync(
  tenantFile,
  toYaml({
    tenant,
    cloud,
    region: process.env.BOTINFRA_E2E_REGION ?? SMALLEST[cloud].region,
    domain: `${tenant}.example.com`,
    admin: { username: "botadmin", sshPublicKeys: [VALID_SSH_KEY] },
    proxy: { size: SMALLEST[cloud].size },
    environments: { development: { tiers: { api: { count: 1, size: SMALLEST[cloud].size, port: 8080, expose: "api" } } } },
  }),
);

const env = {
  PULUMI_BACKEND_URL: process.env.PULUMI_BACKEND_URL ?? `file://${join(work, "state")}`,
  PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? randomBytes(16).toString("hex"),
};
const stack = `${tenant}-development`;
const botinfra = (args: string[]) => runCli([...args, "--tenant-file", tenantFile], { env });

let deployed = false;

afterAll(async () => {
  // Whatever failed, nothing may be left running on the account.
  if (!deployed) return;
  const cleanup = await botinfra(["destroy", "--env", "development", "--yes"]);
  if (cleanup.exitCode !== 0) process.stderr.write(`CLEAN UP BY HAND: botinfra destroy of ${stack} failed:\n${cleanup.stderr}\n`);
});

describe(`botinfra on a real ${cloud} account (tenant ${tenant})`, () => {
  it("has the Pulumi program built", () => {
    expect(existsSync(join(REPO_ROOT, "dist/stacks/index.js")), "npm run build must produce dist/stacks/index.js, the program Pulumi.yaml runs").toBe(true);
  });

  it("previews the tenant's changes", async () => {
    const result = await botinfra(["preview", "--json"]);
    expect(result.exitCode, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split("\n").at(-1)!) as { result: string; stacks: { changes: Record<string, number> }[] };
    expect(summary.result).toBe("succeeded");
    expect(summary.stacks[0]!.changes.create).toBeGreaterThan(0);
  });

  it("provisions it", async () => {
    deployed = true;
    const result = await botinfra(["up", "--yes"]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`${stack}  succeeded`);
  });

  it("exports the addresses the cloud assigned", async () => {
    const result = await botinfra(["outputs", "--json"]);
    expect(result.exitCode, result.stderr).toBe(0);
    const outputs = (JSON.parse(result.stdout) as Record<string, { stack: string; hosts: { privateIp?: string; publicIp?: string }[]; publicAddress?: string }>)[stack]!;
    expect(outputs.stack).toBe(stack);
    expect(outputs.hosts).toHaveLength(2);
    expect(outputs.hosts.every((host) => host.privateIp)).toBe(true);
    expect(outputs.publicAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it("changes nothing on a second up", async () => {
    const result = await botinfra(["up", "--yes", "--json"]);
    expect(result.exitCode, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split("\n").at(-1)!) as { stacks: { changes: Record<string, number> }[] };
    expect(Object.keys(summary.stacks[0]!.changes)).toEqual(["same"]);
  });

  it("destroys it", async () => {
    const result = await botinfra(["destroy", "--env", "development", "--yes"]);
    expect(result.exitCode, result.stderr).toBe(0);
    deployed = false;
  });
});
