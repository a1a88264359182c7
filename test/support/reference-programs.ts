/**
 * The platform model's design, built with each cloud's real resource classes: one environment's
 * network, firewalls from the model's ingress rules, HA groups, load balancers, servers, tags and
 * protection, as the components are to build them. The policy tests use it as the secure baseline
 * every rule must accept; it is not the components (components/ is), so the sample-tenant test that
 * runs `botinfra plan`'s planner replaces it once that exists.
 */
import * as aws from "@pulumi/aws/ec2/index.js";
import * as awsLb from "@pulumi/aws/lb/index.js";
import * as compute from "@pulumi/azure-native/compute/index.js";
import * as network from "@pulumi/azure-native/network/index.js";
import * as resources from "@pulumi/azure-native/resources/index.js";
import * as digitalocean from "@pulumi/digitalocean/index.js";
import { CLOUD_PROFILES } from "../../model/clouds.js";
import { INTERNET, type Environment, type Platform, type ServerGroup } from "../../model/platform.js";
import { tagNames } from "../../model/tags.js";
import type { Cloud, TenantSpec } from "../../model/spec.js";
import { sampleSpec } from "./specs.js";

const AZURE_LOAD_BALANCER_PROBES = "AzureLoadBalancer";

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

function azureEnvironment(platform: Platform, environment: Environment) {
  const protect = environment.protect;
  const location = platform.region;
  const group = new resources.ResourceGroup(environment.names.group, { resourceGroupName: environment.names.group, location, tags: environment.tags });
  const vnet = new network.VirtualNetwork(environment.names.network, {
    resourceGroupName: group.name,
    virtualNetworkName: environment.names.network,
    addressSpace: { addressPrefixes: [environment.cidr] },
    tags: environment.tags,
  });
  const natIp = new network.PublicIPAddress(
    `${environment.names.natGateway}-ip`,
    { resourceGroupName: group.name, sku: { name: "Standard" }, publicIPAllocationMethod: "Static", tags: environment.tags },
    { protect },
  );
  const nat = new network.NatGateway(environment.names.natGateway, {
    resourceGroupName: group.name,
    natGatewayName: environment.names.natGateway,
    sku: { name: "Standard" },
    publicIpAddresses: [{ id: natIp.id }],
    tags: environment.tags,
  });
  for (const serverGroup of groupsOf(environment)) {
    const rules = serverGroup.ingress.map((rule, index) => ({
      name: rule.name,
      priority: 100 + index * 10,
      access: "Allow",
      direction: "Inbound",
      protocol: "Tcp",
      sourcePortRange: "*",
      sourceAddressPrefixes: rule.sources.map((source) => (source === INTERNET ? "Internet" : source)),
      destinationAddressPrefix: "*",
      destinationPortRanges: rule.ports.map(String),
    }));
    if (serverGroup.kind === "tier") {
      rules.push({ ...rules[0]!, name: "probe", priority: 300, sourceAddressPrefixes: [AZURE_LOAD_BALANCER_PROBES], destinationPortRanges: [String(serverGroup.port)] });
    }
    const nsg = new network.NetworkSecurityGroup(serverGroup.names.securityGroup, {
      resourceGroupName: group.name,
      networkSecurityGroupName: serverGroup.names.securityGroup,
      securityRules: rules,
      tags: serverGroup.tags,
    });
    const subnet = new network.Subnet(serverGroup.names.subnet, {
      resourceGroupName: group.name,
      virtualNetworkName: vnet.name,
      subnetName: serverGroup.names.subnet,
      addressPrefix: serverGroup.cidr,
      networkSecurityGroup: { id: nsg.id },
      natGateway: { id: nat.id },
      defaultOutboundAccess: false,
    });
    const availabilitySet = new compute.AvailabilitySet(serverGroup.names.haGroup, {
      resourceGroupName: group.name,
      availabilitySetName: serverGroup.names.haGroup,
      sku: { name: "Aligned" },
      platformFaultDomainCount: 2,
      tags: serverGroup.tags,
    });
    const balancer = serverGroup.loadBalancer;
    if (balancer) {
      const frontendIp = balancer.public
        ? new network.PublicIPAddress(`${balancer.name}-ip`, { resourceGroupName: group.name, sku: { name: "Standard" }, tags: serverGroup.tags }, { protect })
        : undefined;
      new network.LoadBalancer(balancer.name, {
        resourceGroupName: group.name,
        loadBalancerName: balancer.name,
        sku: { name: "Standard" },
        frontendIPConfigurations: [
          frontendIp
            ? { name: "frontend", publicIPAddress: { id: frontendIp.id } }
            : { name: "frontend", privateIPAllocationMethod: "Static", privateIPAddress: balancer.privateIp, subnet: { id: subnet.id } },
        ],
        tags: serverGroup.tags,
      });
    }
    for (const host of serverGroup.hosts) {
      const publicIp = isSingleProxy(serverGroup)
        ? new network.PublicIPAddress(`${host.name}-ip`, { resourceGroupName: group.name, sku: { name: "Standard" }, tags: host.tags }, { protect })
        : undefined;
      const nic = new network.NetworkInterface(`${host.name}-nic`, {
        resourceGroupName: group.name,
        ipConfigurations: [
          {
            name: "ipconfig",
            privateIPAllocationMethod: "Static",
            privateIPAddress: host.privateIp,
            subnet: { id: subnet.id },
            ...(publicIp ? { publicIPAddress: { id: publicIp.id } } : {}),
          },
        ],
        tags: host.tags,
      });
      new compute.VirtualMachine(
        host.name,
        {
          resourceGroupName: group.name,
          vmName: host.name,
          availabilitySet: { id: availabilitySet.id },
          hardwareProfile: { vmSize: host.size },
          securityProfile: { encryptionAtHost: true },
          storageProfile: {
            imageReference: { publisher: "Debian", offer: "debian-12", sku: "12-gen2", version: "latest" },
            osDisk: { createOption: "FromImage", managedDisk: { storageAccountType: "Premium_LRS" } },
          },
          networkProfile: { networkInterfaces: [{ id: nic.id }] },
          tags: host.tags,
        },
        { protect },
      );
    }
  }
}

function awsEnvironment(platform: Platform, environment: Environment) {
  const protect = environment.protect;
  const named = (tags: Record<string, string>, name: string) => ({ ...tags, Name: name });
  const vpc = new aws.Vpc(environment.names.network, { cidrBlock: environment.cidr, tags: named(environment.tags, environment.names.network) });
  const subnetsOf = (serverGroup: ServerGroup) =>
    serverGroup.zones.map(
      (zone) =>
        new aws.Subnet(`${serverGroup.names.subnet}-${zone.zone}`, {
          vpcId: vpc.id,
          cidrBlock: zone.cidr,
          availabilityZone: `${platform.region}${"abc"[zone.zone]}`,
          mapPublicIpOnLaunch: false,
          tags: named(serverGroup.tags, `${serverGroup.names.subnet}-${zone.zone}`),
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
        rule.ports.map((port) => ({ description: rule.name, protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: rule.sources })),
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
          subnetId: subnets[host.zone]!.id,
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
        rule.ports.map((port) => ({ protocol: "tcp", portRange: String(port), sourceAddresses: rule.sources.flatMap((source) => (source === INTERNET ? [INTERNET, "::/0"] : [source])) })),
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

const ENVIRONMENTS: Record<Cloud, (platform: Platform, environment: Environment) => void> = {
  azure: azureEnvironment,
  aws: awsEnvironment,
  digitalocean: digitalOceanEnvironment,
};

/** The program of one environment's stack, on the tenant's cloud. */
export function referenceProgram(platform: Platform, environment: Environment): () => void {
  return () => ENVIRONMENTS[platform.cloud](platform, environment);
}
