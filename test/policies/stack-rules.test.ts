/**
 * The smaller rules in process, by their exact findings: public load balancers and addresses outside
 * the proxy, overlapping networks, missing tags and names at the cloud's length limit.
 */
import { describe, expect, it } from "vitest";
import { environmentNetworksDisjoint } from "../../policies/rules/networks.js";
import { nameLengthLimits, requiredTags } from "../../policies/rules/governance.js";
import { loadBalancersInternal } from "../../policies/rules/load-balancers.js";
import { publicAddressesProxyOnly } from "../../policies/rules/public-addresses.js";
import { AWS, AZURE, DIGITALOCEAN } from "../../policies/rules/types.js";
import { tags } from "../support/policy-check.js";
import { runResource, runStack, stackResource } from "../support/policy-direct.js";

describe("load-balancers-internal", () => {
  it("names the public frontend (address or prefix), the tier or that it is not the proxy's, and the fix", () => {
    const frontendIPConfigurations = [{ privateIPAddress: "10.20.1.4" }, { publicIPPrefix: { id: "/prefixes/p" } }];
    const resources = [
      stackResource(AZURE.loadBalancer, "api-lb", { frontendIPConfigurations, tags: tags("production", "api") }),
      stackResource(AWS.loadBalancer, "lb", {}),
      stackResource(AWS.loadBalancer, "shared-lb", {}, { dependencies: [stackResource(AWS.instance, "a-1", { tags: tags("production", "api") }), stackResource(AWS.instance, "w-1", { tags: tags("production", "worker") })] }),
      stackResource(DIGITALOCEAN.loadBalancer, "do-lb", { network: "internal" }),
      stackResource(AZURE.loadBalancer, "proxy-lb", { frontendIPConfigurations, tags: tags("production", "proxy") }),
      stackResource(AZURE.publicIpAddress, "not-a-balancer", { tags: tags("production", "api") }),
    ];
    expect(runStack(loadBalancersInternal, resources)).toEqual([
      ["api-lb", 'load balancer "api-lb" has a public frontend (frontendIPConfigurations[1]) but is the load balancer of api: give its frontend a private IP address in the tier\'s subnet instead of a public IP.'],
      ["lb", 'load balancer "lb" is internet-facing (internal is not true) but is not the proxy\'s: set internal: true.'],
      ["shared-lb", 'load balancer "shared-lb" is internet-facing (internal is not true) but is the load balancer of api, worker: set internal: true.'],
    ]);
  });
});

describe("public-addresses-proxy-only", () => {
  it("AWS: an instance that refuses a public IP stays private in a subnet that maps them; only such a subnet gives one", () => {
    const mapping = stackResource(AWS.subnet, "public-subnet", { mapPublicIpOnLaunch: true, tags: tags("production", "api") });
    const privateSubnet = stackResource(AWS.subnet, "private-subnet", { mapPublicIpOnLaunch: false, tags: tags("production", "api") });
    const instance = (name: string, props: Record<string, unknown>, subnet = mapping) =>
      stackResource(AWS.instance, name, { ...props, tags: tags("production", "api") }, { dependencies: [subnet] });
    const resources = [mapping, privateSubnet, instance("refuses", { associatePublicIpAddress: false }), instance("private", {}, privateSubnet), instance("mapped", {})];
    expect(runStack(publicAddressesProxyOnly, resources)).toEqual([
      [
        "mapped",
        'instance "mapped" is in subnet "public-subnet", which gives every instance a public IP address and belongs to api, but only the proxy and NAT gateways may have one. Tiers are reached through the proxy and reach the internet through the NAT gateway: set associatePublicIpAddress: false.',
      ],
    ]);
  });

  it("leaves resources that hold no address alone", () => {
    expect(runStack(publicAddressesProxyOnly, [stackResource(AWS.loadBalancer, "lb", { tags: tags("production", "api") })])).toEqual([]);
  });
});

describe("environment-networks-disjoint", () => {
  const vpc = (name: string, cidrBlock: string, environment?: string) => stackResource(AWS.vpc, name, { cidrBlock, ...(environment ? { tags: tags(environment) } : {}) });

  it("reports a network overlapping any range of another, listing that network's ranges", () => {
    const resources = [
      stackResource(AZURE.virtualNetwork, "a", { addressSpace: { addressPrefixes: ["10.20.0.0/16"] }, tags: tags("production") }),
      stackResource(AZURE.virtualNetwork, "b", { addressSpace: { addressPrefixes: ["10.99.0.0/16", "10.20.1.0/24"] }, tags: tags("production") }),
      stackResource(AZURE.virtualNetwork, "c", { addressSpace: { addressPrefixes: ["10.30.0.0/16"] }, tags: tags("production") }),
    ];
    expect(runStack(environmentNetworksDisjoint, resources)).toEqual([
      ["a", 'virtual network "a" (10.20.0.0/16) overlaps virtual network "b" (10.99.0.0/16, 10.20.1.0/24): give each network its own range.'],
    ]);
  });

  it("checks an untagged network against every environment's range when the stack's resources name more than one environment", () => {
    const config = { environmentRanges: { production: "10.20.0.0/16", development: "10.21.0.0/16" } };
    const overlapping = [
      [
        "shared",
        "VPC \"shared\" (10.20.0.0/16) overlaps the range of environment production (10.20.0.0/16): give each environment its own range (environments.<name>.cidr in the tenant spec).",
      ],
    ];
    expect(runStack(environmentNetworksDisjoint, [stackResource(AWS.subnet, "p", { tags: tags("production") }), stackResource(AWS.subnet, "d", { tags: tags("development") }), vpc("shared", "10.20.0.0/16")], config)).toEqual(overlapping);
    expect(runStack(environmentNetworksDisjoint, [stackResource(AWS.subnet, "p", { tags: tags("production") }), vpc("own", "10.20.0.0/16")], config)).toEqual([]);
  });
});

describe("required-tags", () => {
  it("names the missing tags, in the singular for one", () => {
    expect(runResource(requiredTags, stackResource(AWS.vpc, "net", { tags: { tenant: "acme", environment: "production" } }))).toEqual(['VPC "net" lacks the tag managed-by: add it to its tags.']);
    expect(runResource(requiredTags, stackResource(AWS.vpc, "net", { tags: { tenant: "acme" } }))).toEqual(['VPC "net" lacks the tags environment, managed-by: add them to its tags.']);
  });
});

describe("name-length-limits", () => {
  it("accepts a name exactly at the cloud's limit and refuses one longer, naming where the name is set", () => {
    const host = (length: number) => stackResource(AWS.instance, "api-1", { tags: { Name: "h".repeat(length) } });
    expect(runResource(nameLengthLimits, host(63))).toEqual([]);
    expect(runResource(nameLengthLimits, host(64))).toEqual([`instance "api-1" is named "${"h".repeat(64)}" (tag Name, 64 characters); AWS allows at most 63: shorten it.`]);
    const balancer = stackResource(AWS.loadBalancer, "lb", { name: "l".repeat(33) });
    expect(runResource(nameLengthLimits, balancer)).toEqual([`load balancer "lb" is named "${"l".repeat(33)}" (name, 33 characters); AWS allows at most 32: shorten it.`]);
  });
});
