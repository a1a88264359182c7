/**
 * `botinfra:azure:Tier`: one tier of servers. Its own subnet (outbound through the NAT gateway) with a
 * security group that admits the tier's port only from the callers the model names, the servers in an
 * availability set, and an internal load balancer at the model's address in front of them.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as network from "@pulumi/azure-native/network/index.js";
import type { HostOutput, LoadBalancerOutput } from "../../model/outputs.js";
import { componentType } from "../contract.js";
import { frontendPrivateIp, groupSubnet, hostOutputs, loadBalancer, servers, type ServerGroupArgs } from "./server-group.js";

export class AzureTier extends pulumi.ComponentResource {
  readonly subnet: network.Subnet;
  readonly hosts: pulumi.Output<HostOutput[]>;
  readonly loadBalancer: pulumi.Output<LoadBalancerOutput>;

  constructor(name: string, args: ServerGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("azure", "tier"), name, {}, opts);
    const { group } = args;
    const model = group.loadBalancer;
    if (!model || model.public) throw new Error(`internal: the model gives tier ${group.name} no internal load balancer`);

    this.subnet = groupSubnet(this, args, args.shared.natGateway);
    const balancer = loadBalancer(this, args, model, { subnet: this.subnet, privateIp: model.privateIp });
    this.hosts = hostOutputs(group, servers(this, args, this.subnet, { balancer }));
    this.loadBalancer = frontendPrivateIp(balancer, model.name).apply((privateIp) => ({ group: group.name, public: false, privateIp, dnsName: model.dnsName }));

    this.registerOutputs({ subnetId: this.subnet.id, hosts: this.hosts, loadBalancer: this.loadBalancer });
  }
}
