/** Runs a small program's plan through the policy pack, as `botinfra check` does. */
import type { PolicyPackConfig } from "@pulumi/policy";
import { MANAGED_BY, TAG_KEYS, type Tags } from "../../model/platform.js";
import type { Cloud } from "../../model/spec.js";
import { checkPlan, type Report, type Violation } from "../../policies/offline.js";
import { recordPlan } from "./plan-recorder.js";

export interface CheckOptions {
  environment?: string;
  config?: PolicyPackConfig[];
  preview?: boolean;
}

export async function check(cloud: Cloud, program: () => void, options: CheckOptions = {}): Promise<Report> {
  const plan = await recordPlan(cloud, [{ environment: options.environment ?? "production", program }], { preview: options.preview ?? false });
  return checkPlan(plan, options.config ?? []);
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The violations of one policy, as `[resource name, message]` pairs sorted by name: resources register
 * in the order their inputs resolve, which a test need not spell out.
 */
export function found(report: Report, policy: string): [string | undefined, string][] {
  return report.violations
    .filter((violation: Violation) => violation.policy === policy)
    .map((violation): [string | undefined, string] => [violation.resource?.name, violation.message])
    .sort(([a = "", x], [b = "", y]) => compare(a, b) || compare(x, y));
}

/** botinfra's tags: the environment's, and a tier's (the proxy is tier `proxy`). */
export function tags(environment: string, tier?: string): Tags {
  return {
    [TAG_KEYS.tenant]: "acme",
    [TAG_KEYS.environment]: environment,
    ...(tier === undefined ? {} : { [TAG_KEYS.tier]: tier }),
    [TAG_KEYS.managedBy]: MANAGED_BY,
  };
}

export const MANAGEMENT = "203.0.113.0/24";
/** The tenant's part of the config, as tenantPolicyConfig builds it from a model. */
export const TENANT_CONFIG: PolicyPackConfig = {
  "ssh-from-management-only": { managementCidrs: [MANAGEMENT] },
  "environment-networks-disjoint": { environmentRanges: { production: "10.20.0.0/16", development: "10.21.0.0/16" } },
};
