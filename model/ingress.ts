/**
 * Who may reach whom, stated as peers rather than addresses: every cloud translates a peer into its
 * own idiom (Azure: subnet prefixes and service tags; AWS: security-group references; DigitalOcean:
 * droplet tags and load-balancer ids) and the host firewall resolves it to addresses. Pure.
 */
import type { TierSpec } from "./spec.js";

export const SSH_PORT = 22;
export const HTTP_PORT = 80;
export const HTTPS_PORT = 443;

/** A symbolic source of traffic. */
export type Peer =
  | { kind: "internet" }
  /** The tenant's management ranges (`managementCidrs`). */
  | { kind: "management" }
  /** The environment's reverse proxies. */
  | { kind: "proxy" }
  /** The servers of a tier of the same environment. */
  | { kind: "tier"; tier: string }
  /** The health probes of the group's own load balancer. */
  | { kind: "probes" };

export const INTERNET_PEER: Peer = { kind: "internet" };
export const MANAGEMENT_PEER: Peer = { kind: "management" };
export const PROXY_PEER: Peer = { kind: "proxy" };
export const PROBES_PEER: Peer = { kind: "probes" };
export const tierPeer = (tier: string): Peer => ({ kind: "tier", tier });

export interface IngressRule {
  /** Short, stable identifier (`app`, `ssh`, `web`...), unique within its group. */
  name: string;
  description: string;
  ports: number[];
  peers: Peer[];
}

/** How a peer reads in messages and in `tenants show`. */
export function describePeer(peer: Peer): string {
  switch (peer.kind) {
    case "internet":
      return "the internet";
    case "management":
      return "the management ranges";
    case "proxy":
      return "the proxy";
    case "tier":
      return `tier ${peer.tier}`;
    case "probes":
      return "the load balancer's health probes";
  }
}

export function samePeer(a: Peer, b: Peer): boolean {
  return a.kind === b.kind && (a.kind !== "tier" || a.tier === (b as { tier: string }).tier);
}

/** The proxy: 80 and 443 from the internet, SSH from the management ranges (it is the jump host). */
export function proxyIngress({ balanced, management }: { balanced: boolean; management: boolean }): IngressRule[] {
  const web = [HTTP_PORT, HTTPS_PORT];
  return [
    { name: "web", description: "HTTPS, and HTTP to redirect, from the internet", ports: web, peers: [INTERNET_PEER] },
    ...(balanced ? [{ name: "health", description: "the public load balancer's health probes", ports: web, peers: [PROBES_PEER] }] : []),
    ...(management ? [{ name: "ssh", description: "SSH from the management ranges", ports: [SSH_PORT], peers: [MANAGEMENT_PEER] }] : []),
  ];
}

/**
 * The tiers that may call a tier: the ones its `from` names, or else every other tier of the
 * environment. A stateful tier's servers also reach each other (replication).
 */
export function callersOf(tierName: string, tier: Pick<TierSpec, "from" | "stateful">, environmentTiers: string[]): string[] {
  const named = tier.from ?? environmentTiers.filter((other) => other !== tierName);
  const callers = tier.stateful && !named.includes(tierName) ? [...named, tierName] : named;
  return environmentTiers.filter((other) => callers.includes(other));
}

/**
 * A tier: its port from the proxy (only when exposed) and from its callers, never from the proxy
 * otherwise; its load balancer's probes; SSH only from the proxy, the environment's jump host.
 */
export function tierIngress(tier: { port: number; exposed: boolean; callers: string[]; balanced: boolean; management: boolean }): IngressRule[] {
  const appPeers = [...(tier.exposed ? [PROXY_PEER] : []), ...tier.callers.map(tierPeer)];
  const from = [tier.exposed ? "the proxy" : undefined, tier.callers.length > 0 ? `tiers ${tier.callers.join(", ")}` : undefined].filter(Boolean).join(" and ");
  return [
    ...(appPeers.length > 0 ? [{ name: "app", description: `the app port from ${from}`, ports: [tier.port], peers: appPeers }] : []),
    ...(tier.balanced ? [{ name: "health", description: "the load balancer's health probes", ports: [tier.port], peers: [PROBES_PEER] }] : []),
    ...(tier.management ? [{ name: "ssh", description: "SSH through the proxy, the environment's jump host", ports: [SSH_PORT], peers: [PROXY_PEER] }] : []),
  ];
}
