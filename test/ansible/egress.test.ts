/**
 * `egress: proxy` (DigitalOcean without VPC NAT gateways): the rendered project makes the first proxy
 * forward and masquerade the VPC's traffic (nft -c accepts its ruleset) and every tier route through it
 * at boot (systemd-analyze verify accepts the unit); from the plan the proxy's address is unknown and the
 * role refuses, naming it.
 */
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { planOffline } from "../../engine/offline.js";
import type { StackOutputs } from "../../model/outputs.js";
import { plannedFor, renderToTemp, requireTool, runIn } from "../support/ansible.js";
import { platformOf } from "../support/plan.js";
import { sampleSpec } from "../support/specs.js";

const spec = sampleSpec("hooli");
spec.egress = "proxy";
const platform = platformOf(spec);
const development = platform.environments.find((environment) => environment.name === "development")!;
const proxy = development.proxy.hosts[0]!.name;
const tier = development.tiers[0]!.hosts[0]!.name;

function playbook(outDir: string): string {
  return `---
- name: Render the egress files of debian_base
  hosts: all
  connection: local
  gather_facts: false
  tasks:
    - name: Render the host firewall
      ansible.builtin.template:
        src: ../roles/debian_base/templates/nftables.conf.j2
        dest: ${outDir}/{{ inventory_hostname }}-nftables.conf
        mode: "0644"
    - name: Render the route unit
      ansible.builtin.template:
        src: ../roles/debian_base/templates/botinfra-egress-route.service.j2
        dest: ${outDir}/{{ inventory_hostname }}-botinfra-egress-route.service
        mode: "0644"
      when: debian_base_egress_gateway.proxy is defined
`;
}

describe("egress through the proxy", () => {
  let out = "";
  let outputs: StackOutputs;

  beforeAll(async () => {
    requireTool("ansible-playbook");
    outputs = (await planOffline(platform, [development])).stacks[0]!.outputs;
    const project = renderToTemp(platform, new Map([[development.name, outputs]]), "stack");
    out = join(project, "..");
    writeFileSync(join(project, "playbooks", "egress.yml"), playbook(out));
    // The role's defaults where they rank as role defaults do: below every group's own variables.
    copyFileSync(join(project, "roles", "debian_base", "defaults", "main.yml"), join(project, "inventory", "group_vars", "all.yml"));
    const result = await runIn(project, "ansible-playbook", ["playbooks/egress.yml", "--limit", `${proxy},${tier}`]);
    if (result.exitCode !== 0) throw new Error(`rendering failed:\n${result.stdout}\n${result.stderr}`);
  }, 120_000);

  it("makes the proxy forward and masquerade the VPC's traffic, in a ruleset nft -c accepts", async () => {
    const file = join(out, `${proxy}-nftables.conf`);
    const check = await runIn(out, "/usr/sbin/nft", ["-c", "-f", file]);
    expect(check.stderr).toBe("");
    expect(check.exitCode).toBe(0);
    const text = readFileSync(file, "utf8");
    expect(text).toContain(`ip saddr ${development.cidr} ip daddr != ${development.cidr} accept`);
    expect(text).toContain(`ip saddr ${development.cidr} ip daddr != ${development.cidr} masquerade`);
    expect(readFileSync(join(out, `${tier}-nftables.conf`), "utf8")).not.toContain("masquerade");
  });

  it("routes each tier through the proxy's private address, in a unit systemd-analyze verify accepts", async () => {
    const unit = join(out, `${tier}-botinfra-egress-route.service`);
    const via = outputs.hosts.find((host) => host.name === proxy)!.privateIp!;
    expect(readFileSync(unit, "utf8")).toContain(`ExecStart=/usr/sbin/ip route replace default via ${via}`);
    const verify = await runIn(out, requireTool("systemd-analyze"), ["verify", unit]);
    expect(verify.stderr).toBe("");
    expect(verify.exitCode).toBe(0);
  });

  it("refuses, from the plan, to route through a proxy whose address is unknown, naming it", async () => {
    const project = renderToTemp(platform, plannedFor(platform, [development]), "plan");
    writeFileSync(
      join(project, "playbooks", "egress.yml"),
      `---
- name: Run the egress tasks of debian_base
  hosts: all
  connection: local
  gather_facts: false
  tasks:
    - name: Route through the proxy
      ansible.builtin.include_role:
        name: debian_base
        tasks_from: egress.yml
`,
    );
    const result = await runIn(project, "ansible-playbook", ["playbooks/egress.yml", "--limit", tier]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toContain(`${proxy}'s private address is not known until it is deployed`);
  });
});
