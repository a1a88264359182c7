/** The pure rule behind `botinfra affected`: a spec change touches exactly the environments it changes. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { affectedStacks, type TenantState } from "../../cli/pipeline/affected.js";
import { buildPlatform, type Platform } from "../../model/platform.js";
import { parseTenantSpec, type TenantSpec } from "../../model/spec.js";
import { sampleSpec } from "../support/specs.js";

function platformOf(spec: TenantSpec): Platform {
  const parsed = parseTenantSpec(spec);
  const built = parsed.spec && buildPlatform(parsed.spec);
  if (!built?.platform) throw new Error("invalid test spec");
  return built.platform;
}

const acme = sampleSpec();
const before = new Map<string, TenantState>([["acme", { platform: platformOf(acme) }]]);
const tiers = Object.entries(acme.environments).flatMap(([environment, { tiers }]) => Object.keys(tiers).map((tier) => ({ environment, tier })));

const change = (files: string[], after: Platform) => affectedStacks({ base: "b", before, after: new Map([["acme", after]]), changedFiles: files, tenantsDir: "stacks/tenants" });

describe("affectedStacks", () => {
  it("a tier's count touches its environment's stack alone, and only when it changed", () => {
    fc.assert(
      fc.property(fc.constantFrom(...tiers), fc.integer({ min: 1, max: 20 }), ({ environment, tier }, count) => {
        const spec = structuredClone(acme);
        const previous = spec.environments[environment]!.tiers[tier]!.count;
        spec.environments[environment]!.tiers[tier]!.count = count;
        const report = change([], platformOf(spec));
        expect(report.affected.map((stack) => stack.stack)).toEqual(count === previous ? [] : [`acme-${environment}`]);
        expect(report.removed).toEqual([]);
      }),
    );
  });

  it("another cloud's components and files outside the platform touch nothing; this cloud's touch every stack", () => {
    fc.assert(
      fc.property(fc.constantFrom("components/aws/tier.ts", "components/digitalocean/droplet.ts", "README.md", "test/x.test.ts", "bench/startup.mjs"), (file) => {
        expect(change([file], platformOf(acme)).affected).toEqual([]);
      }),
    );
    expect(change(["components/azure/tier.ts"], platformOf(acme)).affected.map((stack) => stack.stack)).toEqual(["acme-development", "acme-tools", "acme-production"]);
  });
});
