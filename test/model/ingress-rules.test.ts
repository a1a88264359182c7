/** The ingress rules exactly as planned: names the clouds key their rules by, descriptions `tenants show` prints, peers. */
import { describe, expect, it } from "vitest";
import { describePeer, INTERNET_PEER, MANAGEMENT_PEER, PROBES_PEER, PROXY_PEER, proxyIngress, samePeer, tierIngress, tierPeer, type Peer } from "../../model/ingress.js";

describe("describePeer", () => {
  it("reads each peer as a message says it", () => {
    expect([INTERNET_PEER, MANAGEMENT_PEER, PROXY_PEER, tierPeer("api"), PROBES_PEER].map(describePeer)).toEqual([
      "the internet",
      "the management ranges",
      "the proxy",
      "tier api",
      "the load balancer's health probes",
    ]);
  });
});

describe("samePeer", () => {
  it("tells peers apart by kind, and tiers by name", () => {
    const peers: Peer[] = [INTERNET_PEER, MANAGEMENT_PEER, PROXY_PEER, PROBES_PEER, tierPeer("api"), tierPeer("db")];
    for (const [i, a] of peers.entries()) for (const [j, b] of peers.entries()) expect(samePeer(a, b), `${describePeer(a)} / ${describePeer(b)}`).toBe(i === j);
    expect(samePeer(tierPeer("api"), { kind: "tier", tier: "api" })).toBe(true);
  });
});

describe("proxyIngress", () => {
  it("opens the web ports to the internet, the probes only behind a load balancer, SSH only with management ranges", () => {
    const web = { name: "web", description: "HTTPS, and HTTP to redirect, from the internet", ports: [80, 443], peers: [INTERNET_PEER] };
    const health = { name: "health", description: "the public load balancer's health probes", ports: [80, 443], peers: [PROBES_PEER] };
    const ssh = { name: "ssh", description: "SSH from the management ranges", ports: [22], peers: [MANAGEMENT_PEER] };
    expect(proxyIngress({ balanced: true, management: true })).toEqual([web, health, ssh]);
    expect(proxyIngress({ balanced: false, management: false })).toEqual([web]);
  });
});

describe("tierIngress", () => {
  const health = { name: "health", description: "the load balancer's health probes", ports: [3000], peers: [PROBES_PEER] };
  const ssh = { name: "ssh", description: "SSH through the proxy, the environment's jump host", ports: [22], peers: [PROXY_PEER] };

  it("names the proxy and the calling tiers in the app rule", () => {
    expect(tierIngress({ port: 3000, exposed: true, callers: ["web", "jobs"], balanced: true, management: true })).toEqual([
      { name: "app", description: "the app port from the proxy and tiers web, jobs", ports: [3000], peers: [PROXY_PEER, tierPeer("web"), tierPeer("jobs")] },
      health,
      ssh,
    ]);
  });

  it("says only the proxy for an exposed tier no other tier calls", () => {
    expect(tierIngress({ port: 3000, exposed: true, callers: [], balanced: false, management: false })).toEqual([
      { name: "app", description: "the app port from the proxy", ports: [3000], peers: [PROXY_PEER] },
    ]);
  });

  it("says only the tiers for an internal tier", () => {
    expect(tierIngress({ port: 3000, exposed: false, callers: ["web"], balanced: false, management: true })).toEqual([
      { name: "app", description: "the app port from tiers web", ports: [3000], peers: [tierPeer("web")] },
      ssh,
    ]);
  });

  it("opens no app port to a tier nobody may call", () => {
    expect(tierIngress({ port: 3000, exposed: false, callers: [], balanced: true, management: false })).toEqual([health]);
  });
});
