/**
 * `botinfra:digitalocean:Platform`: the root of one DigitalOcean stack (a tenant's environment). It
 * builds the environment's project and VPC, its reverse proxy and its tiers, and attaches every
 * droplet, volume, load balancer and reserved IP to the project; the stack outputs are what
 * DigitalOcean reports for them.
 */
import * as pulumi from "@pulumi/pulumi";
import * as digitalocean from "@pulumi/digitalocean/index.js";
import type { StackOutputs } from "../../model/outputs.js";
import { componentType } from "../component-types.js";
import type { RootComponent, RootComponentArgs } from "../contract.js";
import { gatherStackOutputs } from "../outputs.js";
import { DigitalOceanEnvironment } from "./environment.js";
import { DigitalOceanReverseProxy } from "./reverse-proxy.js";
import { DigitalOceanTier } from "./tier.js";

export class DigitalOceanPlatform extends pulumi.ComponentResource implements RootComponent {
  readonly outputs: pulumi.Output<StackOutputs>;

  constructor(name: string, args: RootComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("digitalocean", "root"), name, {}, opts);
    const { platform, environment } = args;
    const shared = new DigitalOceanEnvironment(environment.name, args, { parent: this });
    const proxy = new DigitalOceanReverseProxy(environment.proxy.name, { ...args, group: environment.proxy, shared }, { parent: this });
    const tiers = environment.tiers.map((group) => new DigitalOceanTier(group.name, { ...args, group, shared }, { parent: this }));

    new digitalocean.ProjectResources(
      `${environment.names.group}-resources`,
      { project: shared.project.id, resources: [...proxy.projectResources, ...tiers.flatMap((tier) => tier.projectResources)] },
      { parent: this },
    );
    this.outputs = gatherStackOutputs(platform, environment, [proxy.outputs, ...tiers.map((tier) => tier.outputs)], proxy.publicAddress);
    this.registerOutputs({ outputs: this.outputs });
  }
}
