/** checkPlan with botinfra's own pack: config.json is its first layer, a user's layers go over it, unknown names warn. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Plan } from "../../engine/graph.js";
import { checkPlan } from "../../policies/offline.js";
import { AZURE } from "../../policies/rules/types.js";
import { tags } from "../support/policy-check.js";

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

describe("a violation in the report", () => {
  it("names the resource with its type and tier, and the policy's level and severity", async () => {
    const urn = `urn:pulumi:acme-production::botinfra::${AZURE.networkSecurityGroup}::acme-production-api-fw`;
    const securityRules = [{ name: "ssh", direction: "Inbound", access: "Allow", protocol: "Tcp", destinationPortRange: "22", sourceAddressPrefix: "Internet" }];
    const plan: Plan = {
      tenant: "acme",
      cloud: "azure",
      stacks: [
        {
          stack: "acme-production",
          environment: "production",
          resources: [{ urn, type: AZURE.networkSecurityGroup, name: "acme-production-api-fw", custom: true, dependencies: [], protect: false, inputs: { securityRules, tags: tags("production", "api") } }],
          outputs: {} as Plan["stacks"][number]["outputs"],
        },
      ],
    };
    const report = await checkPlan(plan);
    expect(report.violations.find((violation) => violation.policy === "ssh-from-management-only")).toEqual({
      stack: "acme-production",
      environment: "production",
      policy: "ssh-from-management-only",
      level: "mandatory",
      severity: "critical",
      resource: { urn, type: AZURE.networkSecurityGroup, name: "acme-production-api-fw", tier: "api" },
      message: 'network security group "acme-production-api-fw": rule "ssh" opens SSH to Internet. Allow SSH only from private addresses (no management ranges are configured).',
      description: "SSH (port 22) is open only to the management ranges and to private addresses.",
    });
  });
});
