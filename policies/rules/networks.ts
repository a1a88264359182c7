/**
 * No two environments of a tenant overlap in address space, so that they can be peered or reached
 * over one VPN. A stack holds one environment; the others' ranges come from the policy config
 * (`botinfra check` fills it from the tenant's model).
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { rangesOverlap } from "./addresses.js";
import { asProps, asStrings, describe, environmentOf, TAG_CONFIG_SCHEMA, type TagConfig } from "./resources.js";
import { AWS, AZURE, DIGITALOCEAN } from "./types.js";

interface NetworksConfig extends TagConfig {
  environmentRanges: Record<string, string>;
}

/** The address ranges of a network resource of any cloud; undefined for other resources. */
function rangesOf(resource: PolicyResource): string[] | undefined {
  switch (resource.type) {
    case AZURE.virtualNetwork:
      return asStrings(asProps(resource.props.addressSpace)?.addressPrefixes);
    case AWS.vpc:
      return asStrings([resource.props.cidrBlock]);
    case DIGITALOCEAN.vpc:
      return asStrings([resource.props.ipRange]);
    default:
      return undefined;
  }
}

/** The stack's environment: the one environment tag its resources carry, if they agree. */
function stackEnvironment(resources: readonly PolicyResource[], config: TagConfig): string | undefined {
  const environments = new Set(resources.flatMap((resource) => environmentOf(resource, config) ?? []));
  return environments.size === 1 ? [...environments][0] : undefined;
}

export const environmentNetworksDisjoint: StackValidationPolicy = {
  name: "environment-networks-disjoint",
  description: "No two networks of a tenant's environments overlap in address space.",
  severity: "high",
  configSchema: {
    properties: {
      environmentTag: TAG_CONFIG_SCHEMA.environmentTag,
      environmentRanges: {
        type: "object",
        additionalProperties: { type: "string" },
        default: {},
        description: "Each environment of the tenant and its address range, e.g. {\"production\": \"10.20.0.0/16\"}",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const config = args.getConfig<NetworksConfig>();
    const own = stackEnvironment(args.resources, config);
    const networks = args.resources.flatMap((resource) => {
      const ranges = rangesOf(resource);
      return ranges === undefined ? [] : [{ resource, ranges, environment: environmentOf(resource, config) ?? own }];
    });
    networks.forEach((network, index) => {
      for (const other of networks.slice(index + 1)) {
        const clash = network.ranges.find((range) => other.ranges.some((otherRange) => rangesOverlap(range, otherRange)));
        if (clash !== undefined) {
          reportViolation(`${describe(network.resource)} (${clash}) overlaps ${describe(other.resource)} (${other.ranges.join(", ")}): give each network its own range.`, network.resource.urn);
        }
      }
      for (const [environment, range] of Object.entries(config.environmentRanges)) {
        if (environment === network.environment) continue;
        const clash = network.ranges.find((ownRange) => rangesOverlap(ownRange, range));
        if (clash !== undefined) {
          reportViolation(
            `${describe(network.resource)} (${clash}) overlaps the range of environment ${environment} (${range}): give each environment its own range (environments.<name>.cidr in the tenant spec).`,
            network.resource.urn,
          );
        }
      }
    });
  },
};
