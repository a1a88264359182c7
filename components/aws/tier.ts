/**
 * `botinfra:aws:Tier`: one tier of servers. A private subnet per zone (the model's halves), routed to
 * the zone's NAT gateway; the tier's security-group rules from the model's peers; the servers in a
 * placement group, spread over the zones; and, unless the tier is stateful, an internal network load
 * balancer at the model's address in each zone.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2/index.js";
import type { LoadBalancerOutput } from "../../model/outputs.js";
import { componentType } from "../component-types.js";
import type { GroupOutputs } from "../outputs.js";
import { named } from "./environment.js";
import { dnsRecords, hostOutputs, ingressRules, modelSubnet, networkLoadBalancer, servers, subnetOutput, type AwsGroupArgs } from "./server-group.js";

export class AwsTier extends pulumi.ComponentResource {
  readonly subnets: ec2.Subnet[];
  readonly outputs: GroupOutputs;

  constructor(name: string, args: AwsGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("aws", "tier"), name, {}, opts);
    const { group, shared } = args;
    const model = group.loadBalancer;
    if (model?.public || (!model && !group.stateful)) throw new Error(`internal: the model gives tier ${group.name} no internal load balancer`);

    this.subnets = modelSubnet(group).halves.map((half) => {
      const subnetName = `${group.names.subnet}-${half.index}`;
      const subnet = new ec2.Subnet(
        subnetName,
        { vpcId: shared.vpc.id, cidrBlock: half.cidr, availabilityZone: shared.zones[half.index], mapPublicIpOnLaunch: false, tags: named(group.tags, subnetName) },
        { parent: this },
      );
      new ec2.RouteTableAssociation(subnetName, { subnetId: subnet.id, routeTableId: shared.privateRouteTables[half.index]!.id }, { parent: this });
      return subnet;
    });
    ingressRules(this, args);
    const list = servers(this, args, this.subnets, [shared.securityGroups.get(group.name)!.id]);

    let balancerOutput: pulumi.Output<LoadBalancerOutput> | undefined;
    let balancer;
    if (model) {
      const mappings = modelSubnet(group).halves.map((half) => ({ subnetId: this.subnets[half.index]!.id, privateIpv4Address: half.loadBalancerIp }));
      balancer = networkLoadBalancer(this, args, model, mappings, list);
      balancerOutput = balancer.subnetMappings.apply((reported) => {
        const privateIp = reported[0]?.privateIpv4Address;
        if (!privateIp) throw new Error(`internal: AWS reported load balancer ${model.name} without its address in the first zone`);
        return { group: group.name, public: false, privateIp, dnsName: model.dnsName };
      });
    }
    dnsRecords(this, args, list, balancer);
    this.outputs = {
      hosts: hostOutputs(group, list),
      ...(balancerOutput ? { loadBalancer: balancerOutput } : {}),
      subnet: subnetOutput(group, this.subnets),
    };

    this.registerOutputs({ subnetIds: this.subnets.map((subnet) => subnet.id), ...this.outputs });
  }
}
