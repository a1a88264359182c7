/**
 * The address plan: literal expectations for a small spec (so a wrong constant shows), and stability:
 * once pinned, removing, adding or reordering tiers moves no other tier's subnet or address.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pinEdits } from "../../model/pin.js";
import type { Environment, Platform } from "../../model/platform.js";
import type { TenantSpec } from "../../model/spec.js";
import { mustBuild, validSpec } from "../support/generated-specs.js";
import { sampleSpec } from "../support/specs.js";

describe("the address plan of a small spec", () => {
  const platform = mustBuild(sampleSpec());
  const development = platform.environments.find((environment) => environment.name === "development")!;
  const production = platform.environments.find((environment) => environment.name === "production")!;

  it("puts the proxy in the first /24 and each tier in the next ones, in spec order", () => {
    expect([development.proxy, ...development.tiers].map((group) => group.subnet?.cidr)).toEqual(["10.21.0.0/24", "10.21.1.0/24", "10.21.2.0/24"]);
  });

  it("puts the load balancer at .4 of each half, servers from .5, alternating halves (the second from .132)", () => {
    const api = production.tiers.find((tier) => tier.name === "api")!;
    expect(api.subnet!.halves.map((half) => [half.cidr, half.loadBalancerIp])).toEqual([
      ["10.20.2.0/25", "10.20.2.4"],
      ["10.20.2.128/25", "10.20.2.132"],
    ]);
    expect(api.loadBalancer!.privateIp).toBe("10.20.2.4");
    expect(api.hosts.map((host) => host.privateIp)).toEqual(["10.20.2.5", "10.20.2.133", "10.20.2.6"]);
  });
});

/** A tenant's planned placement, per environment and tier: the subnet and every address in it. */
function placement(platform: Platform): Map<string, string> {
  const placed = new Map<string, string>();
  const record = (environment: Environment) => {
    for (const tier of environment.tiers) {
      placed.set(`${environment.name}.${tier.name}`, JSON.stringify([tier.subnet?.cidr, tier.loadBalancer?.privateIp, tier.hosts.map((host) => host.privateIp)]));
    }
  };
  platform.environments.forEach(record);
  return placed;
}

/** The spec with every allocated range written in, as `botinfra tenants pin` writes it. */
function pinned(spec: TenantSpec): TenantSpec {
  const copy = structuredClone(spec);
  for (const edit of pinEdits(mustBuild(spec))) {
    let node = copy as unknown as Record<string, Record<string, unknown>>;
    for (const part of edit.path.slice(0, -1)) node = node[part] as unknown as Record<string, Record<string, unknown>>;
    (node as Record<string, unknown>)[edit.path.at(-1)!] = edit.value;
  }
  return copy;
}

type Change = { kind: "remove" | "reverse" | "add"; environment: number; tier: number };

function applyChange(spec: TenantSpec, change: Change): TenantSpec {
  const copy = structuredClone(spec);
  const names = Object.keys(copy.environments);
  const environment = copy.environments[names[change.environment % names.length]!]!;
  const tiers = Object.entries(environment.tiers);
  if (change.kind === "remove" && tiers.length > 1) {
    const [victim] = tiers[change.tier % tiers.length]!;
    environment.tiers = Object.fromEntries(tiers.filter(([name]) => name !== victim));
    for (const tier of Object.values(environment.tiers)) if (tier.from) tier.from = tier.from.filter((name) => name !== victim);
    for (const tier of Object.values(environment.tiers)) if (tier.from?.length === 0) delete tier.from;
  } else if (change.kind === "reverse") {
    environment.tiers = Object.fromEntries(tiers.reverse());
  } else if (change.kind === "add") {
    environment.tiers[`added${change.tier}`] = { count: 1, size: tiers[0]![1].size, port: 9000 + change.tier };
  }
  return copy;
}

describe("pinned address plans", () => {
  it("keep every remaining tier's subnet and addresses through random removals, additions and reorderings", () => {
    const change = fc.record({ kind: fc.constantFrom<Change["kind"]>("remove", "reverse", "add"), environment: fc.nat(8), tier: fc.nat(8) });
    fc.assert(
      fc.property(validSpec, fc.array(change, { minLength: 1, maxLength: 5 }), (spec, changes) => {
        const before = placement(mustBuild(spec));
        let current = pinned(spec);
        // Pinning itself moves nothing.
        expect(placement(mustBuild(current))).toEqual(before);
        for (const step of changes) {
          current = pinned(applyChange(current, step));
          const after = placement(mustBuild(current));
          for (const [tier, placed] of after) if (before.has(tier)) expect(placed, tier).toBe(before.get(tier));
        }
      }),
      { numRuns: 150 },
    );
  });

  it("leave nothing to allocate once pinned", () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        expect(pinEdits(mustBuild(pinned(spec)))).toEqual([]);
      }),
    );
  });
});
