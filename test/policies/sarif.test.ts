/** toSarif in process: every field a CI system reads, for a resource violation and a stack-wide one. */
import { describe, expect, it } from "vitest";
import type { Report } from "../../policies/offline.js";
import { toSarif } from "../../policies/sarif.js";

const report: Report = {
  tenant: "acme",
  cloud: "azure",
  pack: { name: "botinfra", version: "1.2.3" },
  policies: [
    { name: "ssh-from-management-only", description: "SSH only from management", enforcementLevel: "mandatory", severity: "critical" },
    { name: "required-tags", description: "Tags everywhere", enforcementLevel: "advisory", severity: "low" },
    { name: "name-length-limits", description: "Names fit", enforcementLevel: "disabled" },
    { name: "disks-encrypted", description: "Disks encrypted", enforcementLevel: "remediate", severity: "high" },
  ],
  stacks: [{ stack: "acme-production", environment: "production", resources: 3 }],
  violations: [
    {
      stack: "acme-production",
      environment: "production",
      policy: "ssh-from-management-only",
      level: "mandatory",
      severity: "critical",
      resource: { urn: "urn:pulumi:acme-production::botinfra::fw::acme-production-api-fw", type: "fw", name: "acme-production-api-fw", tier: "api" },
      message: "opens SSH",
      description: "SSH only from management",
    },
    { stack: "acme-production", environment: "production", policy: "required-tags", level: "advisory", message: "untagged", description: "Tags everywhere" },
  ],
  warnings: [],
  summary: { mandatory: 1, advisory: 1, passed: false },
};

// Built inside each test, not while the file is collected: a mutation run switches mutants on per test.
function sarifOfReport() {
  const sarif = toSarif([report], (_report, violation) => ({ uri: "stacks/tenants/acme.yaml", line: violation.resource ? 18 : 1 }));
  return { sarif, run: sarif.runs[0] };
}

describe("toSarif", () => {
  it("names the schema, the tool and its version, and every policy as a rule with its level and security severity", () => {
    const { sarif, run } = sarifOfReport();
    expect(sarif).toMatchObject({ $schema: "https://json.schemastore.org/sarif-2.1.0.json", version: "2.1.0" });
    expect(run!.tool.driver).toMatchObject({ name: "botinfra", version: "1.2.3", semanticVersion: "1.2.3" });
    expect(run!.tool.driver.rules).toEqual([
      { id: "ssh-from-management-only", shortDescription: { text: "SSH only from management" }, defaultConfiguration: { level: "error" }, properties: { tags: ["security", "infrastructure"], "security-severity": "9.5" } },
      { id: "required-tags", shortDescription: { text: "Tags everywhere" }, defaultConfiguration: { level: "warning" }, properties: { tags: ["security", "infrastructure"], "security-severity": "2.0" } },
      { id: "name-length-limits", shortDescription: { text: "Names fit" }, defaultConfiguration: { level: "none" }, properties: { tags: ["security", "infrastructure"] } },
      { id: "disks-encrypted", shortDescription: { text: "Disks encrypted" }, defaultConfiguration: { level: "error" }, properties: { tags: ["security", "infrastructure"], "security-severity": "8.0" } },
    ]);
  });

  it("points a resource's violation at its spec line and its URN, and a stack's at the stack", () => {
    const { run } = sarifOfReport();
    expect(run!.results).toEqual([
      {
        ruleId: "ssh-from-management-only",
        ruleIndex: 0,
        level: "error",
        message: { text: "opens SSH" },
        locations: [
          {
            physicalLocation: { artifactLocation: { uri: "stacks/tenants/acme.yaml" }, region: { startLine: 18 } },
            logicalLocations: [{ name: "acme-production-api-fw", fullyQualifiedName: "urn:pulumi:acme-production::botinfra::fw::acme-production-api-fw", kind: "resource" }],
          },
        ],
        properties: { tenant: "acme", stack: "acme-production", environment: "production" },
      },
      {
        ruleId: "required-tags",
        ruleIndex: 1,
        level: "warning",
        message: { text: "untagged" },
        locations: [
          {
            physicalLocation: { artifactLocation: { uri: "stacks/tenants/acme.yaml" }, region: { startLine: 1 } },
            logicalLocations: [{ name: "acme-production", fullyQualifiedName: "acme-production", kind: "module" }],
          },
        ],
        properties: { tenant: "acme", stack: "acme-production", environment: "production" },
      },
    ]);
  });

  it("is an empty run without reports", () => {
    expect(toSarif([], () => ({ uri: "", line: 1 })).runs).toEqual([{ tool: { driver: { name: "botinfra", rules: [] } }, results: [] }]);
  });
});
