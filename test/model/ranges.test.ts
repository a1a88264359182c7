/** Environment ranges and CIDR arithmetic at their edges, and what `tenants pin` writes. */
import { describe, expect, it } from "vitest";
import { planEnvironmentRanges, planTierSubnets } from "../../model/addresses.js";
import { containsAddress, formatCidr, mustParseCidr, overlaps, parseCidr, subnetAt } from "../../model/cidr.js";
import { pinEdits } from "../../model/pin.js";
import { buildPlatform } from "../../model/platform.js";
import type { TenantSpec } from "../../model/spec.js";
import { sampleSpec, specRefusal } from "../support/specs.js";

function rangeIssues(mutate: (spec: TenantSpec) => void, accountRanges: Parameters<typeof planEnvironmentRanges>[2] = []): string[] {
  const spec = sampleSpec();
  mutate(spec);
  const issues: string[] = [];
  planEnvironmentRanges(spec, (path, message) => issues.push(`${path.join(".")}: ${message}`), accountRanges);
  return issues;
}

describe("environment ranges", () => {
  it("refuses a /23, narrower than an environment may be", () => {
    expect(rangeIssues((spec) => (spec.environments.development!.cidr = "10.21.0.0/23"))).toEqual([
      'environments.development.cidr: found "10.21.0.0/23"; allowed: a range from /16 to /22',
    ]);
  });

  it("names each tier left without a /24 when a range is too small for its tiers, and places the others", () => {
    const issues: string[] = [];
    const tier = { count: 1, size: "Standard_B1s", port: 3000 };
    const { tiers } = planTierSubnets(["environments", "dev"], mustParseCidr("10.21.0.0/23"), [["api", tier], ["web", tier], ["jobs", tier]], (path, message) => issues.push(`${path.join(".")}: ${message}`));
    expect([...tiers].map(([name, planned]) => [name, formatCidr(planned.cidr)])).toEqual([["api", "10.21.1.0/24"]]);
    expect(issues).toEqual([
      "environments.dev.tiers.web: has no cidr, and the environment's range 10.21.0.0/23 has no free /24 left; allowed: a larger environment range, or fewer tiers",
      "environments.dev.tiers.jobs: has no cidr, and the environment's range 10.21.0.0/23 has no free /24 left; allowed: a larger environment range, or fewer tiers",
    ]);
  });

  it("says why a tier's range is not one", () => {
    expect(specRefusal((spec) => (spec.environments.development!.tiers.api!.cidr = "10.21.1.0"))).toMatch(
      /^t\.yaml:\d+:\d+: environments\.development\.tiers\.api\.cidr: found "10\.21\.1\.0": is not an IPv4 range in the form a\.b\.c\.d\/n$/,
    );
  });

  it("names the account another tenant's overlapping range is on", () => {
    const beta = [{ tenant: "beta", environment: "prod", cidr: "10.21.0.0/16" }];
    expect(rangeIssues((spec) => delete spec.account, beta)).toEqual([
      "environments.development.cidr: found \"10.21.0.0/16\", which overlaps tenant beta's environment prod (10.21.0.0/16) on the same default account; allowed: a range no other tenant of the account uses",
    ]);
    expect(rangeIssues((spec) => (spec.account = "acme-ops"), beta)).toEqual([
      "environments.development.cidr: found \"10.21.0.0/16\", which overlaps tenant beta's environment prod (10.21.0.0/16) on the same account \"acme-ops\"; allowed: a range no other tenant of the account uses",
    ]);
  });
});

describe("CIDR arithmetic", () => {
  it("refuses a prefix written with a leading zero", () => {
    expect(parseCidr("10.20.0.0/016")).toBe("is not an IPv4 range in the form a.b.c.d/n");
    expect(parseCidr("10.20.0.0/16")).toEqual({ start: 0x0a140000, prefix: 16 });
  });

  it("counts a range's first and last address as inside it", () => {
    const range = mustParseCidr("10.20.1.0/24");
    expect([containsAddress(range, 0x0a140100), containsAddress(range, 0x0a1401ff), containsAddress(range, 0x0a140200), containsAddress(range, 0x0a1400ff)]).toEqual([true, true, false, false]);
    expect(overlaps(mustParseCidr("10.20.1.255/32"), range)).toBe(true);
    expect(overlaps(range, mustParseCidr("10.20.1.255/32"))).toBe(true);
    expect(overlaps(range, mustParseCidr("10.20.2.0/32"))).toBe(false);
  });

  it("finds the n-th subnet of a range and refuses one that is not inside it", () => {
    const range = mustParseCidr("10.20.0.0/22");
    expect(subnetAt(range, 24, 3)).toEqual(mustParseCidr("10.20.3.0/24"));
    expect(subnetAt(range, 22, 0)).toEqual(range);
    expect(() => subnetAt(range, 24, 4)).toThrow("internal: subnet 4 of /24 does not fit 10.20.0.0/22");
    expect(() => subnetAt(range, 21, 0)).toThrow("internal: subnet 0 of /21 does not fit 10.20.0.0/22");
  });
});

describe("pinEdits", () => {
  it("writes every range botinfra allocated, environments and tiers, and none the spec wrote", () => {
    const spec = sampleSpec();
    delete spec.environments.tools!.cidr;
    const platform = buildPlatform(spec).platform!;
    const edits = pinEdits(platform);
    expect(edits).toContainEqual({ path: ["environments", "tools", "cidr"], value: platform.environments.find((env) => env.name === "tools")!.cidr });
    expect(edits.map((edit) => edit.path.join("."))).not.toContain("environments.production.cidr");
    expect(edits.every((edit) => edit.path.length === 3 || edit.path[4] === "cidr")).toBe(true);
    expect(platform.environments.find((env) => env.name === "production")!.proxy.subnet?.pinned).toBe(false);
  });
});
