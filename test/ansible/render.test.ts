/** The pure renderer: structure from the model, addresses only from the outputs, the same bytes every time. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, type Dirent } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderProject, type RenderedFile, type RenderedProject } from "../../ansible/render.js";
import { readRoleFiles } from "../../ansible/roles.js";
import { writeProject } from "../../ansible/write.js";
import { ROLES_DIR } from "../../cli/render-run.js";
import { UserError } from "../../model/errors.js";
import type { StackOutputs } from "../../model/outputs.js";
import type { Platform } from "../../model/platform.js";
import { expectedInventory, fileOf, plannedFor, sampleOverlay, varsOf } from "../support/ansible.js";
import { platformOf, sampleSpec } from "../support/specs.js";
import { RSA_2048_KEY } from "../support/ssh-keys.js";

const roles = readRoleFiles(ROLES_DIR);
const overlay = sampleOverlay();

const acme = platformOf(sampleSpec());

type InventoryGroup = { hosts?: Record<string, Record<string, unknown>>; children?: Record<string, InventoryGroup> };

/** Walks hosts.yml as Ansible's YAML inventory plugin does: group -> hosts, children, host vars. */
function readInventory(files: RenderedFile[]) {
  const groups = new Map<string, { hosts: Set<string>; children: Set<string> }>();
  const hostVars = new Map<string, Record<string, unknown>>();
  const visit = (name: string, group: InventoryGroup | null) => {
    const entry = groups.get(name) ?? { hosts: new Set<string>(), children: new Set<string>() };
    groups.set(name, entry);
    for (const [host, vars] of Object.entries(group?.hosts ?? {})) {
      entry.hosts.add(host);
      hostVars.set(host, { ...hostVars.get(host), ...vars });
    }
    for (const [child, value] of Object.entries(group?.children ?? {})) {
      entry.children.add(child);
      visit(child, value);
    }
  };
  visit("all", (varsOf(files, "inventory/hosts.yml").all ?? null) as InventoryGroup);
  return { groups, hostVars };
}

/** Stack outputs as a deployed stack would give them: cloud-assigned public addresses, LBs moved. */
function deployedOutputs(platform: Platform): Map<string, StackOutputs> {
  const planned = plannedFor(platform);
  let next = 10;
  for (const outputs of planned.values()) {
    outputs.hosts = outputs.hosts.map((host) => (host.group === "proxy" ? { ...host, publicIp: `198.51.100.${next++}` } : host));
    outputs.loadBalancers = outputs.loadBalancers.map((balancer) =>
      balancer.public ? { ...balancer, publicIp: `203.0.113.${next++}` } : { ...balancer, privateIp: balancer.privateIp!.replace(/\.4$/, ".44") },
    );
    outputs.publicAddress = `192.0.2.${next++}`;
  }
  return planned;
}

describe("renderProject", () => {
  // Rendered in a hook, not as the file is collected: mutation testing switches a mutant on before the hooks run.
  let plan: RenderedProject;
  beforeAll(() => {
    plan = renderProject(acme, plannedFor(acme), { source: "plan", roles, overlay });
  });

  it("renders the same bytes for the same input, sorted by path", () => {
    const again = renderProject(platformOf(sampleSpec()), plannedFor(acme), { source: "plan", roles, overlay });
    expect(again.files).toEqual(plan.files);
    const paths = plan.files.map((file) => file.path);
    expect(paths).toEqual([...paths].sort());
    expect(new Set(paths).size).toBe(paths.length);
  });

  it("writes the project layout the issue asks for", () => {
    const paths = plan.files.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "ansible.cfg",
        ".ansible-lint",
        "inventory/hosts.yml",
        "inventory/group_vars/acme.yml",
        "inventory/group_vars/production.yml",
        "inventory/group_vars/proxy_production.yml",
        "inventory/group_vars/front_production.yml",
        "playbooks/site.yml",
        "playbooks/proxy.yml",
        "playbooks/front-production.yml",
        "playbooks/runner-tools.yml",
        "roles/nginx_proxy/templates/nginx.conf.j2",
        "roles/debian_base/meta/argument_specs.yml",
      ]),
    );
    expect(plan.environments).toEqual(["production", "development", "tools"]);
    const config = fileOf(plan.files, "ansible.cfg");
    for (const setting of ["inventory = inventory", "roles_path = roles", "pipelining = true", "forks = ", "ControlPersist", "fact_caching = jsonfile", "unparsed_is_failed = true"]) {
      expect(config).toContain(setting);
    }
  });

  it("copies every role file verbatim", () => {
    for (const role of roles) expect(fileOf(plan.files, `roles/${role.path}`)).toBe(role.content);
    expect(roles.map((role) => role.path.split("/")[0])).toEqual(expect.arrayContaining(["debian_base", "nodejs", "node_app", "nginx_proxy"]));
  });

  it("groups every host as the model does: per environment, tier, tier and environment, proxy, under the tenant", () => {
    const { groups } = readInventory(plan.files);
    const expected = expectedInventory(acme);
    for (const [name, group] of expected) {
      if (name === "ungrouped") continue;
      expect([...(groups.get(name)?.hosts ?? [])].sort(), `hosts of ${name}`).toEqual(group.hosts);
      expect([...(groups.get(name)?.children ?? [])].sort(), `children of ${name}`).toEqual(group.children.filter((child) => child !== "ungrouped"));
    }
    expect([...groups.keys()].sort()).toEqual([...expected.keys()].filter((name) => name !== "ungrouped").sort());
  });

  it("reaches tiers at their planned private address through the environment's first proxy", () => {
    const { hostVars } = readInventory(plan.files);
    const production = acme.environments[0]!;
    for (const host of production.tiers.flatMap((tier) => tier.hosts)) {
      expect(hostVars.get(host.name)).toMatchObject({ ansible_host: host.privateIp, ansible_user: "botadmin" });
    }
    expect(varsOf(plan.files, "inventory/group_vars/production.yml").ansible_ssh_common_args).toBe("-o ProxyJump=botadmin@acme-production-proxy-1");
    expect(varsOf(plan.files, "inventory/group_vars/proxy_production.yml").ansible_ssh_common_args).toBe("");
  });

  it("never invents a proxy's public address from the plan: the host is reached by name and reported", () => {
    const { hostVars } = readInventory(plan.files);
    for (const environment of acme.environments) {
      for (const host of environment.proxy.hosts) expect(hostVars.get(host.name)!.ansible_host).toBe(host.name);
    }
    expect(plan.unknownAddresses).toEqual([
      "acme-production-proxy-1: public address",
      "acme-production-proxy-2: public address",
      "acme-development-proxy-1: public address",
      "acme-tools-proxy-1: public address",
    ]);
    expect(fileOf(plan.files, "inventory/hosts.yml")).toContain("botinfra render --from stack");
  });

  it("uses only addresses the outputs hold: every IPv4 address rendered is one of the plan's", () => {
    const known = new Set<string>(["0.0.0.0", "168.63.129.16"]);
    for (const outputs of plannedFor(acme).values()) {
      for (const host of outputs.hosts) known.add(host.privateIp!);
      for (const balancer of outputs.loadBalancers) if (balancer.privateIp) known.add(balancer.privateIp);
    }
    const cidrs = acme.environments.flatMap((environment) => [environment.cidr, ...[environment.proxy, ...environment.tiers].map((group) => group.subnet!.cidr)]);
    for (const cidr of [...cidrs, ...acme.managementCidrs]) known.add(cidr.split("/")[0]!);
    const rendered = plan.files.filter((file) => !file.path.startsWith("roles/")).map((file) => file.content).join("\n");
    const found = new Set(rendered.match(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g) ?? []);
    expect([...found].filter((address) => !known.has(address))).toEqual([]);
  });

  it("routes each public host name of an environment to its tier's private load balancer", () => {
    const vars = varsOf(plan.files, "inventory/group_vars/proxy_production.yml");
    expect(vars.nginx_proxy_upstreams).toEqual([
      { name: "production_front", environment: "production", tier: "front", servers: ["10.20.1.4:3000"] },
      { name: "production_api", environment: "production", tier: "api", servers: ["10.20.2.4:8080"] },
    ]);
    expect(vars.nginx_proxy_routes).toEqual([
      { host: "acme.example.com", upstream: "production_front" },
      { host: "api.acme.example.com", upstream: "production_api" },
    ]);
    expect(varsOf(plan.files, "inventory/group_vars/proxy_tools.yml").nginx_proxy_routes).toEqual([
      { host: "gitlab.tools.acme.example.com", upstream: "tools_gitlab" },
    ]);
  });

  it("gives each tier its port, balancer and a host firewall matching the cloud rules plus Azure's probes", () => {
    const vars = varsOf(plan.files, "inventory/group_vars/api_production.yml");
    expect(vars).toMatchObject({
      node_app_name: "api",
      node_app_port: 8080,
      botinfra_load_balancer: { address: "10.20.2.4", dns_name: "api.production.acme.internal", port: 8080 },
      botinfra_public_hosts: ["api.acme.example.com"],
    });
    const rules = vars.debian_base_firewall_rules as { name: string; ports: number[]; sources: string[] }[];
    expect(rules.map(({ name, ports, sources }) => ({ name, ports, sources }))).toEqual([
      { name: "app", ports: [8080], sources: ["10.20.0.0/24", "10.20.1.0/24"] },
      { name: "health", ports: [8080], sources: ["168.63.129.16/32"] },
      { name: "ssh", ports: [22], sources: ["10.20.0.0/24"] },
    ]);
    const proxyRules = varsOf(plan.files, "inventory/group_vars/proxy_production.yml").debian_base_firewall_rules as { name: string }[];
    expect(proxyRules.map((rule) => rule.name)).toEqual(["web", "health", "ssh"]);
  });

  it("admits the probes from the load balancer's own addresses on a cloud whose balancers probe from them (AWS)", () => {
    const spec = sampleSpec();
    Object.assign(spec, { cloud: "aws", region: "eu-west-1", proxy: { size: "t3.small" } });
    for (const environment of Object.values(spec.environments)) for (const tier of Object.values(environment.tiers)) tier.size = "t3.small";
    const aws = platformOf(spec);
    const files = renderProject(aws, plannedFor(aws), { source: "plan", roles, overlay }).files;
    const rules = varsOf(files, "inventory/group_vars/api_production.yml").debian_base_firewall_rules as { name: string; sources: string[] }[];
    expect(rules.map((rule) => rule.name)).toEqual(["app", "health", "ssh"]);
    expect(rules[1]!.sources).toEqual(["10.20.2.132/32", "10.20.2.4/32"]);
  });

  it("mounts a stateful tier's data disk and lists its peers, and gives it no balancer", () => {
    const vars = varsOf(plan.files, "inventory/group_vars/db_production.yml");
    expect(vars.botinfra_load_balancer).toBeUndefined();
    expect(vars.botinfra_data_disk).toEqual({ device: "/dev/disk/azure/scsi1/lun0", mount: "/srv/data", size_gb: 64 });
    expect(vars.botinfra_peers).toEqual(["db-1.production.acme.internal", "db-2.production.acme.internal", "db-3.production.acme.internal"]);
    const [play] = parse(fileOf(plan.files, "playbooks/db-production.yml")) as { roles: { role: string; vars?: Record<string, string> }[] }[];
    expect(play!.roles.map((role) => role.role)).toEqual(["debian_base", "data_disk", "postgresql"]);
    expect(play!.roles[1]!.vars).toEqual({ data_disk_device: "{{ botinfra_data_disk.device }}", data_disk_mount_point: "{{ botinfra_data_disk.mount }}" });
    const app = varsOf(plan.files, "inventory/group_vars/api_production.yml");
    expect(app.botinfra_data_disk).toBeUndefined();
  });

  it("imports one playbook per tier and environment, and the proxy playbook, from site.yml", () => {
    const site = parse(fileOf(plan.files, "playbooks/site.yml")) as { "ansible.builtin.import_playbook": string }[];
    const expected = ["proxy.yml", ...acme.environments.flatMap((environment) => environment.tiers.map((tier) => `${tier.name}-${environment.name}.yml`))];
    expect(site.map((entry) => entry["ansible.builtin.import_playbook"])).toEqual(expected);
    const [play] = parse(fileOf(plan.files, "playbooks/front-production.yml")) as { hosts: string; become: boolean; roles: { role: string }[] }[];
    expect(play).toMatchObject({ hosts: "front_production", become: true });
    expect(play!.roles.map((role) => role.role)).toEqual(["debian_base", "nodejs", "node_app"]);
    const [proxy] = parse(fileOf(plan.files, "playbooks/proxy.yml")) as { hosts: string; roles: { role: string }[] }[];
    expect(proxy).toMatchObject({ hosts: "proxy" });
    expect(proxy!.roles.map((role) => role.role)).toEqual(["debian_base", "nginx_proxy"]);
  });

  it("rolls out proxies one at a time and tiers half at a time, stopping at the first failure", () => {
    // rollback.yml is run on its own, for one tier, by configure --rollback.
    const playbooks = plan.files.filter((file) => file.path.startsWith("playbooks/") && !["playbooks/site.yml", "playbooks/rollback.yml"].includes(file.path));
    expect(playbooks).toHaveLength(1 + acme.environments.flatMap((environment) => environment.tiers).length);
    for (const playbook of playbooks) {
      const plays = parse(playbook.content) as { serial: unknown; max_fail_percentage: unknown }[];
      const serial = playbook.path === "playbooks/proxy.yml" ? 1 : "50%";
      expect(plays.map((play) => [play.serial, play.max_fail_percentage]), playbook.path).toEqual([[serial, 0]]);
    }
  });

  it("renders only the environments it is given outputs for", () => {
    const production = acme.environments[0]!;
    const only = renderProject(acme, plannedFor(acme, [production]), { source: "plan", roles, overlay });
    expect(only.environments).toEqual(["production"]);
    const { groups } = readInventory(only.files);
    expect([...groups.keys()]).not.toContain("development");
    expect(only.files.some((file) => file.path.includes("development") || file.path.includes("tools"))).toBe(false);
    expect([...groups.get("front")!.children]).toEqual(["front_production"]);
  });

  it("renders from a deployed stack's outputs: proxies at their public address, which is also the jump host", () => {
    const deployed = deployedOutputs(acme);
    const project = renderProject(acme, deployed, { source: "stack", roles, overlay });
    expect(project.unknownAddresses).toEqual([]);
    const { hostVars } = readInventory(project.files);
    const production = deployed.get("production")!;
    const firstProxy = production.hosts.find((host) => host.group === "proxy")!;
    expect(hostVars.get(firstProxy.name)!.ansible_host).toBe(firstProxy.publicIp);
    expect(varsOf(project.files, "inventory/group_vars/production.yml")).toMatchObject({
      ansible_ssh_common_args: `-o ProxyJump=botadmin@${firstProxy.publicIp}`,
      botinfra_public_address: production.publicAddress,
    });
    const upstreams = varsOf(project.files, "inventory/group_vars/proxy_production.yml").nginx_proxy_upstreams as { servers: string[] }[];
    expect(upstreams[0]!.servers).toEqual(["10.20.1.44:3000"]);
    expect(fileOf(project.files, "inventory/hosts.yml")).not.toContain("--from stack");
  });

  it("refuses outputs that do not match the spec, naming the stack", () => {
    const deployed = deployedOutputs(acme);
    deployed.get("production")!.hosts.pop();
    expect(() => renderProject(acme, deployed, { source: "stack", roles, overlay })).toThrow(UserError);
    expect(() => renderProject(acme, deployed, { source: "stack", roles, overlay })).toThrow(/stack acme-production: no server acme-production-db-3/);
    const other = deployedOutputs(acme);
    other.get("tools")!.environment = "staging";
    expect(() => renderProject(acme, other, { source: "stack", roles, overlay })).toThrow(/environment "staging"/);
  });

  it("renders DigitalOcean's cloud-assigned private addresses as unknown from the plan, and the proxy refuses to run", () => {
    const spec = sampleSpec();
    Object.assign(spec, { cloud: "digitalocean", region: "ams3", proxy: { size: "s-1vcpu-2gb" } });
    for (const environment of Object.values(spec.environments)) for (const tier of Object.values(environment.tiers)) tier.size = "s-1vcpu-2gb";
    const ocean = platformOf(spec);
    const project = renderProject(ocean, plannedFor(ocean), { source: "plan", roles, overlay });
    const { hostVars } = readInventory(project.files);
    expect(hostVars.get("acme-production-api-1")!.ansible_host).toBe("acme-production-api-1");
    expect(project.unknownAddresses).toContain("acme-production-api-1: private address");
    expect(project.unknownAddresses).toContain("acme-production-api-lb: private address");
    const upstreams = varsOf(project.files, "inventory/group_vars/proxy_production.yml").nginx_proxy_upstreams as { servers: string[] }[];
    expect(upstreams.every((upstream) => upstream.servers.length === 0)).toBe(true);
    expect(varsOf(project.files, "inventory/group_vars/api_production.yml").botinfra_load_balancer).toEqual({ dns_name: "api.production.acme.internal", port: 8080 });
    expect(fileOf(project.files, "roles/nginx_proxy/tasks/config.yml")).toContain("has no address yet");
  });

  it("names the tenant group with _ for -, and refuses group names that would merge", () => {
    const dashed = platformOf({ ...sampleSpec(), tenant: "acme-bots" });
    const files = renderProject(dashed, plannedFor(dashed), { source: "plan", roles, overlay }).files;
    expect(Object.keys((varsOf(files, "inventory/hosts.yml").all as InventoryGroup).children!)).toEqual(["acme_bots"]);
    expect(files.map((file) => file.path)).toContain("inventory/group_vars/acme_bots.yml");
    const clash = platformOf({ ...sampleSpec(), tenant: "front" });
    expect(() => renderProject(clash, plannedFor(clash), { source: "plan", roles, overlay })).toThrow(/group "front" would stand for both tenant front and tier front/);
  });

  it("writes long SSH keys without breaking them", () => {
    const rsa = RSA_2048_KEY;
    const platform = platformOf({ ...sampleSpec(), admin: { username: "botadmin", sshPublicKeys: [rsa] } });
    const vars = varsOf(renderProject(platform, plannedFor(platform), { source: "plan", roles, overlay }).files, "inventory/group_vars/acme.yml");
    expect(vars.debian_base_admin_users).toEqual([{ name: "botadmin", ssh_keys: [rsa] }]);
  });
});

/** Every file under `dir`, by relative path, with its content. */
function contentsOf(dir: string): Record<string, string> {
  return Object.fromEntries(
    (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const path = join(entry.parentPath, entry.name);
        return [relative(dir, path), readFileSync(path, "utf8")];
      }),
  );
}

describe("writeProject", () => {
  const files: RenderedFile[] = [
    { path: "ansible.cfg", content: "# Rendered by botinfra for tenant t\n" },
    { path: "inventory/hosts.yml", content: "---\nall: {}\n" },
  ];
  const parent = () => mkdtempSync(join(tmpdir(), "botinfra-write-"));

  it("writes into a new folder and replaces a project it rendered, leaving nothing behind", () => {
    const dir = parent();
    const out = join(dir, "nested", "acme");
    writeProject(out, [...files, { path: "playbooks/old.yml", content: "---\n[]\n" }]);
    expect(readFileSync(join(out, "inventory/hosts.yml"), "utf8")).toBe("---\nall: {}\n");
    writeProject(out, [...files, { path: "playbooks/site.yml", content: "---\n[]\n" }]);
    expect(readdirSync(out).sort()).toEqual([".botinfra-manifest.json", "ansible.cfg", "inventory", "playbooks"]);
    expect(readdirSync(join(out, "playbooks"))).toEqual(["site.yml"]);
    expect(readdirSync(join(dir, "nested"))).toEqual(["acme"]);
  });

  it("accepts an empty folder and refuses a folder or file it did not render, touching nothing", () => {
    const dir = parent();
    mkdirSync(join(dir, "empty"));
    writeProject(join(dir, "empty"), files);
    mkdirSync(join(dir, "mine"));
    writeFileSync(join(dir, "mine", "notes.txt"), "keep me");
    expect(() => writeProject(join(dir, "mine"), files)).toThrow(/mine: holds files botinfra did not write \(it has no \.botinfra-manifest\.json\): notes\.txt/);
    expect(readFileSync(join(dir, "mine", "notes.txt"), "utf8")).toBe("keep me");
    writeFileSync(join(dir, "file"), "x");
    expect(() => writeProject(join(dir, "file"), files)).toThrow(/--out .*file: is a file/);
    expect(readdirSync(dir).sort()).toEqual(["empty", "file", "mine"]);
  });

  it("leaves the old project in place when writing fails", () => {
    const dir = parent();
    const out = join(dir, "acme");
    writeProject(out, files);
    const before = contentsOf(out);
    // The new project differs from the old in every file, so a half-written or in-place write shows.
    const newer = files.map((file) => ({ ...file, content: `${file.content}# newer\n` }));
    expect(() => writeProject(out, [...newer, { path: "../escape", content: "x" }])).toThrow(/unsafe rendered path/);
    expect(contentsOf(out)).toEqual(before);
    expect(before["ansible.cfg"]).toBe(files[0]!.content);
    expect(before["inventory/hosts.yml"]).toBe(files[1]!.content);
    expect(Object.keys(before).sort()).toEqual([".botinfra-manifest.json", "ansible.cfg", "inventory/hosts.yml"]);
    expect(readdirSync(dir)).toEqual(["acme"]);
  });
});
