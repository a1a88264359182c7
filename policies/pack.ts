/**
 * The botinfra policy pack's contents: its name and its policies. Importing this starts nothing; only
 * the pack's entry (index.ts) builds the PolicyPack, which serves the engine.
 */
import type { EnforcementLevel, Policies } from "@pulumi/policy";
import { digitalOceanProductionRedundancy, productionTiersHighlyAvailable } from "./rules/availability.js";
import { nameLengthLimits, productionStatefulProtected, requiredTags } from "./rules/governance.js";
import { privateTiersClosedToEdge, publicIngressProxyOnly, publicIngressWebPortsOnly, sshFromManagementOnly } from "./rules/ingress.js";
import { loadBalancersInternal } from "./rules/load-balancers.js";
import { environmentNetworksDisjoint } from "./rules/networks.js";
import { publicAddressesProxyOnly } from "./rules/public-addresses.js";
import { awsMetadataV2Only, disksEncrypted } from "./rules/servers.js";

export const PACK_NAME = "botinfra";

/** Levels come from the config file (config.json); a policy it does not name is advisory. */
export const PACK_ENFORCEMENT_LEVEL: EnforcementLevel = "advisory";

export const policies: Policies = [
  publicAddressesProxyOnly,
  publicIngressWebPortsOnly,
  sshFromManagementOnly,
  publicIngressProxyOnly,
  privateTiersClosedToEdge,
  loadBalancersInternal,
  disksEncrypted,
  awsMetadataV2Only,
  productionTiersHighlyAvailable,
  digitalOceanProductionRedundancy,
  productionStatefulProtected,
  environmentNetworksDisjoint,
  requiredTags,
  nameLengthLimits,
];
