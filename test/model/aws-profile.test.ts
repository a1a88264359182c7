/**
 * What the model promises AWS: names AWS accepts (refused at validation, naming the field), NAT
 * gateways per zone or single, and room in the edge subnets for the addresses AWS picks itself.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EDGE_PLANNED_PREFIX, RESERVED_HEAD, RESERVED_TAIL } from "../../model/addresses.js";
import { containsAddress, end, mustParseCidr, parseAddress } from "../../model/cidr.js";
import { parseTenantText } from "../../model/tenant-text.js";
import { buildPlatform } from "../../model/platform.js";
import { PROXY_MAX_COUNT, type TenantSpec } from "../../model/spec.js";
import { sampleSpec, specRefusal, toYaml } from "../support/specs.js";

const initech = () => sampleSpec("initech");

function errorsOf(mutate: (spec: TenantSpec) => void, base: () => TenantSpec = initech): string {
  return specRefusal(mutate, base);
}

describe("AWS names", () => {
  it.each<[string, (spec: TenantSpec) => void, RegExp]>([
    ["a load balancer name AWS keeps for its own DNS names", (s) => (s.tenant = "internal-a"), /environments\.production\.proxy: makes the AWS load balancer name "internal-a-production-proxy-lb", which starts with "internal-"/],
    ["a security group name that looks like an id", (s) => (s.tenant = "sg-bots"), /environments\.production\.proxy: makes the AWS security group name "sg-bots-production-proxy-fw", which starts with "sg-"/],
    ["a resource group name AWS keeps", (s) => (s.tenant = "awsome"), /environments\.production: makes the AWS environment group name "awsome-production", which starts with "aws"/],
    [
      "a per-port target group name longer than 32 characters",
      (s) => {
        s.tenant = "initechcorp";
        s.environments.production!.tiers = { chat: s.environments.production!.tiers.chat! };
      },
      /environments\.production\.proxy: makes the AWS target group name "initechcorp-production-proxy-tg-443" \(35 characters\); AWS allows at most 32/,
    ],
  ])("refuses %s", (_, mutate, expected) => {
    expect(errorsOf(mutate)).toMatch(expected);
  });
});

describe("NAT gateways", () => {
  it("puts one in each zone in production and one elsewhere, unless the spec says otherwise", () => {
    const spec = initech();
    expect(parseTenantText(toYaml(spec), "t.yaml").platform.environments.map((e) => e.natGateways)).toEqual(["perZone", "single"]);
    spec.environments.production!.natGateways = "single";
    spec.environments.staging!.natGateways = "perZone";
    expect(parseTenantText(toYaml(spec), "t.yaml").platform.environments.map((e) => e.natGateways)).toEqual(["single", "perZone"]);
  });

  it("refuses an unknown value, and the setting on a cloud without zones", () => {
    expect(errorsOf((s) => Object.assign(s.environments.staging!, { natGateways: "two" }))).toMatch(/environments\.staging\.natGateways: found "two"; allowed: perZone or single/);
    expect(errorsOf((s) => (s.environments.production!.natGateways = "single"), () => sampleSpec("acme"))).toMatch(
      /environments\.production\.natGateways: is set, but Azure has no availability zones to spread NAT gateways over/,
    );
  });
});

describe("the edge subnets on AWS", () => {
  const spec = fc.record({ proxies: fc.integer({ min: 1, max: PROXY_MAX_COUNT }), third: fc.integer({ min: 0, max: 255 }), prefix: fc.integer({ min: 16, max: 22 }) }).map(({ proxies, third, prefix }) => {
    const base = initech();
    const mask = 2 ** (32 - prefix) / 256;
    base.environments.production!.cidr = `10.40.${third - (third % mask)}.0/${prefix}`;
    base.environments.production!.proxy = { count: proxies };
    // The tiers' pinned ranges belong to the sample's own range.
    for (const tier of Object.values(base.environments.production!.tiers)) delete tier.cidr;
    return base;
  });

  it("keep every planned address (servers, NAT gateways, the balancer's slot) in the planned block, none twice, and the rest of each half to AWS", () => {
    fc.assert(
      fc.property(spec, (generated) => {
        const built = buildPlatform(generated);
        if (!built.platform) throw new Error(JSON.stringify(built.issues));
        const proxy = built.platform.environments[0]!.proxy;
        const planned = proxy.subnet!.halves.flatMap((half) => [half.loadBalancerIp, half.natGatewayIp!]).concat(proxy.hosts.map((host) => host.privateIp!));
        expect(new Set(planned).size).toBe(planned.length);
        for (const half of proxy.subnet!.halves) {
          const block = mustParseCidr(half.plannedCidr!);
          const range = mustParseCidr(half.cidr);
          expect(block.prefix).toBe(EDGE_PLANNED_PREFIX);
          expect(block.start).toBe(range.start);
          const inHalf = planned.filter((address) => containsAddress(range, parseAddress(address)));
          for (const address of inHalf) {
            const value = parseAddress(address);
            // Inside the planned block, never on the addresses AWS reserves in every subnet.
            expect(containsAddress(block, value)).toBe(true);
            expect(value - range.start).toBeGreaterThanOrEqual(RESERVED_HEAD);
            expect(end(range) - value).toBeGreaterThanOrEqual(RESERVED_TAIL);
          }
          // What AWS may pick from: the half after the block, less its own last address; an NLB needs at least 8 free.
          expect(end(range) - end(block) - RESERVED_TAIL).toBeGreaterThanOrEqual(8);
        }
      }),
    );
  });
});
