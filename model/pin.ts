/**
 * What `botinfra tenants pin` writes into a spec: every range botinfra allocated (environments and
 * tiers), so that the address plan no longer depends on the spec's order. Pure: the CLI applies the
 * edits to the file's YAML document, keeping its comments and layout.
 */
import type { Platform } from "./platform.js";

export interface PinEdit {
  /** The spec field: `["environments", "production", "tiers", "api", "cidr"]`. */
  path: string[];
  value: string;
}

export function pinEdits(platform: Platform): PinEdit[] {
  return platform.environments.flatMap((environment) => [
    ...(environment.cidrAllocated ? [{ path: ["environments", environment.name, "cidr"], value: environment.cidr }] : []),
    ...environment.tiers.flatMap((tier) =>
      tier.subnet && !tier.subnet.pinned ? [{ path: ["environments", environment.name, "tiers", tier.name, "cidr"], value: tier.subnet.cidr }] : [],
    ),
  ]);
}
