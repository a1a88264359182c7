/**
 * What the rules need to know of a resource on any cloud: its tags, its role (the proxy or a tier),
 * what it is called in a message. Props come wrapped by the policy SDK, which throws on reading a
 * value the engine does not know yet; the helpers read only what a rule asks for.
 */
import type { PolicyConfigSchema, PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { PROXY_GROUP, TAG_KEYS, type Tags } from "../../model/platform.js";
import { parseTagNames } from "../../model/tags.js";
import { AWS, AZURE, cloudOf, DIGITALOCEAN } from "./types.js";

/** The part of a resource every rule reads: resource policies get it as args, stack policies per resource. */
export interface Resource {
  type: string;
  name: string;
  urn: string;
  props: Record<string, unknown>;
}

export type Props = Record<string, unknown>;

export const asString = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
export const asNumber = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);
export const asProps = (value: unknown): Props | undefined =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Props) : undefined;
export const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
export const asStrings = (value: unknown): string[] => asList(value).filter((item): item is string => typeof item === "string");

/** Whether a property is present: `in` never reads the value, so it works on values not known yet. */
export function isSet(props: Props | undefined, key: string): boolean {
  return props !== undefined && key in props;
}

/** DigitalOcean resources whose `tags` label the resource itself; a Firewall's `tags` name the droplets it guards. */
const DIGITALOCEAN_LABELLED: ReadonlySet<string> = new Set([DIGITALOCEAN.droplet, DIGITALOCEAN.volume, DIGITALOCEAN.databaseCluster]);

/**
 * The resource's own tags: Azure and AWS key/value tags, DigitalOcean `key:value` tag names.
 * Undefined for resources that cannot carry tags of their own.
 */
export function tagsOf(resource: Pick<Resource, "type" | "props">): Tags | undefined {
  const cloud = cloudOf(resource.type);
  if (cloud === undefined) return undefined;
  if (cloud === "digitalocean") {
    return DIGITALOCEAN_LABELLED.has(resource.type) ? parseTagNames(asStrings(resource.props.tags)) : undefined;
  }
  const tags = asProps(resource.props.tags) ?? {};
  return Object.fromEntries(Object.entries(tags).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

export interface TagConfig {
  environmentTag: string;
  tierTag: string;
  proxyTier: string;
}

/** One configurable property of a policy, as JSON schema. */
export type ConfigProperty = PolicyConfigSchema["properties"][string];

export const TAG_CONFIG_SCHEMA = {
  environmentTag: { type: "string", default: TAG_KEYS.environment, description: "The tag naming a resource's environment" },
  tierTag: { type: "string", default: TAG_KEYS.tier, description: "The tag naming a resource's tier" },
  proxyTier: { type: "string", default: PROXY_GROUP, description: "The tier tag value of the reverse proxy" },
} satisfies Record<keyof TagConfig, ConfigProperty>;

/** The tier the resource's own tags name (the proxy is a tier too). */
export function tierOf(resource: Pick<Resource, "type" | "props">, config: Pick<TagConfig, "tierTag">): string | undefined {
  return tagsOf(resource)?.[config.tierTag];
}

export function environmentOf(resource: Pick<Resource, "type" | "props">, config: Pick<TagConfig, "environmentTag">): string | undefined {
  return tagsOf(resource)?.[config.environmentTag];
}

const TITLES: Record<string, string> = {
  [AZURE.networkSecurityGroup]: "network security group",
  [AZURE.securityRule]: "security rule",
  [AZURE.publicIpAddress]: "public IP address",
  [AZURE.networkInterface]: "network interface",
  [AZURE.loadBalancer]: "load balancer",
  [AZURE.virtualMachine]: "VM",
  [AZURE.virtualNetwork]: "virtual network",
  [AWS.securityGroup]: "security group",
  [AWS.securityGroupIngressRule]: "security group rule",
  [AWS.securityGroupRule]: "security group rule",
  [AWS.instance]: "instance",
  [AWS.launchTemplate]: "launch template",
  [AWS.volume]: "EBS volume",
  [AWS.eip]: "elastic IP",
  [AWS.loadBalancer]: "load balancer",
  [AWS.albLoadBalancer]: "load balancer",
  [AWS.classicLoadBalancer]: "load balancer",
  [AWS.vpc]: "VPC",
  [AWS.subnet]: "subnet",
  [AWS.targetGroup]: "target group",
  [AWS.placementGroup]: "placement group",
  [DIGITALOCEAN.firewall]: "firewall",
  [DIGITALOCEAN.droplet]: "droplet",
  [DIGITALOCEAN.loadBalancer]: "load balancer",
  [DIGITALOCEAN.reservedIp]: "reserved IP",
  [DIGITALOCEAN.vpc]: "VPC",
};

/** `network security group "acme-production-api-fw"`: how messages name a resource. */
export function describe(resource: Pick<Resource, "type" | "name">): string {
  const title = TITLES[resource.type] ?? resource.type.slice(resource.type.lastIndexOf(":") + 1);
  return `${title} "${resource.name}"`;
}

/** Resources that only join an address to a server. */
const ASSOCIATIONS: ReadonlySet<string> = new Set([AWS.eipAssociation, DIGITALOCEAN.reservedIpAssignment]);

/**
 * The roles of resources in one stack. A resource's role is its own tier tag; a resource without one
 * (a DigitalOcean firewall or load balancer, a standalone rule, an address) takes the tiers of the
 * tagged resources it is linked to: what it depends on, what depends on it, through association
 * resources, and on DigitalOcean the droplets whose tags it targets.
 */
export class StackRoles {
  private readonly dependents = new Map<string, PolicyResource[]>();

  constructor(
    private readonly resources: readonly PolicyResource[],
    private readonly config: TagConfig,
  ) {
    for (const resource of resources) {
      for (const dependency of resource.dependencies) {
        const list = this.dependents.get(dependency.urn) ?? [];
        list.push(resource);
        this.dependents.set(dependency.urn, list);
      }
    }
  }

  /** Resources linked to this one, one step away (two through an association such as an EIP association). */
  linked(resource: PolicyResource): PolicyResource[] {
    const direct = [...resource.dependencies, ...(this.dependents.get(resource.urn) ?? []), ...this.targetedDroplets(resource)];
    const throughAssociations = direct.filter((other) => ASSOCIATIONS.has(other.type)).flatMap((other) => other.dependencies);
    return [...new Set([...direct, ...throughAssociations])].filter((other) => other.urn !== resource.urn);
  }

  tiers(resource: PolicyResource): Set<string> {
    const own = tierOf(resource, this.config);
    if (own !== undefined) return new Set([own]);
    return new Set(this.linked(resource).flatMap((other) => tierOf(other, this.config) ?? []));
  }

  /** The resource is the proxy's when every tier it has or is linked to is the proxy. */
  isProxy(resource: PolicyResource): boolean {
    const tiers = this.tiers(resource);
    return tiers.size > 0 && [...tiers].every((tier) => tier === this.config.proxyTier);
  }

  private targetedDroplets(resource: PolicyResource): PolicyResource[] {
    const targets =
      resource.type === DIGITALOCEAN.firewall
        ? asStrings(resource.props.tags)
        : resource.type === DIGITALOCEAN.loadBalancer
          ? asStrings([resource.props.dropletTag])
          : [];
    if (targets.length === 0) return [];
    return this.resources.filter(
      (other) => other.type === DIGITALOCEAN.droplet && asStrings(other.props.tags).some((tag) => targets.includes(tag)),
    );
  }
}

/**
 * A stack policy for something only the proxy may have. `finding` tells whether a resource has it;
 * when it does, it returns the message, given the tiers the resource belongs to. Resources of the
 * proxy are left alone.
 */
export function proxyOnlyPolicy(
  policy: Pick<StackValidationPolicy, "name" | "description" | "severity">,
  finding: (resource: PolicyResource, roles: StackRoles) => ((tiers: string[]) => string) | undefined,
): StackValidationPolicy {
  return {
    ...policy,
    configSchema: { properties: { ...TAG_CONFIG_SCHEMA } },
    validateStack: (args, reportViolation) => {
      const roles = new StackRoles(args.resources, args.getConfig<TagConfig>());
      for (const resource of args.resources) {
        const message = finding(resource, roles);
        if (message !== undefined && !roles.isProxy(resource)) reportViolation(message([...roles.tiers(resource)]), resource.urn);
      }
    },
  };
}
