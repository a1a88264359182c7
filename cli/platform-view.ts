/** `tenants show` as text: the resolved platform, environment by environment, with rules by peer. */
import { describePeer } from "../model/ingress.js";
import type { Environment, Platform, ServerGroup } from "../model/platform.js";
import { plural, style, table } from "./output.js";

function describeGroup(group: ServerGroup): string[] {
  const lb = group.loadBalancer;
  const balancer = lb
    ? lb.public
      ? "public load balancer"
      : `lb ${lb.privateIp ?? "(assigned)"} ${lb.dnsName}`
    : group.stateful
      ? `stateful, ${group.hosts[0]?.dataDisk?.sizeGb ?? 0} GB disk each, ${group.dnsName}`
      : "single public server";
  return [
    group.name,
    `${group.count} × ${group.size}`,
    group.subnet ? group.subnet.cidr + (group.subnet.pinned || group.kind === "proxy" ? "" : " (allocated)") : "(no subnets)",
    group.kind === "proxy" ? ":80,443" : `:${group.port}`,
    balancer,
    group.hosts.map((host) => host.privateIp ?? "(assigned)").join(" "),
  ];
}

/** Each group's rules by peer: `front ← the proxy :3000`. */
function describeRules(group: ServerGroup): string[][] {
  return group.ingress.map((rule) => [group.name, "←", rule.peers.map(describePeer).join(", "), `:${rule.ports.join(",")}`, style.dim(rule.name)]);
}

function describeEnvironment(environment: Environment): string[] {
  const facts = [
    environment.cidr + (environment.cidrAllocated ? " (allocated)" : ""),
    `served at ${environment.publicHost}`,
    `dns ${environment.dnsZone}`,
    ...(environment.protect ? ["protected"] : []),
  ];
  const routes = environment.routes.map((route) => [`${route.host}`, "→", `${route.tier}:${route.port}`, `via ${route.upstreamDnsName}`]);
  const groups = [environment.proxy, ...environment.tiers];
  return [
    "",
    `${style.bold(environment.name)}  ${style.dim(`stack ${environment.stack}`)}  ${facts.join("  ")}`,
    ...table([[...["GROUP", "SERVERS", "SUBNET", "PORT", "BALANCER", "ADDRESSES"].map(style.dim)], ...groups.map(describeGroup)], "  "),
    `  ${style.dim("who may reach whom")}`,
    ...table(groups.flatMap(describeRules), "    "),
    ...(routes.length > 0 ? [`  ${style.dim("routes")}`, ...table(routes, "    ")] : [`  ${style.dim("routes: none (no tier is exposed)")}`]),
  ];
}

export function describePlatform(platform: Platform, source: string): string[] {
  const ssh = platform.managementCidrs.length > 0 ? `SSH from ${platform.managementCidrs.join(", ")} via each proxy` : "no SSH from outside";
  return [
    `${style.bold(platform.tenant)}  ${platform.cloud} ${platform.region}  ${platform.domain}  ${style.dim(`(${source})`)}`,
    `admin ${platform.admin.username} (${plural(platform.admin.sshPublicKeys.length, "SSH key")}), ${ssh}`,
    `placement: ${platform.placement.description}`,
    ...platform.environments.flatMap(describeEnvironment),
  ];
}
