/** Every tier's load balancer is internal; only the proxy's may face the internet. */
import type { PolicyResource } from "@pulumi/policy";
import { asList, asProps, asString, describe, isSet, proxyOnlyPolicy } from "./resources.js";
import { AWS, AZURE, DIGITALOCEAN } from "./types.js";

/** Why the load balancer faces the internet and how to make it internal; undefined when it is internal or not a load balancer. */
function publicFrontend(resource: PolicyResource): { why: string; fix: string } | undefined {
  const { props } = resource;
  switch (resource.type) {
    case AZURE.loadBalancer: {
      const index = asList(props.frontendIPConfigurations).findIndex((frontend) => {
        const configuration = asProps(frontend);
        return isSet(configuration, "publicIPAddress") || isSet(configuration, "publicIPPrefix");
      });
      return index < 0
        ? undefined
        : { why: `has a public frontend (frontendIPConfigurations[${index}])`, fix: "give its frontend a private IP address in the tier's subnet instead of a public IP" };
    }
    case AWS.loadBalancer:
    case AWS.albLoadBalancer:
    case AWS.classicLoadBalancer:
      return props.internal === true ? undefined : { why: "is internet-facing (internal is not true)", fix: "set internal: true" };
    case DIGITALOCEAN.loadBalancer:
      return asString(props.network)?.toUpperCase() === "INTERNAL"
        ? undefined
        : { why: "is external (network is not INTERNAL)", fix: 'set network: "INTERNAL" and its vpcUuid' };
    default:
      return undefined;
  }
}

export const loadBalancersInternal = proxyOnlyPolicy(
  {
    name: "load-balancers-internal",
    description: "Every tier's load balancer is internal; only the reverse proxy's (tier tag `proxy`) may face the internet.",
    severity: "high",
  },
  (resource) => {
    const found = publicFrontend(resource);
    if (found === undefined) return undefined;
    return (tiers) => `${describe(resource)} ${found.why} but is ${tiers.length > 0 ? `the load balancer of ${tiers.join(", ")}` : "not the proxy's"}: ${found.fix}.`;
  },
);
