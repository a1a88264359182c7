/** The model's design, built with each cloud's real classes, passes every policy on every cloud. */
import { describe, expect, it } from "vitest";
import { buildPlatform } from "../../model/platform.js";
import { CLOUDS } from "../../model/spec.js";
import { checkPlan } from "../../policies/offline.js";
import { tenantPolicyConfig } from "../../policies/tenant-config.js";
import { designPlan, sampleOn } from "../support/reference-programs.js";

describe("the platform design under the policy pack", () => {
  it.each(CLOUDS)("the sample tenant's design on %s has no violation at all", async (cloud) => {
    const { platform } = buildPlatform(sampleOn(cloud));
    if (!platform) throw new Error("the sample tenant is invalid");
    const plan = await designPlan(platform);
    const report = await checkPlan(plan, [tenantPolicyConfig(platform)]);
    expect(report.violations).toEqual([]);
    expect(report.summary).toEqual({ mandatory: 0, advisory: 0, passed: true });
    expect(report.stacks.map((stack) => stack.stack)).toEqual(["acme-production", "acme-development", "acme-tools"]);
  });
});
