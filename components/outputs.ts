/**
 * One gathering of the stack outputs for every cloud: each group component reports its servers, its
 * load balancer and its subnet as the cloud reports them, and this puts them in the shape every
 * consumer reads. A new cloud reports; it does not copy the gathering.
 */
import * as pulumi from "@pulumi/pulumi";
import type { HostOutput, LoadBalancerOutput, StackOutputs, SubnetOutput } from "../model/outputs.js";
import type { Environment, Platform } from "../model/platform.js";

/** What one group component (the proxy or a tier) reports. */
export interface GroupOutputs {
  hosts: pulumi.Input<HostOutput[]>;
  loadBalancer?: pulumi.Input<LoadBalancerOutput>;
  /** The subnet's range as the cloud reports it, on clouds with subnets. */
  subnet?: pulumi.Input<SubnetOutput>;
}

/** The stack outputs from the groups' reports: proxies first, then tiers in spec order. */
export function gatherStackOutputs(
  platform: Platform,
  environment: Environment,
  groups: GroupOutputs[],
  publicAddress: pulumi.Input<string | undefined>,
): pulumi.Output<StackOutputs> {
  const reported = groups.map((group) => pulumi.all([group.hosts, group.loadBalancer, group.subnet]));
  return pulumi.all([pulumi.all(reported), publicAddress]).apply(
    ([all, address]): StackOutputs => ({
      tenant: platform.tenant,
      environment: environment.name,
      stack: environment.stack,
      cloud: platform.cloud,
      hosts: all.flatMap(([hosts]) => hosts),
      loadBalancers: all.flatMap(([, balancer]) => (balancer ? [balancer] : [])),
      subnets: all.flatMap(([, , subnet]) => (subnet ? [subnet] : [])),
      ...(address === undefined ? {} : { publicAddress: address }),
      routes: environment.routes,
    }),
  );
}
