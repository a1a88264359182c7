/**
 * The address plan at its limits, written out literally (addresses.property.test.ts pins a small
 * spec): a full subnet ends one short of each half's last address, and unwritten ranges are
 * allocated in order around the written ones.
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

describe("the address plan at its limits, pinned", () => {
  it("fills a full tier of 244 servers up to .126 and .254, short of each half's last address, and refuses 245", () => {
    const full = platformOf({ production: { cidr: "10.30.0.0/16", tiers: { api: tier(244) } } }).environments[0]!.tiers[0]!;
    const addresses = full.hosts.map((host) => host.privateIp!);
    expect(full.subnet!.cidr).toBe("10.30.1.0/24");
    expect(new Set(addresses).size).toBe(244);
    expect(addresses.every((address) => address.startsWith("10.30.1."))).toBe(true);
    expect(addresses.slice(0, 2)).toEqual(["10.30.1.5", "10.30.1.133"]);
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
