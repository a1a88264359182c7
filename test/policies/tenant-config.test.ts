/** The policy config a tenant implies: its management ranges, each environment's edge and exposed tiers, its networks. */
import { describe, expect, it } from "vitest";
import { buildPlatform } from "../../model/platform.js";
import type { Cloud } from "../../model/spec.js";
import { tenantPolicyConfig } from "../../policies/tenant-config.js";
import { sampleOn } from "../support/cloud-samples.js";

function configOn(cloud: Cloud) {
  const { platform } = buildPlatform(sampleOn(cloud));
  if (!platform) throw new Error("the sample tenant is invalid");
  return tenantPolicyConfig(platform);
}

const exposedTiers = { production: ["front", "api"], development: ["front", "api"], tools: ["gitlab"] };
const environmentRanges = { production: "10.20.0.0/16", development: "10.21.0.0/16", tools: "10.22.0.0/16" };

describe("tenantPolicyConfig", () => {
  it("gives the sample tenant's management range, proxy subnets, routed tiers and environment networks", () => {
    expect(configOn("aws")).toEqual({
      "ssh-from-management-only": { managementCidrs: ["203.0.113.0/24"] },
      "private-tiers-closed-to-edge": {
        edgeRanges: { production: "10.20.0.0/24", development: "10.21.0.0/24", tools: "10.22.0.0/24" },
        exposedTiers,
      },
      "environment-networks-disjoint": { environmentRanges },
    });
  });

  it("names no edge range where the proxy has no subnet of its own (DigitalOcean)", () => {
    expect(configOn("digitalocean")["private-tiers-closed-to-edge"]).toEqual({ edgeRanges: {}, exposedTiers });
  });
});
