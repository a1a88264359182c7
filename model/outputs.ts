/**
 * What every environment's stack exports, on every cloud: the contract between the Pulumi
 * components (which produce it) and the consumers that need real addresses (Ansible, the user).
 * From the model alone the same shape can be filled with every address the model plans; only
 * the addresses a cloud assigns (public IPs, DigitalOcean's private IPs) need a deployed stack.
 */
import { CLOUD_PROFILES } from "./clouds.js";
import type { Cloud } from "./spec.js";
import type { Environment, Platform, Route } from "./platform.js";

export interface HostOutput {
  name: string;
  /** Tier name, or `proxy`. */
  group: string;
  zone: number;
  /** Absent only in planned outputs on a cloud that assigns private addresses itself (DigitalOcean). */
  privateIp?: string;
  /** Only proxies have one, and only once the cloud has assigned it. */
  publicIp?: string;
}

export interface LoadBalancerOutput {
  /** Tier name, or `proxy` for the public balancer in front of several proxies. */
  group: string;
  public: boolean;
  /** The private frontend address (internal balancers). */
  privateIp?: string;
  /** The public address (the proxy's balancer), once assigned. */
  publicIp?: string;
  dnsName: string;
}

export interface StackOutputs {
  tenant: string;
  environment: string;
  stack: string;
  cloud: Cloud;
  /** Every server: proxies first, then tiers in spec order. */
  hosts: HostOutput[];
  loadBalancers: LoadBalancerOutput[];
  /** Where the environment's public host names must point in DNS, once assigned. */
  publicAddress?: string;
  routes: Route[];
}

/**
 * The outputs the model promises before anything is deployed: every planned address, none assigned.
 * On a cloud that assigns private addresses itself the plan's are not promises, so they are left out.
 */
export function plannedOutputs(platform: Platform, environment: Environment): StackOutputs {
  const groups = [environment.proxy, ...environment.tiers];
  const planned = !CLOUD_PROFILES[platform.cloud].assignsPrivateIps;
  return {
    tenant: platform.tenant,
    environment: environment.name,
    stack: environment.stack,
    cloud: platform.cloud,
    hosts: groups.flatMap((group) =>
      group.hosts.map((host) => ({ name: host.name, group: group.name, zone: host.zone, ...(planned ? { privateIp: host.privateIp } : {}) })),
    ),
    loadBalancers: groups.flatMap((group) =>
      group.loadBalancer
        ? [
            {
              group: group.name,
              public: group.loadBalancer.public,
              ...(group.loadBalancer.public || !planned ? {} : { privateIp: group.loadBalancer.privateIp }),
              dnsName: group.loadBalancer.dnsName,
            },
          ]
        : [],
    ),
    routes: environment.routes,
  };
}
