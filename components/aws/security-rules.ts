/**
 * The model's ingress peers as AWS security-group rules: a group peer (the proxy, a tier, the load
 * balancer) becomes a reference to that group's security group, so that the rule follows the servers
 * wherever AWS places them; only the internet and the management ranges stay address ranges. One rule
 * per port and source, as `vpc.SecurityGroupIngressRule` takes them. Pure.
 */
import { describePeer, type Peer } from "../../model/ingress.js";
import { INTERNET, type IngressRule, type ServerGroup } from "../../model/platform.js";

/** Where a rule admits traffic from: a range, or the security group of a group of the environment. */
export type RuleSource = { cidrIpv4: string } | { securityGroupOf: string } | { loadBalancerOf: string };

export interface AwsIngressRule {
  /** The resource's name: unique in the stack, stable while the rule is. */
  name: string;
  description: string;
  port: number;
  source: RuleSource;
}

/** A source and the part of the rule's name that tells it apart from the rule's other sources. */
interface NamedSource {
  label: string;
  source: RuleSource;
}

/**
 * The sources a peer stands for. The load balancer's health probes come from the balancer itself: its
 * own security group is referenced, which admits its probes and, with the clients' addresses kept
 * (instance targets), the traffic it forwards.
 */
function sourcesOf(peer: Peer, group: ServerGroup, managementCidrs: string[]): NamedSource[] {
  switch (peer.kind) {
    case "internet":
      return [{ label: "internet", source: { cidrIpv4: INTERNET } }];
    case "management":
      return managementCidrs.map((cidrIpv4, index) => ({ label: `management-${index + 1}`, source: { cidrIpv4 } }));
    case "proxy":
      return [{ label: "proxy", source: { securityGroupOf: "proxy" } }];
    case "tier":
      return [{ label: peer.tier, source: { securityGroupOf: peer.tier } }];
    case "probes":
      if (!group.loadBalancer) throw new Error(`internal: the model admits load balancer probes to ${group.name}, which has no load balancer`);
      return [{ label: "lb", source: { loadBalancerOf: group.name } }];
  }
}

/** Every rule of the group's own security group, in the model's order. */
export function securityGroupRules(group: ServerGroup, managementCidrs: string[]): AwsIngressRule[] {
  return translate(group, group.ingress, managementCidrs, group.names.securityGroup);
}

/**
 * The rules of the group's load balancer's own security group: its listeners' ports from the peers
 * that may reach the group on them (the probes aside: they are the balancer's own).
 */
export function loadBalancerRules(group: ServerGroup, managementCidrs: string[]): AwsIngressRule[] {
  const balancer = group.loadBalancer;
  if (!balancer) return [];
  const front = group.ingress.flatMap((rule): IngressRule[] => {
    const ports = rule.ports.filter((port) => balancer.ports.includes(port));
    const peers = rule.peers.filter((peer) => peer.kind !== "probes");
    return ports.length > 0 && peers.length > 0 ? [{ ...rule, ports, peers }] : [];
  });
  return translate(group, front, managementCidrs, loadBalancerSecurityGroupName(group));
}

function translate(group: ServerGroup, rules: IngressRule[], managementCidrs: string[], prefix: string): AwsIngressRule[] {
  return rules.flatMap((rule) =>
    rule.ports.flatMap((port) =>
      rule.peers.flatMap((peer) =>
        sourcesOf(peer, group, managementCidrs).map(({ label, source }) => ({
          name: `${prefix}-${rule.name}-${port}-${label}`,
          description: `${rule.description} (${describePeer(peer)})`,
          port,
          source,
        })),
      ),
    ),
  );
}

/** The balancer's own security group, set when it is created (a network load balancer cannot gain one later). */
export function loadBalancerSecurityGroupName(group: ServerGroup): string {
  if (!group.loadBalancer) throw new Error(`internal: ${group.name} has no load balancer`);
  return `${group.loadBalancer.name}-fw`;
}
