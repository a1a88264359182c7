/**
 * The address plan of a small spec, written out literally: the properties check the general case
 * against the model's own constants, these pin the constants themselves (Azure and AWS keep the
 * first four addresses and the last of each zone's /25; the load balancer takes the fifth).
 */
import { describe, expect, it } from "vitest";
import { buildPlatform, type Platform } from "../../model/platform.js";
import type { TenantSpec } from "../../model/spec.js";
import { VALID_SSH_KEY } from "../support/specs.js";

function spec(environments: TenantSpec["environments"]): TenantSpec {
  return {
    tenant: "pin",
    cloud: "azure",
    region: "westeurope",
    domain: "pin.example.com",
    admin: { username: "botadmin", sshPublicKeys: [VALID_SSH_KEY] },
    managementCidrs: ["203.0.113.0/24"],
    environments,
  };
}

function platformOf(environments: TenantSpec["environments"]): Platform {
  const result = buildPlatform(spec(environments));
  if (!result.platform) throw new Error(JSON.stringify(result.issues));
  return result.platform;
}

const tier = (count: number) => ({ count, size: "Standard_B2s", port: 8080, expose: "api" });

describe("the address plan, pinned", () => {
  const production = platformOf({ production: { cidr: "10.30.0.0/16", proxy: { count: 2 }, tiers: { api: tier(3) } } }).environments[0]!;

  it("gives the proxy the first /24 and each tier the next, split in one /25 per zone", () => {
    expect(production.proxy.cidr).toBe("10.30.0.0/24");
    expect(production.proxy.zones.map((zone) => zone.cidr)).toEqual(["10.30.0.0/25", "10.30.0.128/25"]);
    expect(production.tiers[0]!.cidr).toBe("10.30.1.0/24");
    expect(production.tiers[0]!.zones.map((zone) => zone.cidr)).toEqual(["10.30.1.0/25", "10.30.1.128/25"]);
  });

  it("puts the load balancer at .4 of each zone and the servers from .5, alternating zones", () => {
    const api = production.tiers[0]!;
    expect(api.zones.map((zone) => zone.loadBalancerIp)).toEqual(["10.30.1.4", "10.30.1.132"]);
    expect(api.loadBalancer!.privateIp).toBe("10.30.1.4");
    expect(api.hosts.map((host) => [host.zone, host.privateIp])).toEqual([
      [0, "10.30.1.5"],
      [1, "10.30.1.133"],
      [0, "10.30.1.6"],
    ]);
    expect(production.proxy.hosts.map((host) => host.privateIp)).toEqual(["10.30.0.5", "10.30.0.133"]);
    expect(production.routes.map((route) => route.upstreamIp)).toEqual(["10.30.1.4"]);
  });

  it("fills a full tier of 244 servers up to .126 and .254, short of each zone's last address", () => {
    const full = platformOf({ production: { cidr: "10.30.0.0/16", tiers: { api: tier(244) } } }).environments[0]!.tiers[0]!;
    const addresses = full.hosts.map((host) => host.privateIp);
    expect(new Set(addresses).size).toBe(244);
    expect(addresses.filter((address) => address.startsWith("10.30.1.")).length).toBe(244);
    expect(addresses.slice(-2)).toEqual(["10.30.1.126", "10.30.1.254"]);
    expect(buildPlatform(spec({ production: { cidr: "10.30.0.0/16", tiers: { api: tier(245) } } })).issues).toEqual([
      { path: ["environments", "production", "tiers", "api", "count"], message: "found 245, too many for one /24 subnet; allowed: at most 244" },
    ]);
  });

  it("allocates /16s from 10.20.0.0 on, in spec order, around the ranges written", () => {
    const platform = platformOf({
      production: { tiers: { api: tier(1) } },
      staging: { cidr: "10.21.0.0/16", tiers: { web: { ...tier(1), expose: "@" } } },
      development: { tiers: { app: { ...tier(1), expose: "@" } } },
    });
    expect(platform.environments.map((environment) => [environment.name, environment.cidr, environment.cidrAllocated])).toEqual([
      ["production", "10.20.0.0/16", true],
      ["staging", "10.21.0.0/16", false],
      ["development", "10.22.0.0/16", true],
    ]);
  });
});
