/**
 * Check reports as SARIF 2.1.0, the format CI systems (GitHub code scanning, GitLab, Azure DevOps)
 * read to show findings inline: each violation points at the tenant spec line that produced the
 * resource, with the resource's URN as its logical location.
 */
import type { Report, Violation } from "./offline.js";

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** Where a violation shows in the repository: a file (relative URI) and a line. */
export type Locate = (report: Report, violation: Violation) => { uri: string; line: number };

const LEVELS: Record<string, "error" | "warning" | "none"> = { mandatory: "error", remediate: "error", advisory: "warning", disabled: "none" };
/** GitHub ranks security findings by this number (its documented CVSS-like scale). */
const SECURITY_SEVERITY: Record<string, string> = { critical: "9.5", high: "8.0", medium: "5.0", low: "2.0" };

export function toSarif(reports: readonly Report[], locate: Locate) {
  const policies = reports[0]?.policies ?? [];
  const pack = reports[0]?.pack;
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "botinfra",
            ...(pack ? { version: pack.version, semanticVersion: pack.version } : {}),
            rules: policies.map((policy) => ({
              id: policy.name,
              shortDescription: { text: policy.description },
              defaultConfiguration: { level: LEVELS[policy.enforcementLevel] },
              properties: { tags: ["security", "infrastructure"], ...(policy.severity ? { "security-severity": SECURITY_SEVERITY[policy.severity] } : {}) },
            })),
          },
        },
        results: reports.flatMap((report) =>
          report.violations.map((violation) => {
            const { uri, line } = locate(report, violation);
            return {
              ruleId: violation.policy,
              ruleIndex: policies.findIndex((policy) => policy.name === violation.policy),
              level: LEVELS[violation.level],
              message: { text: violation.message },
              locations: [
                {
                  physicalLocation: { artifactLocation: { uri }, region: { startLine: line } },
                  logicalLocations: [
                    violation.resource
                      ? { name: violation.resource.name, fullyQualifiedName: violation.resource.urn, kind: "resource" }
                      : { name: violation.stack, fullyQualifiedName: violation.stack, kind: "module" },
                  ],
                },
              ],
              properties: { tenant: report.tenant, stack: violation.stack, environment: violation.environment },
            };
          }),
        ),
      },
    ],
  };
}
