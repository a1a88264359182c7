/**
 * `botinfra:aws:ReverseProxy`: the environment's only way in. Its servers sit in the edge subnets,
 * each with an elastic IP (the jump host for SSH from the management ranges); with more than one
 * server an internet-facing network load balancer with an elastic IP per zone forwards TCP 80 and 443
 * to nginx, which keeps TLS and WebSockets. Production's addresses are protected.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2/index.js";
import type { LoadBalancerOutput } from "../../model/outputs.js";
import { componentType } from "../component-types.js";
import type { GroupOutputs } from "../outputs.js";
import { named } from "./environment.js";
import { dnsRecords, hostOutputs, ingressRules, modelSubnet, networkLoadBalancer, servers, subnetOutput, type AwsGroupArgs } from "./server-group.js";

export class AwsReverseProxy extends pulumi.ComponentResource {
  readonly outputs: GroupOutputs;
  /** Where the environment's public host names point: the balancer's first zone's address, or the one proxy's. */
  readonly publicAddress: pulumi.Output<string | undefined>;

  constructor(name: string, args: AwsGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("aws", "proxy"), name, {}, opts);
    const { group, environment, shared } = args;
    const stateful = { parent: this, protect: environment.protect };
    const address = (eipName: string, tags: Record<string, string>, instance?: ec2.Instance) =>
      new ec2.Eip(eipName, { domain: "vpc", ...(instance ? { instance: instance.id } : {}), tags: named(tags, eipName) }, stateful);

    ingressRules(this, args);
    const list = servers(this, args, shared.edgeSubnets, [shared.securityGroups.get(group.name)!.id]).map((server) => ({
      ...server,
      publicIp: address(`${server.host.name}-eip`, server.host.tags, server.instance),
    }));

    const model = group.loadBalancer;
    let balancerOutput: pulumi.Output<LoadBalancerOutput> | undefined;
    let balancerAddresses: ec2.Eip[] = [];
    if (model) {
      balancerAddresses = modelSubnet(group).halves.map((half) => address(`${model.name}-eip-${half.index}`, group.tags));
      const mappings = balancerAddresses.map((eip, zone) => ({ subnetId: shared.edgeSubnets[zone]!.id, allocationId: eip.allocationId }));
      networkLoadBalancer(this, args, model, mappings, list);
      balancerOutput = balancerAddresses[0]!.publicIp.apply((publicIp) => ({ group: group.name, public: true, publicIp, dnsName: model.dnsName }));
    }
    dnsRecords(this, args, list);
    this.outputs = {
      hosts: hostOutputs(group, list),
      ...(balancerOutput ? { loadBalancer: balancerOutput } : {}),
      subnet: subnetOutput(group, shared.edgeSubnets),
    };
    this.publicAddress = (balancerAddresses[0] ?? list[0]!.publicIp).publicIp;

    this.registerOutputs({ ...this.outputs, publicAddress: this.publicAddress });
  }
}
