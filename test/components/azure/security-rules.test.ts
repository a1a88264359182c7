/** The model's ingress rules as Azure security rules: what each group admits, and the deny that closes the rest. */
import { describe, expect, it } from "vitest";
import { securityRules } from "../../../components/azure/security-rules.js";
import { platformOf } from "../../support/plan.js";
import { sampleSpec } from "../../support/specs.js";

const acme = platformOf(sampleSpec());
const production = acme.environments.find((environment) => environment.name === "production")!;

describe("securityRules", () => {
  it("translates every model rule, in order, with unique rising priorities, and ends with a deny of everything", () => {
    for (const group of [production.proxy, ...production.tiers]) {
      const rules = securityRules(group);
      expect(rules.slice(0, group.ingress.length).map((rule) => rule.name)).toEqual(group.ingress.map((rule) => `allow-${rule.name}`));
      const priorities = rules.map((rule) => rule.priority);
      expect(priorities).toEqual([...priorities].sort((a, b) => a - b));
      expect(new Set(priorities).size).toBe(priorities.length);
      expect(priorities.every((priority) => priority >= 100 && priority <= 4096)).toBe(true);
      expect(rules.at(-1)).toMatchObject({ access: "Deny", protocol: "*", sourceAddressPrefix: "*", destinationPortRange: "*", priority: 4096 });
    }
  });

  it("admits a tier's port from the callers the model names: the proxy's subnet when exposed, the network otherwise", () => {
    const api = production.tiers.find((tier) => tier.name === "api")!;
    const db = production.tiers.find((tier) => tier.name === "db")!;
    expect(securityRules(api)[0]).toMatchObject({ access: "Allow", protocol: "Tcp", sourceAddressPrefix: production.proxy.cidr, destinationPortRange: "8080" });
    expect(securityRules(db)[0]).toMatchObject({ access: "Allow", protocol: "Tcp", sourceAddressPrefix: production.cidr, destinationPortRange: "5432" });
  });

  it("admits the balancer's probes (Azure's own address) on the balanced ports, only where there is a balancer", () => {
    const probes = (rules: ReturnType<typeof securityRules>) => rules.filter((rule) => rule.sourceAddressPrefix === "AzureLoadBalancer");
    expect(probes(securityRules(production.proxy))).toEqual([expect.objectContaining({ destinationPortRanges: ["80", "443"] })]);
    const development = acme.environments.find((environment) => environment.name === "development")!;
    expect(development.proxy.loadBalancer).toBeUndefined();
    expect(probes(securityRules(development.proxy))).toEqual([]);
  });

  it("names the internet with Azure's service tag and lists several management ranges as prefixes", () => {
    const platform = platformOf({ ...sampleSpec(), managementCidrs: ["203.0.113.0/24", "198.51.100.0/24"] });
    const proxy = platform.environments[0]!.proxy;
    expect(securityRules(proxy).slice(0, 2)).toEqual([
      expect.objectContaining({ name: "allow-web", sourceAddressPrefix: "Internet", destinationPortRanges: ["80", "443"] }),
      expect.objectContaining({ name: "allow-ssh", sourceAddressPrefixes: ["203.0.113.0/24", "198.51.100.0/24"], destinationPortRange: "22" }),
    ]);
  });

  it("admits no SSH at all without management ranges", () => {
    const { managementCidrs: _none, ...spec } = sampleSpec();
    const platform = platformOf(spec);
    for (const group of [platform.environments[0]!.proxy, ...platform.environments[0]!.tiers]) {
      expect(securityRules(group).filter((rule) => rule.access === "Allow" && (rule.destinationPortRange === "22" || rule.destinationPortRanges?.includes("22")))).toEqual([]);
    }
  });
});
