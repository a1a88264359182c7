/**
 * `botinfra:digitalocean:Tier`: one tier of private droplets (no public networking: their way out is
 * the NAT gateway, or the proxy), a firewall that admits the tier's port only from the peers the model
 * names and, unless the tier is stateful, an internal load balancer in front of them.
 */
import * as pulumi from "@pulumi/pulumi";
import * as digitalocean from "@pulumi/digitalocean/index.js";
import { componentType } from "../component-types.js";
import type { GroupOutputs } from "../outputs.js";
import { droplets, firewall, hostOutputs, loadBalancerArgs, serverUrns, type ServerGroupArgs } from "./server-group.js";

export class DigitalOceanTier extends pulumi.ComponentResource {
  readonly outputs: GroupOutputs;
  /** What the environment's project holds of this tier. */
  readonly projectResources: pulumi.Output<string>[];

  constructor(name: string, args: ServerGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("digitalocean", "tier"), name, {}, opts);
    const { group } = args;
    const model = group.loadBalancer;
    if (model?.public || (!model && !group.stateful)) throw new Error(`internal: the model gives tier ${group.name} no internal load balancer`);

    const servers = droplets(this, args, false);
    const balancer = model
      ? new digitalocean.LoadBalancer(model.name, loadBalancerArgs(args, model.name, model.ports, "INTERNAL"), { parent: this, dependsOn: servers.map((server) => server.droplet) })
      : undefined;
    firewall(this, args, servers, balancer);

    this.outputs = {
      hosts: hostOutputs(group, servers, false),
      ...(balancer && model ? { loadBalancer: balancer.ip.apply((privateIp) => ({ group: group.name, public: false, privateIp, dnsName: model.dnsName })) } : {}),
    };
    this.projectResources = [...serverUrns(servers), ...(balancer ? [balancer.loadBalancerUrn] : [])];
    this.registerOutputs({ ...this.outputs });
  }
}
