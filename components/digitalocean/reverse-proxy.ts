/**
 * `botinfra:digitalocean:ReverseProxy`: the environment's only way in. Its droplets have public
 * networking (each is also the jump host for SSH from the management ranges). With more than one, a
 * public load balancer forwards 80 and 443 to them as TCP (nginx keeps TLS and WebSockets); a single
 * proxy gets a reserved IP, so that replacing it keeps the address DNS points at.
 */
import * as pulumi from "@pulumi/pulumi";
import * as digitalocean from "@pulumi/digitalocean/index.js";
import type { LoadBalancerOutput } from "../../model/outputs.js";
import { componentType } from "../component-types.js";
import type { GroupOutputs } from "../outputs.js";
import { droplets, firewall, hostOutputs, loadBalancerArgs, serverUrns, type ServerGroupArgs } from "./server-group.js";

export class DigitalOceanReverseProxy extends pulumi.ComponentResource {
  readonly outputs: GroupOutputs;
  /** Where the environment's public host names point: the balancer's address, or the reserved IP. */
  readonly publicAddress: pulumi.Output<string>;
  readonly projectResources: pulumi.Output<string>[];

  constructor(name: string, args: ServerGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("digitalocean", "proxy"), name, {}, opts);
    const { group, environment, platform } = args;
    const servers = droplets(this, args, true);
    const model = group.loadBalancer;
    let balancerOutput: pulumi.Output<LoadBalancerOutput> | undefined;
    if (model) {
      const balancer = new digitalocean.LoadBalancer(model.name, loadBalancerArgs(args, model.name, model.ports, "EXTERNAL"), {
        parent: this,
        dependsOn: servers.map((server) => server.droplet),
        protect: environment.protect,
      });
      firewall(this, args, servers, balancer);
      balancerOutput = balancer.ip.apply((publicIp) => ({ group: group.name, public: true, publicIp, dnsName: model.dnsName }));
      this.publicAddress = balancer.ip;
      this.projectResources = [...serverUrns(servers), balancer.loadBalancerUrn];
    } else {
      firewall(this, args, servers);
      const address = new digitalocean.ReservedIp(`${group.names.tag}-ip`, { region: platform.region }, { parent: this, protect: environment.protect });
      new digitalocean.ReservedIpAssignment(`${group.names.tag}-ip`, { ipAddress: address.ipAddress, dropletId: servers[0]!.droplet.id.apply(Number) }, { parent: this });
      this.publicAddress = address.ipAddress;
      this.projectResources = [...serverUrns(servers), address.reservedIpUrn];
    }
    this.outputs = { hosts: hostOutputs(group, servers, true), ...(balancerOutput ? { loadBalancer: balancerOutput } : {}) };
    this.registerOutputs({ ...this.outputs, publicAddress: this.publicAddress });
  }
}
