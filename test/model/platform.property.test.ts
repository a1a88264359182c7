/** Properties of the address plan and names, for generated valid specs; and no crash on invalid ones. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { containsAddress, containsCidr, end, mustParseCidr, overlaps, parseAddress } from "../../model/cidr.js";
import { CLOUD_PROFILES } from "../../model/clouds.js";
import { formatPath, SpecError } from "../../model/errors.js";
import { parseTenantText, type LoadedTenant } from "../../model/tenant-text.js";
import type { TenantSpec } from "../../model/spec.js";
import { mustBuild, validSpec } from "../support/generated-specs.js";
import { runs } from "../support/property-runs.js";
import { toYaml } from "../support/specs.js";

/** Azure and AWS keep the first four addresses of a subnet and its last: written here, not imported from the code under test. */
const CLOUD_RESERVED_HEAD = 4;
const CLOUD_RESERVED_TAIL = 1;

describe("platform model properties", () => {
  it("keeps every subnet inside its environment and no two ranges overlapping, on clouds with subnets", () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        const platform = mustBuild(spec);
        const environments = platform.environments.map((e) => mustParseCidr(e.cidr));
        environments.forEach((a, i) => environments.slice(i + 1).forEach((b) => expect(overlaps(a, b)).toBe(false)));
        const subnets = platform.environments.flatMap((environment) =>
          [environment.proxy, ...environment.tiers].map((group) => {
            expect(group.subnet !== undefined).toBe(CLOUD_PROFILES[platform.cloud].subnets);
            if (!group.subnet) return undefined;
            const cidr = mustParseCidr(group.subnet.cidr);
            expect(containsCidr(mustParseCidr(environment.cidr), cidr)).toBe(true);
            for (const half of group.subnet.halves) expect(containsCidr(cidr, mustParseCidr(half.cidr))).toBe(true);
            return cidr;
          }),
        ).filter((cidr) => cidr !== undefined);
        subnets.forEach((a, i) => subnets.slice(i + 1).forEach((b) => expect(overlaps(a, b)).toBe(false)));
      }),
      { numRuns: runs(200) },
    );
  });

  it("places every address in its half of the subnet, clear of the reserved addresses and of each other; none where the cloud assigns them", () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        const platform = mustBuild(spec);
        const seen = new Set<string>();
        const misplaced: string[] = [];
        for (const group of platform.environments.flatMap((e) => [e.proxy, ...e.tiers])) {
          expect(group.hosts).toHaveLength(group.count);
          if (!group.subnet) {
            expect(group.hosts.every((host) => host.privateIp === undefined && host.zone === undefined)).toBe(true);
            continue;
          }
          const halves = group.subnet.halves.map((half) => mustParseCidr(half.cidr));
          const addresses = [...(group.loadBalancer?.privateIp ? group.subnet.halves.map((half) => half.loadBalancerIp) : []), ...group.hosts.map((host) => host.privateIp!)];
          for (const address of addresses) {
            const value = parseAddress(address);
            const usable = halves.some((cidr) => containsAddress(cidr, value) && value >= cidr.start + CLOUD_RESERVED_HEAD && value <= end(cidr) - CLOUD_RESERVED_TAIL);
            if (!usable || seen.has(address)) misplaced.push(`${group.environment}.${group.name} ${address} in ${group.subnet.cidr}`);
            seen.add(address);
          }
        }
        expect(misplaced).toEqual([]);
      }),
      { numRuns: runs(200) },
    );
  });

  it("spreads each group's servers evenly over the zones where the cloud has zones, and claims no zone elsewhere", () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        const platform = mustBuild(spec);
        for (const group of platform.environments.flatMap((e) => [e.proxy, ...e.tiers])) {
          if (!CLOUD_PROFILES[platform.cloud].zones) {
            expect(group.hosts.filter((host) => host.zone !== undefined)).toEqual([]);
            continue;
          }
          const perZone = [0, 1].map((zone) => group.hosts.filter((host) => host.zone === zone).length);
          expect(Math.max(...perZone) - Math.min(...perZone)).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it("gives a stateful tier no load balancer and one data disk per server, every other group none", () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        for (const group of mustBuild(spec).environments.flatMap((e) => e.tiers)) {
          expect(group.loadBalancer === undefined).toBe(group.stateful);
          expect(group.hosts.every((host) => (host.dataDisk !== undefined) === group.stateful)).toBe(true);
        }
      }),
    );
  });

  it("fits every generated name in its cloud's limits", () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        const platform = mustBuild(spec);
        const limits = CLOUD_PROFILES[platform.cloud].nameLimits;
        for (const environment of platform.environments) {
          expect(environment.names.group.length).toBeLessThanOrEqual(limits.group);
          for (const group of [environment.proxy, ...environment.tiers]) {
            if (group.loadBalancer) {
              expect(group.loadBalancer.name.length).toBeLessThanOrEqual(limits.loadBalancer);
              expect(group.loadBalancer.targetGroupName.length).toBeLessThanOrEqual(limits.targetGroup);
            }
            for (const host of group.hosts) expect(host.name).toMatch(/^[a-z0-9-]{1,63}$/);
          }
        }
      }),
    );
  });

  it("is deterministic: the same spec gives the same model, byte for byte", () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        expect(JSON.stringify(mustBuild(structuredClone(spec)))).toBe(JSON.stringify(mustBuild(spec)));
      }),
    );
  });

  it("routes every exposed tier, and only those, to its load balancer", () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        for (const environment of mustBuild(spec).environments) {
          const exposed = Object.entries(spec.environments[environment.name]!.tiers).filter(([, tier]) => tier.expose);
          expect(environment.routes.map((route) => route.tier)).toEqual(exposed.map(([name]) => name));
          for (const route of environment.routes) {
            const tier = environment.tiers.find((t) => t.name === route.tier)!;
            expect(route.upstreamDnsName).toBe(tier.loadBalancer!.dnsName);
            expect(route.host.endsWith(environment.publicHost)).toBe(true);
          }
        }
      }),
    );
  });
});

/** Replaces the value at a random path of a valid spec with junk of a random kind. */
const corruptedSpec = fc
  .tuple(
    validSpec,
    fc.nat(),
    fc.oneof(fc.constant(null), fc.integer(), fc.string(), fc.boolean(), fc.array(fc.string()), fc.dictionary(fc.string(), fc.integer())),
  )
  .map(([spec, pick, junk]) => {
    const paths: (string | number)[][] = [];
    const walk = (node: unknown, path: (string | number)[]) => {
      paths.push(path);
      if (node && typeof node === "object") for (const [key, value] of Object.entries(node)) walk(value, [...path, Array.isArray(node) ? Number(key) : key]);
    };
    walk(spec, []);
    const path = paths[1 + (pick % (paths.length - 1))]!;
    const copy = structuredClone(spec) as unknown as Record<string | number, unknown>;
    let parent = copy;
    for (const part of path.slice(0, -1)) parent = parent[part] as Record<string | number, unknown>;
    parent[path[path.length - 1]!] = junk;
    return { yaml: toYaml(copy), path };
  });

describe("invalid specs", () => {
  it("are refused with a message naming each field at fault, or are a valid spec taken exactly as written", () => {
    fc.assert(
      fc.property(corruptedSpec, ({ yaml }) => {
        let loaded: LoadedTenant;
        try {
          loaded = parseTenantText(yaml, "generated.yaml");
        } catch (error) {
          expect(error).toBeInstanceOf(SpecError);
          const { issues, message } = error as SpecError;
          expect(issues.length).toBeGreaterThan(0);
          for (const issue of issues) {
            expect(issue.path.length, issue.message).toBeGreaterThan(0);
            expect(message).toMatch(new RegExp(`^generated\\.yaml(:\\d+:\\d+)?: ${escapeRegExp(formatPath(issue.path))}: `, "m"));
          }
          return;
        }
        // Still valid: nothing was coerced, dropped or defaulted on the way to the model.
        expect(loaded.spec).toEqual(parse(yaml));
        expect(loaded.platform).toEqual(mustBuild(parse(yaml) as TenantSpec));
      }),
      { numRuns: runs(300) },
    );
  });
});

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
