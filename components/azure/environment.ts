/**
 * `botinfra:azure:Environment`: what an environment's servers share. A resource group, the virtual
 * network, the NAT gateway that gives private subnets their outbound traffic (Azure retired default
 * outbound access for new networks) and the private DNS zone with a name for every server and tier.
 */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network/index.js";
import * as privatedns from "@pulumi/azure-native/privatedns/index.js";
import * as resources from "@pulumi/azure-native/resources/index.js";
import type { Environment, Platform } from "../../model/platform.js";
import { componentType } from "../component-types.js";
import { publicIp } from "./public-ip.js";

export interface AzureEnvironmentArgs {
  platform: Platform;
  environment: Environment;
}

export interface DnsRecord {
  /** The name inside the zone: `api`, `api-1`. */
  name: string;
  fqdn: string;
  ips: string[];
}

const DNS_TTL_SECONDS = 300;
/** Private DNS zones and their links are global resources in Azure. */
const GLOBAL = "global";

/**
 * A record for every server and one per group: a balanced group's name is its internal load balancer
 * (the proxy's, when there is one, is public), a stateful tier's lists every server (a seed list).
 */
export function dnsRecords(environment: Environment): DnsRecord[] {
  const groups = [environment.proxy, ...environment.tiers];
  const record = (fqdn: string, ips: (string | undefined)[]): DnsRecord => {
    const known = ips.filter((ip): ip is string => ip !== undefined);
    if (known.length !== ips.length) throw new Error(`internal: the model plans no address for ${fqdn} on Azure`);
    return { name: fqdn.slice(0, -(environment.dnsZone.length + 1)), fqdn, ips: known };
  };
  return [
    ...groups.flatMap((group) => group.hosts.map((host) => record(host.dnsName, [host.privateIp]))),
    ...groups.flatMap((group) => {
      if (group.stateful) return [record(group.dnsName, group.hosts.map((host) => host.privateIp))];
      return group.loadBalancer && !group.loadBalancer.public ? [record(group.dnsName, [group.loadBalancer.privateIp])] : [];
    }),
  ];
}

export class AzureEnvironment extends pulumi.ComponentResource {
  readonly resourceGroup: resources.ResourceGroup;
  readonly network: network.VirtualNetwork;
  readonly natGateway: network.NatGateway;
  readonly location: string;

  constructor(name: string, args: AzureEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("azure", "environment"), name, {}, opts);
    const { environment } = args;
    const { names, tags } = environment;
    const location = args.platform.region;
    const stateful = { parent: this, protect: environment.protect };

    this.location = location;
    this.resourceGroup = new resources.ResourceGroup(names.group, { resourceGroupName: names.group, location, tags }, stateful);
    const resourceGroupName = this.resourceGroup.name;

    this.network = new network.VirtualNetwork(
      names.network,
      { resourceGroupName, location, virtualNetworkName: names.network, addressSpace: { addressPrefixes: [environment.cidr] }, tags },
      stateful,
    );

    const natAddress = publicIp(names.natGateway, { resourceGroupName, location, tags }, stateful);
    this.natGateway = new network.NatGateway(
      names.natGateway,
      { resourceGroupName, location, natGatewayName: names.natGateway, sku: { name: "Standard" }, idleTimeoutInMinutes: 4, publicIpAddresses: [{ id: natAddress.id }], tags },
      { parent: this },
    );

    const zone = new privatedns.PrivateZone(
      environment.dnsZone,
      { resourceGroupName, privateZoneName: environment.dnsZone, location: GLOBAL, tags },
      { parent: this },
    );
    const linkName = `${names.network}-dns`;
    new privatedns.VirtualNetworkLink(
      linkName,
      {
        resourceGroupName,
        privateZoneName: zone.name,
        virtualNetworkLinkName: linkName,
        location: GLOBAL,
        virtualNetwork: { id: this.network.id },
        registrationEnabled: false,
        tags,
      },
      { parent: this },
    );
    for (const record of dnsRecords(environment)) {
      new privatedns.PrivateRecordSet(
        record.fqdn,
        {
          resourceGroupName,
          privateZoneName: zone.name,
          recordType: "A",
          relativeRecordSetName: record.name,
          ttl: DNS_TTL_SECONDS,
          aRecords: record.ips.map((ipv4Address) => ({ ipv4Address })),
        },
        { parent: this },
      );
    }

    this.registerOutputs({ resourceGroupName, networkId: this.network.id, natGatewayId: this.natGateway.id, dnsZone: zone.name });
  }
}
