/** The policy pack `up` and `preview` hand to the engine: the pack folder and the tenant's ranges. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { enginePolicy } from "../../cli/lifecycle-run.js";
import { loadTenant } from "../../spec-files/load.js";
import { REPO_ROOT } from "../support/cli.js";

const acme = loadTenant({ name: "acme", tenantsDir: join(REPO_ROOT, "stacks", "tenants") }).platform;

describe("enginePolicy", () => {
  it("points at the pack and writes the tenant's management and environment ranges, removed afterwards", () => {
    const policy = enginePolicy(acme);
    expect(policy.packs).toEqual([join(REPO_ROOT, "policies")]);
    expect(existsSync(join(policy.packs[0]!, "PulumiPolicy.yaml"))).toBe(true);
    const [config] = policy.configs;
    expect(JSON.parse(readFileSync(config!, "utf8"))).toEqual({
      "ssh-from-management-only": { managementCidrs: ["203.0.113.0/24"] },
      "private-tiers-closed-to-edge": {
        edgeRanges: { production: "10.20.0.0/24", development: "10.21.0.0/24", tools: "10.22.0.0/24" },
        exposedTiers: { production: ["front", "api"], development: ["front", "api"], tools: ["gitlab"] },
      },
      "environment-networks-disjoint": { environmentRanges: { production: "10.20.0.0/16", development: "10.21.0.0/16", tools: "10.22.0.0/16" } },
    });
    policy.dispose();
    expect(existsSync(config!)).toBe(false);
  });
});
