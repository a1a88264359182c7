/**
 * Inbound firewall rules on every cloud: only 80 and 443 are open from the internet, SSH only from
 * the management ranges, and only the reverse proxy accepts anything from a public address.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { HTTP_PORT, HTTPS_PORT, PROXY_GROUP, SSH_PORT, TAG_KEYS } from "../../model/platform.js";
import {
  ALL_PORTS,
  coversPort,
  describePorts,
  parsePortRange,
  rangesOverlap,
  reachesOtherPorts,
  sourceKind,
  withinRanges,
  type PortRange,
} from "./addresses.js";
import {
  asList,
  asNumber,
  asProps,
  asString,
  asStrings,
  describe,
  environmentOf,
  proxyOnlyPolicy,
  TAG_CONFIG_SCHEMA,
  tierOf,
  type Props,
  type Resource,
} from "./resources.js";
import { AWS, AZURE, DIGITALOCEAN } from "./types.js";

/** One inbound allow rule: the ports it opens and the address sources it opens them to. */
export interface IngressRule {
  label: string;
  ports: PortRange[];
  /** Address sources only: rules from security groups, tags or droplets are private by construction. */
  sources: string[];
}

const NO_PORT_PROTOCOLS = new Set(["icmp", "icmpv6", "esp", "ah", "1", "58"]);

function portsOrAll(texts: (string | undefined)[]): PortRange[] {
  const given = texts.filter((text): text is string => text !== undefined);
  // A range the rule cannot parse is read as all ports: a rule that cannot be understood is not trusted.
  return given.length === 0 ? [ALL_PORTS] : given.map((text) => parsePortRange(text) ?? ALL_PORTS);
}

function azureRule(rule: Props, label: string): IngressRule | undefined {
  if (asString(rule.direction)?.toLowerCase() !== "inbound" || asString(rule.access)?.toLowerCase() !== "allow") return undefined;
  if (NO_PORT_PROTOCOLS.has(asString(rule.protocol)?.toLowerCase() ?? "")) return undefined;
  return {
    label: asString(rule.name) ?? label,
    ports: portsOrAll([asString(rule.destinationPortRange), ...asStrings(rule.destinationPortRanges)]),
    sources: [asString(rule.sourceAddressPrefix), ...asStrings(rule.sourceAddressPrefixes)].filter((source): source is string => source !== undefined),
  };
}

function awsPorts(protocol: string | undefined, from: number | undefined, to: number | undefined): PortRange[] | undefined {
  const value = protocol?.toLowerCase() ?? "";
  if (NO_PORT_PROTOCOLS.has(value)) return undefined;
  if (value === "-1" || value === "all") return [ALL_PORTS];
  return [{ from: from ?? ALL_PORTS.from, to: to ?? ALL_PORTS.to }];
}

function awsRule(rule: Props, label: string, protocolKey: string, sourceKeys: string[]): IngressRule | undefined {
  const ports = awsPorts(asString(rule[protocolKey]), asNumber(rule.fromPort), asNumber(rule.toPort));
  if (ports === undefined) return undefined;
  const sources = sourceKeys.flatMap((key) => (Array.isArray(rule[key]) ? asStrings(rule[key]) : asStrings([rule[key]])));
  return { label: asString(rule.description) ?? label, ports, sources };
}

function digitalOceanRule(rule: Props, label: string): IngressRule | undefined {
  if (asString(rule.action)?.toLowerCase() === "deny") return undefined;
  if (NO_PORT_PROTOCOLS.has(asString(rule.protocol)?.toLowerCase() ?? "")) return undefined;
  return { label, ports: portsOrAll([asString(rule.portRange)]), sources: asStrings(rule.sourceAddresses) };
}

const defined = <T>(items: (T | undefined)[]): T[] => items.filter((item): item is T => item !== undefined);

/** The inbound allow rules of a firewall resource of any cloud; undefined for other resources. */
export function ingressRulesOf(resource: Pick<Resource, "type" | "name" | "props">): IngressRule[] | undefined {
  const { props } = resource;
  const each = (key: string, read: (rule: Props, label: string) => IngressRule | undefined) =>
    defined(asList(props[key]).map((rule, index) => read(asProps(rule) ?? {}, `${key}[${index}]`)));
  switch (resource.type) {
    case AZURE.networkSecurityGroup:
      return each("securityRules", azureRule);
    case AZURE.securityRule:
      return defined([azureRule(props, resource.name)]);
    case AWS.securityGroup:
      return each("ingress", (rule, label) => awsRule(rule, label, "protocol", ["cidrBlocks", "ipv6CidrBlocks"]));
    case AWS.securityGroupIngressRule:
      return defined([awsRule(props, resource.name, "ipProtocol", ["cidrIpv4", "cidrIpv6"])]);
    case AWS.securityGroupRule:
      return asString(props.type) === "ingress" ? defined([awsRule(props, resource.name, "protocol", ["cidrBlocks", "ipv6CidrBlocks"])]) : [];
    case DIGITALOCEAN.firewall:
      return each("inboundRules", digitalOceanRule);
    default:
      return undefined;
  }
}

const publicSources = (rule: IngressRule) => rule.sources.filter((source) => sourceKind(source) !== "private");

const ingressResourceValidation = (check: (resource: Resource, rule: IngressRule, config: Props, report: (message: string) => void) => void) =>
  ((args, reportViolation) => {
    const rules = ingressRulesOf(args);
    if (rules === undefined) return;
    const config = args.getConfig<Props>();
    for (const rule of rules) check(args, rule, config, reportViolation);
  }) satisfies ResourceValidationPolicy["validateResource"];

const WEB_PORTS = [HTTP_PORT, HTTPS_PORT];

export const publicIngressWebPortsOnly: ResourceValidationPolicy = {
  name: "public-ingress-web-ports-only",
  description: "From public addresses only ports 80 and 443 are open (SSH is left to ssh-from-management-only).",
  severity: "critical",
  validateResource: ingressResourceValidation((resource, rule, _config, report) => {
    const sources = publicSources(rule);
    if (sources.length === 0) return;
    for (const range of rule.ports) {
      if (!reachesOtherPorts(range, [...WEB_PORTS, SSH_PORT])) continue;
      report(
        `${describe(resource)}: rule "${rule.label}" opens ${describePorts(range)} to ${sources.join(", ")}. ` +
          `Only 80 and 443 may be open to the internet: limit the rule to private sources (the proxy's subnet or the environment's network).`,
      );
    }
  }),
};

export const sshFromManagementOnly: ResourceValidationPolicy = {
  name: "ssh-from-management-only",
  description: "SSH (port 22) is open only to the management ranges and to private addresses.",
  severity: "critical",
  configSchema: {
    properties: {
      managementCidrs: { type: "array", items: { type: "string" }, default: [], description: "The public ranges SSH may come from" },
    },
  },
  validateResource: ingressResourceValidation((resource, rule, config, report) => {
    if (!rule.ports.some((range) => coversPort(range, SSH_PORT))) return;
    const managementCidrs = asStrings(config.managementCidrs);
    const outside = publicSources(rule).filter((source) => !withinRanges(source, managementCidrs));
    if (outside.length === 0) return;
    const allowed = managementCidrs.length > 0 ? `the management ranges (${managementCidrs.join(", ")})` : "private addresses (no management ranges are configured)";
    report(`${describe(resource)}: rule "${rule.label}" opens SSH to ${outside.join(", ")}. Allow SSH only from ${allowed}.`);
  }),
};

export const publicIngressProxyOnly = proxyOnlyPolicy(
  {
    name: "public-ingress-proxy-only",
    description: "Only the reverse proxy (tier tag `proxy`) accepts traffic from public addresses; tiers take traffic only from private ones.",
    severity: "critical",
  },
  (resource) => {
    const open = (ingressRulesOf(resource) ?? []).filter((rule) => publicSources(rule).length > 0);
    if (open.length === 0) return undefined;
    return (tiers) =>
      `${describe(resource)} ${tiers.length > 0 ? `belongs to ${tiers.join(", ")}, not to the proxy,` : "is not tagged as the proxy's (nor linked to a resource that is)"} ` +
      `but admits public addresses (${open.map((rule) => `rule "${rule.label}" from ${publicSources(rule).join(", ")}`).join("; ")}). ` +
      `Tiers are reached through the proxy: admit only private sources here.`;
  },
);

/**
 * The proxy faces the internet: a compromised proxy must reach only the tiers it serves. A private
 * tier's port admits nothing from the edge (the proxies' subnets); SSH from the edge stays, the proxy
 * being the environment's jump host.
 */
export const privateTiersClosedToEdge: ResourceValidationPolicy = {
  name: "private-tiers-closed-to-edge",
  description: "A tier that is not exposed admits nothing but SSH from the proxies' subnet (the edge).",
  severity: "high",
  configSchema: {
    properties: {
      ...TAG_CONFIG_SCHEMA,
      edgeRanges: { type: "object", default: {}, description: "Each environment's edge subnet (the proxies'), by environment name" },
      exposedTiers: { type: "object", default: {}, description: "Each environment's exposed tiers, by environment name" },
    },
  },
  validateResource: (args, report) => {
    const config = args.getConfig<Props>();
    const tags = { environmentTag: asString(config.environmentTag) ?? TAG_KEYS.environment, tierTag: asString(config.tierTag) ?? TAG_KEYS.tier };
    // The tags come first: the proxy's own rules are never read, so a preview's unknown addresses there stop nothing.
    const environment = environmentOf(args, tags);
    const tier = tierOf(args, tags);
    if (environment === undefined || tier === undefined || tier === (asString(config.proxyTier) ?? PROXY_GROUP)) return;
    const edge = asString(asProps(config.edgeRanges)?.[environment]);
    if (edge === undefined || asStrings(asProps(config.exposedTiers)?.[environment]).includes(tier)) return;
    for (const rule of ingressRulesOf(args) ?? []) {
      // Anywhere, Azure's whole virtual network, or any range that overlaps the edge (the environment's range does).
      const fromEdge = rule.sources.filter((source) => sourceKind(source) === "internet" || source.toLowerCase() === "virtualnetwork" || rangesOverlap(source, edge));
      if (fromEdge.length === 0) continue;
      for (const range of rule.ports) {
        if (!reachesOtherPorts(range, [SSH_PORT])) continue;
        report(
          `${describe(args)}: rule "${rule.label}" opens ${describePorts(range)} of tier ${tier} (not exposed) to ${fromEdge.join(", ")}, which includes the edge ${edge}. ` +
            `Only exposed tiers take traffic from the proxy: admit this tier's callers (its \`from\`) instead.`,
        );
      }
    }
  },
};
