/**
 * The rendered projects, proven with Ansible's own tools: the inventory parses to the model's groups,
 * every playbook passes --syntax-check, and ansible-lint (production profile) and yamllint report
 * nothing. A missing tool fails these tests: CI installs them from Debian.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Platform } from "../../model/platform.js";
import { expectedInventory, plannedFor, renderToTemp, requireTool, runIn, samplePlatforms, unwrapUnsafe } from "../support/ansible.js";

const platforms = samplePlatforms();

interface Projects {
  /** Every environment in one project. */
  full: string;
  /** One project per environment, as `render --env` writes it. */
  perEnvironment: Map<string, string>;
}
const projects = new Map<string, Projects>();

beforeAll(() => {
  for (const tool of ["ansible-inventory", "ansible-playbook", "ansible-lint", "yamllint"]) requireTool(tool);
  for (const platform of platforms) {
    projects.set(platform.tenant, {
      full: renderToTemp(platform, plannedFor(platform)),
      perEnvironment: new Map(platform.environments.map((environment) => [environment.name, renderToTemp(platform, plannedFor(platform, [environment]))])),
    });
  }
});

/** `ansible-inventory --list` as group -> sorted hosts and children (its "all" and "ungrouped" included). */
async function inventoryGroups(project: string) {
  const result = await runIn(project, "ansible-inventory", ["-i", "inventory", "--list"]);
  expect(result.stderr).toBe("");
  expect(result.exitCode).toBe(0);
  const listed = JSON.parse(result.stdout) as Record<string, { hosts?: string[]; children?: string[] }>;
  return new Map(
    Object.entries(listed)
      .filter(([name]) => name !== "_meta")
      .map(([name, group]) => [name, { hosts: [...(group.hosts ?? [])].sort(), children: [...(group.children ?? [])].sort() }]),
  );
}

function withoutEmptyUngrouped(groups: Map<string, { hosts: string[]; children: string[] }>) {
  return new Map([...groups].filter(([name, group]) => name !== "ungrouped" || group.hosts.length > 0));
}

describe.each(platforms.map((platform) => [platform.tenant, platform] as [string, Platform]))("tenant %s", (tenant, platform) => {
  it.each(platform.environments.map((environment) => [environment.name, environment] as const))(
    "ansible-inventory parses the %s project to exactly the model's groups and hosts",
    async (_name, environment) => {
      const groups = await inventoryGroups(projects.get(tenant)!.perEnvironment.get(environment.name)!);
      expect(withoutEmptyUngrouped(groups)).toEqual(withoutEmptyUngrouped(expectedInventory(platform, [environment])));
    },
  );

  it("ansible-inventory parses the project of every environment to exactly the model's groups and hosts", async () => {
    const project = projects.get(tenant)!.full;
    const groups = await inventoryGroups(project);
    expect(withoutEmptyUngrouped(groups)).toEqual(withoutEmptyUngrouped(expectedInventory(platform)));
    const hostVarsOf = async (host: string) => {
      const unmarked: string[] = [];
      const vars = unwrapUnsafe(JSON.parse((await runIn(project, "ansible-inventory", ["-i", "inventory", "--host", host])).stdout), unmarked) as Record<string, unknown>;
      // Every string of the inventory and group vars is data, never a template.
      expect(unmarked).toEqual([]);
      return vars;
    };
    const hostVars = await hostVarsOf(platform.environments[0]!.tiers[0]!.hosts[0]!.name);
    expect(hostVars.ansible_ssh_common_args).toMatch(/^-o ProxyJump=/);
    const proxyVars = await hostVarsOf(platform.environments[0]!.proxy.hosts[0]!.name);
    expect(proxyVars.ansible_ssh_common_args).toBe("");
  });

  it("ansible-playbook --syntax-check passes on every rendered playbook", async () => {
    const { full, perEnvironment } = projects.get(tenant)!;
    const playbooks = readdirSync(join(full, "playbooks")).sort();
    expect(playbooks).toContain("site.yml");
    expect(playbooks.length).toBe(3 + platform.environments.reduce((sum, environment) => sum + environment.tiers.length, 0));
    const all = await runIn(full, "ansible-playbook", ["--syntax-check", ...playbooks.map((playbook) => `playbooks/${playbook}`)]);
    expect(all.stderr).toBe("");
    expect(all.exitCode).toBe(0);
    for (const project of perEnvironment.values()) {
      const site = await runIn(project, "ansible-playbook", ["--syntax-check", "playbooks/site.yml"]);
      expect(site.stderr).toBe("");
      expect(site.exitCode).toBe(0);
    }
  });

  it("ansible-lint --offline --profile production reports nothing on the whole rendered project, roles included", async () => {
    const project = projects.get(tenant)!.full;
    const result = await runIn(project, "ansible-lint", ["--offline", "--profile", "production", "-f", "codeclimate"]);
    expect(JSON.parse(result.stdout || "[]")).toEqual([]);
    expect(result.exitCode).toBe(0);
    // It really read the roles: the files it counts include every YAML file of the project.
    const linted = Number(/on (\d+) files/.exec(result.stderr)?.[1] ?? 0);
    const yamlFiles = countFiles(project, (name) => name.endsWith(".yml"));
    expect(linted).toBeGreaterThanOrEqual(yamlFiles);
  });

  it("yamllint -s reports nothing on the rendered project", async () => {
    const result = await runIn(projects.get(tenant)!.full, "yamllint", ["-s", "-f", "parsable", "."]);
    expect(result.stdout).toBe("");
    expect(result.exitCode).toBe(0);
  });
});

function countFiles(dir: string, match: (name: string) => boolean): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (count, entry) => count + (entry.isDirectory() ? countFiles(join(dir, entry.name), match) : match(entry.name) ? 1 : 0),
    0,
  );
}
