/**
 * Check reports as a GitLab Code Quality report (CodeClimate-style JSON), the report artifact GitLab
 * shows in a merge request: each violation at the tenant spec line that produced the resource.
 */
import { createHash } from "node:crypto";
import type { Report } from "./offline.js";
import type { Locate } from "./sarif.js";

const SEVERITIES: Record<string, string> = { mandatory: "critical", remediate: "critical", advisory: "minor", disabled: "info" };

export function toCodeQuality(reports: readonly Report[], locate: Locate) {
  return reports.flatMap((report) =>
    report.violations.map((violation) => {
      const { uri, line } = locate(report, violation);
      const where = violation.resource ? `${violation.stack}, ${violation.resource.name}` : violation.stack;
      return {
        description: `${violation.policy} (${violation.level}): ${violation.message} [${where}]`,
        check_name: violation.policy,
        // Stable across runs, so that GitLab tells new findings from fixed ones.
        fingerprint: createHash("sha256").update(JSON.stringify([report.tenant, violation.stack, violation.policy, violation.resource?.urn ?? "", violation.message])).digest("hex"),
        severity: SEVERITIES[violation.level] ?? "info",
        location: { path: uri, lines: { begin: line } },
      };
    }),
  );
}
