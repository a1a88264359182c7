/**
 * `botinfra:azure:Tier`: one tier of servers. Its own subnet (outbound through the NAT gateway) with a
 * security group that admits the tier's port only from the peers the model names, the servers in an
 * availability set and, unless the tier is stateful, an internal load balancer at the model's address
 * in front of them.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as network from "@pulumi/azure-native/network/index.js";
import type { LoadBalancerOutput } from "../../model/outputs.js";
import { componentType } from "../component-types.js";
import type { GroupOutputs } from "../outputs.js";
import { frontendPrivateIp, groupSubnet, hostOutputs, loadBalancer, servers, subnetOutput, type ServerGroupArgs } from "./server-group.js";

export class AzureTier extends pulumi.ComponentResource {
  readonly subnet: network.Subnet;
  readonly outputs: GroupOutputs;

  constructor(name: string, args: ServerGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("azure", "tier"), name, {}, opts);
    const { group } = args;
    const model = group.loadBalancer;
    if (model?.public || (!model && !group.stateful)) throw new Error(`internal: the model gives tier ${group.name} no internal load balancer`);

    this.subnet = groupSubnet(this, args, args.shared.natGateway);
    let balancerOutput: pulumi.Output<LoadBalancerOutput> | undefined;
    let balancer: network.LoadBalancer | undefined;
    if (model) {
      if (model.privateIp === undefined) throw new Error(`internal: the model gives tier ${group.name}'s load balancer no address`);
      balancer = loadBalancer(this, args, model, { subnet: this.subnet, privateIp: model.privateIp });
      balancerOutput = frontendPrivateIp(balancer, model.name).apply((privateIp) => ({ group: group.name, public: false, privateIp, dnsName: model.dnsName }));
    }
    this.outputs = {
      hosts: hostOutputs(group, servers(this, args, this.subnet, { balancer })),
      ...(balancerOutput ? { loadBalancer: balancerOutput } : {}),
      subnet: subnetOutput(group, this.subnet),
    };

    this.registerOutputs({ subnetId: this.subnet.id, ...this.outputs });
  }
}
