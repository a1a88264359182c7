/**
 * A server group's ingress rules (the model's peers) as Azure network security rules: groups by their
 * subnet's prefix, the internet and the load balancers' probes by Azure's service tags. Pure, so that
 * what a security group admits can be tested without Pulumi.
 */
import { describePeer, type Peer } from "../../model/ingress.js";
import type { Environment, ServerGroup } from "../../model/platform.js";

/** Azure's service tags for the internet and for its load balancers' health probes (168.63.129.16). */
export const AZURE_INTERNET = "Internet";
export const AZURE_LOAD_BALANCER = "AzureLoadBalancer";

/** Model rules take priorities 100, 110, ...; Azure evaluates the lowest number first, up to 4096. */
const FIRST_PRIORITY = 100;
const PRIORITY_STEP = 10;
const DENY_PRIORITY = 4096;

export interface AzureSecurityRule {
  name: string;
  description: string;
  priority: number;
  direction: "Inbound";
  access: "Allow" | "Deny";
  protocol: "Tcp" | "*";
  sourcePortRange: "*";
  destinationAddressPrefix: "*";
  sourceAddressPrefix?: string;
  sourceAddressPrefixes?: string[];
  destinationPortRange?: string;
  destinationPortRanges?: string[];
}

/** A peer as Azure names it: a service tag, or the address ranges it stands for. */
type AzureSource = { tag: string } | { prefixes: string[] };

function azureSource(peer: Peer, environment: Environment, managementCidrs: string[]): AzureSource {
  const subnetOf = (group: ServerGroup | undefined) => {
    if (!group?.subnet) throw new Error(`internal: the model gives ${describePeer(peer)} no subnet in ${environment.name}`);
    return group.subnet.cidr;
  };
  switch (peer.kind) {
    case "internet":
      return { tag: AZURE_INTERNET };
    case "probes":
      return { tag: AZURE_LOAD_BALANCER };
    case "management":
      return { prefixes: managementCidrs };
    case "proxy":
      return { prefixes: [subnetOf(environment.proxy)] };
    case "tier":
      return { prefixes: [subnetOf(environment.tiers.find((tier) => tier.name === peer.tier))] };
  }
}

/** Azure takes one source (which may be a service tag) or a list of ranges, never a one-element list. */
function sources(source: AzureSource): Pick<AzureSecurityRule, "sourceAddressPrefix" | "sourceAddressPrefixes"> {
  if ("tag" in source) return { sourceAddressPrefix: source.tag };
  return source.prefixes.length === 1 ? { sourceAddressPrefix: source.prefixes[0]! } : { sourceAddressPrefixes: [...source.prefixes].sort() };
}

function ports(list: number[]): Pick<AzureSecurityRule, "destinationPortRange" | "destinationPortRanges"> {
  return list.length === 1 ? { destinationPortRange: String(list[0]) } : { destinationPortRanges: list.map(String) };
}

const inbound = { direction: "Inbound", sourcePortRange: "*", destinationAddressPrefix: "*" } as const;

/**
 * One allow per model rule (a service tag needs a rule of its own: Azure takes one tag per rule), then
 * a deny of everything else. The final deny matters: Azure's built-in rules would otherwise admit every
 * port from the whole virtual network (AllowVnetInBound), so a tier would not be limited to the peers
 * the model names.
 */
export function securityRules(environment: Environment, group: ServerGroup, managementCidrs: string[]): AzureSecurityRule[] {
  const translated = group.ingress.flatMap((rule) => {
    const peerSources = rule.peers.map((peer) => azureSource(peer, environment, managementCidrs));
    const prefixes = peerSources.flatMap((source) => ("prefixes" in source ? source.prefixes : []));
    const tags = peerSources.flatMap((source) => ("tag" in source ? [source.tag] : []));
    return [
      ...(prefixes.length > 0 ? [{ name: `allow-${rule.name}`, rule, source: { prefixes: [...new Set(prefixes)] } }] : []),
      ...tags.map((tag) => ({ name: tags.length === 1 && prefixes.length === 0 ? `allow-${rule.name}` : `allow-${rule.name}-${tag.toLowerCase()}`, rule, source: { tag } })),
    ];
  });
  const allowed = translated.map(
    ({ name, rule, source }, index): AzureSecurityRule => ({
      name,
      description: `${rule.description} (${rule.peers.map(describePeer).join(", ")})`,
      priority: FIRST_PRIORITY + index * PRIORITY_STEP,
      ...inbound,
      access: "Allow",
      protocol: "Tcp",
      ...sources(source),
      ...ports(rule.ports),
    }),
  );
  const deny: AzureSecurityRule = {
    name: "deny-all-inbound",
    description: "everything the rules above do not admit, from the internet and the virtual network alike",
    priority: DENY_PRIORITY,
    ...inbound,
    access: "Deny",
    protocol: "*",
    sourceAddressPrefix: "*",
    destinationPortRange: "*",
  };
  return [...allowed, deny];
}
