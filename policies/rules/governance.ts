/**
 * Keeping dozens of tenants in order: every resource carries the tenant, environment and managed-by
 * tags, names fit the cloud's limits, and production's stateful resources are protected from deletion.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { CLOUD_PROFILES, type NameKind } from "../../model/clouds.js";
import { PRODUCTION, TAG_KEYS } from "../../model/platform.js";
import { asProps, asString, asStrings, describe, environmentOf, tagsOf, TAG_CONFIG_SCHEMA, type TagConfig } from "./resources.js";
import { AWS, AZURE, cloudOf, DIGITALOCEAN } from "./types.js";

/** Resource types that take tags of their own (a test checks each against its SDK's arguments). */
export const TAGGABLE: ReadonlySet<string> = new Set([
  AZURE.resourceGroup, AZURE.virtualNetwork, AZURE.networkSecurityGroup, AZURE.publicIpAddress, AZURE.natGateway,
  AZURE.networkInterface, AZURE.loadBalancer, AZURE.availabilitySet, AZURE.virtualMachine, AZURE.disk, AZURE.privateZone,
  AZURE.virtualNetworkLink, AZURE.routeTable, AZURE.storageAccount, AZURE.keyVault,
  AWS.resourceGroup, AWS.vpc, AWS.subnet, AWS.internetGateway, AWS.routeTable, AWS.securityGroup, AWS.securityGroupIngressRule,
  AWS.instance, AWS.launchTemplate, AWS.volume, AWS.eip, AWS.natGateway, AWS.placementGroup, AWS.loadBalancer, AWS.albLoadBalancer,
  AWS.classicLoadBalancer, AWS.targetGroup, AWS.listener, AWS.zone, AWS.dbInstance, AWS.bucket,
  DIGITALOCEAN.droplet, DIGITALOCEAN.volume, DIGITALOCEAN.databaseCluster,
]);

export const requiredTags: ResourceValidationPolicy = {
  name: "required-tags",
  description: "Every resource that can carry tags carries the tenant, environment and managed-by tags (on DigitalOcean as `key:value` tag names).",
  severity: "medium",
  configSchema: {
    properties: {
      requiredTags: {
        type: "array",
        items: { type: "string" },
        default: [TAG_KEYS.tenant, TAG_KEYS.environment, TAG_KEYS.managedBy],
        description: "The tag keys every taggable resource must carry",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (!TAGGABLE.has(args.type)) return;
    const tags = tagsOf(args) ?? {};
    const missing = asStrings(args.getConfig<{ requiredTags: string[] }>().requiredTags).filter((key) => !tags[key]);
    if (missing.length === 1) reportViolation(`${describe(args)} lacks the tag ${missing[0]}: add it to its tags.`);
    if (missing.length > 1) reportViolation(`${describe(args)} lacks the tags ${missing.join(", ")}: add them to its tags.`);
  },
};

/** Where each type keeps its cloud name and which of the model's name limits it falls under. */
export const NAME_PROPERTIES: Record<string, { kind: NameKind; property: string; inTags?: boolean }> = {
  [AZURE.resourceGroup]: { kind: "group", property: "resourceGroupName" },
  [AZURE.virtualNetwork]: { kind: "network", property: "virtualNetworkName" },
  [AZURE.natGateway]: { kind: "natGateway", property: "natGatewayName" },
  [AZURE.subnet]: { kind: "subnet", property: "subnetName" },
  [AZURE.networkSecurityGroup]: { kind: "securityGroup", property: "networkSecurityGroupName" },
  [AZURE.availabilitySet]: { kind: "haGroup", property: "availabilitySetName" },
  [AZURE.loadBalancer]: { kind: "loadBalancer", property: "loadBalancerName" },
  [AZURE.virtualMachine]: { kind: "host", property: "vmName" },
  [AWS.resourceGroup]: { kind: "group", property: "name" },
  [AWS.securityGroup]: { kind: "securityGroup", property: "name" },
  [AWS.placementGroup]: { kind: "haGroup", property: "name" },
  [AWS.loadBalancer]: { kind: "loadBalancer", property: "name" },
  [AWS.albLoadBalancer]: { kind: "loadBalancer", property: "name" },
  [AWS.targetGroup]: { kind: "targetGroup", property: "name" },
  [AWS.vpc]: { kind: "network", property: "Name", inTags: true },
  [AWS.subnet]: { kind: "subnet", property: "Name", inTags: true },
  [AWS.natGateway]: { kind: "natGateway", property: "Name", inTags: true },
  [AWS.instance]: { kind: "host", property: "Name", inTags: true },
  [DIGITALOCEAN.project]: { kind: "group", property: "name" },
  [DIGITALOCEAN.vpc]: { kind: "network", property: "name" },
  [DIGITALOCEAN.vpcNatGateway]: { kind: "natGateway", property: "name" },
  [DIGITALOCEAN.firewall]: { kind: "securityGroup", property: "name" },
  [DIGITALOCEAN.loadBalancer]: { kind: "loadBalancer", property: "name" },
  [DIGITALOCEAN.droplet]: { kind: "host", property: "name" },
};

export const nameLengthLimits: ResourceValidationPolicy = {
  name: "name-length-limits",
  description: "Resource names fit the cloud's limits, so the cloud does not refuse them halfway through a deployment.",
  severity: "medium",
  validateResource: (args, reportViolation) => {
    const naming = NAME_PROPERTIES[args.type];
    const cloud = cloudOf(args.type);
    if (naming === undefined || cloud === undefined) return;
    const source = naming.inTags ? asProps(args.props.tags) : args.props;
    // Without an explicit name the provider derives one from the resource's name (adding a suffix where it autonames).
    const name = asString(source?.[naming.property]) ?? args.name;
    const limit = CLOUD_PROFILES[cloud].nameLimits[naming.kind];
    if (name.length > limit) {
      const where = naming.inTags ? `tag ${naming.property}` : naming.property;
      reportViolation(`${describe(args)} is named "${name}" (${where}, ${name.length} characters); ${CLOUD_PROFILES[cloud].title} allows at most ${limit}: shorten it.`);
    }
  },
};

/** Resources that hold data or addresses: deleting one loses something a redeploy cannot bring back. */
export const STATEFUL: ReadonlySet<string> = new Set([
  AZURE.virtualMachine, AZURE.disk, AZURE.publicIpAddress, AZURE.storageAccount, AZURE.keyVault,
  AWS.instance, AWS.volume, AWS.eip, AWS.dbInstance, AWS.bucket,
  DIGITALOCEAN.droplet, DIGITALOCEAN.volume, DIGITALOCEAN.reservedIp, DIGITALOCEAN.databaseCluster,
]);

export const productionStatefulProtected: ResourceValidationPolicy = {
  name: "production-stateful-protected",
  description: "In production, resources that hold data or addresses are protected from deletion (the `protect` resource option).",
  severity: "high",
  configSchema: {
    properties: {
      environmentTag: TAG_CONFIG_SCHEMA.environmentTag,
      productionEnvironments: { type: "array", items: { type: "string" }, default: [PRODUCTION], description: "Environment tag values that are production" },
    },
  },
  validateResource: (args, reportViolation) => {
    if (!STATEFUL.has(args.type) || args.opts.protect) return;
    const config = args.getConfig<Pick<TagConfig, "environmentTag"> & { productionEnvironments: string[] }>();
    const environment = environmentOf(args, config);
    if (environment !== undefined && config.productionEnvironments.includes(environment)) {
      reportViolation(`${describe(args)} holds data or an address in ${environment} but is not protected: create it with the resource option protect: true.`);
    }
  },
};
