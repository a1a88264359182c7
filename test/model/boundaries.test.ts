/**
 * The model's limits at their exact boundaries: one step inside is accepted, one step outside is
 * refused with the field's path. A limit moved by one (a `>` for a `>=`, /8 for /16) fails here.
 */
import { describe, expect, it } from "vitest";
import { SpecError } from "../../model/errors.js";
import { parseTenantText } from "../../model/tenant-text.js";
import type { TenantSpec } from "../../model/spec.js";
import { sampleSpec, toYaml } from "../support/specs.js";

/** The refusal's message, or undefined when the spec is accepted. */
function refusal(mutate: (spec: TenantSpec) => void): string | undefined {
  const spec = sampleSpec();
  mutate(spec);
  try {
    parseTenantText(toYaml(spec), "t.yaml");
    return undefined;
  } catch (error) {
    if (error instanceof SpecError) return error.message;
    throw error;
  }
}

const tier = { count: 1, size: "Standard_B2s", port: 3000 };
const tiersNamed = (...names: string[]) => Object.fromEntries(names.map((name, index) => [name, { ...tier, port: 3000 + index }]));

describe("management ranges", () => {
  it("accepts a /16, the broadest allowed", () => {
    expect(refusal((spec) => (spec.managementCidrs = ["198.51.0.0/16"]))).toBeUndefined();
  });

  it("refuses a /15, one bit broader, naming the field", () => {
    expect(refusal((spec) => (spec.managementCidrs = ["203.0.113.0/24", "198.50.0.0/15"]))).toMatch(
      /managementCidrs\[1\]: found "198\.50\.0\.0\/15"; allowed: a range of \/16 or narrower/,
    );
  });
});

describe("reserved group names", () => {
  it.each(["all", "ungrouped", "proxy"])("refuses %s as an environment name", (name) => {
    expect(refusal((spec) => (spec.environments[name] = { tiers: tiersNamed("web") }))).toMatch(
      new RegExp(`environments\\.${name}: is a reserved name; allowed: any name but all, ungrouped, proxy`),
    );
  });

  it.each(["all", "ungrouped", "proxy"])("refuses %s as a tier name", (name) => {
    expect(refusal((spec) => (spec.environments.tools!.tiers[name] = tier))).toMatch(
      new RegExp(`environments\\.tools\\.tiers\\.${name}: is a reserved name; allowed: any name but all, ungrouped, proxy`),
    );
  });
});

describe("room in an environment's range", () => {
  it("accepts a /22 with 3 tiers: four /24 subnets fill it exactly", () => {
    expect(refusal((spec) => (spec.environments.tools = { cidr: "10.22.0.0/22", tiers: tiersNamed("one", "two", "three") }))).toBeUndefined();
  });

  it("refuses a /22 with 4 tiers: five /24 subnets do not fit", () => {
    expect(refusal((spec) => (spec.environments.tools = { cidr: "10.22.0.0/22", tiers: tiersNamed("one", "two", "three", "four") }))).toMatch(
      /environments\.tools\.cidr: found "10\.22\.0\.0\/22"; allowed: a range with room for 5 \/24 subnets/,
    );
  });
});
