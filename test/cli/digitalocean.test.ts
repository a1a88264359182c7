/** The DigitalOcean sample tenant through the built CLI: plan, check and render, as a user runs them. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseRendered } from "../support/ansible.js";
import { runCli } from "../support/cli.js";
import { sampleSpec, toYaml } from "../support/specs.js";

const tempDir = () => mkdtempSync(join(tmpdir(), "botinfra-do-"));

describe("botinfra on DigitalOcean (hooli)", () => {
  it("plans both environments offline and says DigitalOcean has no zones", async () => {
    const text = await runCli(["plan", "--tenant", "hooli"]);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain("High availability on DigitalOcean: no availability sets or zones");
    const json = await runCli(["plan", "--tenant", "hooli", "--json"]);
    const plan = JSON.parse(json.stdout) as { cloud: string; stacks: { stack: string; resources: { type: string }[] }[] };
    expect(plan.cloud).toBe("digitalocean");
    expect(plan.stacks.map((stack) => stack.stack)).toEqual(["hooli-production", "hooli-development"]);
    for (const stack of plan.stacks) {
      const types = new Set(stack.resources.map((resource) => resource.type));
      for (const type of ["Project", "ProjectResources", "Vpc", "VpcNatGateway", "Droplet", "Firewall", "LoadBalancer", "Volume", "VolumeAttachment"]) {
        expect([...types]).toContain(`digitalocean:index/${type[0]!.toLowerCase()}${type.slice(1)}:${type}`);
      }
    }
  });

  it("checks the sample clean, and a production tier of one droplet draws the advisory without failing", async () => {
    const clean = await runCli(["check", "--tenant", "hooli"]);
    expect(clean.exitCode).toBe(0);
    expect(clean.stdout).toContain("hooli: 0 mandatory, 0 advisory violations: passed");
    const spec = sampleSpec("hooli");
    spec.environments.production!.tiers.front!.count = 1;
    const file = join(tempDir(), "hooli.yaml");
    writeFileSync(file, toYaml(spec));
    const single = await runCli(["check", "--tenant-file", file, "--env", "production", "--json"]);
    expect(single.exitCode).toBe(0);
    const report = JSON.parse(single.stdout) as { violations: { policy: string; level: string }[] };
    expect(report.violations.map((violation) => [violation.policy, violation.level])).toEqual([["digitalocean-production-redundancy", "advisory"]]);
  });

  it("renders from the plan naming every address DigitalOcean has not assigned yet, peers as groups, no internal name", async () => {
    const out = join(tempDir(), "hooli");
    const result = await runCli(["render", "--tenant", "hooli", "--from", "plan", "--out", out, "--json"]);
    expect(result.exitCode).toBe(0);
    const { unknownAddresses } = JSON.parse(result.stdout) as { unknownAddresses: string[] };
    expect(unknownAddresses).toContain("hooli-production-db-3: private address");
    expect(unknownAddresses).toContain("hooli-production-api-lb: private address");
    expect(unknownAddresses).toContain("hooli-development-proxy-1: public address");
    expect(unknownAddresses).toHaveLength(17);
    const production = parseRendered(readFileSync(join(out, "inventory", "group_vars", "production.yml"), "utf8")) as Record<string, unknown>;
    expect(production.debian_base_hosts_entries).toEqual([]);
    const db = parseRendered(readFileSync(join(out, "inventory", "group_vars", "db_production.yml"), "utf8")) as { debian_base_firewall_rules: unknown[] };
    expect(db.debian_base_firewall_rules).toEqual([
      expect.objectContaining({ name: "app", ports: [27017], sources: [], source_groups: ["api_production", "db_production"] }),
      expect.objectContaining({ name: "ssh", ports: [22], sources: [], source_groups: ["proxy_production"] }),
    ]);
  });

  it("refuses an outputs file whose address is not an IPv4 address, naming the field", async () => {
    const plan = JSON.parse((await runCli(["plan", "--tenant", "hooli", "--env", "development", "--json"])).stdout) as { stacks: { outputs: { hosts: { privateIp?: string }[] } }[] };
    const outputs = plan.stacks[0]!.outputs;
    outputs.hosts[1]!.privateIp = "10.41.255.9\n203.0.113.66 evil.example";
    const file = join(tempDir(), "outputs.json");
    writeFileSync(file, JSON.stringify(outputs));
    const result = await runCli(["render", "--tenant", "hooli", "--env", "development", "--from", "stack", "--outputs", file, "--out", join(tempDir(), "x")]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('hosts[1].privateIp: found "10.41.255.9\\n203.0.113.66 evil.example"; allowed: an IPv4 address');
  });
});
