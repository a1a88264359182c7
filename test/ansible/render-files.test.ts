/**
 * The rendered project file by file: the fixed settings (ansible.cfg, .ansible-lint, .yamllint), the
 * playbooks, the inventory's comments, the group vars of each cloud's shape (subnets or none, private
 * DNS or none, egress through the proxy), and the refusals of outputs that do not match the spec.
 * Each test renders inside itself, so that what it asserts is what the renderer gives it.
 */
import { describe, expect, it } from "vitest";
import { renderProject, yamlFile } from "../../ansible/render.js";
import type { StackOutputs } from "../../model/outputs.js";
import type { Platform } from "../../model/platform.js";
import type { TenantSpec } from "../../model/spec.js";
import { fileOf, parseRendered, plannedFor, sampleOverlay, varsOf } from "../support/ansible.js";
import { platformOf, sampleSpec } from "../support/specs.js";

const overlay = sampleOverlay();

function render(platform: Platform, outputs = plannedFor(platform), source: "plan" | "stack" = "plan") {
  return renderProject(platform, outputs, { source, roles: [], overlay: platform.tenant === "acme" ? overlay : { source: "overlay", files: [] } });
}

function commentsOf(text: string): string[] {
  return text.split("\n").filter((line) => line.startsWith("#"));
}

/** Outputs as a deployed stack gives them: every server's private address, proxies' public ones, private balancers'. */
function deployed(platform: Platform): Map<string, StackOutputs> {
  const outputs = plannedFor(platform);
  let next = 10;
  for (const each of outputs.values()) {
    each.hosts = each.hosts.map((host) => ({
      ...host,
      privateIp: host.privateIp ?? `10.99.0.${next++}`,
      ...(host.group === "proxy" ? { publicIp: `198.51.100.${next++}` } : {}),
    }));
    each.loadBalancers = each.loadBalancers.map((balancer) => (balancer.public ? balancer : { ...balancer, privateIp: balancer.privateIp ?? `10.99.1.${next++}` }));
  }
  return outputs;
}

function specWith(name: string, change: (spec: TenantSpec) => void): Platform {
  const spec = sampleSpec(name);
  change(spec);
  return platformOf(spec);
}

describe("the project's fixed files", () => {
  it("says in the tenant's shared vars that they hold public keys only", () => {
    const { files } = render(platformOf(sampleSpec()));
    expect(commentsOf(fileOf(files, "inventory/group_vars/acme.yml"))).toContain("# Every server of tenant acme. SSH public keys are not secrets.");
  });

  it("writes ansible.cfg, .ansible-lint and .yamllint with the settings a run relies on", () => {
    const { files } = render(platformOf(sampleSpec()));
    expect(fileOf(files, "ansible.cfg")).toBe(`# Rendered by botinfra for tenant acme: \`botinfra render\` replaces the files listed in .botinfra-manifest.json.
# Relative paths are relative to this file; run Ansible from this folder (botinfra configure does).

[defaults]
inventory = inventory
roles_path = roles
forks = 20
# Facts are gathered once and cached: later runs skip the gathering while the cache is fresh.
gathering = smart
fact_caching = jsonfile
fact_caching_connection = ~/.ansible/botinfra-facts/acme
fact_caching_timeout = 7200
interpreter_python = auto_silent
retry_files_enabled = false

[inventory]
# An inventory that fails to parse is an error, never an empty inventory.
unparsed_is_failed = true

[ssh_connection]
pipelining = true
ssh_args = -o ControlMaster=auto -o ControlPersist=120s -o ServerAliveInterval=30
`);
    expect(fileOf(files, ".ansible-lint")).toBe(`---
# ansible-lint settings for this project: the strictest profile, no network.
profile: production
offline: true
`);
    expect(fileOf(files, ".yamllint")).toBe(`---
# yamllint settings: the defaults, with the line length ansible-lint uses.
extends: default
rules:
  line-length:
    max: 160
  comments:
    min-spaces-from-content: 1
  comments-indentation: false
  braces:
    max-spaces-inside: 1
  octal-values:
    forbid-implicit-octal: true
    forbid-explicit-octal: true
`);
  });

  it("renders exactly these files for one environment: settings, inventory, group vars, playbooks, the overlay's", () => {
    const acme = platformOf(sampleSpec());
    const tools = acme.environments.find((environment) => environment.name === "tools")!;
    const { files } = render(acme, plannedFor(acme, [tools]));
    expect(files.map((file) => file.path)).toEqual([
      ".ansible-lint",
      ".yamllint",
      "ansible.cfg",
      "inventory/group_vars/acme.yml",
      "inventory/group_vars/gitlab_tools.yml",
      "inventory/group_vars/proxy.yml",
      "inventory/group_vars/proxy_tools.yml",
      "inventory/group_vars/runner_tools.yml",
      "inventory/group_vars/tools.yml",
      "inventory/hosts.yml",
      "playbooks/gitlab-tools.yml",
      "playbooks/proxy.yml",
      "playbooks/rollback.yml",
      "playbooks/runner-tools.yml",
      "playbooks/site.yml",
      "roles/docker_host/defaults/main.yml",
      "roles/docker_host/meta/main.yml",
      "roles/docker_host/tasks/main.yml",
    ]);
  });

  it("without an overlay, refuses a tier role only an overlay could provide, naming what is missing", () => {
    const acme = platformOf(sampleSpec());
    expect(() => renderProject(acme, plannedFor(acme), { source: "plan", roles: [] })).toThrow(
      'environments.tools.tiers.runner.role: "docker_host" is not botinfra\'s and the tenant overlay has no roles/docker_host/tasks/main.yml',
    );
  });

  it("refuses, as an internal error, to render without the outputs of any environment", () => {
    const acme = platformOf(sampleSpec());
    expect(() => render(acme, new Map())).toThrow(/^internal: renderProject needs the outputs of at least one environment$/);
  });
});

describe("playbooks", () => {
  it("rolls the proxies one at a time and each tier half at a time, stopping at the first failure", () => {
    const { files } = render(platformOf(sampleSpec()));
    expect(fileOf(files, "playbooks/proxy.yml")).toBe(`---
# The reverse proxies of every environment, one at a time so that a balanced environment keeps serving.
- name: Configure the reverse proxies
  hosts: proxy
  become: true
  serial: 1
  max_fail_percentage: 0
  roles:
    - role: debian_base
    - role: nginx_proxy
`);
    expect(fileOf(files, "playbooks/db-production.yml")).toBe(`---
# Tier db of production (role postgresql): debian_base, data_disk, postgresql; half the servers at a time.
- name: Configure the db tier of production
  hosts: db_production
  become: true
  serial: 50%
  max_fail_percentage: 0
  roles:
    - role: debian_base
    - role: data_disk
      vars:
        data_disk_device: "{{ botinfra_data_disk.device }}"
        data_disk_mount_point: "{{ botinfra_data_disk.mount }}"
    - role: postgresql
`);
  });

  it("rolls back every node_app tier of every environment, and nothing where there is none", () => {
    const acme = platformOf(sampleSpec());
    expect(fileOf(render(acme).files, "playbooks/rollback.yml")).toBe(`---
# botinfra configure --rollback: the node_app tiers of tenant acme back to their previous release, half the servers at a time.
- name: Roll the apps back to their previous release
  hosts: front_production:api_production:nlp_production:ml_production:front_development:api_development
  become: true
  serial: 50%
  max_fail_percentage: 0
  tasks:
    - name: Switch the app back
      ansible.builtin.include_role:
        name: node_app
        tasks_from: rollback.yml
`);
    // The tools environment has a bare server and the overlay's docker_host: no app to roll back.
    const tools = acme.environments.find((environment) => environment.name === "tools")!;
    const [play] = parseRendered(fileOf(render(acme, plannedFor(acme, [tools])).files, "playbooks/rollback.yml")) as { hosts: string }[];
    expect(play!.hosts).toBe("!all");
  });

  it("imports the proxies first, then each tier of each environment, then the overlay's playbooks", () => {
    const acme = platformOf(sampleSpec());
    expect(fileOf(render(acme).files, "playbooks/site.yml")).toBe(`---
# Every server of tenant acme: the proxies first (they are the jump hosts), then each tier.
- name: Configure the reverse proxies
  ansible.builtin.import_playbook: proxy.yml
- name: Configure the front tier of production
  ansible.builtin.import_playbook: front-production.yml
- name: Configure the api tier of production
  ansible.builtin.import_playbook: api-production.yml
- name: Configure the nlp tier of production
  ansible.builtin.import_playbook: nlp-production.yml
- name: Configure the ml tier of production
  ansible.builtin.import_playbook: ml-production.yml
- name: Configure the db tier of production
  ansible.builtin.import_playbook: db-production.yml
- name: Configure the front tier of development
  ansible.builtin.import_playbook: front-development.yml
- name: Configure the api tier of development
  ansible.builtin.import_playbook: api-development.yml
- name: Configure the gitlab tier of tools
  ansible.builtin.import_playbook: gitlab-tools.yml
- name: Configure the runner tier of tools
  ansible.builtin.import_playbook: runner-tools.yml
`);
    const tools = acme.environments.find((environment) => environment.name === "tools")!;
    const withPlaybook = { ...overlay, files: [...overlay.files, { path: "playbooks/backup.yml", content: "---\n- name: Back up\n  hosts: db\n" }] };
    const { files } = renderProject(acme, plannedFor(acme, [tools]), { source: "plan", roles: [], overlay: withPlaybook });
    expect(fileOf(files, "playbooks/site.yml")).toBe(`---
# Every server of tenant acme: the proxies first (they are the jump hosts), then each tier, then the tenant overlay's playbooks.
- name: Configure the reverse proxies
  ansible.builtin.import_playbook: proxy.yml
- name: Configure the gitlab tier of tools
  ansible.builtin.import_playbook: gitlab-tools.yml
- name: Configure the runner tier of tools
  ansible.builtin.import_playbook: runner-tools.yml
- name: Run the tenant's tenant/backup.yml
  ansible.builtin.import_playbook: tenant/backup.yml
`);
  });
});

describe("the inventory's comments", () => {
  it("says where the addresses came from and lists the servers reached by name until the stacks are deployed", () => {
    const acme = platformOf(sampleSpec());
    expect(commentsOf(fileOf(render(acme).files, "inventory/hosts.yml"))).toEqual([
      "# Every server of tenant acme (azure westeurope), from the plan.",
      "# Groups: one per environment, per tier, per tier and environment (front_production), proxy, and the tenant above all.",
      "# Proxies are reached at their public address; every other server through its environment's first proxy.",
      "# Addresses the cloud assigns are not known yet, so these servers are reached by their inventory names:",
      "#   acme-production-proxy-1: public address",
      "#   acme-production-proxy-2: public address",
      "#   acme-development-proxy-1: public address",
      "#   acme-tools-proxy-1: public address",
      "# Run `botinfra render --from stack` once the stacks are deployed.",
    ]);
    expect(commentsOf(fileOf(render(acme, deployed(acme), "stack").files, "inventory/hosts.yml"))).toEqual([
      "# Every server of tenant acme (azure westeurope), from the deployed stacks' outputs.",
      "# Groups: one per environment, per tier, per tier and environment (front_production), proxy, and the tenant above all.",
      "# Proxies are reached at their public address; every other server through its environment's first proxy.",
    ]);
  });
});

describe("outputs that do not match the spec", () => {
  const acme = platformOf(sampleSpec());
  const refusal = (change: (outputs: StackOutputs) => void, source: "plan" | "stack" = "stack") => {
    const outputs = deployed(acme);
    change(outputs.get("production")!);
    return () => render(acme, outputs, source);
  };
  const tail = "; the stack does not match the spec: deploy the spec first, or render with --from plan";

  it("refuses outputs of another tenant, environment, stack or cloud, naming what they are for", () => {
    expect(refusal((outputs) => (outputs.tenant = "other"))).toThrow(
      `the outputs of stack acme-production: they are for tenant "other", environment "production", stack "acme-production"${tail}`,
    );
    expect(refusal((outputs) => (outputs.stack = "acme-staging"))).toThrow(
      `the outputs of stack acme-production: they are for tenant "acme", environment "production", stack "acme-staging"${tail}`,
    );
    expect(refusal((outputs) => (outputs.environment = "staging"), "plan")).toThrow(
      `the plan of acme-production: they are for tenant "acme", environment "staging", stack "acme-production"${tail}`,
    );
    expect(refusal((outputs) => (outputs.cloud = "aws"))).toThrow(`the outputs of stack acme-production: they are for cloud aws, the spec says azure${tail}`);
  });

  it("refuses outputs missing servers of the spec, or holding servers it does not have, naming them all", () => {
    expect(refusal((outputs) => (outputs.hosts = outputs.hosts.filter((host) => host.group !== "front")))).toThrow(
      `the outputs of stack acme-production: no server acme-production-front-1, acme-production-front-2 of that group${tail}`,
    );
    expect(refusal((outputs) => outputs.hosts.push({ name: "acme-production-old-1", group: "old" }, { name: "acme-production-old-2", group: "old" }))).toThrow(
      `the outputs of stack acme-production: servers acme-production-old-1, acme-production-old-2 are not in the spec${tail}`,
    );
  });
});

describe("Ansible group names", () => {
  const clash = (change: (spec: TenantSpec) => void) => {
    const platform = specWith("acme", change);
    return () => render(platform);
  };

  it("refuses a spec whose groups would merge, naming both owners", () => {
    expect(clash((spec) => (spec.tenant = "proxy"))).toThrow(
      'the Ansible group "proxy" would stand for both tenant proxy and the proxies; rename the tenant, an environment or a tier',
    );
    expect(clash((spec) => (spec.tenant = "front-production"))).toThrow(
      'the Ansible group "front_production" would stand for both tenant front-production and front in production; rename the tenant, an environment or a tier',
    );
    expect(clash((spec) => (spec.tenant = "tools"))).toThrow(
      'the Ansible group "tools" would stand for both tenant tools and environment tools; rename the tenant, an environment or a tier',
    );
  });
});

describe("group vars on a cloud without subnets or private DNS (DigitalOcean)", () => {
  // Hooli with Let's Encrypt, whose two production proxies share the HTTP challenges by private address.
  const hooli = (egress?: "proxy") =>
    specWith("hooli", (spec) => {
      Object.assign(spec, { tls: { acme: { email: "ops@hooli.example.com" } } }, egress ? { egress } : {});
    });
  const firewall = {
    app: {
      name: "app",
      description: "the app port from the proxy and tiers front (the proxy, tier front)",
      ports: [8080],
      sources: [],
      source_groups: ["front_production", "proxy_production"],
    },
    health: { name: "health", description: "the load balancer's health probes (the load balancer's health probes)", ports: [8080], sources: ["10.40.0.0/16"] },
    ssh: { name: "ssh", description: "SSH through the proxy, the environment's jump host (the proxy)", ports: [22], sources: [], source_groups: ["proxy_production"] },
  };
  const app = { node_app_name: "api", node_app_port: 8080, node_app_script: "index.js", node_app_env: {}, node_app_secret_names: [] };
  const routes = [
    { host: "hooli.example.com", upstream: "production_front" },
    { host: "api.hooli.example.com", upstream: "production_api" },
  ];
  const proxyFirewall = [
    { name: "web", description: "HTTPS, and HTTP to redirect, from the internet (the internet)", ports: [80, 443], sources: ["0.0.0.0/0"] },
    { name: "health", description: "the public load balancer's health probes (the load balancer's health probes)", ports: [80, 443], sources: ["10.40.0.0/16"] },
    { name: "ssh", description: "SSH from the management ranges (the management ranges)", ports: [22], sources: ["192.0.2.0/24"] },
  ];
  const acmeTls = { nginx_proxy_acme_email: "ops@hooli.example.com", nginx_proxy_acme_directory: "https://acme-v02.api.letsencrypt.org/directory" };

  it("from the plan: every private address unknown, peers named by group, no hosts entries and no upstream servers yet", () => {
    const project = render(hooli());
    expect(project.unknownAddresses).toEqual([
      "hooli-production-proxy-1: public address",
      "hooli-production-proxy-2: public address",
      "hooli-production-front-1: private address",
      "hooli-production-front-2: private address",
      "hooli-production-api-1: private address",
      "hooli-production-api-2: private address",
      "hooli-production-db-1: private address",
      "hooli-production-db-2: private address",
      "hooli-production-db-3: private address",
      "hooli-production-front-lb: private address",
      "hooli-production-api-lb: private address",
      "hooli-development-proxy-1: public address",
      "hooli-development-front-1: private address",
      "hooli-development-api-1: private address",
      "hooli-development-db-1: private address",
      "hooli-development-front-lb: private address",
      "hooli-development-api-lb: private address",
    ]);
    expect(fileOf(project.files, "inventory/group_vars/production.yml")).toBe(`---
# Every server of environment production (stack hooli-production).
# Private servers are reached through the environment's first proxy as SSH jump host; proxy_<env> clears it.
# DigitalOcean has no private DNS: every server's /etc/hosts holds the production.hooli.internal names.
botinfra_environment: !unsafe production
botinfra_stack: !unsafe hooli-production
botinfra_production: true
botinfra_public_host: !unsafe hooli.example.com
botinfra_network_cidr: !unsafe 10.40.0.0/16
botinfra_dns_zone: !unsafe production.hooli.internal
debian_base_hosts_entries: []
ansible_ssh_common_args: !unsafe -o ProxyJump=botadmin@hooli-production-proxy-1
`);
    const api = fileOf(project.files, "inventory/group_vars/api_production.yml");
    expect(commentsOf(api)).toEqual(["# Tier api of environment production: 2 × s-2vcpu-4gb, port 8080."]);
    expect(parseRendered(api)).toEqual({
      botinfra_tier: "api",
      botinfra_load_balancer: { dns_name: "api.production.hooli.internal", port: 8080 },
      botinfra_public_hosts: ["api.hooli.example.com"],
      debian_base_firewall_rules: [firewall.app, firewall.health, firewall.ssh],
      ...app,
    });
    expect(fileOf(project.files, "inventory/group_vars/db_production.yml")).toBe(`---
# Tier db of environment production: 3 × s-2vcpu-4gb, port 27017, stateful (data disk at /srv/data; peers: db.production.hooli.internal).
botinfra_tier: !unsafe db
botinfra_peers:
  - !unsafe db-1.production.hooli.internal
  - !unsafe db-2.production.hooli.internal
  - !unsafe db-3.production.hooli.internal
botinfra_data_disk:
  device: !unsafe /dev/disk/by-id/scsi-0DO_Volume_{{ inventory_hostname }}-data
  mount: !unsafe /srv/data
  size_gb: 50
botinfra_public_hosts: []
debian_base_firewall_rules:
  - name: !unsafe app
    description: !unsafe the app port from tiers api, db (tier api, tier db)
    ports:
      - 27017
    sources: []
    source_groups:
      - !unsafe api_production
      - !unsafe db_production
  - name: !unsafe ssh
    description: !unsafe SSH through the proxy, the environment's jump host (the proxy)
    ports:
      - 22
    sources: []
    source_groups:
      - !unsafe proxy_production
`);
    const proxy = fileOf(project.files, "inventory/group_vars/proxy_production.yml");
    expect(commentsOf(proxy)).toEqual([
      "# The reverse proxies of environment production: reached directly (no jump host), and the jump host of the others.",
      "# Each public host name goes to its tier's private load balancer.",
      "# Upstreams without servers have no known address yet: the proxy role refuses to run until rendered --from stack.",
    ]);
    expect(parseRendered(proxy)).toEqual({
      ansible_ssh_common_args: "",
      botinfra_tier: "proxy",
      debian_base_firewall_rules: proxyFirewall,
      debian_base_ssh_allow_tcp_forwarding: true,
      nginx_proxy_upstreams: [
        { name: "production_front", environment: "production", tier: "front", servers: [] },
        { name: "production_api", environment: "production", tier: "api", servers: [] },
      ],
      nginx_proxy_routes: routes,
      ...acmeTls,
      // The proxies' private addresses are unknown: no peer to share challenges with yet.
      nginx_proxy_acme_peers: [],
    });
  });

  it("from deployed stacks: every server's /etc/hosts names each server, balanced tier and stateful tier's servers", () => {
    const platform = hooli();
    const project = render(platform, deployed(platform), "stack");
    expect(project.unknownAddresses).toEqual([]);
    const entries = (address: string, name: string) => ({ address, names: [`${name}.production.hooli.internal`] });
    expect(varsOf(project.files, "inventory/group_vars/production.yml").debian_base_hosts_entries).toEqual([
      entries("10.99.0.10", "proxy-1"),
      entries("10.99.0.12", "proxy-2"),
      entries("10.99.0.14", "front-1"),
      entries("10.99.0.15", "front-2"),
      entries("10.99.1.21", "front"),
      entries("10.99.0.16", "api-1"),
      entries("10.99.0.17", "api-2"),
      entries("10.99.1.22", "api"),
      entries("10.99.0.18", "db-1"),
      entries("10.99.0.19", "db-2"),
      entries("10.99.0.20", "db-3"),
      entries("10.99.0.18", "db"),
      entries("10.99.0.19", "db"),
      entries("10.99.0.20", "db"),
    ]);
    expect(varsOf(project.files, "inventory/group_vars/api_production.yml").botinfra_load_balancer).toEqual({
      address: "10.99.1.22",
      dns_name: "api.production.hooli.internal",
      port: 8080,
    });
    const proxy = varsOf(project.files, "inventory/group_vars/proxy_production.yml");
    expect(proxy.nginx_proxy_upstreams).toEqual([
      { name: "production_front", environment: "production", tier: "front", servers: ["10.99.1.21:3000"] },
      { name: "production_api", environment: "production", tier: "api", servers: ["10.99.1.22:8080"] },
    ]);
    expect(proxy.nginx_proxy_acme_peers).toEqual(["10.99.0.10:80", "10.99.0.12:80"]);
  });

  it("tells the proxy's user when only some upstreams have no known address", () => {
    const platform = hooli();
    const outputs = deployed(platform);
    const production = outputs.get("production")!;
    production.loadBalancers = production.loadBalancers.filter((balancer) => balancer.group !== "api");
    const project = render(platform, outputs, "stack");
    expect(project.unknownAddresses).toEqual(["hooli-production-api-lb: private address"]);
    expect(commentsOf(fileOf(project.files, "inventory/group_vars/proxy_production.yml"))).toContain(
      "# Upstreams without servers have no known address yet: the proxy role refuses to run until rendered --from stack.",
    );
    expect(varsOf(project.files, "inventory/group_vars/api_production.yml").botinfra_load_balancer).toEqual({ dns_name: "api.production.hooli.internal", port: 8080 });
  });

  it("with egress through the proxy: the proxy masquerades the network, tiers route through its private address once known", () => {
    const platform = hooli("proxy");
    const plan = render(platform);
    expect(plan.unknownAddresses.filter((entry) => entry.includes("proxy-1"))).toEqual([
      "hooli-production-proxy-1: public address",
      "hooli-production-proxy-1: private address (the tiers' way out)",
      "hooli-development-proxy-1: public address",
      "hooli-development-proxy-1: private address (the tiers' way out)",
    ]);
    expect(varsOf(plan.files, "inventory/group_vars/api_production.yml").debian_base_egress_gateway).toEqual({ proxy: "hooli-production-proxy-1" });
    expect(varsOf(plan.files, "inventory/group_vars/proxy_production.yml").debian_base_nat_source).toBe("10.40.0.0/16");
    const stack = render(platform, deployed(platform), "stack");
    expect(stack.unknownAddresses).toEqual([]);
    expect(varsOf(stack.files, "inventory/group_vars/api_production.yml").debian_base_egress_gateway).toEqual({ proxy: "hooli-production-proxy-1", via: "10.99.0.10" });
    expect(varsOf(stack.files, "inventory/group_vars/db_production.yml").debian_base_egress_gateway).toEqual({ proxy: "hooli-production-proxy-1", via: "10.99.0.10" });
  });
});

describe("group vars on clouds with subnets", () => {
  const ssh = (proxySubnet: string) => ({
    name: "ssh",
    description: "SSH through the proxy, the environment's jump host (the proxy)",
    ports: [22],
    sources: [proxySubnet],
  });
  const health = (port: number, sources: string[]) => ({
    name: "health",
    description: "the load balancer's health probes (the load balancer's health probes)",
    ports: [port],
    sources,
  });

  it("Azure: peers by subnet, probes from the platform's address, the balancer's planned address", () => {
    const { files } = render(platformOf(sampleSpec()));
    expect(varsOf(files, "inventory/group_vars/api_production.yml")).toEqual({
      botinfra_tier: "api",
      botinfra_subnet: "10.20.2.0/24",
      botinfra_load_balancer: { address: "10.20.2.4", dns_name: "api.production.acme.internal", port: 8080 },
      botinfra_public_hosts: ["api.acme.example.com"],
      debian_base_firewall_rules: [
        { name: "app", description: "the app port from the proxy and tiers front (the proxy, tier front)", ports: [8080], sources: ["10.20.0.0/24", "10.20.1.0/24"] },
        health(8080, ["168.63.129.16/32"]),
        ssh("10.20.0.0/24"),
      ],
      node_app_name: "api",
      node_app_port: 8080,
      node_app_script: "index.js",
      node_app_env: {},
      node_app_secret_names: [],
    });
    const proxy = fileOf(files, "inventory/group_vars/proxy_production.yml");
    expect(commentsOf(proxy)).toEqual([
      "# The reverse proxies of environment production: reached directly (no jump host), and the jump host of the others.",
      "# Each public host name goes to its tier's private load balancer.",
    ]);
    expect(parseRendered(proxy)).toMatchObject({
      botinfra_subnet: "10.20.0.0/24",
      debian_base_firewall_rules: [
        { name: "web", description: "HTTPS, and HTTP to redirect, from the internet (the internet)", ports: [80, 443], sources: ["0.0.0.0/0"] },
        { name: "health", description: "the public load balancer's health probes (the load balancer's health probes)", ports: [80, 443], sources: ["168.63.129.16/32"] },
        { name: "ssh", description: "SSH from the management ranges (the management ranges)", ports: [22], sources: ["203.0.113.0/24"] },
      ],
    });
    // No source groups where every peer is a subnet.
    expect(proxy).not.toContain("source_groups");
    // Azure has private DNS: no hosts entries, no comment about them.
    const production = fileOf(files, "inventory/group_vars/production.yml");
    expect(production).not.toContain("debian_base_hosts_entries");
    expect(commentsOf(production)).toEqual([
      "# Every server of environment production (stack acme-production).",
      "# Private servers are reached through the environment's first proxy as SSH jump host; proxy_<env> clears it.",
    ]);
  });

  it("AWS: probes from the balancer's address in each half of the tier's subnet", () => {
    const initech = platformOf(sampleSpec("initech"));
    const { files } = render(initech);
    expect(varsOf(files, "inventory/group_vars/brain_production.yml").debian_base_firewall_rules).toEqual([
      { name: "app", description: "the app port from tiers chat (tier chat)", ports: [5000], sources: ["10.30.1.0/24"] },
      health(5000, ["10.30.2.132/32", "10.30.2.4/32"]),
      ssh("10.30.0.0/24"),
    ]);
    expect(varsOf(files, "inventory/group_vars/store_production.yml").debian_base_firewall_rules).toEqual([
      {
        name: "app",
        description: "the app port from tiers chat, brain, store (tier chat, tier brain, tier store)",
        ports: [5432],
        sources: ["10.30.1.0/24", "10.30.2.0/24", "10.30.3.0/24"],
      },
      ssh("10.30.0.0/24"),
    ]);
  });
});

describe("yamlFile", () => {
  it("writes YAML 1.1 for Ansible, lines up to 120 characters, after a comment header", () => {
    // YAML 1.1 reads yes, on and 1_000 as a boolean and a number: they must be quoted to stay strings.
    expect(yamlFile({ answer: "yes", switch: "on", count: "1_000", text: "word ".repeat(20).trim() }, ["Header.", "", "Second line."])).toBe(`---
# Header.
#
# Second line.
answer: "yes"
switch: "on"
count: "1_000"
text: ${"word ".repeat(20).trim()}
`);
    expect(yamlFile(["a"])).toBe("---\n- a\n");
  });

  it("refuses a comment line holding a line break, which would end the comment", () => {
    expect(() => yamlFile({}, ["fine", "evil\nkey: value"])).toThrow(/^internal: a comment line of a rendered file holds a line break$/);
    expect(() => yamlFile({}, ["evil\r"])).toThrow(/line break/);
  });
});
