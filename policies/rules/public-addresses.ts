/** Nothing has a public address except the reverse proxy and the NAT gateways' egress addresses. */
import type { PolicyResource } from "@pulumi/policy";
import { asList, asProps, describe, isSet, proxyOnlyPolicy, type StackRoles } from "./resources.js";
import { AWS, AZURE, DIGITALOCEAN } from "./types.js";

const NAT_GATEWAYS: ReadonlySet<string> = new Set([AZURE.natGateway, AWS.natGateway, DIGITALOCEAN.vpcNatGateway]);
/** Resources that are nothing but a public address: a NAT gateway may hold them. */
const ADDRESSES: ReadonlySet<string> = new Set([AZURE.publicIpAddress, AWS.eip, DIGITALOCEAN.reservedIp]);

const ADDRESS_FIX = "Attach public addresses only to the proxy (its load balancer or server) or a NAT gateway, or remove it.";
const SERVER_FIX = "Tiers are reached through the proxy and reach the internet through the NAT gateway";

/** Why the resource gives something a public address, and how to fix it; undefined when it does not. */
function publicAddress(resource: PolicyResource, roles: StackRoles): { why: string; fix: string } | undefined {
  const { props } = resource;
  switch (resource.type) {
    case AZURE.publicIpAddress:
    case AWS.eip:
    case DIGITALOCEAN.reservedIp:
      return { why: "is a public address", fix: ADDRESS_FIX };
    case AZURE.networkInterface: {
      const index = asList(props.ipConfigurations).findIndex((configuration) => isSet(asProps(configuration), "publicIPAddress"));
      return index < 0 ? undefined : { why: `has a public IP address (ipConfigurations[${index}].publicIPAddress)`, fix: `${SERVER_FIX}: remove the public IP address.` };
    }
    case AWS.instance: {
      const fix = `${SERVER_FIX}: set associatePublicIpAddress: false.`;
      if (props.associatePublicIpAddress === true) return { why: "associates a public IP address", fix };
      if (props.associatePublicIpAddress === false) return undefined;
      const subnet = roles.linked(resource).find((other) => other.type === AWS.subnet && other.props.mapPublicIpOnLaunch === true);
      return subnet ? { why: `is in ${describe(subnet)}, which gives every instance a public IP address`, fix } : undefined;
    }
    case DIGITALOCEAN.droplet: {
      const fix = `${SERVER_FIX}: set publicNetworking: false and leave ipv6 off.`;
      if (props.publicNetworking !== false) return { why: "has public networking (publicNetworking is not false)", fix };
      return props.ipv6 === true ? { why: "has a public IPv6 address (ipv6: true)", fix } : undefined;
    }
    default:
      return undefined;
  }
}

export const publicAddressesProxyOnly = proxyOnlyPolicy(
  {
    name: "public-addresses-proxy-only",
    description: "Nothing has a public address except the reverse proxy (tier tag `proxy`) and the NAT gateways' egress addresses.",
    severity: "critical",
  },
  (resource, roles) => {
    const found = publicAddress(resource, roles);
    if (found === undefined) return undefined;
    if (ADDRESSES.has(resource.type) && roles.linked(resource).some((other) => NAT_GATEWAYS.has(other.type))) return undefined;
    return (tiers) =>
      `${describe(resource)} ${found.why}${tiers.length > 0 ? ` and belongs to ${tiers.join(", ")}` : ""}, but only the proxy and NAT gateways may have one. ${found.fix}`;
  },
);
