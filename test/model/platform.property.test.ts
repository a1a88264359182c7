/** Properties of the address plan and names, for generated valid specs; and no crash on invalid ones. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { containsAddress, containsCidr, end, mustParseCidr, overlaps, parseAddress } from "../../model/cidr.js";
import { CLOUD_PROFILES } from "../../model/clouds.js";
import { formatPath, SpecError } from "../../model/errors.js";
import { parseTenantText, type LoadedTenant } from "../../model/load.js";
import { buildPlatform, RESERVED_HEAD, RESERVED_TAIL, type Platform } from "../../model/platform.js";
import type { Cloud, TenantSpec } from "../../model/spec.js";
import { runs } from "../support/property-runs.js";
import { toYaml, VALID_SSH_KEY } from "../support/specs.js";

const SAMPLE_VALUES: Record<Cloud, { region: string; size: string }> = {
  azure: { region: "westeurope", size: "Standard_B2s" },
  aws: { region: "eu-west-1", size: "t3.small" },
  digitalocean: { region: "ams3", size: "s-1vcpu-2gb" },
};

const groupName = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/).filter((name) => !["all", "ungrouped", "proxy"].includes(name));

/** Valid specs: distinct names, explicit ranges from a pool of distinct /16s or none, counts up to a subnet's capacity. */
const validSpec: fc.Arbitrary<TenantSpec> = fc
  .record({
    tenant: fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/),
    cloud: fc.constantFrom<Cloud>("azure", "aws", "digitalocean"),
    names: fc.uniqueArray(groupName, { minLength: 2, maxLength: 12 }),
    environmentCount: fc.integer({ min: 1, max: 4 }),
    tierCounts: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 4, maxLength: 4 }),
    serverCounts: fc.array(fc.integer({ min: 1, max: 244 }), { minLength: 24, maxLength: 24 }),
    explicitRanges: fc.array(fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }), { minLength: 4, maxLength: 4 }),
    exposed: fc.array(fc.boolean(), { minLength: 24, maxLength: 24 }),
    proxyCount: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
  })
  .filter(({ names, environmentCount }) => names.length > environmentCount)
  .map(({ tenant, cloud, names, environmentCount, tierCounts, serverCounts, explicitRanges, exposed, proxyCount }) => {
    const environmentNames = names.slice(0, environmentCount);
    const tierNames = names.slice(environmentCount);
    const usedRanges = new Set<number>();
    const environments = Object.fromEntries(
      environmentNames.map((envName, e) => {
        const slot = explicitRanges[e] === undefined ? undefined : explicitRanges[e]! % 16;
        const cidr = slot !== undefined && !usedRanges.has(slot) ? `172.${16 + slot}.0.0/16` : undefined;
        if (slot !== undefined) usedRanges.add(slot);
        const tiers = Object.fromEntries(
          tierNames.slice(0, tierCounts[e]).map((tierName, t) => [
            tierName,
            {
              count: serverCounts[e * 6 + t]!,
              size: SAMPLE_VALUES[cloud].size,
              port: 3000 + t,
              ...(exposed[e * 6 + t] ? { expose: t === 0 ? "@" : tierName } : {}),
            },
          ]),
        );
        return [envName, { ...(cidr ? { cidr } : {}), tiers }];
      }),
    );
    return {
      tenant,
      cloud,
      region: SAMPLE_VALUES[cloud].region,
      domain: `${tenant}.example.com`,
      admin: { username: "botadmin", sshPublicKeys: [VALID_SSH_KEY] },
      managementCidrs: ["203.0.113.0/24"],
      ...(proxyCount ? { proxy: { count: proxyCount } } : {}),
      environments,
    } satisfies TenantSpec;
  });

function mustBuild(spec: TenantSpec): Platform {
  const result = buildPlatform(spec);
  if (!result.platform) throw new Error(`expected a valid spec: ${JSON.stringify(result.issues)}`);
  return result.platform;
}

describe("platform model properties", () => {
  it("keeps every subnet inside its environment and no two ranges overlapping", () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        const platform = mustBuild(spec);
        const environments = platform.environments.map((e) => mustParseCidr(e.cidr));
        environments.forEach((a, i) => environments.slice(i + 1).forEach((b) => expect(overlaps(a, b)).toBe(false)));
        const subnets = platform.environments.flatMap((environment) =>
          [environment.proxy, ...environment.tiers].map((group) => {
            const cidr = mustParseCidr(group.cidr);
            expect(containsCidr(mustParseCidr(environment.cidr), cidr)).toBe(true);
            for (const zone of group.zones) expect(containsCidr(cidr, mustParseCidr(zone.cidr))).toBe(true);
            return cidr;
          }),
        );
        subnets.forEach((a, i) => subnets.slice(i + 1).forEach((b) => expect(overlaps(a, b)).toBe(false)));
      }),
      { numRuns: runs(200) },
    );
  });

  it("places every address in its zone's subnet, clear of the reserved addresses and of each other", () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        const platform = mustBuild(spec);
        const seen = new Set<string>();
        const misplaced: string[] = [];
        for (const group of platform.environments.flatMap((e) => [e.proxy, ...e.tiers])) {
          for (const zone of group.zones) {
            const cidr = mustParseCidr(zone.cidr);
            const addresses = [
              zone.loadBalancerIp,
              ...group.hosts.filter((host) => host.zone === zone.zone).map((host) => host.privateIp),
            ];
            for (const address of addresses) {
              const value = parseAddress(address);
              const usable = containsAddress(cidr, value) && value >= cidr.start + RESERVED_HEAD && value <= end(cidr) - RESERVED_TAIL;
              if (!usable || seen.has(address)) misplaced.push(`${group.environment}.${group.name} ${address} in ${zone.cidr}`);
              seen.add(address);
            }
          }
          expect(group.hosts).toHaveLength(group.count);
        }
        expect(misplaced).toEqual([]);
      }),
      { numRuns: runs(200) },
    );
  });

  it("spreads each group's servers evenly over the zones", () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        for (const group of mustBuild(spec).environments.flatMap((e) => [e.proxy, ...e.tiers])) {
          const perZone = group.zones.map((zone) => group.hosts.filter((host) => host.zone === zone.zone).length);
          expect(Math.max(...perZone) - Math.min(...perZone)).toBeLessThanOrEqual(1);
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
            expect(route.upstreamIp).toBe(tier.loadBalancer!.privateIp);
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
