/**
 * The generated system files of the Debian base and app roles, rendered by Ansible from the rendered
 * inventory and the roles' defaults, pass the checkers the roles validate them with (nft -c, visudo -c,
 * sshd -t) or the ones their programs read them with (apt-config, systemd-analyze verify, node), and
 * hold the security settings the roles promise.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";
import { describePeer } from "../../model/ingress.js";
import type { Platform } from "../../model/platform.js";
import { plannedFor, renderToTemp, requireTool, runIn, samplePlatforms } from "../support/ansible.js";

const platforms = samplePlatforms();
const rendered = new Map<string, string>();

const TEMPLATES = ["nftables.conf", "sudoers", "sshd_config", "20auto-upgrades", "52botinfra-unattended-upgrades"];
const SSHD = "/usr/sbin/sshd";
/** What the SSH server must enforce on every server, by sshd -T's names: keys only, no root, little to forward. */
const SSHD_SECURITY = {
  permitrootlogin: "no",
  passwordauthentication: "no",
  kbdinteractiveauthentication: "no",
  permitemptypasswords: "no",
  pubkeyauthentication: "yes",
  authenticationmethods: "publickey",
  maxauthtries: "3",
  logingracetime: "30",
  x11forwarding: "no",
  allowagentforwarding: "no",
  clientaliveinterval: "300",
  clientalivecountmax: "2",
};

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
    - name: Record whether the role's firewall tasks run for each server
      ansible.builtin.copy:
        content: "{{ debian_base_firewall_enabled | bool }}"
        dest: ${outDir}/{{ inventory_hostname }}-firewall-enabled
        mode: "0644"

`;
}

/** sshd refuses to run, even to check a file, without its privilege separation folder. */
function ensureSshdRunDir() {
  if (existsSync("/run/sshd")) return;
  try {
    mkdirSync("/run/sshd", { mode: 0o755 });
  } catch (error) {
    throw new Error(`sshd -t needs /run/sshd, which cannot be created here (${(error as NodeJS.ErrnoException).code}): scripts/test-all.sh creates it`);
  }
}

/** sshd's effective settings for a config file (`sshd -T`), after checking it with `sshd -t`. */
async function sshdSettings(dir: string, file: string): Promise<Map<string, string>> {
  const keys = ["-h", join(dir, "ssh_host_ed25519_key")];
  const check = await runIn(dir, SSHD, ["-t", "-f", file, ...keys]);
  expect(check, file).toEqual({ exitCode: 0, stdout: "", stderr: "" });
  const dump = await runIn(dir, SSHD, ["-T", "-f", file, ...keys]);
  expect(dump.exitCode, dump.stderr).toBe(0);
  return new Map(dump.stdout.split("\n").map((line) => [line.slice(0, line.indexOf(" ")), line.slice(line.indexOf(" ") + 1)]));
}

// One ansible-playbook run per tenant renders every server's files: minutes on a busy machine.
beforeAll(async () => {
  for (const tool of ["ansible-playbook", "ssh-keygen", "apt-config", "systemd-analyze", "/usr/sbin/nft", "/usr/sbin/visudo", SSHD]) requireTool(tool);
  ensureSshdRunDir();
  await Promise.all(
    platforms.map(async (platform) => {
      const project = renderToTemp(platform, plannedFor(platform));
      const out = join(project, "..");
      writeFileSync(join(project, "playbooks", "base-files.yml"), playbook(out));
      // The role's defaults where they rank as role defaults do: below every group's own variables.
      copyFileSync(join(project, "roles", "debian_base", "defaults", "main.yml"), join(project, "inventory", "group_vars", "all.yml"));
      const result = await runIn(project, "ansible-playbook", ["playbooks/base-files.yml", "--limit", firstHosts(platform).join(",")]);
      if (result.exitCode !== 0) throw new Error(`rendering the base files failed (${result.exitCode}):\n${result.stdout}\n${result.stderr}`);
      await runIn(out, "ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(out, "ssh_host_ed25519_key")]);
      rendered.set(platform.tenant, out);
    }),
  );
}, 300_000);

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
    if (production.proxy.subnet) {
      // The proxy's subnet among the app port's sources (with the tier's callers, where they are tiers too).
      const appLine = text.split("\n").find((line) => line.includes(`tcp dport { ${app.ports.join(", ")} } accept`) && line.includes(production.proxy.subnet!.cidr));
      expect(appLine, text).toMatch(/^\s*ip saddr \{ [^}]+ \} tcp dport/);
    }
    // Where the cloud assigns addresses, the plan knows no peer's: the rule admits nothing (internal-names.test.ts renders from outputs).
    else expect(text).toContain(`# ${app.name}: ${app.description} (${app.peers.map(describePeer).join(", ")})\n        # (no peer address known yet: admits nothing)`);
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

  it("every server keeps its host firewall on: the role's tasks that write and enable it run", () => {
    for (const host of hosts) expect(readFileSync(join(rendered.get(tenant)!, `${host}-firewall-enabled`), "utf8").trim(), host).toBe("True");
  });

  it("every server's SSH settings pass sshd -t and are, as sshd reads them, the hardened ones; forwarding only on the jump hosts", async () => {
    for (const environment of platform.environments) {
      for (const group of [environment.proxy, ...environment.tiers.slice(0, 1)]) {
        const host = group.hosts[0]!.name;
        const settings = await sshdSettings(rendered.get(tenant)!, join(rendered.get(tenant)!, `${host}-sshd_config`));
        const expected = { ...SSHD_SECURITY, allowusers: platform.admin.username, allowtcpforwarding: group.kind === "proxy" ? "yes" : "no" };
        expect(Object.fromEntries(Object.keys(expected).map((key) => [key, settings.get(key)])), host).toEqual(expected);
      }
    }
  });

  it("every server installs security updates daily and reboots only when allowed, in files apt reads", async () => {
    for (const host of hosts) {
      const dump = async (file: string) => {
        const result = await runIn(rendered.get(tenant)!, "apt-config", ["-c", join(rendered.get(tenant)!, `${host}-${file}`), "dump"]);
        expect(result.stderr, `${host}-${file}`).toBe("");
        expect(result.exitCode, `${host}-${file}`).toBe(0);
        return result.stdout;
      };
      const periodic = await dump("20auto-upgrades");
      expect(periodic).toContain('APT::Periodic::Update-Package-Lists "1";');
      expect(periodic).toContain('APT::Periodic::Unattended-Upgrade "1";');
      expect(await dump("52botinfra-unattended-upgrades")).toContain('Unattended-Upgrade::Automatic-Reboot "false";');
    }
  });
});
