/** The model's peers as Azure security rules: what each group admits, and the deny that closes the rest. */
import { describe, expect, it } from "vitest";
import { securityRules } from "../../../components/azure/security-rules.js";
import { INTERNET_PEER, PROBES_PEER, tierPeer } from "../../../model/ingress.js";
import type { Environment, Platform, ServerGroup } from "../../../model/platform.js";
import { platformOf } from "../../support/plan.js";
import { sampleSpec } from "../../support/specs.js";

const acme = platformOf(sampleSpec());
const production = acme.environments.find((environment) => environment.name === "production")!;
const tier = (environment: Environment, name: string) => environment.tiers.find((group) => group.name === name)!;
const rulesOf = (group: ServerGroup, environment: Environment = production, platform: Platform = acme) => securityRules(environment, group, platform.managementCidrs);

describe("securityRules", () => {
  it("translates every model rule, in order, with unique rising priorities, and ends with a deny of everything", () => {
    for (const group of [production.proxy, ...production.tiers]) {
      const rules = rulesOf(group);
      expect(rules.slice(0, -1).map((rule) => rule.name)).toEqual(group.ingress.map((rule) => `allow-${rule.name}`));
      const priorities = rules.map((rule) => rule.priority);
      expect(priorities).toEqual([...priorities].sort((a, b) => a - b));
      expect(new Set(priorities).size).toBe(priorities.length);
      expect(priorities.every((priority) => priority >= 100 && priority <= 4096)).toBe(true);
      expect(rules.at(-1)).toMatchObject({ access: "Deny", protocol: "*", sourceAddressPrefix: "*", destinationPortRange: "*", priority: 4096 });
    }
  });

  it("admits an exposed tier's port from the proxy's subnet and its callers' subnets, a private tier's only from its callers", () => {
    expect(rulesOf(tier(production, "api"))[0]).toMatchObject({ access: "Allow", protocol: "Tcp", sourceAddressPrefixes: ["10.20.0.0/24", "10.20.1.0/24"], destinationPortRange: "8080" });
    // db: `from: [api, nlp]`, and its own servers (replication); never the proxy's subnet.
    expect(rulesOf(tier(production, "db"))[0]).toMatchObject({ sourceAddressPrefixes: ["10.20.2.0/24", "10.20.3.0/24", "10.20.5.0/24"], destinationPortRange: "5432" });
    expect(rulesOf(tier(production, "nlp"))[0]).toMatchObject({ sourceAddressPrefix: "10.20.2.0/24", destinationPortRange: "5000" });
  });

  it("admits the balancer's probes by Azure's service tag, only where there is a balancer", () => {
    const probes = (rules: ReturnType<typeof rulesOf>) => rules.filter((rule) => rule.sourceAddressPrefix === "AzureLoadBalancer");
    expect(probes(rulesOf(production.proxy))).toEqual([expect.objectContaining({ destinationPortRanges: ["80", "443"] })]);
    expect(probes(rulesOf(tier(production, "api")))).toEqual([expect.objectContaining({ destinationPortRange: "8080" })]);
    expect(probes(rulesOf(tier(production, "db")))).toEqual([]);
    const development = acme.environments.find((environment) => environment.name === "development")!;
    expect(development.proxy.loadBalancer).toBeUndefined();
    expect(probes(rulesOf(development.proxy, development))).toEqual([]);
  });

  it("names the internet with Azure's service tag and lists several management ranges as prefixes", () => {
    const platform = platformOf({ ...sampleSpec(), managementCidrs: ["203.0.113.0/24", "198.51.100.0/24"] });
    const environment = platform.environments[0]!;
    expect(rulesOf(environment.proxy, environment, platform)).toEqual([
      expect.objectContaining({ name: "allow-web", sourceAddressPrefix: "Internet", destinationPortRanges: ["80", "443"] }),
      expect.objectContaining({ name: "allow-health", sourceAddressPrefix: "AzureLoadBalancer" }),
      expect.objectContaining({ name: "allow-ssh", sourceAddressPrefixes: ["198.51.100.0/24", "203.0.113.0/24"], destinationPortRange: "22" }),
      expect.objectContaining({ name: "deny-all-inbound" }),
    ]);
  });

  it("admits no SSH at all without management ranges", () => {
    const { managementCidrs: _none, ...spec } = sampleSpec();
    const platform = platformOf(spec);
    const environment = platform.environments[0]!;
    for (const group of [environment.proxy, ...environment.tiers]) {
      const rules = rulesOf(group, environment, platform);
      expect(rules.filter((rule) => rule.access === "Allow" && (rule.destinationPortRange === "22" || rule.destinationPortRanges?.includes("22")))).toEqual([]);
    }
  });

  it("gives the production api tier exactly its app, probe and SSH rules, 10 apart from 100, then the deny at 4096", () => {
    const inbound = { direction: "Inbound", sourcePortRange: "*", destinationAddressPrefix: "*" };
    expect(rulesOf(tier(production, "api"))).toEqual([
      {
        name: "allow-app",
        description: "the app port from the proxy and tiers front (the proxy, tier front)",
        priority: 100,
        ...inbound,
        access: "Allow",
        protocol: "Tcp",
        sourceAddressPrefixes: ["10.20.0.0/24", "10.20.1.0/24"],
        destinationPortRange: "8080",
      },
      { name: "allow-health", description: "the load balancer's health probes (the load balancer's health probes)", priority: 110, ...inbound, access: "Allow", protocol: "Tcp", sourceAddressPrefix: "AzureLoadBalancer", destinationPortRange: "8080" },
      { name: "allow-ssh", description: "SSH through the proxy, the environment's jump host (the proxy)", priority: 120, ...inbound, access: "Allow", protocol: "Tcp", sourceAddressPrefix: "10.20.0.0/24", destinationPortRange: "22" },
      {
        name: "deny-all-inbound",
        description: "everything the rules above do not admit, from the internet and the virtual network alike",
        priority: 4096,
        ...inbound,
        access: "Deny",
        protocol: "*",
        sourceAddressPrefix: "*",
        destinationPortRange: "*",
      },
    ]);
  });

  it("splits a rule naming ranges and service tags: one rule for the ranges, one per tag named after it (Azure takes one tag per rule)", () => {
    const group = { ...tier(production, "api"), ingress: [{ name: "mixed", description: "a test rule", ports: [8080], peers: [INTERNET_PEER, tierPeer("front"), PROBES_PEER] }] };
    expect(rulesOf(group).map(({ name, description, priority, sourceAddressPrefix }) => ({ name, description, priority, sourceAddressPrefix }))).toEqual([
      { name: "allow-mixed", description: "a test rule (the internet, tier front, the load balancer's health probes)", priority: 100, sourceAddressPrefix: "10.20.1.0/24" },
      { name: "allow-mixed-internet", description: "a test rule (the internet, tier front, the load balancer's health probes)", priority: 110, sourceAddressPrefix: "Internet" },
      { name: "allow-mixed-azureloadbalancer", description: "a test rule (the internet, tier front, the load balancer's health probes)", priority: 120, sourceAddressPrefix: "AzureLoadBalancer" },
      expect.objectContaining({ name: "deny-all-inbound" }),
    ]);
    // Two tags and no range: each tag's rule is still named after it.
    const tagsOnly = { ...group, ingress: [{ ...group.ingress[0]!, peers: [INTERNET_PEER, PROBES_PEER] }] };
    expect(rulesOf(tagsOnly).map((rule) => rule.name)).toEqual(["allow-mixed-internet", "allow-mixed-azureloadbalancer", "deny-all-inbound"]);
    // One tag beside ranges: the tag's rule is named after it too.
    const oneTag = { ...group, ingress: [{ ...group.ingress[0]!, peers: [tierPeer("front"), PROBES_PEER] }] };
    expect(rulesOf(oneTag).map((rule) => rule.name)).toEqual(["allow-mixed", "allow-mixed-azureloadbalancer", "deny-all-inbound"]);
  });

  it("refuses a peer tier the environment does not have (a model error)", () => {
    const group = { ...tier(production, "api"), ingress: [{ name: "app", description: "the app port", ports: [8080], peers: [tierPeer("billing")] }] };
    expect(() => rulesOf(group)).toThrow("internal: the model gives tier billing no subnet in production");
  });
});
