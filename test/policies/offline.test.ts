/** checkPlan with botinfra's own pack: config.json is its first layer, a user's layers go over it, unknown names warn. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Plan } from "../../engine/graph.js";
import { checkPlan } from "../../policies/offline.js";

const CONFIG = JSON.parse(readFileSync(new URL("../../policies/config.json", import.meta.url), "utf8")) as Record<string, { enforcementLevel: string }>;
const emptyPlan: Plan = { tenant: "acme", cloud: "azure", stacks: [] };

describe("checkPlan with botinfra's pack", () => {
  it("gives every policy the level config.json gives it", async () => {
    const report = await checkPlan(emptyPlan);
    expect(Object.fromEntries(report.policies.map((policy) => [policy.name, policy.enforcementLevel]))).toEqual(
      Object.fromEntries(Object.entries(CONFIG).map(([name, entry]) => [name, entry.enforcementLevel])),
    );
    expect(report).toMatchObject({ tenant: "acme", cloud: "azure", pack: { name: "botinfra" }, stacks: [], violations: [], warnings: [], summary: { mandatory: 0, advisory: 0, passed: true } });
  });

  it("applies a user's layer over config.json and warns of each name that is no policy", async () => {
    const report = await checkPlan(emptyPlan, [{ "disks-encrypted": "advisory", "disk-encrypted": "mandatory" }]);
    expect(report.policies.find((policy) => policy.name === "disks-encrypted")?.enforcementLevel).toBe("advisory");
    expect(report.policies.find((policy) => policy.name === "aws-imdsv2-only")?.enforcementLevel).toBe("mandatory");
    expect(report.warnings).toEqual(['policy config names "disk-encrypted", which is no policy of this pack']);
  });
});
