/**
 * What every environment's stack exports, on every cloud: the contract between the Pulumi
 * components (which produce it) and the consumers that need real addresses (Ansible, the user).
 * From the model alone the same shape can be filled with every address the model plans; only
 * the addresses a cloud assigns (public IPs, DigitalOcean's private IPs) need a deployed stack.
 */
import type { Cloud } from "./spec.js";
import type { Environment, Platform, Route } from "./platform.js";

export interface HostOutput {
  name: string;
  /** Tier name, or `proxy`. */
  group: string;
  /** The availability zone's index, on clouds with zones (AWS). */
  zone?: number;
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

/** A group's subnet as deployed: what `up` compares a new plan with, so that no deployed subnet moves. */
export interface SubnetOutput {
  /** Tier name, or `proxy`. */
  group: string;
  cidr: string;
}

export interface StackOutputs {
  tenant: string;
  environment: string;
  stack: string;
  cloud: Cloud;
  /** Every server: proxies first, then tiers in spec order. */
  hosts: HostOutput[];
  loadBalancers: LoadBalancerOutput[];
  /** Each group's subnet, on clouds with subnets. */
  subnets: SubnetOutput[];
  /** Where the environment's public host names must point in DNS, once assigned. */
  publicAddress?: string;
  routes: Route[];
}

/**
 * The outputs the model promises before anything is deployed: every planned address, none assigned.
 * On a cloud that assigns private addresses itself the model plans none, so none are listed.
 */
export function plannedOutputs(platform: Platform, environment: Environment): StackOutputs {
  const groups = [environment.proxy, ...environment.tiers];
  return {
    tenant: platform.tenant,
    environment: environment.name,
    stack: environment.stack,
    cloud: platform.cloud,
    hosts: groups.flatMap((group) =>
      group.hosts.map((host) => ({
        name: host.name,
        group: group.name,
        ...(host.zone === undefined ? {} : { zone: host.zone }),
        ...(host.privateIp === undefined ? {} : { privateIp: host.privateIp }),
      })),
    ),
    loadBalancers: groups.flatMap((group) =>
      group.loadBalancer
        ? [
            {
              group: group.name,
              public: group.loadBalancer.public,
              ...(group.loadBalancer.privateIp === undefined ? {} : { privateIp: group.loadBalancer.privateIp }),
              dnsName: group.loadBalancer.dnsName,
            },
          ]
        : [],
    ),
    subnets: groups.flatMap((group) => (group.subnet ? [{ group: group.name, cidr: group.subnet.cidr }] : [])),
    routes: environment.routes,
  };
}

/** A deployed subnet that a plan would put elsewhere. */
export interface SubnetMove {
  group: string;
  deployed: string;
  planned: string;
}

/**
 * The deployed subnets the plan would move. Clouds refuse to change the range of a subnet in use (or
 * answer by replacing every server in it), so `up` and `preview` refuse such a plan. A group the plan
 * no longer has is a removal, not a move.
 */
export function movedSubnets(environment: Environment, deployed: Partial<Pick<StackOutputs, "subnets">>): SubnetMove[] {
  const planned = new Map([environment.proxy, ...environment.tiers].flatMap((group) => (group.subnet ? [[group.name, group.subnet.cidr] as const] : [])));
  return (deployed.subnets ?? []).flatMap((subnet) => {
    const cidr = planned.get(subnet.group);
    return cidr === undefined || cidr === subnet.cidr ? [] : [{ group: subnet.group, deployed: subnet.cidr, planned: cidr }];
  });
}
