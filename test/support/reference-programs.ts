/**
 * The platform model's design on the clouds whose components are not written yet, built with their
 * real resource classes: one environment's network, firewalls from the model's peers, HA groups, load
 * balancers, servers, tags and protection. The policy tests use it as the secure baseline every rule
 * must accept, until each cloud's real components replace it (Azure's already have).
 */
import * as aws from "@pulumi/aws/ec2/index.js";
import * as awsLb from "@pulumi/aws/lb/index.js";
import * as digitalocean from "@pulumi/digitalocean/index.js";
import { CLOUD_PROFILES } from "../../model/clouds.js";
import { INTERNET, type Environment, type IngressRule, type Platform, type ServerGroup } from "../../model/platform.js";
import { tagNames } from "../../model/tags.js";
import type { Cloud, TenantSpec } from "../../model/spec.js";
import type { Plan } from "../../engine/graph.js";
import { planOffline } from "../../engine/offline.js";
import { recordPlan } from "./plan-recorder.js";
import { sampleSpec } from "./specs.js";

/** The sample tenant on another cloud: region and sizes made that cloud's. */
export function sampleOn(cloud: Cloud): TenantSpec {
  const spec = sampleSpec();
  if (cloud === "azure") return spec;
  const profile = CLOUD_PROFILES[cloud];
  spec.cloud = cloud;
  spec.region = profile.regionExample;
  spec.proxy = { size: profile.sizeExample };
  for (const environment of Object.values(spec.environments)) for (const tier of Object.values(environment.tiers)) tier.size = profile.sizeExample;
  return spec;
}

const groupsOf = (environment: Environment) => [environment.proxy, ...environment.tiers];
const isSingleProxy = (group: ServerGroup) => group.kind === "proxy" && group.loadBalancer === undefined;

/** A rule's peers as address ranges (subnets on AWS) and, where the cloud has no subnets, as group tags. */
function peerSources(platform: Platform, environment: Environment, rule: IngressRule): { cidrs: string[]; groups: string[] } {
  const group = (name: string) => [environment.proxy, ...environment.tiers].find((candidate) => candidate.name === name)!;
  const cidrs: string[] = [];
  const groups: string[] = [];
  for (const peer of rule.peers) {
    if (peer.kind === "internet") cidrs.push(INTERNET);
    else if (peer.kind === "management") cidrs.push(...platform.managementCidrs);
    else if (peer.kind === "proxy" || peer.kind === "tier") {
      const member = group(peer.kind === "proxy" ? "proxy" : peer.tier);
      if (member.subnet) cidrs.push(member.subnet.cidr);
      else groups.push(member.names.subnet);
    }
  }
  return { cidrs, groups };
}

function awsEnvironment(platform: Platform, environment: Environment) {
  const protect = environment.protect;
  const named = (tags: Record<string, string>, name: string) => ({ ...tags, Name: name });
  const vpc = new aws.Vpc(environment.names.network, { cidrBlock: environment.cidr, tags: named(environment.tags, environment.names.network) });
  const subnetsOf = (serverGroup: ServerGroup) =>
    serverGroup.subnet!.halves.map(
      (zone) =>
        new aws.Subnet(`${serverGroup.names.subnet}-${zone.index}`, {
          vpcId: vpc.id,
          cidrBlock: zone.cidr,
          availabilityZone: `${platform.region}${"abc"[zone.index]}`,
          mapPublicIpOnLaunch: false,
          tags: named(serverGroup.tags, `${serverGroup.names.subnet}-${zone.index}`),
        }),
    );
  const edge = subnetsOf(environment.proxy);
  const natIp = new aws.Eip(`${environment.names.natGateway}-ip`, { domain: "vpc", tags: environment.tags }, { protect });
  new aws.NatGateway(environment.names.natGateway, { allocationId: natIp.allocationId, subnetId: edge[0]!.id, tags: named(environment.tags, environment.names.natGateway) });
  for (const serverGroup of groupsOf(environment)) {
    const subnets = serverGroup.kind === "proxy" ? edge : subnetsOf(serverGroup);
    const securityGroup = new aws.SecurityGroup(serverGroup.names.securityGroup, {
      name: serverGroup.names.securityGroup,
      vpcId: vpc.id,
      ingress: serverGroup.ingress.flatMap((rule) =>
        rule.ports.map((port) => ({ description: rule.name, protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: peerSources(platform, environment, rule).cidrs })),
      ),
      egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: [INTERNET] }],
      tags: serverGroup.tags,
    });
    const placement = new aws.PlacementGroup(serverGroup.names.haGroup, { name: serverGroup.names.haGroup, strategy: "spread", tags: serverGroup.tags });
    const balancer = serverGroup.loadBalancer;
    if (balancer) {
      new awsLb.LoadBalancer(balancer.name, {
        name: balancer.name,
        internal: !balancer.public,
        loadBalancerType: "network",
        subnets: subnets.map((subnet) => subnet.id),
        tags: serverGroup.tags,
      });
    }
    for (const host of serverGroup.hosts) {
      new aws.Instance(
        host.name,
        {
          ami: "ami-0123456789abcdef0",
          instanceType: host.size,
          subnetId: subnets[host.zone ?? 0]!.id,
          privateIp: host.privateIp,
          vpcSecurityGroupIds: [securityGroup.id],
          placementGroup: placement.name,
          associatePublicIpAddress: isSingleProxy(serverGroup),
          metadataOptions: { httpEndpoint: "enabled", httpTokens: "required" },
          rootBlockDevice: { encrypted: true, volumeSize: 20 },
          tags: named(host.tags, host.name),
        },
        { protect },
      );
    }
  }
}

function digitalOceanEnvironment(platform: Platform, environment: Environment) {
  const protect = environment.protect;
  const vpc = new digitalocean.Vpc(environment.names.network, { name: environment.names.network, region: platform.region, ipRange: environment.cidr });
  new digitalocean.VpcNatGateway(environment.names.natGateway, {
    name: environment.names.natGateway,
    region: platform.region,
    size: 1,
    type: "PUBLIC",
    vpcs: [{ vpcUuid: vpc.id, defaultGateway: true }],
  });
  for (const serverGroup of groupsOf(environment)) {
    // One tag per group, unique to the tenant and environment, for the firewall and the load balancer to target.
    const groupTag = serverGroup.names.subnet;
    new digitalocean.Firewall(serverGroup.names.securityGroup, {
      name: serverGroup.names.securityGroup,
      tags: [groupTag],
      inboundRules: serverGroup.ingress.flatMap((rule) =>
        rule.ports.map((port) => {
          const { cidrs, groups } = peerSources(platform, environment, rule);
          return { protocol: "tcp", portRange: String(port), sourceAddresses: cidrs.flatMap((source) => (source === INTERNET ? [INTERNET, "::/0"] : [source])), sourceTags: groups };
        }),
      ),
      outboundRules: [{ protocol: "tcp", portRange: "1-65535", destinationAddresses: [INTERNET, "::/0"] }],
    });
    const droplets = serverGroup.hosts.map(
      (host) =>
        new digitalocean.Droplet(
          host.name,
          {
            name: host.name,
            region: platform.region,
            size: host.size,
            image: "debian-12-x64",
            vpcUuid: vpc.id,
            publicNetworking: isSingleProxy(serverGroup),
            tags: [groupTag, ...tagNames(host.tags)],
          },
          { protect },
        ),
    );
    const balancer = serverGroup.loadBalancer;
    if (balancer) {
      new digitalocean.LoadBalancer(
        balancer.name,
        {
          name: balancer.name,
          region: platform.region,
          vpcUuid: vpc.id,
          network: balancer.public ? "EXTERNAL" : "INTERNAL",
          dropletTag: groupTag,
          forwardingRules: balancer.ports.map((port) => ({ entryPort: port, entryProtocol: "tcp", targetPort: port, targetProtocol: "tcp" })),
        },
        { dependsOn: droplets },
      );
    }
  }
}

/** The clouds whose components are not written yet; the others' tests run their real components. */
type ReferenceCloud = "aws" | "digitalocean";

const ENVIRONMENTS: Record<ReferenceCloud, (platform: Platform, environment: Environment) => void> = {
  aws: awsEnvironment,
  digitalocean: digitalOceanEnvironment,
};

/**
 * The plan of the tenant's environments: the real components through the offline planner where the
 * cloud has them, the reference program elsewhere.
 */
export async function designPlan(platform: Platform, environments: Environment[] = platform.environments): Promise<Plan> {
  const cloud = platform.cloud;
  if (!(cloud in ENVIRONMENTS)) return planOffline(platform, environments);
  const build = ENVIRONMENTS[cloud as ReferenceCloud];
  return recordPlan(cloud, environments.map((environment) => ({ environment: environment.name, program: () => build(platform, environment) })), { tenant: platform.tenant });
}
