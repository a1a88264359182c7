/**
 * `botinfra:aws:Platform`: the root of one AWS stack (a tenant's environment). It builds the
 * environment's shared network, its reverse proxy and its tiers; the stack outputs are what AWS
 * reports for them.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StackOutputs } from "../../model/outputs.js";
import { componentType } from "../component-types.js";
import type { RootComponent, RootComponentArgs } from "../contract.js";
import { gatherStackOutputs } from "../outputs.js";
import { AwsEnvironment } from "./environment.js";
import { readPins, refuseUnpinned } from "./pinned.js";
import { AwsReverseProxy } from "./reverse-proxy.js";
import { AwsTier } from "./tier.js";

export class AwsPlatform extends pulumi.ComponentResource implements RootComponent {
  readonly outputs: pulumi.Output<StackOutputs>;

  constructor(name: string, args: RootComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("aws", "root"), name, {}, opts);
    const { platform, environment } = args;
    const { pins, missing } = readPins(environment);
    if (missing.zones || missing.images.length > 0) {
      this.outputs = refuseUnpinned(missing, this);
      this.registerOutputs({});
      return;
    }
    const shared = new AwsEnvironment(environment.name, { ...args, pins }, { parent: this });
    const proxy = new AwsReverseProxy(environment.proxy.name, { ...args, group: environment.proxy, shared }, { parent: this });
    const tiers = environment.tiers.map((group) => new AwsTier(group.name, { ...args, group, shared }, { parent: this }));

    this.outputs = gatherStackOutputs(platform, environment, [proxy.outputs, ...tiers.map((tier) => tier.outputs)], proxy.publicAddress);
    this.registerOutputs({ outputs: this.outputs });
  }
}
