/**
 * `botinfra:azure:Platform`: the root of one Azure stack (a tenant's environment). It builds the
 * environment's shared network, its reverse proxy and its tiers; the stack outputs are what Azure
 * reports for them.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as network from "@pulumi/azure-native/network/index.js";
import type { StackOutputs } from "../../model/outputs.js";
import { gatherStackOutputs } from "../outputs.js";
import { componentType } from "../component-types.js";
import type { RootComponent, RootComponentArgs } from "../contract.js";
import { AzureEnvironment } from "./environment.js";
import { AzureReverseProxy } from "./reverse-proxy.js";
import { AzureTier } from "./tier.js";

export class AzurePlatform extends pulumi.ComponentResource implements RootComponent {
  readonly outputs: pulumi.Output<StackOutputs>;

  constructor(name: string, args: RootComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("azure", "root"), name, {}, opts);
    const { platform, environment } = args;
    const shared = new AzureEnvironment(environment.name, args, { parent: this });
    const proxy = new AzureReverseProxy(environment.proxy.name, { ...args, group: environment.proxy, shared }, { parent: this });
    let previousSubnet: network.Subnet = proxy.subnet;
    const tiers = environment.tiers.map((group) => {
      const tier = new AzureTier(group.name, { ...args, group, shared, previousSubnet }, { parent: this });
      previousSubnet = tier.subnet;
      return tier;
    });

    this.outputs = gatherStackOutputs(platform, environment, [proxy.outputs, ...tiers.map((tier) => tier.outputs)], proxy.publicAddress);
    this.registerOutputs({ outputs: this.outputs });
  }
}
