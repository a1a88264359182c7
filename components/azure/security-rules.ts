/**
 * A server group's ingress rules (the model's) as Azure network security rules. Pure, so that what a
 * security group admits can be tested without Pulumi.
 */
import { INTERNET, type ServerGroup } from "../../model/platform.js";

/** Azure's service tags for the internet and for its load balancers' health probes (168.63.129.16). */
export const AZURE_INTERNET = "Internet";
export const AZURE_LOAD_BALANCER = "AzureLoadBalancer";

/** Model rules take priorities 100, 110, ...; Azure evaluates the lowest number first, up to 4096. */
const FIRST_PRIORITY = 100;
const PRIORITY_STEP = 10;
const PROBE_PRIORITY = 4000;
const DENY_PRIORITY = 4096;

export interface AzureSecurityRule {
  name: string;
  description: string;
  priority: number;
  direction: "Inbound";
  access: "Allow" | "Deny";
  protocol: "Tcp" | "*";
  sourcePortRange: "*";
  destinationAddressPrefix: "*";
  sourceAddressPrefix?: string;
  sourceAddressPrefixes?: string[];
  destinationPortRange?: string;
  destinationPortRanges?: string[];
}

/** Azure takes one source (which may be a service tag) or a list of ranges, never a one-element list. */
function sources(list: string[]): Pick<AzureSecurityRule, "sourceAddressPrefix" | "sourceAddressPrefixes"> {
  const translated = list.map((source) => (source === INTERNET ? AZURE_INTERNET : source));
  return translated.length === 1 ? { sourceAddressPrefix: translated[0]! } : { sourceAddressPrefixes: translated };
}

function ports(list: number[]): Pick<AzureSecurityRule, "destinationPortRange" | "destinationPortRanges"> {
  return list.length === 1 ? { destinationPortRange: String(list[0]) } : { destinationPortRanges: list.map(String) };
}

const inbound = { direction: "Inbound", sourcePortRange: "*", destinationAddressPrefix: "*" } as const;

/**
 * The model's rules, then the load balancer's probes, then a deny of everything else. The final deny
 * matters: Azure's built-in rules would otherwise admit every port from the whole virtual network
 * (AllowVnetInBound), so a tier would not be limited to the callers the model names.
 */
export function securityRules(group: ServerGroup): AzureSecurityRule[] {
  const allowed = group.ingress.map(
    (rule, index): AzureSecurityRule => ({
      name: `allow-${rule.name}`,
      description: rule.description,
      priority: FIRST_PRIORITY + index * PRIORITY_STEP,
      ...inbound,
      access: "Allow",
      protocol: "Tcp",
      ...sources(rule.sources),
      ...ports(rule.ports),
    }),
  );
  const probes: AzureSecurityRule[] = group.loadBalancer
    ? [
        {
          name: "allow-lb-probes",
          description: "the load balancer's health probes",
          priority: PROBE_PRIORITY,
          ...inbound,
          access: "Allow",
          protocol: "Tcp",
          sourceAddressPrefix: AZURE_LOAD_BALANCER,
          ...ports(group.loadBalancer.ports),
        },
      ]
    : [];
  const deny: AzureSecurityRule = {
    name: "deny-all-inbound",
    description: "everything the rules above do not admit, from the internet and the virtual network alike",
    priority: DENY_PRIORITY,
    ...inbound,
    access: "Deny",
    protocol: "*",
    sourceAddressPrefix: "*",
    destinationPortRange: "*",
  };
  return [...allowed, ...probes, deny];
}
