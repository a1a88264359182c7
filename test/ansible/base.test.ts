/**
 * The Debian base role's generated system files, rendered by Ansible from the rendered inventory and
 * the role's defaults, pass the checkers the role itself validates them with (nft -c, visudo -c).
 */
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";
import type { Platform } from "../../model/platform.js";
import { plannedFor, renderToTemp, requireTool, runIn, samplePlatforms } from "../support/ansible.js";

const platforms = samplePlatforms();
const rendered = new Map<string, string>();

const TEMPLATES = ["nftables.conf", "sudoers", "sshd_config"];

/** The first server of every group: what the tests look at. */
function firstHosts(platform: Platform): string[] {
  return platform.environments.flatMap((environment) => [environment.proxy, ...environment.tiers].map((group) => group.hosts[0]!.name));
}

function playbook(outDir: string): string {
  return `---
- name: Render the Debian base role's system files
  hosts: all
  connection: local
  gather_facts: false
  tasks:
    - name: Render each template for each server
      ansible.builtin.template:
        src: ../roles/debian_base/templates/{{ item }}.j2
        dest: ${outDir}/{{ inventory_hostname }}-{{ item }}
        mode: "0644"
      loop: ${JSON.stringify(TEMPLATES)}
`;
}

beforeAll(async () => {
  for (const tool of ["ansible-playbook", "/usr/sbin/nft", "/usr/sbin/visudo"]) requireTool(tool);
  await Promise.all(
    platforms.map(async (platform) => {
      const project = renderToTemp(platform, plannedFor(platform));
      const out = join(project, "..");
      writeFileSync(join(project, "playbooks", "base-files.yml"), playbook(out));
      // The role's defaults where they rank as role defaults do: below every group's own variables.
      copyFileSync(join(project, "roles", "debian_base", "defaults", "main.yml"), join(project, "inventory", "group_vars", "all.yml"));
      const result = await runIn(project, "ansible-playbook", ["playbooks/base-files.yml", "--limit", firstHosts(platform).join(",")]);
      if (result.exitCode !== 0) throw new Error(`rendering the base files failed (${result.exitCode}):\n${result.stdout}\n${result.stderr}`);
      rendered.set(platform.tenant, out);
    }),
  );
});

describe.each(platforms.map((platform) => [platform.tenant, platform] as [string, Platform]))("tenant %s", (tenant, platform) => {
  const hosts = firstHosts(platform);

  it("every server's host firewall passes nft -c and admits exactly its group's rules", async () => {
    for (const host of hosts) {
      const file = join(rendered.get(tenant)!, `${host}-nftables.conf`);
      const check = await runIn(rendered.get(tenant)!, "/usr/sbin/nft", ["-c", "-f", file]);
      expect(check.stderr, host).toBe("");
      expect(check.exitCode, host).toBe(0);
    }
    const production = platform.environments[0]!;
    const tier = production.tiers[0]!;
    const text = readFileSync(join(rendered.get(tenant)!, `${tier.hosts[0]!.name}-nftables.conf`), "utf8");
    const app = tier.ingress.find((rule) => rule.name === "app")!;
    expect(text).toContain(`ip saddr { ${production.proxy.subnet!.cidr} } tcp dport { ${app.ports.join(", ")} } accept`);
    expect(text).toContain("policy drop;");
    const proxy = readFileSync(join(rendered.get(tenant)!, `${production.proxy.hosts[0]!.name}-nftables.conf`), "utf8");
    expect(proxy).toContain("tcp dport { 80, 443 } accept");
  });

  it("the host firewall replaces only botinfra's table, atomically, and leaves other tables alone", async () => {
    const dir = rendered.get(tenant)!;
    const firewall = join(dir, `${hosts[0]!}-nftables.conf`);
    expect(readFileSync(firewall, "utf8")).not.toMatch(/flush ruleset/);
    const other = join(dir, "other-table.nft");
    writeFileSync(other, "table ip docker {\n  chain forward {\n    type filter hook forward priority 0;\n  }\n}\n");
    // A network namespace of its own: the real nft loads the rules twice there (a re-run), beside another table.
    const namespace = process.getuid?.() === 0 ? ["-n"] : ["-rn"];
    const script = `nft -f ${other} && nft -f ${firewall} && nft -f ${firewall} && nft list tables`;
    const result = await execa("unshare", [...namespace, "sh", "-c", script], { reject: false, env: { PATH: `/usr/sbin:/sbin:${process.env.PATH ?? ""}` } });
    expect(result.stderr).toBe("");
    expect(result.stdout.split("\n").sort()).toEqual(["table inet botinfra", "table ip docker"]);
  });

  it("the administrators' sudoers file passes visudo -c", async () => {
    for (const host of hosts) {
      const check = await runIn(rendered.get(tenant)!, "/usr/sbin/visudo", ["-c", "-f", join(rendered.get(tenant)!, `${host}-sudoers`)]);
      expect(check.exitCode, `${host}: ${check.stdout}${check.stderr}`).toBe(0);
    }
  });

  it("SSH allows TCP forwarding only on the proxies, the jump hosts", () => {
    for (const environment of platform.environments) {
      const proxy = readFileSync(join(rendered.get(tenant)!, `${environment.proxy.hosts[0]!.name}-sshd_config`), "utf8");
      const tier = readFileSync(join(rendered.get(tenant)!, `${environment.tiers[0]!.hosts[0]!.name}-sshd_config`), "utf8");
      expect(proxy).toContain("AllowTcpForwarding yes");
      expect(tier).toContain("AllowTcpForwarding no");
      expect(tier).toContain(`AllowUsers ${platform.admin.username}`);
      expect(tier).toContain("PasswordAuthentication no");
    }
  });
});
