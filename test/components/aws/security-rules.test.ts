/** The model's peers as AWS security-group rules: references for groups, ranges only for the internet and management. */
import { describe, expect, it } from "vitest";
import { loadBalancerRules, loadBalancerSecurityGroupName, securityGroupRules } from "../../../components/aws/security-rules.js";
import { environmentOf, samplePlatforms } from "../../support/plan.js";

const platform = samplePlatforms().find((candidate) => candidate.tenant === "initech")!;
const production = environmentOf(platform, "production");
const group = (name: string) => [production.proxy, ...production.tiers].find((candidate) => candidate.name === name)!;
const MANAGEMENT = platform.managementCidrs;

describe("securityGroupRules", () => {
  it("admits the proxy's web ports from the internet, its probes through the balancer's group, SSH from each management range", () => {
    expect(securityGroupRules(group("proxy"), MANAGEMENT).map(({ name, port, source }) => [name, port, source])).toEqual([
      ["initech-production-proxy-fw-web-80-internet", 80, { cidrIpv4: "0.0.0.0/0" }],
      ["initech-production-proxy-fw-web-443-internet", 443, { cidrIpv4: "0.0.0.0/0" }],
      ["initech-production-proxy-fw-health-80-lb", 80, { loadBalancerOf: "proxy" }],
      ["initech-production-proxy-fw-health-443-lb", 443, { loadBalancerOf: "proxy" }],
      ["initech-production-proxy-fw-ssh-22-management-1", 22, { cidrIpv4: "203.0.113.0/24" }],
    ]);
  });

  it("gives a private tier its callers' security groups, never the proxy's on its port, and SSH from the proxy", () => {
    const rules = securityGroupRules(group("brain"), MANAGEMENT);
    expect(rules.map(({ port, source }) => [port, source])).toEqual([
      [5000, { securityGroupOf: "chat" }],
      [5000, { loadBalancerOf: "brain" }],
      [22, { securityGroupOf: "proxy" }],
    ]);
    expect(rules.every((rule) => !("cidrIpv4" in rule.source))).toBe(true);
  });

  it("lets a stateful tier's servers reach each other (replication) and has no balancer rule", () => {
    const store = group("store");
    expect(securityGroupRules(store, MANAGEMENT).filter((rule) => rule.port === 5432).map((rule) => rule.source)).toEqual([
      { securityGroupOf: "chat" },
      { securityGroupOf: "brain" },
      { securityGroupOf: "store" },
    ]);
    expect(loadBalancerRules(store, MANAGEMENT)).toEqual([]);
    expect(() => loadBalancerSecurityGroupName(store)).toThrow(/no load balancer/);
  });

  it("opens a balancer's listener ports to the peers of its group's rules, without the probes", () => {
    // chat names no `from`: every other tier may call it, as well as the proxy (it is exposed).
    expect(loadBalancerRules(group("chat"), MANAGEMENT).map(({ name, source }) => [name, source])).toEqual([
      ["initech-production-chat-lb-fw-app-8080-proxy", { securityGroupOf: "proxy" }],
      ["initech-production-chat-lb-fw-app-8080-brain", { securityGroupOf: "brain" }],
      ["initech-production-chat-lb-fw-app-8080-store", { securityGroupOf: "store" }],
    ]);
    expect(loadBalancerRules(group("proxy"), MANAGEMENT).map(({ port, source }) => [port, source])).toEqual([
      [80, { cidrIpv4: "0.0.0.0/0" }],
      [443, { cidrIpv4: "0.0.0.0/0" }],
    ]);
  });

  it("describes each rule by the model's rule and the peer it admits", () => {
    expect(securityGroupRules(group("brain"), MANAGEMENT).map((rule) => rule.description)).toEqual([
      "the app port from tiers chat (tier chat)",
      "the load balancer's health probes (the load balancer's health probes)",
      "SSH through the proxy, the environment's jump host (the proxy)",
    ]);
    expect(securityGroupRules(group("proxy"), MANAGEMENT).map((rule) => rule.description)).toContain("SSH from the management ranges (the management ranges)");
  });

  it("refuses balancer probes to a group without a balancer (the model never admits them there)", () => {
    expect(() => securityGroupRules({ ...group("brain"), loadBalancer: undefined }, MANAGEMENT)).toThrow(
      new Error("internal: the model admits load balancer probes to brain, which has no load balancer"),
    );
  });

  it("names every rule uniquely across the environment", () => {
    const names = [production.proxy, ...production.tiers].flatMap((candidate) => [...securityGroupRules(candidate, MANAGEMENT), ...loadBalancerRules(candidate, MANAGEMENT)].map((rule) => rule.name));
    expect(new Set(names).size).toBe(names.length);
  });
});
