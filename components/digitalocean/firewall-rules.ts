/**
 * A server group's ingress rules (the model's peers) as DigitalOcean firewall rules: groups by their
 * account-unique tag, the load balancer's probes by its id, address ranges only for the internet and
 * the management ranges. Pure, so that what a firewall admits can be tested without Pulumi.
 */
import { describePeer, type Peer } from "../../model/ingress.js";
import { INTERNET, type Environment, type ServerGroup } from "../../model/platform.js";

/** The whole IPv6 internet: DigitalOcean rules name both families. */
export const INTERNET_V6 = "::/0";

export interface InboundRule<Uid> {
  protocol: "tcp" | "udp" | "icmp";
  portRange?: string;
  sourceAddresses?: string[];
  sourceTags?: string[];
  sourceLoadBalancerUids?: Uid[];
}

export interface OutboundRule {
  protocol: "tcp" | "udp" | "icmp";
  portRange?: string;
  destinationAddresses: string[];
}

type Source<Uid> = { addresses: string[] } | { tag: string } | { balancer: Uid };

function source<Uid>(peer: Peer, environment: Environment, group: ServerGroup, managementCidrs: string[], balancer: Uid | undefined): Source<Uid> {
  const tagOf = (member: ServerGroup | undefined) => {
    if (!member) throw new Error(`internal: the model names ${describePeer(peer)}, which ${environment.name} does not have`);
    return { tag: member.names.tag };
  };
  switch (peer.kind) {
    case "internet":
      return { addresses: [INTERNET, INTERNET_V6] };
    case "management":
      return { addresses: managementCidrs };
    case "proxy":
      return tagOf(environment.proxy);
    case "tier":
      return tagOf(environment.tiers.find((tier) => tier.name === peer.tier));
    case "probes":
      if (balancer === undefined) throw new Error(`internal: ${group.name} admits its load balancer's probes but has no load balancer`);
      return { balancer };
  }
}

/**
 * One rule per model rule and port (DigitalOcean takes one port range per rule). A firewall admits
 * nothing it does not list, so these are all a group's droplets accept.
 */
export function inboundRules<Uid>(environment: Environment, group: ServerGroup, managementCidrs: string[], balancer?: Uid): InboundRule<Uid>[] {
  return group.ingress.flatMap((rule) => {
    const sources = rule.peers.map((peer) => source(peer, environment, group, managementCidrs, balancer));
    const addresses = [...new Set(sources.flatMap((item) => ("addresses" in item ? item.addresses : [])))];
    const tags = [...new Set(sources.flatMap((item) => ("tag" in item ? [item.tag] : [])))].sort();
    const balancers = sources.flatMap((item) => ("balancer" in item ? [item.balancer] : []));
    // Management ranges may be absent: a rule left with no source at all admits nothing and is left out.
    if (addresses.length + tags.length + balancers.length === 0) return [];
    return rule.ports.map(
      (port): InboundRule<Uid> => ({
        protocol: "tcp",
        portRange: String(port),
        ...(addresses.length > 0 ? { sourceAddresses: addresses } : {}),
        ...(tags.length > 0 ? { sourceTags: tags } : {}),
        ...(balancers.length > 0 ? { sourceLoadBalancerUids: balancers } : {}),
      }),
    );
  });
}

/**
 * With `egress: proxy`, the proxies forward the tiers' traffic to the internet (the tiers route through
 * them): their firewall must admit whatever the tiers send, from the tiers' tags only.
 */
export function natInboundRules(environment: Environment, group: ServerGroup): InboundRule<never>[] {
  if (environment.egress !== "proxy" || group.kind !== "proxy") return [];
  const sourceTags = environment.tiers.map((tier) => tier.names.tag).sort();
  return [
    { protocol: "tcp", portRange: "1-65535", sourceTags },
    { protocol: "udp", portRange: "1-65535", sourceTags },
    { protocol: "icmp", sourceTags },
  ];
}

/**
 * What a group's droplets may send, stated rather than left to DigitalOcean (a firewall without
 * outbound rules drops everything): TCP and UDP on any port and ICMP, to the VPC (the receiving group's
 * own firewall decides there) and the internet (bots call chat platforms' and other APIs on ports no
 * spec names; DNS and NTP are UDP; ICMP carries path MTU discovery).
 */
export function outboundRules(): OutboundRule[] {
  const destinationAddresses = [INTERNET, INTERNET_V6];
  return [
    { protocol: "tcp", portRange: "1-65535", destinationAddresses },
    { protocol: "udp", portRange: "1-65535", destinationAddresses },
    { protocol: "icmp", destinationAddresses },
  ];
}
