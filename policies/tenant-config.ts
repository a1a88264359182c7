/**
 * The policy config a tenant's model implies: what the pack cannot see in one stack's resources.
 * `botinfra check` applies it over policies/config.json; under the engine, pass the same as
 * `--policy-pack-config`.
 */
import type { PolicyPackConfig } from "@pulumi/policy";
import type { Platform } from "../model/platform.js";
import { privateTiersClosedToEdge, sshFromManagementOnly } from "./rules/ingress.js";
import { environmentNetworksDisjoint } from "./rules/networks.js";

export function tenantPolicyConfig(platform: Platform): PolicyPackConfig {
  return {
    [sshFromManagementOnly.name]: { managementCidrs: platform.managementCidrs },
    [privateTiersClosedToEdge.name]: {
      edgeRanges: Object.fromEntries(platform.environments.flatMap((environment) => (environment.proxy.subnet ? [[environment.name, environment.proxy.subnet.cidr]] : []))),
      exposedTiers: Object.fromEntries(platform.environments.map((environment) => [environment.name, environment.routes.map((route) => route.tier)])),
    },
    [environmentNetworksDisjoint.name]: {
      environmentRanges: Object.fromEntries(platform.environments.map((environment) => [environment.name, environment.cidr])),
    },
  };
}
