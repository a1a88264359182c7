/**
 * `botinfra:azure:ReverseProxy`: the environment's only way in. Its servers sit in the edge subnet,
 * each with its own public address (the jump host for SSH from the management ranges); with more than
 * one server a public load balancer, at an address of its own, spreads 80 and 443 over them. Each
 * environment has its own proxy, so a change to development can never take production's entry down.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as network from "@pulumi/azure-native/network/index.js";
import type { LoadBalancerOutput } from "../../model/outputs.js";
import { componentType } from "../component-types.js";
import { publicIp } from "./public-ip.js";
import type { GroupOutputs } from "../outputs.js";
import { groupSubnet, hostOutputs, loadBalancer, servers, subnetOutput, type ServerGroupArgs } from "./server-group.js";

export class AzureReverseProxy extends pulumi.ComponentResource {
  readonly subnet: network.Subnet;
  readonly outputs: GroupOutputs;
  /** Where the environment's public host names point: the balancer's address, or the one proxy's. */
  readonly publicAddress: pulumi.Output<string | undefined>;

  constructor(name: string, args: ServerGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("azure", "proxy"), name, {}, opts);
    const { group, environment, shared } = args;
    const addressArgs = (tags: Record<string, string>) => ({ resourceGroupName: shared.resourceGroup.name, location: shared.location, tags });
    const stateful = { parent: this, protect: environment.protect };

    this.subnet = groupSubnet(this, args);
    const hostAddresses = group.hosts.map((host) => publicIp(host.name, addressArgs(host.tags), stateful));
    const model = group.loadBalancer;
    let balancer: { resource: network.LoadBalancer; address: network.PublicIPAddress } | undefined;
    let balancerOutput: pulumi.Output<LoadBalancerOutput> | undefined;
    if (model) {
      const address = publicIp(model.name, addressArgs(group.tags), stateful);
      balancer = { resource: loadBalancer(this, args, model, { publicIp: address }), address };
      balancerOutput = address.ipAddress.apply((ip) => ({ group: group.name, public: true, ...(ip === undefined ? {} : { publicIp: ip }), dnsName: model.dnsName }));
    }
    this.outputs = {
      hosts: hostOutputs(group, servers(this, args, this.subnet, { balancer: balancer?.resource, publicIps: hostAddresses })),
      ...(balancerOutput ? { loadBalancer: balancerOutput } : {}),
      subnet: subnetOutput(group, this.subnet),
    };
    this.publicAddress = (balancer?.address ?? hostAddresses[0]!).ipAddress;

    this.registerOutputs({ subnetId: this.subnet.id, ...this.outputs, publicAddress: this.publicAddress });
  }
}
