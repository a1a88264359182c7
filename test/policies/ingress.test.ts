/**
 * The ingress rules in process: how each cloud's firewall forms read as rules (ports, sources,
 * labels, what is skipped), the exact messages of the ingress policies, and the AWS references to
 * the proxy's security group that only the engine's property dependencies and ids reveal.
 */
import { describe, expect, it } from "vitest";
import { ingressRulesOf, privateTiersClosedToEdge, publicIngressProxyOnly, sshFromManagementOnly } from "../../policies/rules/ingress.js";
import { AWS, AZURE, DIGITALOCEAN } from "../../policies/rules/types.js";
import { tags } from "../support/policy-check.js";
import { runResource, runStack, stackResource } from "../support/policy-direct.js";

const ALL = { from: 0, to: 65535 };
const port = (number: number) => ({ from: number, to: number });
const azureInbound = (rule: Record<string, unknown>) => ({ direction: "Inbound", access: "Allow", protocol: "Tcp", ...rule });
const FIX = "Only exposed tiers take traffic from the proxy: admit this tier's callers (its `from`) instead.";

describe("reading firewall rules", () => {
  it("Azure: inbound allow rules with their ports and sources; outbound, deny and ICMP rules are skipped", () => {
    const securityRules = [
      azureInbound({ name: "web", destinationPortRanges: ["80", "443"], sourceAddressPrefixes: ["Internet", "10.0.0.0/8"] }),
      azureInbound({ name: "out", direction: "Outbound", destinationPortRange: "22", sourceAddressPrefix: "*" }),
      azureInbound({ name: "deny", access: "Deny", destinationPortRange: "22", sourceAddressPrefix: "*" }),
      azureInbound({ name: "ping", direction: "inbound", access: "allow", protocol: "ICMP", sourceAddressPrefix: "*" }),
      azureInbound({ protocol: "*", sourceAddressPrefix: "*" }),
      azureInbound({ name: "named", destinationPortRange: "http", sourceAddressPrefix: "VirtualNetwork" }),
    ];
    expect(ingressRulesOf({ type: AZURE.networkSecurityGroup, name: "fw", props: { securityRules } })).toEqual([
      { label: "web", ports: [port(80), port(443)], sources: ["Internet", "10.0.0.0/8"] },
      { label: "securityRules[4]", ports: [ALL], sources: ["*"] },
      { label: "named", ports: [ALL], sources: ["VirtualNetwork"] },
    ]);
    const rule = azureInbound({ protocol: "Udp", destinationPortRange: "53", sourceAddressPrefix: "10.20.0.0/16" });
    expect(ingressRulesOf({ type: AZURE.securityRule, name: "dns", props: rule })).toEqual([{ label: "dns", ports: [port(53)], sources: ["10.20.0.0/16"] }]);
  });

  it("AWS: inline ingress, standalone ingress rules and security group rules; every protocol is all ports, ICMP is skipped", () => {
    const ingress = [
      { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"], description: "https" },
      { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["10.20.0.0/16"] },
      { protocol: "ALL", fromPort: 0, toPort: 0, cidrBlocks: ["10.21.0.0/16"] },
      { protocol: "icmp", fromPort: -1, toPort: -1, cidrBlocks: ["0.0.0.0/0"] },
      { protocol: "tcp", cidrBlocks: ["10.0.0.0/8"] },
    ];
    expect(ingressRulesOf({ type: AWS.securityGroup, name: "sg", props: { ingress } })).toEqual([
      { label: "https", ports: [port(443)], sources: ["0.0.0.0/0", "::/0"] },
      { label: "ingress[1]", ports: [ALL], sources: ["10.20.0.0/16"] },
      { label: "ingress[2]", ports: [ALL], sources: ["10.21.0.0/16"] },
      { label: "ingress[4]", ports: [ALL], sources: ["10.0.0.0/8"] },
    ]);
    const standalone = (name: string, props: Record<string, unknown>) => ingressRulesOf({ type: AWS.securityGroupIngressRule, name, props });
    expect(standalone("v6", { ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv6: "::/0" })).toEqual([{ label: "v6", ports: [port(80)], sources: ["::/0"] }]);
    expect(standalone("v4", { ipProtocol: "tcp", fromPort: 80, toPort: 81, cidrIpv4: "10.0.0.0/8" })).toEqual([{ label: "v4", ports: [{ from: 80, to: 81 }], sources: ["10.0.0.0/8"] }]);
    expect(standalone("ping", { ipProtocol: "icmp", fromPort: -1, toPort: -1, cidrIpv4: "0.0.0.0/0" })).toEqual([]);
    const rule = (name: string, props: Record<string, unknown>) => ingressRulesOf({ type: AWS.securityGroupRule, name, props });
    expect(rule("ssh", { type: "ingress", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["203.0.113.0/24"], ipv6CidrBlocks: ["2001:db8::/32"] })).toEqual([
      { label: "ssh", ports: [port(22)], sources: ["203.0.113.0/24", "2001:db8::/32"] },
    ]);
    expect(rule("ping", { type: "ingress", protocol: "icmp", fromPort: -1, toPort: -1, cidrBlocks: ["0.0.0.0/0"] })).toEqual([]);
    expect(rule("out", { type: "egress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] })).toEqual([]);
  });

  it("DigitalOcean: inbound rules by index, `all` and a missing range as every port; ICMP and deny skipped", () => {
    const inboundRules = [
      { protocol: "tcp", portRange: "22", sourceAddresses: ["203.0.113.0/24"] },
      { protocol: "icmp", sourceAddresses: ["0.0.0.0/0"] },
      { protocol: "udp", portRange: "all", sourceAddresses: ["0.0.0.0/0", "::/0"] },
      { protocol: "tcp", sourceAddresses: ["10.20.0.0/16"] },
      { protocol: "tcp", portRange: "80", action: "deny", sourceAddresses: ["0.0.0.0/0"] },
    ];
    expect(ingressRulesOf({ type: DIGITALOCEAN.firewall, name: "fw", props: { inboundRules } })).toEqual([
      { label: "inboundRules[0]", ports: [port(22)], sources: ["203.0.113.0/24"] },
      { label: "inboundRules[2]", ports: [ALL], sources: ["0.0.0.0/0", "::/0"] },
      { label: "inboundRules[3]", ports: [ALL], sources: ["10.20.0.0/16"] },
    ]);
  });

  it("is undefined for a resource that is no firewall", () => {
    expect(ingressRulesOf({ type: AWS.instance, name: "vm", props: { ingress: [{ protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }] } })).toBeUndefined();
  });
});

describe("ssh-from-management-only", () => {
  const nsg = (sourceAddressPrefixes: string[], ports: string[]) =>
    stackResource(AZURE.networkSecurityGroup, "proxy-fw", { securityRules: [azureInbound({ name: "admin", destinationPortRanges: ports, sourceAddressPrefixes })] });

  it("names the rule, the sources outside the management ranges and the ranges allowed", () => {
    const resource = nsg(["Internet", "203.0.113.5", "10.0.0.0/8"], ["443", "20-30"]);
    expect(runResource(sshFromManagementOnly, resource, { managementCidrs: ["203.0.113.0/24", "198.51.100.0/24"] })).toEqual([
      'network security group "proxy-fw": rule "admin" opens SSH to Internet. Allow SSH only from the management ranges (203.0.113.0/24, 198.51.100.0/24).',
    ]);
    expect(runResource(sshFromManagementOnly, resource)).toEqual([
      'network security group "proxy-fw": rule "admin" opens SSH to Internet, 203.0.113.5. Allow SSH only from private addresses (no management ranges are configured).',
    ]);
  });

  it("leaves rules that do not reach port 22 to the other policies", () => {
    expect(runResource(sshFromManagementOnly, nsg(["Internet"], ["23-443"]))).toEqual([]);
  });
});

describe("public-ingress-proxy-only", () => {
  const webFromAnywhere = { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0", "10.0.0.0/8"], description: "https" }] };

  it("names the tier, or says the resource is not the proxy's, and every rule open to public addresses", () => {
    const api = stackResource(AWS.securityGroup, "api-sg", { ...webFromAnywhere, tags: tags("production", "api") });
    const loose = stackResource(AWS.securityGroupIngressRule, "loose-rule", { ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv4: "198.51.100.0/24" });
    const shared = stackResource(AWS.securityGroup, "shared-sg", {
      ingress: [
        { protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0", "198.51.100.0/24"], description: "web" },
        { protocol: "tcp", fromPort: 443, toPort: 443, ipv6CidrBlocks: ["::/0"], description: "tls" },
      ],
    });
    const web = stackResource(AWS.instance, "web-1", { tags: tags("production", "web") }, { dependencies: [shared] });
    const worker = stackResource(AWS.instance, "worker-1", { tags: tags("production", "worker") }, { dependencies: [shared] });
    const proxy = stackResource(AWS.securityGroup, "proxy-sg", { ...webFromAnywhere, tags: tags("production", "proxy") });
    expect(runStack(publicIngressProxyOnly, [api, loose, proxy, shared, web, worker])).toEqual([
      [
        "api-sg",
        'security group "api-sg" belongs to api, not to the proxy, but admits public addresses (rule "https" from 0.0.0.0/0). Tiers are reached through the proxy: admit only private sources here.',
      ],
      [
        "loose-rule",
        `security group rule "loose-rule" is not tagged as the proxy's (nor linked to a resource that is) but admits public addresses (rule "loose-rule" from 198.51.100.0/24). Tiers are reached through the proxy: admit only private sources here.`,
      ],
      [
        "shared-sg",
        'security group "shared-sg" belongs to web, worker, not to the proxy, but admits public addresses (rule "web" from 0.0.0.0/0, 198.51.100.0/24; rule "tls" from ::/0). Tiers are reached through the proxy: admit only private sources here.',
      ],
    ]);
  });
});

describe("private-tiers-closed-to-edge", () => {
  const config = { edgeRanges: { production: "10.20.0.0/24" }, exposedTiers: { production: ["front"] } };

  it("reports each rule of a private tier open to the edge (anywhere, the virtual network, an overlapping range) but SSH", () => {
    const rules = [
      azureInbound({ name: "vnet", destinationPortRange: "5432", sourceAddressPrefix: "VirtualNetwork" }),
      azureInbound({ name: "anywhere", destinationPortRange: "5432", sourceAddressPrefixes: ["*", "10.20.0.0/24"] }),
      azureInbound({ name: "ssh", destinationPortRange: "22", sourceAddressPrefix: "10.20.0.0/24" }),
      azureInbound({ name: "env", destinationPortRanges: ["8000-9000", "22"], sourceAddressPrefixes: ["10.20.0.0/16", "10.30.0.0/16"] }),
      azureInbound({ name: "other-env", destinationPortRange: "5432", sourceAddressPrefix: "10.30.0.0/16" }),
    ];
    const firewall = (name: string, environment: string, tier: string) => stackResource(AZURE.networkSecurityGroup, name, { securityRules: rules, tags: tags(environment, tier) });
    const resources = [firewall("db-fw", "production", "db"), firewall("front-fw", "production", "front"), firewall("proxy-fw", "production", "proxy"), firewall("dev-db-fw", "development", "db")];
    expect(runStack(privateTiersClosedToEdge, resources, config)).toEqual([
      ["db-fw", `network security group "db-fw": rule "vnet" opens port 5432 of tier db (not exposed) to VirtualNetwork, which includes the edge 10.20.0.0/24. ${FIX}`],
      ["db-fw", `network security group "db-fw": rule "anywhere" opens port 5432 of tier db (not exposed) to *, 10.20.0.0/24, which includes the edge 10.20.0.0/24. ${FIX}`],
      ["db-fw", `network security group "db-fw": rule "env" opens ports 8000-9000 of tier db (not exposed) to 10.20.0.0/16, which includes the edge 10.20.0.0/24. ${FIX}`],
    ]);
  });

  describe("AWS rules that admit the proxy's security group", () => {
    const proxySg = stackResource(AWS.securityGroup, "proxy-sg", { id: "sg-proxy", tags: tags("production", "proxy") });
    const apiSg = stackResource(AWS.securityGroup, "api-sg", { id: "sg-api", tags: tags("production", "api") });
    const dbSg = stackResource(AWS.securityGroup, "db-sg", { id: "sg-db", tags: tags("production", "db") });
    const proxyInstance = stackResource(AWS.instance, "proxy-1", { id: "sg-unknown", tags: tags("production", "proxy") });
    const rule = (name: string, referenced: string, options: Parameters<typeof stackResource>[3] = {}, type: string = AWS.securityGroupIngressRule) =>
      stackResource(type, name, { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: referenced, tags: tags("production", "db") }, options);
    const report = (name: string) =>
      [name, `security group rule "${name}": opens port 5432 of tier db (not exposed) to the proxy's security group "proxy-sg", the edge. ${FIX}`] as [string, string];

    it("finds the proxy's group through the engine's property dependencies first, then by id, then (in a plan) by dependency", () => {
      const resources = [
        proxySg,
        apiSg,
        dbSg,
        proxyInstance,
        rule("by-property", "sg-api", { propertyDependencies: { referencedSecurityGroupId: [proxySg] } }),
        rule("by-properties", "sg-api", { propertyDependencies: { referencedSecurityGroupId: [apiSg, proxySg] } }),
        rule("no-property", "sg-proxy", { propertyDependencies: { referencedSecurityGroupId: [] } }),
        rule("property-wins", "sg-proxy", { propertyDependencies: { referencedSecurityGroupId: [apiSg] } }),
        rule("by-id", "sg-proxy"),
        rule("id-wins", "sg-api", { dependencies: [proxySg] }),
        rule("by-dependency", "sg-unknown", { dependencies: [dbSg, proxySg] }),
        rule("own-group-only", "sg-unknown", { dependencies: [dbSg, proxyInstance] }),
        rule("egress", "sg-proxy", {}, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"),
      ];
      expect(runStack(privateTiersClosedToEdge, resources, config)).toEqual([report("by-property"), report("by-properties"), report("no-property"), report("by-id"), report("by-dependency")]);
    });

    it("names every proxy group a rule admits", () => {
      const secondProxySg = stackResource(AWS.securityGroup, "proxy-sg-2", { id: "sg-proxy-2", tags: tags("production", "proxy") });
      const both = rule("both", "sg-unknown", { dependencies: [proxySg, secondProxySg] });
      expect(runStack(privateTiersClosedToEdge, [proxySg, secondProxySg, both], config)).toEqual([
        ["both", `security group rule "both": opens port 5432 of tier db (not exposed) to the proxy's security group "proxy-sg", security group "proxy-sg-2", the edge. ${FIX}`],
      ]);
    });

    it("allows SSH from the proxy's group, the jump host", () => {
      const ssh = stackResource(AWS.securityGroupIngressRule, "ssh", { ipProtocol: "tcp", fromPort: 22, toPort: 22, referencedSecurityGroupId: "sg-proxy", tags: tags("production", "db") });
      expect(runStack(privateTiersClosedToEdge, [proxySg, ssh], config)).toEqual([]);
    });
  });
});
