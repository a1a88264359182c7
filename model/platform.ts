/**
 * The platform model: a pure, deterministic function from a validated tenant spec to everything
 * the clouds, the Ansible renderer and the policy checks need (names, address plan, hosts, rules,
 * routes). Consumers read it; none of them re-derives any of it.
 */
import {
  containsCidr,
  end,
  formatAddress,
  formatCidr,
  isPrivate,
  mustParseCidr,
  overlaps,
  parseCidr,
  size,
  subnetAt,
  type Cidr,
} from "./cidr.js";
import { CLOUD_PROFILES, NAME_KIND_TITLES, type NameKind } from "./clouds.js";
import type { SpecIssue } from "./errors.js";
import { resolveTls, tierSoftware, type Tls, type TierSoftware } from "./software.js";
import { sshPublicKeyProblem } from "./ssh.js";
import type { Cloud, EnvironmentSpec, TenantSpec } from "./spec.js";

/** The environment served at the tenant's bare domain; every other one is at `<env>.<domain>`. */
export const PRODUCTION = "production";
/** Source that stands for the whole internet in ingress rules. */
export const INTERNET = "0.0.0.0/0";
export const SSH_PORT = 22;
export const HTTP_PORT = 80;
export const HTTPS_PORT = 443;
export const MANAGED_BY = "botinfra";
/** The tags every resource carries: the policy pack recognises environments, tiers and the proxy by them. */
export const TAG_KEYS = { tenant: "tenant", environment: "environment", tier: "tier", managedBy: "managed-by" } as const;
/** The reverse proxy's group: its `tier` tag and its name wherever a tier's would be. */
export const PROXY_GROUP = "proxy";

/** Every subnet (the proxy's edge subnet and one per tier) is a /24, split in one /25 per zone. */
export const SUBNET_PREFIX = 24;
export const ZONE_COUNT = 2;
export const ZONE_PREFIX = SUBNET_PREFIX + Math.log2(ZONE_COUNT);
/** Azure and AWS keep the first four addresses and the last of every subnet (and of each zone's). */
export const RESERVED_HEAD = 4;
export const RESERVED_TAIL = 1;
/** Per zone: the load balancer's frontend takes the first free address, servers follow. */
export const SERVERS_PER_ZONE = 2 ** (32 - ZONE_PREFIX) - RESERVED_HEAD - RESERVED_TAIL - 1;
export const SERVERS_PER_SUBNET = SERVERS_PER_ZONE * ZONE_COUNT;
/** Environments without a `cidr` get the first free /16 from here on; 10.0-10.19 are left to offices and VPNs. */
export const ALLOCATION_START = "10.20.0.0/16";
export const ENVIRONMENT_PREFIX_RANGE = { min: 16, max: 22 } as const;
/** The management range may not be broader than this: SSH to the proxy is for an office or a VPN, not the internet. */
export const MANAGEMENT_MIN_PREFIX = 16;
/** Ansible's own groups, and the proxy's group: no environment or tier may take these names. */
export const RESERVED_GROUP_NAMES = ["all", "ungrouped", PROXY_GROUP] as const;

export type Tags = Record<string, string>;

export interface IngressRule {
  /** Short, stable identifier (`app`, `ssh`, `web`...), unique within its group. */
  name: string;
  description: string;
  ports: number[];
  /** CIDR ranges; INTERNET for anywhere. */
  sources: string[];
}

export interface Host {
  name: string;
  environment: string;
  group: string;
  /** 0-based index of the zone (availability zone, fault domain) the server is spread to. */
  zone: number;
  privateIp: string;
  dnsName: string;
  size: string;
  tags: Tags;
}

export interface ZoneSubnet {
  zone: number;
  cidr: string;
  /** The load balancer's address in this zone's part of the subnet. */
  loadBalancerIp: string;
}

export interface LoadBalancer {
  name: string;
  /** AWS names its target groups separately; the other clouds ignore it. */
  targetGroupName: string;
  public: boolean;
  ports: number[];
  /** The private frontend address: the tier's upstream for the proxy. */
  privateIp: string;
  dnsName: string;
}

export interface ServerGroup {
  /** The tier's name, or `proxy` for the environment's reverse proxy. */
  name: string;
  kind: "tier" | "proxy";
  environment: string;
  count: number;
  size: string;
  /** The port the servers listen on behind their load balancer (443 for the proxy). */
  port: number;
  cidr: string;
  zones: ZoneSubnet[];
  names: { subnet: string; securityGroup: string; haGroup: string };
  /** Every tier has one; the proxy only when it has more than one server (then it is public). */
  loadBalancer?: LoadBalancer;
  ingress: IngressRule[];
  hosts: Host[];
  tags: Tags;
  /** What runs on a tier's servers (the proxy's software is always nginx). */
  software?: TierSoftware;
}

export interface Route {
  /** Public host name, as the proxy's `server_name`. */
  host: string;
  environment: string;
  tier: string;
  port: number;
  upstreamIp: string;
  upstreamDnsName: string;
}

export interface Environment {
  name: string;
  /** Pulumi stack: `<tenant>-<env>`. */
  stack: string;
  production: boolean;
  /** Resources that hold state or addresses are protected from deletion in production. */
  protect: boolean;
  /** The public host this environment is served at: the domain for production. */
  publicHost: string;
  cidr: string;
  /** Whether the cidr was allocated by botinfra rather than written in the spec. */
  cidrAllocated: boolean;
  dnsZone: string;
  names: { group: string; network: string; natGateway: string };
  tags: Tags;
  proxy: ServerGroup;
  tiers: ServerGroup[];
  routes: Route[];
  /** Where the proxies' certificate comes from. */
  tls: Tls;
}

export interface Platform {
  tenant: string;
  cloud: Cloud;
  region: string;
  domain: string;
  admin: { username: string; sshPublicKeys: string[] };
  managementCidrs: string[];
  /** The spec's overlay folder, as written (relative to the tenant file); absent: the folder named after the tenant beside it. */
  overlay?: string;
  environments: Environment[];
}

export type PlatformResult = { platform: Platform; issues: [] } | { platform?: undefined; issues: SpecIssue[] };

/** Builds the model, or returns every cross-field problem of the spec, each naming its field. */
export function buildPlatform(spec: TenantSpec): PlatformResult {
  const issues: SpecIssue[] = [];
  const report = (path: (string | number)[], message: string) => issues.push({ path, message });

  checkCloudValues(spec, report);
  checkAdmin(spec, report);
  const managementCidrs = checkManagementCidrs(spec, report);
  checkGroups(spec, report);
  const environmentCidrs = planEnvironmentCidrs(spec, report);
  if (issues.length > 0) return { issues };

  const tenantTls = resolveTls(spec.tls, ["tls"], report);
  const environments = Object.entries(spec.environments).map(([name, environment]) =>
    buildEnvironment(spec, name, environment, environmentCidrs.get(name)!, managementCidrs, tenantTls, report),
  );
  checkRoutes(environments, report);
  if (issues.length > 0) return { issues };

  return {
    platform: {
      tenant: spec.tenant,
      cloud: spec.cloud,
      region: spec.region,
      domain: spec.domain,
      admin: { username: spec.admin.username, sshPublicKeys: spec.admin.sshPublicKeys.map((key) => key.trim()) },
      managementCidrs,
      ...(spec.overlay !== undefined ? { overlay: spec.overlay } : {}),
      environments,
    },
    issues: [],
  };
}

type Report = (path: (string | number)[], message: string) => void;

function checkCloudValues(spec: TenantSpec, report: Report) {
  const profile = CLOUD_PROFILES[spec.cloud];
  if (!profile.regionPattern.test(spec.region)) {
    report(["region"], `found "${spec.region}"; allowed: ${profile.title} region names, such as ${profile.regionExample}`);
  }
  const checkSize = (path: (string | number)[], value: string | undefined) => {
    if (value !== undefined && !profile.sizePattern.test(value)) {
      report(path, `found "${value}"; allowed: ${profile.title} server sizes, such as ${profile.sizeExample}`);
    }
  };
  checkSize(["proxy", "size"], spec.proxy?.size);
  for (const [envName, environment] of Object.entries(spec.environments)) {
    checkSize(["environments", envName, "proxy", "size"], environment.proxy?.size);
    for (const [tierName, tier] of Object.entries(environment.tiers)) {
      checkSize(["environments", envName, "tiers", tierName, "size"], tier.size);
    }
  }
}

/** User names the clouds refuse for an administrator (Azure's list is the strictest). */
const RESERVED_USERNAMES = new Set([
  "root", "admin", "administrator", "adm", "guest", "user", "user1", "user2", "test", "test1", "test2",
  "owner", "sys", "support", "backup", "console", "server", "sql", "daemon", "bin", "nobody",
]);

function checkAdmin(spec: TenantSpec, report: Report) {
  if (RESERVED_USERNAMES.has(spec.admin.username)) {
    report(["admin", "username"], `found "${spec.admin.username}"; allowed: a user name the clouds do not reserve (not root, admin, administrator, ...)`);
  }
  spec.admin.sshPublicKeys.forEach((key, index) => {
    const problem = sshPublicKeyProblem(key);
    if (problem) report(["admin", "sshPublicKeys", index], `${problem}`);
  });
}

function checkManagementCidrs(spec: TenantSpec, report: Report): string[] {
  const cidrs = spec.managementCidrs ?? [];
  cidrs.forEach((text, index) => {
    const cidr = parseCidr(text);
    if (typeof cidr === "string") report(["managementCidrs", index], `found "${text}": ${cidr}`);
    else if (cidr.prefix < MANAGEMENT_MIN_PREFIX) {
      report(["managementCidrs", index], `found "${text}"; allowed: a range of /${MANAGEMENT_MIN_PREFIX} or narrower (SSH is for your office or VPN, not the internet)`);
    }
  });
  return [...new Set(cidrs)];
}

function checkGroups(spec: TenantSpec, report: Report) {
  const environmentNames = Object.keys(spec.environments);
  if (environmentNames.length === 0) report(["environments"], "is empty; allowed: at least one environment");
  for (const envName of environmentNames) {
    if ((RESERVED_GROUP_NAMES as readonly string[]).includes(envName)) {
      report(["environments", envName], `is a reserved name; allowed: any name but ${RESERVED_GROUP_NAMES.join(", ")}`);
    }
    const tiers = Object.entries(spec.environments[envName]!.tiers);
    if (tiers.length === 0) report(["environments", envName, "tiers"], "is empty; allowed: at least one tier");
    for (const [tierName, tier] of tiers) {
      const path = ["environments", envName, "tiers", tierName];
      if (tier.port === SSH_PORT) report([...path, "port"], `found ${SSH_PORT}, the SSH port; allowed: any other TCP port`);
      if ((RESERVED_GROUP_NAMES as readonly string[]).includes(tierName)) {
        report(path, `is a reserved name; allowed: any name but ${RESERVED_GROUP_NAMES.join(", ")}`);
      } else if (environmentNames.includes(tierName)) {
        report(path, `is also an environment's name; allowed: tier names that differ from environment names (both become Ansible groups)`);
      }
    }
  }
}

/** Written ranges are checked; missing ones get the first free /16 from ALLOCATION_START, in spec order. */
function planEnvironmentCidrs(spec: TenantSpec, report: Report): Map<string, Cidr> {
  const planned = new Map<string, Cidr>();
  const written: [string, Cidr][] = [];
  for (const [envName, environment] of Object.entries(spec.environments)) {
    if (environment.cidr === undefined) continue;
    const path = ["environments", envName, "cidr"];
    const cidr = parseCidr(environment.cidr);
    if (typeof cidr === "string") {
      report(path, `found "${environment.cidr}": ${cidr}`);
      continue;
    }
    const { min, max } = ENVIRONMENT_PREFIX_RANGE;
    if (!isPrivate(cidr)) {
      report(path, `found "${environment.cidr}"; allowed: a private range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16`);
    } else if (cidr.prefix < min || cidr.prefix > max) {
      report(path, `found "${environment.cidr}"; allowed: a range from /${min} to /${max}`);
    } else if (1 + Object.keys(environment.tiers).length > size(cidr) / 2 ** (32 - SUBNET_PREFIX)) {
      report(path, `found "${environment.cidr}"; allowed: a range with room for ${1 + Object.keys(environment.tiers).length} /${SUBNET_PREFIX} subnets (the proxy's and one per tier)`);
    } else {
      const clash = written.find(([, other]) => overlaps(other, cidr));
      if (clash) report(path, `found "${environment.cidr}", which overlaps environments.${clash[0]}.cidr (${formatCidr(clash[1])}); allowed: a range no other environment uses`);
      else written.push([envName, cidr]);
    }
    planned.set(envName, cidr);
  }
  let candidate = mustParseCidr(ALLOCATION_START);
  for (const envName of Object.keys(spec.environments)) {
    if (planned.has(envName)) continue;
    while (written.some(([, taken]) => overlaps(taken, candidate))) candidate = nextRange(candidate);
    planned.set(envName, candidate);
    written.push([envName, candidate]);
    candidate = nextRange(candidate);
  }
  return planned;
}

function nextRange(cidr: Cidr): Cidr {
  const next = { start: end(cidr) + 1, prefix: cidr.prefix };
  if (!containsCidr(mustParseCidr("10.0.0.0/8"), next)) throw new Error("internal: 10.0.0.0/8 has no free /16 left");
  return next;
}

function tags(tenant: string, environment: string, tier?: string): Tags {
  return {
    [TAG_KEYS.tenant]: tenant,
    [TAG_KEYS.environment]: environment,
    ...(tier === undefined ? {} : { [TAG_KEYS.tier]: tier }),
    [TAG_KEYS.managedBy]: MANAGED_BY,
  };
}

function checkName(cloud: Cloud, kind: NameKind, name: string, path: (string | number)[], report: Report) {
  const limit = CLOUD_PROFILES[cloud].nameLimits[kind];
  if (name.length > limit) {
    report(path, `makes the ${CLOUD_PROFILES[cloud].title} ${NAME_KIND_TITLES[kind]} name "${name}" (${name.length} characters); ${CLOUD_PROFILES[cloud].title} allows at most ${limit}: shorten the tenant, environment or tier name`);
  }
}

function publicHostOf(domain: string, envName: string): string {
  return envName === PRODUCTION ? domain : `${envName}.${domain}`;
}

function buildEnvironment(
  spec: TenantSpec,
  envName: string,
  environment: EnvironmentSpec,
  cidr: Cidr,
  managementCidrs: string[],
  tenantTls: Tls,
  report: Report,
): Environment {
  const base = `${spec.tenant}-${envName}`;
  const envPath = ["environments", envName];
  const names = { group: base, network: `${base}-net`, natGateway: `${base}-nat` };
  for (const kind of ["group", "network", "natGateway"] as const) checkName(spec.cloud, kind, names[kind], envPath, report);

  const dnsZone = `${envName}.${spec.tenant}.internal`;
  const subnet = (index: number) => subnetAt(cidr, SUBNET_PREFIX, index);
  const edge = subnet(0);
  const proxyCount = environment.proxy?.count ?? spec.proxy?.count ?? (envName === PRODUCTION ? 2 : 1);
  const hasSsh = managementCidrs.length > 0;

  const groupContext = { spec, envName, dnsZone, report };
  const proxy = buildGroup(groupContext, {
    name: PROXY_GROUP,
    kind: "proxy",
    path: [...envPath, "proxy"],
    cidr: edge,
    count: proxyCount,
    size: environment.proxy?.size ?? spec.proxy?.size ?? CLOUD_PROFILES[spec.cloud].defaultProxySize,
    port: HTTPS_PORT,
    loadBalancer: proxyCount > 1 ? { public: true, ports: [HTTP_PORT, HTTPS_PORT] } : undefined,
    ingress: [
      { name: "web", description: "HTTPS, and HTTP to redirect, from the internet", ports: [HTTP_PORT, HTTPS_PORT], sources: [INTERNET] },
      ...(hasSsh ? [{ name: "ssh", description: "SSH from the management ranges", ports: [SSH_PORT], sources: managementCidrs }] : []),
    ],
  });

  const tiers = Object.entries(environment.tiers).map(([tierName, tier], index) => {
    const tierCidr = subnet(index + 1);
    const exposed = tier.expose !== undefined;
    const software = tierSoftware(tier, false, [...envPath, "tiers", tierName], report);
    const group = buildGroup(groupContext, {
      name: tierName,
      kind: "tier",
      path: [...envPath, "tiers", tierName],
      cidr: tierCidr,
      count: tier.count,
      size: tier.size,
      port: tier.port,
      loadBalancer: { public: false, ports: [tier.port] },
      ingress: [
        exposed
          ? { name: "app", description: "the app port from the proxy", ports: [tier.port], sources: [formatCidr(edge)] }
          : { name: "app", description: "the app port from the environment's network", ports: [tier.port], sources: [formatCidr(cidr)] },
        ...(exposed
          ? [{ name: "health", description: "load balancer health checks from the tier's subnet", ports: [tier.port], sources: [formatCidr(tierCidr)] }]
          : []),
        ...(hasSsh ? [{ name: "ssh", description: "SSH through the proxy, the environment's jump host", ports: [SSH_PORT], sources: [formatCidr(edge)] }] : []),
      ],
    });
    return { ...group, software };
  });

  const publicHost = publicHostOf(spec.domain, envName);
  const routes = Object.entries(environment.tiers).flatMap(([tierName, tier], index): Route[] => {
    if (tier.expose === undefined) return [];
    const loadBalancer = tiers[index]!.loadBalancer!;
    return [
      {
        host: tier.expose === "@" ? publicHost : `${tier.expose}.${publicHost}`,
        environment: envName,
        tier: tierName,
        port: tier.port,
        upstreamIp: loadBalancer.privateIp,
        upstreamDnsName: loadBalancer.dnsName,
      },
    ];
  });

  const production = envName === PRODUCTION;
  return {
    name: envName,
    stack: base,
    production,
    protect: production,
    publicHost,
    cidr: formatCidr(cidr),
    cidrAllocated: environment.cidr === undefined,
    dnsZone,
    names,
    tags: tags(spec.tenant, envName),
    proxy,
    tiers,
    routes,
    tls: environment.tls === undefined ? tenantTls : resolveTls(environment.tls, [...envPath, "tls"], report),
  };
}

interface GroupContext {
  spec: TenantSpec;
  envName: string;
  dnsZone: string;
  report: Report;
}

interface GroupPlan {
  name: string;
  kind: ServerGroup["kind"];
  path: (string | number)[];
  cidr: Cidr;
  count: number;
  size: string;
  port: number;
  loadBalancer: { public: boolean; ports: number[] } | undefined;
  ingress: IngressRule[];
}

function buildGroup({ spec, envName, dnsZone, report }: GroupContext, plan: GroupPlan): ServerGroup {
  const base = `${spec.tenant}-${envName}-${plan.name}`;
  const names = { subnet: base, securityGroup: `${base}-fw`, haGroup: `${base}-ha` };
  for (const kind of ["subnet", "securityGroup", "haGroup"] as const) checkName(spec.cloud, kind, names[kind], plan.path, report);
  if (plan.count > SERVERS_PER_SUBNET) {
    report([...plan.path, "count"], `found ${plan.count}, too many for one /${SUBNET_PREFIX} subnet; allowed: at most ${SERVERS_PER_SUBNET}`);
  }

  const zones: ZoneSubnet[] = Array.from({ length: ZONE_COUNT }, (_, zone) => {
    const zoneCidr = subnetAt(plan.cidr, ZONE_PREFIX, zone);
    return { zone, cidr: formatCidr(zoneCidr), loadBalancerIp: formatAddress(zoneCidr.start + RESERVED_HEAD) };
  });

  const hosts: Host[] = Array.from({ length: Math.min(plan.count, SERVERS_PER_SUBNET) }, (_, index) => {
    const zone = index % ZONE_COUNT;
    const zoneStart = subnetAt(plan.cidr, ZONE_PREFIX, zone).start;
    const name = `${base}-${index + 1}`;
    checkName(spec.cloud, "host", name, plan.path, report);
    return {
      name,
      environment: envName,
      group: plan.name,
      zone,
      privateIp: formatAddress(zoneStart + RESERVED_HEAD + 1 + Math.floor(index / ZONE_COUNT)),
      dnsName: `${plan.name}-${index + 1}.${dnsZone}`,
      size: plan.size,
      tags: tags(spec.tenant, envName, plan.name),
    };
  });

  let loadBalancer: LoadBalancer | undefined;
  if (plan.loadBalancer) {
    loadBalancer = {
      name: `${base}-lb`,
      targetGroupName: `${base}-tg`,
      public: plan.loadBalancer.public,
      ports: plan.loadBalancer.ports,
      privateIp: zones[0]!.loadBalancerIp,
      dnsName: `${plan.name}.${dnsZone}`,
    };
    checkName(spec.cloud, "loadBalancer", loadBalancer.name, plan.path, report);
    checkName(spec.cloud, "targetGroup", loadBalancer.targetGroupName, plan.path, report);
  }

  return {
    name: plan.name,
    kind: plan.kind,
    environment: envName,
    count: plan.count,
    size: plan.size,
    port: plan.port,
    cidr: formatCidr(plan.cidr),
    zones,
    names,
    ...(loadBalancer ? { loadBalancer } : {}),
    ingress: plan.ingress,
    hosts,
    tags: tags(spec.tenant, envName, plan.name),
  };
}

const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Every public host name must be a valid DNS name and lead to exactly one tier. */
function checkRoutes(environments: Environment[], report: Report) {
  const owners = new Map<string, string>();
  for (const environment of environments) {
    owners.set(environment.publicHost, `environments.${environment.name} (its own host)`);
  }
  for (const environment of environments) {
    for (const route of environment.routes) {
      const path = ["environments", environment.name, "tiers", route.tier, "expose"];
      if (route.host.length > 253 || !route.host.split(".").every((label) => DNS_LABEL.test(label))) {
        report(path, `makes the host name "${route.host}", which is not a valid DNS name; allowed: labels of at most 63 characters, 253 in all`);
        continue;
      }
      const owner = owners.get(route.host);
      const self = `environments.${environment.name}.tiers.${route.tier}`;
      const isOwnEnvironmentHost = route.host === environment.publicHost && owner?.endsWith("(its own host)");
      if (owner !== undefined && !isOwnEnvironmentHost) {
        report(path, `makes the host name "${route.host}", already served by ${owner}; allowed: a host name no other tier or environment uses`);
      } else {
        owners.set(route.host, self);
      }
    }
  }
}
