/** toCodeQuality in process: what GitLab reads from each violation, for a resource's and a stack-wide one. */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { toCodeQuality } from "../../policies/codequality.js";
import type { Report, Violation } from "../../policies/offline.js";

const URN = "urn:pulumi:acme-production::botinfra::fw::acme-production-api-fw";

function violation(policy: string, level: Violation["level"], resource?: Violation["resource"]): Violation {
  return { stack: "acme-production", environment: "production", policy, level, ...(resource ? { resource } : {}), message: `${policy} broken`, description: policy };
}

function report(violations: Violation[]): Report {
  return {
    tenant: "acme",
    cloud: "azure",
    pack: { name: "botinfra", version: "1.2.3" },
    policies: [],
    stacks: [{ stack: "acme-production", environment: "production", resources: 3 }],
    violations,
    warnings: [],
    summary: { mandatory: 0, advisory: 0, passed: true },
  };
}

const locate = (_report: Report, found: Violation) => ({ uri: "stacks/tenants/acme.yaml", line: found.resource ? 18 : 1 });
const sha256 = (parts: string[]) => createHash("sha256").update(JSON.stringify(parts)).digest("hex");

describe("toCodeQuality", () => {
  it("describes each violation with its policy, level and where, at its spec line, with a stable fingerprint", () => {
    const findings = toCodeQuality(
      [report([violation("ssh-from-management-only", "mandatory", { urn: URN, type: "fw", name: "acme-production-api-fw", tier: "api" }), violation("required-tags", "advisory")])],
      locate,
    );
    expect(findings).toEqual([
      {
        description: "ssh-from-management-only (mandatory): ssh-from-management-only broken [acme-production, acme-production-api-fw]",
        check_name: "ssh-from-management-only",
        fingerprint: sha256(["acme", "acme-production", "ssh-from-management-only", URN, "ssh-from-management-only broken"]),
        severity: "critical",
        location: { path: "stacks/tenants/acme.yaml", lines: { begin: 18 } },
      },
      {
        description: "required-tags (advisory): required-tags broken [acme-production]",
        check_name: "required-tags",
        fingerprint: sha256(["acme", "acme-production", "required-tags", "", "required-tags broken"]),
        severity: "minor",
        location: { path: "stacks/tenants/acme.yaml", lines: { begin: 1 } },
      },
    ]);
  });

  it("gives the same finding the same fingerprint on every run, and different findings different ones", () => {
    const once = toCodeQuality([report([violation("disks-encrypted", "mandatory"), violation("required-tags", "mandatory")])], locate);
    const again = toCodeQuality([report([violation("disks-encrypted", "mandatory"), violation("required-tags", "mandatory")])], locate);
    expect(again.map((finding) => finding.fingerprint)).toEqual(once.map((finding) => finding.fingerprint));
    expect(new Set(once.map((finding) => finding.fingerprint)).size).toBe(2);
  });

  it("maps every level the engine reports to GitLab's severities, unknown ones to info", () => {
    const levels = ["mandatory", "remediate", "advisory", "disabled", "unheard-of"] as Violation["level"][];
    const findings = toCodeQuality([report(levels.map((level) => violation("disks-encrypted", level)))], locate);
    expect(findings.map((finding) => finding.severity)).toEqual(["critical", "critical", "minor", "info", "info"]);
  });

  it("is empty without violations", () => {
    expect(toCodeQuality([report([])], locate)).toEqual([]);
    expect(toCodeQuality([], locate)).toEqual([]);
  });
});
