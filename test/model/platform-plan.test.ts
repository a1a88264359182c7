/** The platform planned from the sample tenant, pinned where a consumer or a user reads it, and the refusals of its checks, word for word. */
import { describe, expect, it } from "vitest";
import { buildPlatform, type Environment, type Platform } from "../../model/platform.js";
import type { TenantSpec } from "../../model/spec.js";
import { sampleSpec, specRefusal } from "../support/specs.js";

function plan(mutate: (spec: TenantSpec) => void = () => {}): Platform {
  const spec = sampleSpec();
  mutate(spec);
  const { platform, issues } = buildPlatform(spec);
  if (!platform) throw new Error(`refused: ${JSON.stringify(issues)}`);
  return platform;
}
const environment = (platform: Platform, name: string): Environment => platform.environments.find((candidate) => candidate.name === name)!;
const refusal = (mutate: (spec: TenantSpec) => void) => specRefusal(mutate).replace(/^t\.yaml:\d+:\d+: /gm, "");

describe("the planned platform", () => {
  it("carries the account and the overlay only when the spec gives them", () => {
    const bare = plan((spec) => {
      delete spec.account;
      delete spec.overlay;
    });
    expect("account" in bare || "overlay" in bare).toBe(false);
    const full = plan((spec) => {
      spec.account = "acme-ops";
      spec.overlay = "acme";
    });
    expect([full.account, full.overlay]).toEqual(["acme-ops", "acme"]);
  });

  it("gives production two load-balanced proxies and other environments one without a load balancer, by default", () => {
    const platform = plan((spec) => {
      delete spec.proxy;
      for (const env of Object.values(spec.environments)) delete env.proxy;
    });
    const production = environment(platform, "production");
    const development = environment(platform, "development");
    expect([production.production, production.protect, production.proxy.hosts.length, production.proxy.loadBalancer?.public]).toEqual([true, true, 2, true]);
    expect([development.production, development.protect, development.proxy.hosts.length, development.proxy.loadBalancer]).toEqual([false, false, 1, undefined]);
    expect(development.proxy.ingress.map((rule) => rule.name)).toEqual(["web", "ssh"]);
    expect([production.proxy.stateful, production.proxy.kind]).toEqual([false, "proxy"]);
  });

  it("opens SSH nowhere when the tenant has no management ranges", () => {
    const platform = plan((spec) => delete spec.managementCidrs);
    for (const env of platform.environments) {
      for (const group of [env.proxy, ...env.tiers]) expect(group.ingress.map((rule) => rule.name), `${env.name}.${group.name}`).not.toContain("ssh");
    }
    expect(environment(plan(), "production").tiers.find((tier) => tier.name === "api")!.ingress.map((rule) => rule.name)).toContain("ssh");
  });

  it("names each server and tags it with its tier; the environment's own tags name no tier", () => {
    const production = environment(plan(), "production");
    const api = production.tiers.find((tier) => tier.name === "api")!;
    expect(api.hosts.map((host) => [host.dnsName, host.tags.tier, "dataDisk" in host])).toEqual([
      [`api-1.${production.dnsZone}`, "api", false],
      [`api-2.${production.dnsZone}`, "api", false],
      [`api-3.${production.dnsZone}`, "api", false],
    ]);
    expect(production.proxy.tags.tier).toBe("proxy");
    expect(production.tags).toStrictEqual({ tenant: "acme", environment: "production", "managed-by": "botinfra" });
  });
});

describe("the platform's refusals", () => {
  it("names the cloud's egress modes", () => {
    expect(refusal((spec) => (spec.egress = "proxy"))).toBe('egress: found "proxy", which Azure does not offer; allowed on Azure: nat-gateway');
  });

  it("places a wrong server size at the field that holds it", () => {
    expect(refusal((spec) => (spec.proxy = { size: "t3.small" }))).toBe('proxy.size: found "t3.small"; allowed: Azure server sizes, such as Standard_B2s');
    expect(refusal((spec) => (spec.environments.production!.proxy = { count: 2, size: "t3.small" }))).toBe(
      'environments.production.proxy.size: found "t3.small"; allowed: Azure server sizes, such as Standard_B2s',
    );
  });

  it("refuses a second tier of one environment on the environment's own host", () => {
    expect(refusal((spec) => (spec.environments.development!.tiers.api!.expose = "@"))).toBe(
      'environments.development.tiers.api.expose: makes the host name "development.acme.example.com", already served by environments.development.tiers.front; allowed: a host name no other tier or environment uses',
    );
  });

  it("places a wrong tier size at the tier's field", () => {
    expect(refusal((spec) => (spec.environments.development!.tiers.api!.size = "t3.small"))).toBe(
      'environments.development.tiers.api.size: found "t3.small"; allowed: Azure server sizes, such as Standard_B2s',
    );
  });

  it("lists a few of the refused admin names", () => {
    expect(refusal((spec) => (spec.admin.username = "daemon"))).toBe('admin.username: found "daemon", a system user of Debian; allowed: a user name of your own (not root, daemon, bin, sys, ...)');
    expect(refusal((spec) => (spec.admin.username = "guest"))).toBe(
      'admin.username: found "guest", which Azure refuses for a server\'s admin user; allowed: a name not on Azure\'s list (1, 123, a, actuser, adm, admin, admin1, admin2, ...)',
    );
  });

  it("says what is wrong with a management range that is not one", () => {
    expect(refusal((spec) => (spec.managementCidrs = ["203.0.113.0/24", "office"]))).toMatch(/^managementCidrs\[1\]: found "office": \S/);
  });

  it("refuses a spec without environments, and an environment without tiers", () => {
    expect(refusal((spec) => (spec.environments = {}))).toBe("environments: is empty; allowed: at least one environment");
    expect(refusal((spec) => (spec.environments.development!.tiers = {}))).toBe("environments.development.tiers: is empty; allowed: at least one tier");
  });

  it("lists the tiers a `from` may name", () => {
    expect(refusal((spec) => (spec.environments.development!.tiers.api!.from = ["web"]))).toBe(
      'environments.development.tiers.api.from[0]: found "web", which is not a tier of this environment; allowed: front',
    );
    expect(
      refusal((spec) => {
        spec.environments.development!.tiers = { api: { ...spec.environments.development!.tiers.api!, from: ["front"] } };
      }),
    ).toBe('environments.development.tiers.api.from[0]: found "front", which is not a tier of this environment; allowed: (no other tier)');
  });

  it("accepts a public host name of 253 characters and refuses one longer, or with a label over 63", () => {
    const publicHost = environment(plan(), "development").publicHost;
    const exposeOf = (length: number) => Array.from({ length: Math.ceil(length / 50) }, () => "a".repeat(49)).join(".").slice(0, length).replace(/\.$/, "b");
    const withExpose = (expose: string) => (spec: TenantSpec) => (spec.environments.development!.tiers.api!.expose = expose);
    const longest = exposeOf(253 - 1 - publicHost.length);
    expect(`${longest}.${publicHost}`).toHaveLength(253);
    expect(environment(plan(withExpose(longest)), "development").routes.map((route) => route.host)).toContain(`${longest}.${publicHost}`);
    expect(refusal(withExpose(`${longest}c`))).toBe(
      `environments.development.tiers.api.expose: makes the host name "${longest}c.${publicHost}", which is not a valid DNS name; allowed: labels of at most 63 characters, 253 in all`,
    );
    expect(refusal(withExpose("a".repeat(64)))).toMatch(/^environments\.development\.tiers\.api\.expose: makes the host name "a{64}\.[^"]+", which is not a valid DNS name/);
    expect(environment(plan(withExpose("a".repeat(63))), "development").routes.map((route) => route.host)).toContain(`${"a".repeat(63)}.${publicHost}`);
  });
});
