/**
 * In production every tier runs on at least two servers, spread by the cloud's HA mechanism: an
 * availability set or zones on Azure, a spread placement group across zones on AWS. DigitalOcean has
 * no such mechanism, so its tiers are held to the count alone, by a policy of its own that the
 * config file makes advisory.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { PRODUCTION } from "../../model/platform.js";
import { asProps, asString, asStrings, environmentOf, isSet, StackRoles, TAG_CONFIG_SCHEMA, tierOf, type ConfigProperty, type TagConfig } from "./resources.js";
import { AWS, AZURE, DIGITALOCEAN } from "./types.js";

interface AvailabilityConfig extends TagConfig {
  productionEnvironments: string[];
  minServers: number;
}

const PRODUCTION_SCHEMA = {
  ...TAG_CONFIG_SCHEMA,
  productionEnvironments: { type: "array", items: { type: "string" }, default: [PRODUCTION], description: "Environment tag values that are production" },
  minServers: { type: "integer", minimum: 1, default: 2, description: "The fewest servers a production tier may run on" },
} satisfies Record<string, ConfigProperty>;

interface Group {
  environment: string;
  tier: string;
  servers: PolicyResource[];
}

/** The servers of each production tier, by their environment and tier tags, in stack order. */
function productionGroups(resources: readonly PolicyResource[], types: ReadonlySet<string>, config: AvailabilityConfig): Group[] {
  const groups = new Map<string, Group>();
  for (const resource of resources) {
    if (!types.has(resource.type)) continue;
    const environment = environmentOf(resource, config);
    const tier = tierOf(resource, config);
    if (environment === undefined || tier === undefined || !config.productionEnvironments.includes(environment)) continue;
    const key = JSON.stringify([environment, tier]);
    const group = groups.get(key) ?? { environment, tier, servers: [] };
    group.servers.push(resource);
    groups.set(key, group);
  }
  return [...groups.values()];
}

const names = (servers: PolicyResource[]) => servers.map((server) => server.name).join(", ");

function countProblem(group: Group, config: AvailabilityConfig): string | undefined {
  const count = group.servers.length;
  if (count >= config.minServers) return undefined;
  return `tier "${group.tier}" of ${group.environment} runs on ${count} server${count === 1 ? "" : "s"} (${names(group.servers)}); production tiers need at least ${config.minServers}: raise its count.`;
}

/** Azure: every VM in an availability set, or the VMs spread over two or more zones. */
function azureSpreadProblem(group: Group): string | undefined {
  if (group.servers.every((vm) => isSet(asProps(vm.props.availabilitySet), "id"))) return undefined;
  const zones = new Set(group.servers.flatMap((vm) => asStrings(vm.props.zones)));
  if (zones.size >= 2) return undefined;
  const outside = group.servers.filter((vm) => !isSet(asProps(vm.props.availabilitySet), "id"));
  return `VMs of tier "${group.tier}" in ${group.environment} (${names(outside)}) are neither in an availability set nor spread over zones: put them in the tier's availability set.`;
}

const SPREADING_STRATEGIES = ["spread", "partition"];

/** AWS: every instance in a spread (or partition) placement group, and the instances in two or more availability zones. */
function awsSpreadProblem(group: Group, roles: StackRoles, resources: readonly PolicyResource[]): string | undefined {
  const unplaced = group.servers.filter((instance) => !isSet(instance.props, "placementGroup") && !isSet(instance.props, "placementGroupId"));
  if (unplaced.length > 0) {
    return `instances of tier "${group.tier}" in ${group.environment} (${names(unplaced)}) are in no placement group: put them in a placement group with strategy "spread".`;
  }
  const placementGroups = resources.filter((resource) => resource.type === AWS.placementGroup);
  for (const instance of group.servers) {
    const name = asString(instance.props.placementGroup);
    const placement = placementGroups.find((candidate) => name !== undefined && asString(candidate.props.name) === name);
    // A partition group spreads too (racks shared only within a partition): AWS's answer past 7 servers per zone.
    if (placement !== undefined && !SPREADING_STRATEGIES.includes(asString(placement.props.strategy) ?? "")) {
      return `placement group "${name}" of tier "${group.tier}" in ${group.environment} has strategy "${asString(placement.props.strategy)}": use "spread" (or "partition" past 7 servers per zone).`;
    }
  }
  const zoneOf = (instance: PolicyResource) =>
    asString(instance.props.availabilityZone) ??
    roles
      .linked(instance)
      .filter((other) => other.type === AWS.subnet)
      .map((subnet) => asString(subnet.props.availabilityZone))
      .find((zone) => zone !== undefined);
  const zones = group.servers.map(zoneOf);
  if (zones.some((zone) => zone === undefined) || new Set(zones).size >= 2) return undefined;
  return `instances of tier "${group.tier}" in ${group.environment} are all in ${zones[0]}: spread them over two or more availability zones.`;
}

export const productionTiersHighlyAvailable: StackValidationPolicy = {
  name: "production-tiers-highly-available",
  description: "In production every tier runs on at least two servers, spread by the cloud's HA mechanism (availability set or zones; spread placement group across zones).",
  severity: "high",
  configSchema: { properties: { ...PRODUCTION_SCHEMA } },
  validateStack: (args, reportViolation) => {
    const config = args.getConfig<AvailabilityConfig>();
    const roles = new StackRoles(args.resources, config);
    for (const group of productionGroups(args.resources, new Set([AZURE.virtualMachine, AWS.instance]), config)) {
      const spread = group.servers[0]!.type === AZURE.virtualMachine ? azureSpreadProblem(group) : awsSpreadProblem(group, roles, args.resources);
      for (const problem of [countProblem(group, config), spread]) if (problem !== undefined) reportViolation(problem, group.servers[0]!.urn);
    }
  },
};

export const digitalOceanProductionRedundancy: StackValidationPolicy = {
  name: "digitalocean-production-redundancy",
  description: "In production every DigitalOcean tier runs on at least two droplets (DigitalOcean offers no placement that keeps them on separate hosts).",
  severity: "medium",
  configSchema: { properties: { ...PRODUCTION_SCHEMA } },
  validateStack: (args, reportViolation) => {
    const config = args.getConfig<AvailabilityConfig>();
    for (const group of productionGroups(args.resources, new Set([DIGITALOCEAN.droplet]), config)) {
      const problem = countProblem(group, config);
      if (problem !== undefined) reportViolation(problem, group.servers[0]!.urn);
    }
  },
};
