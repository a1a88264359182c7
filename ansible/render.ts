/**
 * The Ansible renderer: a pure function from the platform model and each environment's stack
 * outputs to the files of a self-contained Ansible project. Structure (groups, ports, rules,
 * routes) comes from the model; addresses come only from the outputs, and an address the outputs
 * do not hold is rendered as unknown, never made up. No I/O: the caller reads the roles and writes.
 */
import { Document } from "yaml";
import { CLOUD_PROFILES } from "../model/clouds.js";
import { mergeOverlay, type Overlay } from "./overlay.js";
import { byPath, leafGroupName, markUnsafe, tenantGroupName, type RenderedFile } from "./project-files.js";
import { proxyTlsVars, softwareVars, tierRoles } from "./software.js";
import { UserError } from "../model/errors.js";
import type { HostOutput, StackOutputs } from "../model/outputs.js";
import { describePeer, type Peer } from "../model/ingress.js";
import { dataDiskName } from "../model/names.js";
import { INTERNET, PROXY_GROUP, type Environment, type Platform, type ServerGroup } from "../model/platform.js";
import { formatSshPublicKey } from "../model/ssh.js";

/** Where the addresses came from: the model's plan, or a deployed stack's outputs. */
export type AddressSource = "plan" | "stack";

export interface RenderOptions {
  source: AddressSource;
  /** The roles to ship, paths relative to the roles folder. */
  roles: RenderedFile[];
  /** The tenant overlay's files; absent: the tenant has none. */
  overlay?: Overlay;
}

export interface RenderedProject {
  /** Sorted by path. */
  files: RenderedFile[];
  environments: string[];
  /** Servers rendered without a known address ("<host>: <what is missing>"), for the user to be told. */
  unknownAddresses: string[];
}

export { byPath, leafGroupName, tenantGroupName, type RenderedFile };

/** First line of every rendered ansible.cfg: who wrote the project. */
const RENDERED_MARKER = "# Rendered by botinfra";
export const PLAYBOOK_SITE = "playbooks/site.yml";
export const PLAYBOOK_PROXY = "playbooks/proxy.yml";
/** `configure --rollback`: every node_app tier back to its previous release. */
export const PLAYBOOK_ROLLBACK = "playbooks/rollback.yml";

/** The playbook of one tier in one environment, as the seed named them: `front-production.yml`. */
export function tierPlaybookPath(tier: string, environment: string): string {
  return `playbooks/${tier}-${environment}.yml`;
}

/**
 * Renders the project for the given environments (each with its outputs, in model order).
 * Throws a UserError when outputs do not describe the environment the model has.
 */
export function renderProject(platform: Platform, outputs: Map<string, StackOutputs>, options: RenderOptions): RenderedProject {
  const environments = platform.environments.filter((environment) => outputs.has(environment.name));
  if (environments.length === 0) throw new Error("internal: renderProject needs the outputs of at least one environment");
  const resolved = environments.map((environment) => resolveAddresses(platform, environment, outputs.get(environment.name)!, options.source));
  const groups = checkGroupNames(platform, environments);

  const files: RenderedFile[] = [
    { path: "ansible.cfg", content: ansibleCfg(platform) },
    { path: ".ansible-lint", content: yamlFile({ profile: "production", offline: true }, ["ansible-lint settings for this project: the strictest profile, no network."]) },
    { path: ".yamllint", content: yamlFile(YAMLLINT_CONFIG, ["yamllint settings: the defaults, with the line length ansible-lint uses."]) },
    { path: "inventory/hosts.yml", content: inventory(platform, resolved, options.source) },
    { path: `inventory/group_vars/${tenantGroupName(platform.tenant)}.yml`, content: tenantVars(platform) },
    ...resolved.flatMap((addresses) => environmentFiles(platform, addresses)),
    { path: PLAYBOOK_PROXY, content: proxyPlaybook() },
    { path: PLAYBOOK_ROLLBACK, content: rollbackPlaybook(platform, environments) },
    ...options.roles.map((file) => ({ path: `roles/${file.path}`, content: file.content })),
  ];
  const overlay = mergeOverlay(options.overlay ?? { source: "the tenant overlay", files: [] }, { platform, groups, rendered: files });
  for (const file of overlay.files) {
    const index = files.findIndex((candidate) => candidate.path === file.path);
    if (index >= 0) files[index] = file;
    else files.push(file);
  }
  files.push({ path: PLAYBOOK_SITE, content: sitePlaybook(platform, environments, overlay.playbooks) });
  files.sort(byPath);
  const duplicate = files.find((file, index) => index > 0 && files[index - 1]!.path === file.path);
  if (duplicate) throw new Error(`internal: two rendered files at ${duplicate.path}`);
  return {
    files,
    environments: environments.map((environment) => environment.name),
    unknownAddresses: resolved.flatMap((addresses) => addresses.unknown),
  };
}

/** One environment's addresses, checked against the model. */
interface EnvironmentAddresses {
  environment: Environment;
  /** How Ansible reaches each server: an address, or its inventory name when none is known. */
  connect: Map<string, string>;
  /** The private frontend address of each tier's load balancer, when known. */
  loadBalancerIps: Map<string, string>;
  /** Each server's private address, when known. */
  privateIps: Map<string, string>;
  /** Where the environment's public host names must point, when known. */
  publicAddress?: string;
  /** The proxies' private addresses that are known, in model order. */
  proxyPrivateIps: string[];
  unknown: string[];
}

function resolveAddresses(platform: Platform, environment: Environment, outputs: StackOutputs, source: AddressSource): EnvironmentAddresses {
  const origin = source === "plan" ? `the plan of ${environment.stack}` : `the outputs of stack ${environment.stack}`;
  const mismatch = (what: string) =>
    new UserError(`${origin}: ${what}; the stack does not match the spec: deploy the spec first, or render with --from plan`);
  if (outputs.tenant !== platform.tenant || outputs.environment !== environment.name || outputs.stack !== environment.stack) {
    throw mismatch(`they are for tenant "${outputs.tenant}", environment "${outputs.environment}", stack "${outputs.stack}"`);
  }
  if (outputs.cloud !== platform.cloud) throw mismatch(`they are for cloud ${outputs.cloud}, the spec says ${platform.cloud}`);

  const byName = new Map<string, HostOutput>(outputs.hosts.map((host) => [host.name, host]));
  const groups = [environment.proxy, ...environment.tiers];
  const modelHosts = groups.flatMap((group) => group.hosts);
  const missing = modelHosts.filter((host) => byName.get(host.name)?.group !== host.group).map((host) => host.name);
  if (missing.length > 0) throw mismatch(`no server ${missing.join(", ")} of that group`);
  const extra = outputs.hosts.filter((host) => !modelHosts.some((modelHost) => modelHost.name === host.name)).map((host) => host.name);
  if (extra.length > 0) throw mismatch(`servers ${extra.join(", ")} are not in the spec`);

  const connect = new Map<string, string>();
  const privateIps = new Map<string, string>();
  const unknown: string[] = [];
  for (const host of modelHosts) {
    const output = byName.get(host.name)!;
    if (output.privateIp !== undefined) privateIps.set(host.name, output.privateIp);
    const address = host.group === PROXY_GROUP ? output.publicIp : output.privateIp;
    if (address === undefined) unknown.push(`${host.name}: ${host.group === PROXY_GROUP ? "public" : "private"} address`);
    connect.set(host.name, address ?? host.name);
  }
  const gateway = environment.proxy.hosts[0]!.name;
  if (environment.egress === "proxy" && !privateIps.has(gateway)) unknown.push(`${gateway}: private address (the tiers' way out)`);
  const loadBalancerIps = new Map<string, string>();
  for (const tier of environment.tiers) {
    if (!tier.loadBalancer) continue;
    const address = outputs.loadBalancers.find((balancer) => balancer.group === tier.name && !balancer.public)?.privateIp;
    if (address !== undefined) loadBalancerIps.set(tier.name, address);
    else unknown.push(`${tier.loadBalancer.name}: private address`);
  }
  const proxyPrivateIps = environment.proxy.hosts.flatMap((host) => byName.get(host.name)!.privateIp ?? []);
  return { environment, connect, loadBalancerIps, privateIps, ...(outputs.publicAddress ? { publicAddress: outputs.publicAddress } : {}), proxyPrivateIps, unknown };
}

/** Every group name must be unique, or Ansible would silently merge two groups; returns them all. */
function checkGroupNames(platform: Platform, environments: Environment[]): string[] {
  const owners = new Map<string, string>();
  const claim = (name: string, owner: string) => {
    const other = owners.get(name);
    if (other !== undefined) {
      throw new UserError(`the Ansible group "${name}" would stand for both ${other} and ${owner}; rename the tenant, an environment or a tier`);
    }
    owners.set(name, owner);
  };
  claim(tenantGroupName(platform.tenant), `tenant ${platform.tenant}`);
  claim(PROXY_GROUP, "the proxies");
  for (const environment of environments) {
    claim(environment.name, `environment ${environment.name}`);
    for (const group of [environment.proxy, ...environment.tiers]) claim(leafGroupName(group.name, environment.name), `${group.name} in ${environment.name}`);
  }
  for (const tier of new Set(environments.flatMap((environment) => environment.tiers.map((group) => group.name)))) {
    claim(tier, `tier ${tier}`);
  }
  return [...owners.keys()];
}

/** YAML for Ansible: a document start, a comment header, and YAML 1.1 quoting (Ansible reads YAML 1.1). */
export function yamlFile(value: unknown, comment: string[] = [], options: { unsafe?: boolean } = {}): string {
  if (comment.some((line) => /[\r\n]/.test(line))) throw new Error("internal: a comment line of a rendered file holds a line break");
  const header = comment.map((line) => `# ${line}`.trimEnd()).join("\n");
  const document = new Document(value, { version: "1.1" });
  if (options.unsafe) markUnsafe(document);
  const body = document.toString({ lineWidth: 120, minContentWidth: 0 });
  return `---\n${header ? `${header}\n` : ""}${body}`;
}

/**
 * The inventory and group vars: every string value is tagged `!unsafe`, so Ansible takes it as data
 * and never as a template, whatever a spec or an outputs file put in it. Roles read such values as
 * plain strings. The one place user-derived values enter rendered files goes through here.
 */
function varsFile(value: unknown, comment: string[]): string {
  return yamlFile(value, comment, { unsafe: true });
}

const YAMLLINT_CONFIG = {
  extends: "default",
  rules: {
    "line-length": { max: 160 },
    comments: { "min-spaces-from-content": 1 },
    "comments-indentation": false,
    braces: { "max-spaces-inside": 1 },
    "octal-values": { "forbid-implicit-octal": true, "forbid-explicit-octal": true },
  },
};

function ansibleCfg(platform: Platform): string {
  return `${RENDERED_MARKER} for tenant ${platform.tenant}: \`botinfra render\` replaces the files listed in .botinfra-manifest.json.
# Relative paths are relative to this file; run Ansible from this folder (botinfra configure does).

[defaults]
inventory = inventory
roles_path = roles
forks = 20
# Facts are gathered once and cached: later runs skip the gathering while the cache is fresh.
gathering = smart
fact_caching = jsonfile
fact_caching_connection = ~/.ansible/botinfra-facts/${platform.tenant}
fact_caching_timeout = 7200
interpreter_python = auto_silent
retry_files_enabled = false

[inventory]
# An inventory that fails to parse is an error, never an empty inventory.
unparsed_is_failed = true

[ssh_connection]
pipelining = true
ssh_args = -o ControlMaster=auto -o ControlPersist=120s -o ServerAliveInterval=30
`;
}

function inventory(platform: Platform, resolved: EnvironmentAddresses[], source: AddressSource): string {
  const user = platform.admin.username;
  const leaf = (group: ServerGroup, addresses: EnvironmentAddresses) => ({
    hosts: Object.fromEntries(
      group.hosts.map((host) => [
        host.name,
        {
          ansible_host: addresses.connect.get(host.name)!,
          ansible_user: user,
          botinfra_private_ip: addresses.privateIps.get(host.name),
          botinfra_zone: host.zone,
          botinfra_dns_name: host.dnsName,
        },
      ]),
    ),
  });
  const environments = resolved.map((addresses) => addresses.environment);
  const tiers = [...new Set(environments.flatMap((environment) => environment.tiers.map((tier) => tier.name)))];
  const children: Record<string, unknown> = {};
  for (const addresses of resolved) {
    const environment = addresses.environment;
    children[environment.name] = {
      children: Object.fromEntries([environment.proxy, ...environment.tiers].map((group) => [leafGroupName(group.name, environment.name), leaf(group, addresses)])),
    };
  }
  children[PROXY_GROUP] = { children: Object.fromEntries(environments.map((environment) => [leafGroupName(PROXY_GROUP, environment.name), {}])) };
  for (const tier of tiers) {
    const members = environments.filter((environment) => environment.tiers.some((group) => group.name === tier));
    children[tier] = { children: Object.fromEntries(members.map((environment) => [leafGroupName(tier, environment.name), {}])) };
  }
  const unknown = resolved.flatMap((addresses) => addresses.unknown);
  const comment = [
    `Every server of tenant ${platform.tenant} (${platform.cloud} ${platform.region}), from ${source === "plan" ? "the plan" : "the deployed stacks' outputs"}.`,
    "Groups: one per environment, per tier, per tier and environment (front_production), proxy, and the tenant above all.",
    "Proxies are reached at their public address; every other server through its environment's first proxy.",
    ...(unknown.length > 0
      ? [
          "Addresses the cloud assigns are not known yet, so these servers are reached by their inventory names:",
          ...unknown.map((entry) => `  ${entry}`),
          "Run `botinfra render --from stack` once the stacks are deployed.",
        ]
      : []),
  ];
  return varsFile({ all: { children: { [tenantGroupName(platform.tenant)]: { children } } } }, comment);
}

function tenantVars(platform: Platform): string {
  return varsFile(
    {
      botinfra_tenant: platform.tenant,
      botinfra_cloud: platform.cloud,
      botinfra_region: platform.region,
      botinfra_domain: platform.domain,
      botinfra_management_cidrs: platform.managementCidrs,
      debian_base_admin_users: [{ name: platform.admin.username, ssh_keys: platform.admin.sshPublicKeys.map(formatSshPublicKey) }],
    },
    [`Every server of tenant ${platform.tenant}. SSH public keys are not secrets.`],
  );
}

function environmentFiles(platform: Platform, addresses: EnvironmentAddresses): RenderedFile[] {
  const environment = addresses.environment;
  const jumpHost = addresses.connect.get(environment.proxy.hosts[0]!.name)!;
  const environmentVars = varsFile(
    {
      botinfra_environment: environment.name,
      botinfra_stack: environment.stack,
      botinfra_production: environment.production,
      botinfra_public_host: environment.publicHost,
      ...(addresses.publicAddress ? { botinfra_public_address: addresses.publicAddress } : {}),
      botinfra_network_cidr: environment.cidr,
      botinfra_dns_zone: environment.dnsZone,
      ...(CLOUD_PROFILES[platform.cloud].privateDns ? {} : { debian_base_hosts_entries: internalNames(addresses) }),
      ansible_ssh_common_args: `-o ProxyJump=${platform.admin.username}@${jumpHost}`,
    },
    [
      `Every server of environment ${environment.name} (stack ${environment.stack}).`,
      "Private servers are reached through the environment's first proxy as SSH jump host; proxy_<env> clears it.",
      ...(CLOUD_PROFILES[platform.cloud].privateDns
        ? []
        : [`${CLOUD_PROFILES[platform.cloud].title} has no private DNS: every server's /etc/hosts holds the ${environment.dnsZone} names.`]),
    ],
  );
  return [
    { path: `inventory/group_vars/${environment.name}.yml`, content: environmentVars },
    { path: `inventory/group_vars/${leafGroupName(PROXY_GROUP, environment.name)}.yml`, content: proxyVars(platform, addresses) },
    ...environment.tiers.flatMap((tier) => [
      { path: `inventory/group_vars/${leafGroupName(tier.name, environment.name)}.yml`, content: tierVars(platform, addresses, tier) },
      { path: tierPlaybookPath(tier.name, environment.name), content: tierPlaybook(tier, environment) },
    ]),
  ];
}

/**
 * The host firewall admits what the cloud's rules admit: the model's peers resolved to addresses. A
 * group's peers are its subnet where the cloud has subnets; where it has none (DigitalOcean), they are
 * the peer group's servers, named by Ansible group so that the role resolves them from the inventory
 * at configure time (each server's `botinfra_private_ip`) and refuses to run while one is unknown. The
 * probes come from the cloud's platform address, the load balancer's own, or the network.
 */
function firewallRules(platform: Platform, addresses: EnvironmentAddresses, group: ServerGroup) {
  const { environment } = addresses;
  type Sources = { cidrs: string[]; groups: string[] };
  const groupSources = (member: ServerGroup | undefined): Sources => {
    if (!member) return { cidrs: [], groups: [] };
    return member.subnet ? { cidrs: [member.subnet.cidr], groups: [] } : { cidrs: [], groups: [leafGroupName(member.name, environment.name)] };
  };
  const resolve = (peer: Peer): Sources => {
    switch (peer.kind) {
      case "internet":
        return { cidrs: [INTERNET], groups: [] };
      case "management":
        return { cidrs: platform.managementCidrs, groups: [] };
      case "proxy":
        return groupSources(environment.proxy);
      case "tier":
        return groupSources(environment.tiers.find((tier) => tier.name === peer.tier));
      case "probes": {
        const probes = CLOUD_PROFILES[platform.cloud].loadBalancerProbes;
        if (probes.from === "platform") return { cidrs: probes.cidrs, groups: [] };
        if (probes.from === "network") return { cidrs: [environment.cidr], groups: [] };
        if (group.subnet) return { cidrs: group.subnet.halves.map((half) => `${half.loadBalancerIp}/32`), groups: [] };
        const address = addresses.loadBalancerIps.get(group.name);
        return { cidrs: address === undefined ? [] : [`${address}/32`], groups: [] };
      }
    }
  };
  return group.ingress.flatMap((rule) => {
    const resolved = rule.peers.map(resolve);
    const sources = [...new Set(resolved.flatMap((item) => item.cidrs))];
    const sourceGroups = [...new Set(resolved.flatMap((item) => item.groups))].sort();
    if (sources.length === 0 && sourceGroups.length === 0) return [];
    // The internet admits everything: narrower sources beside it add nothing.
    const internet = sources.includes(INTERNET);
    return [
      {
        name: rule.name,
        description: `${rule.description} (${rule.peers.map(describePeer).join(", ")})`,
        ports: rule.ports,
        sources: internet ? [INTERNET] : sources.sort(),
        ...(sourceGroups.length > 0 && !internet ? { source_groups: sourceGroups } : {}),
      },
    ];
  });
}

/**
 * The environment's internal names as hosts-file entries, where the cloud has no private DNS: each
 * server's name, and each tier's: its internal load balancer, or for a stateful tier every server (a
 * seed list). Only names whose address is known are listed; the others are among the unknown addresses.
 */
function internalNames(addresses: EnvironmentAddresses): { address: string; names: string[] }[] {
  const { environment } = addresses;
  const entries: { address: string; names: string[] }[] = [];
  for (const group of [environment.proxy, ...environment.tiers]) {
    for (const host of group.hosts) {
      const address = addresses.privateIps.get(host.name);
      if (address !== undefined) entries.push({ address, names: [host.dnsName] });
    }
    if (group.stateful) {
      for (const host of group.hosts) {
        const address = addresses.privateIps.get(host.name);
        if (address !== undefined) entries.push({ address, names: [group.dnsName] });
      }
    } else if (group.loadBalancer && !group.loadBalancer.public) {
      const address = addresses.loadBalancerIps.get(group.name);
      if (address !== undefined) entries.push({ address, names: [group.dnsName] });
    }
  }
  return entries;
}

export function upstreamName(environment: string, tier: string): string {
  return `${environment}_${tier}`;
}

function proxyVars(platform: Platform, addresses: EnvironmentAddresses): string {
  const environment = addresses.environment;
  const routed = environment.tiers.filter((tier) => environment.routes.some((route) => route.tier === tier.name));
  return varsFile(
    {
      ansible_ssh_common_args: "",
      botinfra_tier: PROXY_GROUP,
      ...(environment.proxy.subnet ? { botinfra_subnet: environment.proxy.subnet.cidr } : {}),
      debian_base_firewall_rules: firewallRules(platform, addresses, environment.proxy),
      debian_base_ssh_allow_tcp_forwarding: true,
      ...(environment.egress === "proxy" ? { debian_base_nat_source: environment.cidr } : {}),
      nginx_proxy_upstreams: routed.map((tier) => {
        const address = addresses.loadBalancerIps.get(tier.name);
        return {
          name: upstreamName(environment.name, tier.name),
          environment: environment.name,
          tier: tier.name,
          servers: address === undefined ? [] : [`${address}:${tier.port}`],
        };
      }),
      nginx_proxy_routes: environment.routes.map((route) => ({ host: route.host, upstream: upstreamName(route.environment, route.tier) })),
      ...proxyTlsVars(environment.tls, addresses.proxyPrivateIps),
    },
    [
      `The reverse proxies of environment ${environment.name}: reached directly (no jump host), and the jump host of the others.`,
      "Each public host name goes to its tier's private load balancer.",
      ...(routed.some((tier) => !addresses.loadBalancerIps.has(tier.name))
        ? ["Upstreams without servers have no known address yet: the proxy role refuses to run until rendered --from stack."]
        : []),
    ],
  );
}

/** With `egress: proxy`, the tiers' way out: the environment's first proxy, at its private address when known. */
function egressGateway(addresses: EnvironmentAddresses): { proxy: string; via?: string } {
  const proxy = addresses.environment.proxy.hosts[0]!.name;
  const via = addresses.privateIps.get(proxy);
  return { proxy, ...(via === undefined ? {} : { via }) };
}

/** Where every stateful server mounts its data disk. */
export const DATA_MOUNT_POINT = "/srv/data";

function tierVars(platform: Platform, addresses: EnvironmentAddresses, tier: ServerGroup): string {
  const environment = addresses.environment;
  const address = addresses.loadBalancerIps.get(tier.name);
  const disk = tier.hosts[0]?.dataDisk;
  return varsFile(
    {
      botinfra_tier: tier.name,
      ...(tier.subnet ? { botinfra_subnet: tier.subnet.cidr } : {}),
      ...(tier.loadBalancer
        ? { botinfra_load_balancer: { ...(address === undefined ? {} : { address }), dns_name: tier.loadBalancer.dnsName, port: tier.port } }
        : {}),
      ...(tier.stateful
        ? {
            botinfra_peers: tier.hosts.map((host) => host.dnsName),
            ...(disk ? { botinfra_data_disk: { device: dataDiskDevice(platform), mount: DATA_MOUNT_POINT, size_gb: disk.sizeGb } } : {}),
          }
        : {}),
      botinfra_public_hosts: environment.routes.filter((route) => route.tier === tier.name).map((route) => route.host),
      debian_base_firewall_rules: firewallRules(platform, addresses, tier),
      ...(environment.egress === "proxy" ? { debian_base_egress_gateway: egressGateway(addresses) } : {}),
      ...softwareVars(tier, environment),
    },
    [
      `Tier ${tier.name} of environment ${environment.name}: ${tier.count} × ${tier.size}, port ${tier.port}` +
        (tier.stateful ? `, stateful (data disk at ${DATA_MOUNT_POINT}; peers: ${tier.dnsName}).` : "."),
    ],
  );
}

/** The data disk as each server sees it: the cloud's stable device path, which may name the server's own disk. */
function dataDiskDevice(platform: Platform): string {
  return CLOUD_PROFILES[platform.cloud].dataDiskDevice.replace("{disk}", dataDiskName("{{ inventory_hostname }}"));
}

function sitePlaybook(platform: Platform, environments: Environment[], tenantPlaybooks: string[]): string {
  const imports = [
    { name: "Configure the reverse proxies", "ansible.builtin.import_playbook": "proxy.yml" },
    ...environments.flatMap((environment) =>
      environment.tiers.map((tier) => ({
        name: `Configure the ${tier.name} tier of ${environment.name}`,
        "ansible.builtin.import_playbook": tierPlaybookPath(tier.name, environment.name).slice("playbooks/".length),
      })),
    ),
    ...tenantPlaybooks.map((playbook) => ({ name: `Run the tenant's ${playbook}`, "ansible.builtin.import_playbook": playbook })),
  ];
  return yamlFile(imports, [
    `Every server of tenant ${platform.tenant}: the proxies first (they are the jump hosts), then each tier${tenantPlaybooks.length > 0 ? ", then the tenant overlay's playbooks" : ""}.`,
  ]);
}

function proxyPlaybook(): string {
  return yamlFile(
    [
      {
        name: "Configure the reverse proxies",
        hosts: PROXY_GROUP,
        become: true,
        // One at a time: where an environment has several proxies, the others keep serving.
        serial: 1,
        max_fail_percentage: 0,
        roles: [{ role: "debian_base" }, { role: "nginx_proxy" }],
      },
    ],
    ["The reverse proxies of every environment, one at a time so that a balanced environment keeps serving."],
  );
}

function tierPlaybook(tier: ServerGroup, environment: Environment): string {
  const roles = tierRoles(tier);
  return yamlFile(
    [
      {
        name: `Configure the ${tier.name} tier of ${environment.name}`,
        hosts: leafGroupName(tier.name, environment.name),
        become: true,
        serial: "50%",
        max_fail_percentage: 0,
        roles: roles.map((role) =>
          role === "data_disk"
            ? { role, vars: { data_disk_device: "{{ botinfra_data_disk.device }}", data_disk_mount_point: "{{ botinfra_data_disk.mount }}" } }
            : { role },
        ),
      },
    ],
    [`Tier ${tier.name} of ${environment.name} (role ${tier.software!.role}): ${roles.join(", ")}; half the servers at a time.`],
  );
}

function rollbackPlaybook(platform: Platform, environments: Environment[]): string {
  const groups = environments.flatMap((environment) =>
    environment.tiers.filter((tier) => tier.software!.role === "node_app").map((tier) => leafGroupName(tier.name, environment.name)),
  );
  return yamlFile(
    [
      {
        name: "Roll the apps back to their previous release",
        // No node_app tier: a pattern that matches no host, so the play does nothing.
        hosts: groups.length > 0 ? groups.join(":") : "!all",
        become: true,
        serial: "50%",
        max_fail_percentage: 0,
        tasks: [{ name: "Switch the app back", "ansible.builtin.include_role": { name: "node_app", tasks_from: "rollback.yml" } }],
      },
    ],
    [`botinfra configure --rollback: the node_app tiers of tenant ${platform.tenant} back to their previous release, half the servers at a time.`],
  );
}
