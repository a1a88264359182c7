/** The model's peers as DigitalOcean firewall rules: tags for groups, the balancer's id for probes, ranges only for the internet and management. */
import { describe, expect, it } from "vitest";
import { inboundRules, natInboundRules, outboundRules } from "../../../components/digitalocean/firewall-rules.js";
import { MANAGEMENT_PEER, PROBES_PEER, tierPeer } from "../../../model/ingress.js";
import { INTERNET, type Environment, type ServerGroup } from "../../../model/platform.js";
import { environmentOf, platformOf } from "../../support/plan.js";
import { sampleSpec } from "../../support/specs.js";

/** Written out, not imported from the module under test: a wrong constant there must fail here. */
const INTERNET_V6 = "::/0";
const hooli = platformOf(sampleSpec("hooli"));
const production = environmentOf(hooli, "production");
const development = environmentOf(hooli, "development");
const tier = (environment: Environment, name: string) => environment.tiers.find((group) => group.name === name)!;
const rulesOf = (group: ServerGroup, environment = production) => inboundRules(environment, group, hooli.managementCidrs, group.loadBalancer ? `${group.name}-lb-uid` : undefined);

describe("inboundRules", () => {
  it("admits the web ports from the internet (both families), the balancer's probes by its id and SSH from the management ranges on the proxy", () => {
    expect(rulesOf(production.proxy)).toEqual([
      { protocol: "tcp", portRange: "80", sourceAddresses: [INTERNET, INTERNET_V6] },
      { protocol: "tcp", portRange: "443", sourceAddresses: [INTERNET, INTERNET_V6] },
      { protocol: "tcp", portRange: "80", sourceLoadBalancerUids: ["proxy-lb-uid"] },
      { protocol: "tcp", portRange: "443", sourceLoadBalancerUids: ["proxy-lb-uid"] },
      { protocol: "tcp", portRange: "22", sourceAddresses: ["192.0.2.0/24"] },
    ]);
  });

  it("admits a tier's port from its peers' account-unique tags, never by address, and SSH only from the proxy", () => {
    expect(rulesOf(tier(production, "api"))).toEqual([
      { protocol: "tcp", portRange: "8080", sourceTags: ["hooli-production-front", "hooli-production-proxy"] },
      { protocol: "tcp", portRange: "8080", sourceLoadBalancerUids: ["api-lb-uid"] },
      { protocol: "tcp", portRange: "22", sourceTags: ["hooli-production-proxy"] },
    ]);
    // db: `from: [api]` and its own servers (replication); no balancer, so no probes; never the proxy's port.
    expect(rulesOf(tier(production, "db"))).toEqual([
      { protocol: "tcp", portRange: "27017", sourceTags: ["hooli-production-api", "hooli-production-db"] },
      { protocol: "tcp", portRange: "22", sourceTags: ["hooli-production-proxy"] },
    ]);
  });

  it("names the environment's own groups: development's tags are not production's", () => {
    const tags = rulesOf(tier(development, "db"), development).flatMap((rule) => rule.sourceTags ?? []);
    expect(tags.length).toBeGreaterThan(0);
    expect(tags.every((tag) => tag.startsWith("hooli-development-"))).toBe(true);
  });

  it("opens addresses only for the internet and the management ranges: every other source is a tag or a balancer", () => {
    for (const environment of hooli.environments) {
      for (const group of [environment.proxy, ...environment.tiers]) {
        for (const rule of rulesOf(group, environment)) {
          for (const address of rule.sourceAddresses ?? []) expect([INTERNET, INTERNET_V6, ...hooli.managementCidrs]).toContain(address);
          if (group.kind === "tier") expect(rule.sourceAddresses).toBeUndefined();
        }
      }
    }
  });

  it("leaves out a rule with no source (no management ranges) and refuses probes without a balancer", () => {
    const spec = sampleSpec("hooli");
    delete spec.managementCidrs;
    const bare = environmentOf(platformOf(spec), "production");
    expect(inboundRules(bare, bare.proxy, [], "lb").map((rule) => rule.portRange)).toEqual(["80", "443", "80", "443"]);
    expect(() => inboundRules(production, tier(production, "api"), [], undefined)).toThrow(/probes but has no load balancer/);
    // The proxy's SSH rule names the management ranges: with none given it has no source and is left out.
    expect(inboundRules(production, production.proxy, [], "lb").map((rule) => rule.portRange)).toEqual(["80", "443", "80", "443"]);
  });

  it("keeps a rule whose sources are of several kinds in one rule per port", () => {
    const rule = (peers: ServerGroup["ingress"][number]["peers"]) => ({ ...tier(production, "api"), ingress: [{ name: "app", description: "a test rule", ports: [8080], peers }] });
    expect(inboundRules(production, rule([MANAGEMENT_PEER, tierPeer("front")]), ["192.0.2.0/24"], "lb")).toEqual([
      { protocol: "tcp", portRange: "8080", sourceAddresses: ["192.0.2.0/24"], sourceTags: ["hooli-production-front"] },
    ]);
    expect(inboundRules(production, rule([tierPeer("front"), PROBES_PEER]), [], "lb")).toEqual([
      { protocol: "tcp", portRange: "8080", sourceTags: ["hooli-production-front"], sourceLoadBalancerUids: ["lb"] },
    ]);
  });

  it("refuses a peer tier the environment does not have (a model error)", () => {
    const group = { ...tier(production, "api"), ingress: [{ name: "app", description: "a test rule", ports: [8080], peers: [tierPeer("billing")] }] };
    expect(() => inboundRules(production, group, [], "lb")).toThrow("internal: the model names tier billing, which production does not have");
  });
});

describe("natInboundRules", () => {
  it("admits everything the tiers send on the proxies, from the tiers' tags, only with egress: proxy", () => {
    const spec = sampleSpec("hooli");
    spec.egress = "proxy";
    const natted = environmentOf(platformOf(spec), "production");
    const sourceTags = ["hooli-production-api", "hooli-production-db", "hooli-production-front"];
    expect(natInboundRules(natted, natted.proxy)).toEqual([
      { protocol: "tcp", portRange: "1-65535", sourceTags },
      { protocol: "udp", portRange: "1-65535", sourceTags },
      { protocol: "icmp", sourceTags },
    ]);
    expect(natInboundRules(natted, tier(natted, "api"))).toEqual([]);
    expect(natInboundRules(production, production.proxy)).toEqual([]);
  });
});

describe("outboundRules", () => {
  it("states TCP, UDP and ICMP to both families, nothing implicit", () => {
    expect(outboundRules()).toEqual([
      { protocol: "tcp", portRange: "1-65535", destinationAddresses: [INTERNET, INTERNET_V6] },
      { protocol: "udp", portRange: "1-65535", destinationAddresses: [INTERNET, INTERNET_V6] },
      { protocol: "icmp", destinationAddresses: [INTERNET, INTERNET_V6] },
    ]);
  });
});
