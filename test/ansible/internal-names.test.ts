/**
 * Where the cloud has no private DNS and assigns addresses itself (DigitalOcean): the rendered project,
 * run through the debian_base role's own tasks and templates by Ansible, puts every internal name in
 * the hosts file, where the system resolver (getent, through glibc's files source) finds it, and the
 * host firewall admits each peer group's servers by the addresses the stack reports. From the plan the
 * addresses are unknown: the role refuses to run, naming the server.
 */
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";
import { CLOUD_PROFILES } from "../../model/clouds.js";
import type { StackOutputs } from "../../model/outputs.js";
import type { Platform } from "../../model/platform.js";
import { planOffline } from "../../engine/offline.js";
import { plannedFor, renderToTemp, requireTool, runIn, samplePlatforms } from "../support/ansible.js";

const platforms = samplePlatforms().filter((platform) => !CLOUD_PROFILES[platform.cloud].privateDns);

function playbook(outDir: string): string {
  return `---
- name: Run the debian_base tasks that resolve peers and internal names, into files
  hosts: all
  connection: local
  gather_facts: false
  vars:
    debian_base_hosts_file: ${outDir}/{{ inventory_hostname }}-hosts
  tasks:
    - name: Check the peers and write the internal names
      ansible.builtin.include_role:
        name: debian_base
        tasks_from: peers.yml
    - name: Render the host firewall
      ansible.builtin.template:
        src: ../roles/debian_base/templates/nftables.conf.j2
        dest: ${outDir}/{{ inventory_hostname }}-nftables.conf
        mode: "0644"
`;
}

/** The role's defaults where they rank as role defaults do: below every group's own variables. */
function withRoleDefaults(project: string) {
  copyFileSync(join(project, "roles", "debian_base", "defaults", "main.yml"), join(project, "inventory", "group_vars", "all.yml"));
}

/** Resolves names through a hosts file with the system resolver, in a private mount namespace. */
async function resolve(hostsFile: string, names: string[]): Promise<Map<string, string[]>> {
  const script = `mount --bind "$1" /etc/hosts && shift && for name in "$@"; do printf '%s' "$name"; getent ahostsv4 "$name" | awk '$2 == "STREAM" { printf " %s", $1 }'; echo; done`;
  const result = await execa(requireTool("unshare"), ["-rm", "sh", "-c", script, "resolve", hostsFile, ...names], { reject: false });
  if (result.exitCode !== 0) throw new Error(`resolving failed: ${String(result.stderr)}`);
  return new Map(String(result.stdout).trim().split("\n").map((line) => {
    const [name, ...addresses] = line.split(" ");
    return [name!, addresses.sort()];
  }));
}

describe.each(platforms.map((platform) => [platform.tenant, platform] as [string, Platform]))("tenant %s", (_tenant, platform) => {
  const deployed = new Map<string, StackOutputs>();
  let project = "";

  beforeAll(async () => {
    requireTool("ansible-playbook");
    // The offline plan's outputs have the shape and the placeholder addresses of a deployed stack's.
    for (const stack of (await planOffline(platform, platform.environments)).stacks) deployed.set(stack.environment, stack.outputs);
    project = renderToTemp(platform, deployed, "stack");
    writeFileSync(join(project, "playbooks", "peers.yml"), playbook(join(project, "..")));
    withRoleDefaults(project);
    // Each server's hosts file as Debian ships it: the role adds its block and keeps the rest.
    for (const environment of platform.environments) {
      for (const group of [environment.proxy, ...environment.tiers]) {
        for (const host of group.hosts) writeFileSync(join(project, "..", `${host.name}-hosts`), `127.0.0.1\tlocalhost\n127.0.1.1\t${host.name}\n`);
      }
    }
    const result = await runIn(project, "ansible-playbook", ["playbooks/peers.yml"]);
    if (result.exitCode !== 0) throw new Error(`running the peers tasks failed (${result.exitCode}):\n${result.stdout}\n${result.stderr}`);
  }, 120_000);

  it("resolves every server's and every tier's internal name, on every server, to the stack's addresses", async () => {
    for (const environment of platform.environments) {
      const outputs = deployed.get(environment.name)!;
      const ipOf = (host: string) => outputs.hosts.find((candidate) => candidate.name === host)!.privateIp!;
      const expected = new Map<string, string[]>();
      for (const group of [environment.proxy, ...environment.tiers]) {
        for (const host of group.hosts) expected.set(host.dnsName, [ipOf(host.name)]);
        if (group.stateful) expected.set(group.dnsName, group.hosts.map((host) => ipOf(host.name)).sort());
        else if (group.kind === "tier") expected.set(group.dnsName, [outputs.loadBalancers.find((balancer) => balancer.group === group.name)!.privateIp!]);
      }
      for (const group of [environment.proxy, ...environment.tiers]) {
        const resolved = await resolve(join(project, "..", `${group.hosts[0]!.name}-hosts`), [...expected.keys(), "localhost"]);
        expect(resolved).toEqual(new Map([...expected, ["localhost", ["127.0.0.1"]]]));
      }
    }
  });

  it("admits each peer group's servers by their /32 in the host firewall, which nft -c accepts", async () => {
    const environment = platform.environments[0]!;
    const outputs = deployed.get(environment.name)!;
    for (const tier of environment.tiers) {
      const file = join(project, "..", `${tier.hosts[0]!.name}-nftables.conf`);
      const check = await runIn(project, "/usr/sbin/nft", ["-c", "-f", file]);
      expect(check.stderr).toBe("");
      const app = tier.ingress.find((rule) => rule.name === "app")!;
      const peers = app.peers.flatMap((peer) => (peer.kind === "proxy" ? [environment.proxy] : peer.kind === "tier" ? environment.tiers.filter((t) => t.name === peer.tier) : []));
      const addresses = peers.flatMap((group) => group.hosts.map((host) => `${outputs.hosts.find((candidate) => candidate.name === host.name)!.privateIp!}/32`));
      expect(readFileSync(file, "utf8")).toContain(`ip saddr { ${[...new Set(addresses)].sort().join(", ")} } tcp dport { ${app.ports.join(", ")} } accept`);
    }
  });

  it("refuses, from the plan, to write a firewall whose peers' addresses are unknown, naming the server", async () => {
    const planned = renderToTemp(platform, plannedFor(platform), "plan");
    writeFileSync(join(planned, "playbooks", "peers.yml"), playbook(join(planned, "..")));
    withRoleDefaults(planned);
    const tier = platform.environments[0]!.tiers[0]!;
    const result = await runIn(planned, "ansible-playbook", ["playbooks/peers.yml", "--limit", tier.hosts[0]!.name]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toContain(`${platform.environments[0]!.proxy.hosts[0]!.name}'s private address is not known until it is deployed`);
  });
});

describe("sample tenants", () => {
  it("include one on a cloud without private DNS", () => {
    expect(platforms.map((platform) => platform.tenant)).toContain("hooli");
  });
});
