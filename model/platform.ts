/**
 * The platform model: a pure, deterministic function from a validated tenant spec to everything
 * the clouds, the Ansible renderer and the policy checks need (names, address plan, hosts, rules,
 * routes). Consumers read it; none of them re-derives any of it. The address plan, the ingress
 * peers and the names live in their own modules; this one puts them together.
 */
import { edgeSubnet, groupSubnet, planEnvironmentRanges, planTierSubnets, serverPlace, SERVERS_PER_SUBNET, type AccountRange, type GroupSubnet, type Report } from "./addresses.js";
import { formatCidr, parseCidr, type Cidr } from "./cidr.js";
import { CLOUD_PROFILES, type Placement } from "./clouds.js";
import { describeValue, type SpecIssue } from "./errors.js";
import { resolveTls, tierSoftware, type Tls, type TierSoftware } from "./software.js";
import { callersOf, HTTP_PORT, HTTPS_PORT, proxyIngress, SSH_PORT, tierIngress, type IngressRule } from "./ingress.js";
import { checkName, dataDiskName, dnsZoneName, environmentNames, groupNames, hostName, targetGroupNames, type EnvironmentNames, type GroupNames } from "./names.js";
import { parseSshPublicKey, type SshPublicKey } from "./ssh.js";
import type { Cloud, Egress, EnvironmentSpec, NatGateways, TenantSpec, TierSpec } from "./spec.js";

export { HTTP_PORT, HTTPS_PORT, SSH_PORT };
export type { IngressRule };

/** The environment served at the tenant's bare domain; every other one is at `<env>.<domain>`. */
export const PRODUCTION = "production";
/** The whole internet, as a host firewall or a cloud rule writes it. */
export const INTERNET = "0.0.0.0/0";
export const MANAGED_BY = "botinfra";
/** The tags every resource carries: the policy pack recognises environments, tiers and the proxy by them. */
export const TAG_KEYS = { tenant: "tenant", environment: "environment", tier: "tier", managedBy: "managed-by" } as const;
/** The reverse proxy's group: its `tier` tag and its name wherever a tier's would be. */
export const PROXY_GROUP = "proxy";
/** A stateful tier's data disk when the spec gives no `disk`. */
export const DEFAULT_DISK_GB = 32;
/** The management range may not be broader than this: SSH to the proxy is for an office or a VPN, not the internet. */
export const MANAGEMENT_MIN_PREFIX = 16;
/** Ansible's own groups, and the proxy's group: no environment or tier may take these names. */
export const RESERVED_GROUP_NAMES = ["all", "ungrouped", PROXY_GROUP] as const;

export type Tags = Record<string, string>;

export interface Host {
  name: string;
  environment: string;
  group: string;
  /** The availability zone's index, on clouds with zones (AWS); absent where the cloud places servers itself. */
  zone?: number;
  /** The planned private address, on clouds that let botinfra choose it (not DigitalOcean). */
  privateIp?: string;
  dnsName: string;
  size: string;
  /** Stateful tiers only: the server's data disk, a resource of its own that outlives the server. */
  dataDisk?: { name: string; sizeGb: number };
  tags: Tags;
}

export interface LoadBalancer {
  name: string;
  /** AWS names its target groups separately; the other clouds ignore it. */
  targetGroupName: string;
  public: boolean;
  ports: number[];
  /** The private frontend address in the subnet's first half, on clouds that let botinfra choose it. */
  privateIp?: string;
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
  /** A stateful tier keeps data on its servers: no load balancer, a data disk per server. */
  stateful: boolean;
  /** The group's subnet, on clouds that have subnets (not DigitalOcean). */
  subnet?: GroupSubnet;
  names: GroupNames;
  /**
   * The group's name in the private zone: its load balancer's address, or for a stateful tier every
   * server's (a seed list for replica sets).
   */
  dnsName: string;
  /** Balanced tiers and a proxy of more than one server (then it is public). */
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
  /** How the environment's private servers reach the internet. */
  egress: Egress;
  /** Whether the cidr was allocated by botinfra rather than written in the spec. */
  cidrAllocated: boolean;
  /**
   * On clouds with zones: a NAT gateway in each zone (production's default: one zone's failure leaves
   * the other's egress up), or one for the environment (elsewhere: cheaper).
   */
  natGateways: NatGateways;
  dnsZone: string;
  names: EnvironmentNames;
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
  /** The cloud account or team the tenant deploys into (the spec's `account`); undefined is the default one. */
  account?: string;
  domain: string;
  /** How the cloud keeps one failure from taking a group down (or that it has no way to). */
  placement: Placement;
  admin: {
    username: string;
    /** Keys as parsed: consumers write them with formatSshPublicKey, never as the user typed them. */
    sshPublicKeys: SshPublicKey[];
    /** Keys (by their base64 body) that another tenant of the same account uploads, where the cloud holds a key once per account. */
    keysUploadedElsewhere: Record<string, string>;
  };
  managementCidrs: string[];
  /** The spec's overlay folder, as written (relative to the tenant file); absent: the folder named after the tenant beside it. */
  overlay?: string;
  environments: Environment[];
}

export type PlatformResult = { platform: Platform; issues: [] } | { platform?: undefined; issues: SpecIssue[] };

/** What the model must know beyond the spec: the ranges other tenants of the same account use, where the cloud needs them apart. */
export interface PlatformContext {
  accountRanges?: AccountRange[];
  /** Admin keys (by their base64 body) that another tenant of the account uploads, with that tenant's name. */
  keysUploadedElsewhere?: Record<string, string>;
}

/** Builds the model, or returns every cross-field problem of the spec, each naming its field. */
export function buildPlatform(spec: TenantSpec, context: PlatformContext = {}): PlatformResult {
  const issues: SpecIssue[] = [];
  const report = (path: (string | number)[], message: string) => issues.push({ path, message });

  checkCloudValues(spec, report);
  const sshPublicKeys = checkAdmin(spec, report);
  const managementCidrs = checkManagementCidrs(spec, report);
  checkGroups(spec, report);
  const accountRanges = CLOUD_PROFILES[spec.cloud].networksDisjointPerAccount ? (context.accountRanges ?? []) : [];
  const environmentCidrs = planEnvironmentRanges(spec, report, accountRanges);
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
      ...(spec.account === undefined ? {} : { account: spec.account }),
      domain: spec.domain,
      placement: CLOUD_PROFILES[spec.cloud].placement,
      admin: {
        username: spec.admin.username,
        sshPublicKeys,
        keysUploadedElsewhere: CLOUD_PROFILES[spec.cloud].sshKeysOncePerAccount ? (context.keysUploadedElsewhere ?? {}) : {},
      },
      managementCidrs,
      ...(spec.overlay !== undefined ? { overlay: spec.overlay } : {}),
      environments,
    },
    issues: [],
  };
}

function checkCloudValues(spec: TenantSpec, report: Report) {
  const profile = CLOUD_PROFILES[spec.cloud];
  if (!profile.regionPattern.test(spec.region)) {
    report(["region"], `found ${describeValue(spec.region)}; allowed: ${profile.title} region names, such as ${profile.regionExample}`);
  }
  const checkSize = (path: (string | number)[], value: string | undefined) => {
    if (value !== undefined && !profile.sizePattern.test(value)) {
      report(path, `found ${describeValue(value)}; allowed: ${profile.title} server sizes, such as ${profile.sizeExample}`);
    }
  };
  if (spec.egress !== undefined && !profile.egress.includes(spec.egress)) {
    report(["egress"], `found ${describeValue(spec.egress)}, which ${profile.title} does not offer; allowed on ${profile.title}: ${profile.egress.join(", ")}`);
  }
  checkSize(["proxy", "size"], spec.proxy?.size);
  for (const [envName, environment] of Object.entries(spec.environments)) {
    checkSize(["environments", envName, "proxy", "size"], environment.proxy?.size);
    for (const [tierName, tier] of Object.entries(environment.tiers)) {
      checkSize(["environments", envName, "tiers", tierName, "size"], tier.size);
    }
  }
}

/** System users of Debian: no cloud may make one of them the admin. */
const SYSTEM_USERNAMES = ["root", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news", "uucp", "proxy", "www-data", "backup", "list", "irc", "nobody", "debian"];

function checkAdmin(spec: TenantSpec, report: Report): SshPublicKey[] {
  const profile = CLOUD_PROFILES[spec.cloud];
  const { username } = spec.admin;
  if (SYSTEM_USERNAMES.includes(username)) {
    report(["admin", "username"], `found ${describeValue(username)}, a system user of Debian; allowed: a user name of your own (not ${SYSTEM_USERNAMES.slice(0, 4).join(", ")}, ...)`);
  } else if (profile.refusedUsernames.includes(username)) {
    report(["admin", "username"], `found ${describeValue(username)}, which ${profile.title} refuses for a server's admin user; allowed: a name not on ${profile.title}'s list (${profile.refusedUsernames.slice(0, 8).join(", ")}, ...)`);
  }
  return spec.admin.sshPublicKeys.flatMap((text, index) => {
    const path = ["admin", "sshPublicKeys", index];
    const { key, problem } = parseSshPublicKey(text);
    if (problem !== undefined) report(path, problem);
    else if (!profile.sshKeyTypes.includes(key.type)) {
      report(path, `has key type "${key.type}", which ${profile.title} does not accept; allowed on ${profile.title}: ${profile.sshKeyTypes.join(", ")}`);
    }
    return key ? [key] : [];
  });
}

function checkManagementCidrs(spec: TenantSpec, report: Report): string[] {
  const cidrs = spec.managementCidrs ?? [];
  cidrs.forEach((text, index) => {
    const cidr = parseCidr(text);
    if (typeof cidr === "string") report(["managementCidrs", index], `found ${describeValue(text)}: ${cidr}`);
    else if (cidr.prefix < MANAGEMENT_MIN_PREFIX) {
      report(["managementCidrs", index], `found ${describeValue(text)}; allowed: a range of /${MANAGEMENT_MIN_PREFIX} or narrower (SSH is for your office or VPN, not the internet)`);
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
      checkTierRole(path, tierName, tier, tiers.map(([name]) => name), report);
    }
  }
}

/** `from` names tiers of the same environment; a stateful tier has no load balancer, so nothing can route to it. */
function checkTierRole(path: (string | number)[], tierName: string, tier: TierSpec, environmentTiers: string[], report: Report) {
  tier.from?.forEach((caller, index) => {
    if (!environmentTiers.includes(caller)) {
      report([...path, "from", index], `found ${describeValue(caller)}, which is not a tier of this environment; allowed: ${environmentTiers.filter((name) => name !== tierName).join(", ") || "(no other tier)"}`);
    }
  });
  if (tier.stateful && tier.expose !== undefined) {
    report([...path, "expose"], "is set on a stateful tier, which has no load balancer for the proxy to route to; allowed: expose a stateless tier that calls this one");
  }
  if (tier.disk !== undefined && !tier.stateful) {
    report([...path, "disk"], "is set on a tier that is not stateful; allowed: only with stateful: true (stateless servers keep nothing worth a disk)");
  }
}

function tags(tenant: string, environment: string, tier?: string): Tags {
  return {
    [TAG_KEYS.tenant]: tenant,
    [TAG_KEYS.environment]: environment,
    ...(tier === undefined ? {} : { [TAG_KEYS.tier]: tier }),
    [TAG_KEYS.managedBy]: MANAGED_BY,
  };
}

function publicHostOf(domain: string, envName: string): string {
  return envName === PRODUCTION ? domain : `${envName}.${domain}`;
}

function buildEnvironment(
  spec: TenantSpec,
  envName: string,
  environment: EnvironmentSpec,
  range: Cidr,
  managementCidrs: string[],
  tenantTls: Tls,
  report: Report,
): Environment {
  const profile = CLOUD_PROFILES[spec.cloud];
  const envPath = ["environments", envName];
  const names = environmentNames(spec.tenant, envName);
  for (const kind of ["group", "network", "natGateway"] as const) checkName(spec.cloud, kind, names[kind], envPath, report);

  if (environment.natGateways !== undefined && !profile.zones) {
    report([...envPath, "natGateways"], `is set, but ${profile.title} has no availability zones to spread NAT gateways over; allowed: leave it out`);
  }
  const tierSpecs = Object.entries(environment.tiers);
  const subnets = planTierSubnets(envPath, range, tierSpecs, report);
  const management = managementCidrs.length > 0;
  const groupContext: GroupContext = { spec, envName, dnsZone: dnsZoneName(spec.tenant, envName), report };
  const proxyCount = environment.proxy?.count ?? spec.proxy?.count ?? (envName === PRODUCTION ? 2 : 1);
  const proxyBalanced = proxyCount > 1;
  const proxy = buildGroup(groupContext, {
    name: PROXY_GROUP,
    kind: "proxy",
    path: [...envPath, "proxy"],
    subnet: profile.subnets ? edgeSubnet(subnets.edge) : undefined,
    count: proxyCount,
    size: environment.proxy?.size ?? spec.proxy?.size ?? profile.defaultProxySize,
    port: HTTPS_PORT,
    stateful: false,
    loadBalancer: proxyBalanced ? { public: true, ports: [HTTP_PORT, HTTPS_PORT] } : undefined,
    ingress: proxyIngress({ balanced: proxyBalanced, management }),
  });

  const tierNames = tierSpecs.map(([name]) => name);
  const tiers = tierSpecs.flatMap(([tierName, tier]) => {
    const planned = subnets.tiers.get(tierName);
    if (!planned) return [];
    const stateful = tier.stateful ?? false;
    const software = tierSoftware(tier, stateful, [...envPath, "tiers", tierName], report);
    return [
      {
        ...buildGroup(groupContext, {
          name: tierName,
          kind: "tier",
          path: [...envPath, "tiers", tierName],
          subnet: profile.subnets ? groupSubnet(planned.cidr, planned.pinned) : undefined,
          count: tier.count,
          size: tier.size,
          port: tier.port,
          stateful,
          diskGb: stateful ? (tier.disk?.sizeGb ?? DEFAULT_DISK_GB) : undefined,
          loadBalancer: stateful ? undefined : { public: false, ports: [tier.port] },
          ingress: tierIngress({ port: tier.port, exposed: tier.expose !== undefined, callers: callersOf(tierName, tier, tierNames), balanced: !stateful, management }),
        }),
        software,
      },
    ];
  });

  const publicHost = publicHostOf(spec.domain, envName);
  const routes = tierSpecs.flatMap(([tierName, tier]): Route[] => {
    const group = tiers.find((candidate) => candidate.name === tierName);
    if (tier.expose === undefined || !group) return [];
    return [{ host: tier.expose === "@" ? publicHost : `${tier.expose}.${publicHost}`, environment: envName, tier: tierName, port: tier.port, upstreamDnsName: group.dnsName }];
  });

  const production = envName === PRODUCTION;
  return {
    name: envName,
    stack: names.group,
    production,
    protect: production,
    publicHost,
    cidr: formatCidr(range),
    egress: spec.egress ?? profile.egress[0],
    cidrAllocated: environment.cidr === undefined,
    natGateways: environment.natGateways ?? (production ? "perZone" : "single"),
    dnsZone: groupContext.dnsZone,
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
  subnet: GroupSubnet | undefined;
  count: number;
  size: string;
  port: number;
  stateful: boolean;
  /** Stateful tiers: each server's data disk. */
  diskGb?: number;
  loadBalancer: { public: boolean; ports: number[] } | undefined;
  ingress: IngressRule[];
}

function buildGroup({ spec, envName, dnsZone, report }: GroupContext, plan: GroupPlan): ServerGroup {
  const profile = CLOUD_PROFILES[spec.cloud];
  const names = groupNames(spec.tenant, envName, plan.name);
  for (const kind of ["subnet", "securityGroup", "haGroup"] as const) checkName(spec.cloud, kind, names[kind], plan.path, report);
  if (plan.subnet && plan.count > SERVERS_PER_SUBNET) {
    report([...plan.path, "count"], `found ${plan.count}, too many for one /${plan.subnet.cidr.split("/")[1]} subnet; allowed: at most ${SERVERS_PER_SUBNET}`);
  }
  const subnetRange = plan.subnet ? (parseCidr(plan.subnet.cidr) as Cidr) : undefined;
  const groupTags = tags(spec.tenant, envName, plan.name);
  const dnsName = `${plan.name}.${dnsZone}`;

  const hosts: Host[] = Array.from({ length: plan.subnet ? Math.min(plan.count, SERVERS_PER_SUBNET) : plan.count }, (_, index) => {
    const name = hostName(spec.tenant, envName, plan.name, index + 1);
    checkName(spec.cloud, "host", name, plan.path, report);
    if (plan.diskGb !== undefined) checkName(spec.cloud, "disk", dataDiskName(name), plan.path, report);
    const place = subnetRange ? serverPlace(subnetRange, index) : undefined;
    return {
      name,
      environment: envName,
      group: plan.name,
      ...(place && profile.zones ? { zone: place.half } : {}),
      ...(place ? { privateIp: place.address } : {}),
      dnsName: `${plan.name}-${index + 1}.${dnsZone}`,
      size: plan.size,
      ...(plan.diskGb === undefined ? {} : { dataDisk: { name: dataDiskName(name), sizeGb: plan.diskGb } }),
      tags: groupTags,
    };
  });

  let loadBalancer: LoadBalancer | undefined;
  if (plan.loadBalancer) {
    loadBalancer = {
      name: names.loadBalancer,
      targetGroupName: names.targetGroup,
      public: plan.loadBalancer.public,
      ports: plan.loadBalancer.ports,
      ...(plan.subnet && !plan.loadBalancer.public ? { privateIp: plan.subnet.halves[0]!.loadBalancerIp } : {}),
      dnsName,
    };
    checkName(spec.cloud, "loadBalancer", loadBalancer.name, plan.path, report);
    for (const targetGroup of targetGroupNames(loadBalancer)) checkName(spec.cloud, "targetGroup", targetGroup.name, plan.path, report);
  }

  return {
    name: plan.name,
    kind: plan.kind,
    environment: envName,
    count: plan.count,
    size: plan.size,
    port: plan.port,
    stateful: plan.stateful,
    ...(plan.subnet ? { subnet: plan.subnet } : {}),
    names,
    dnsName,
    ...(loadBalancer ? { loadBalancer } : {}),
    ingress: plan.ingress,
    hosts,
    tags: groupTags,
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
