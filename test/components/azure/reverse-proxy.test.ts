/** botinfra:azure:ReverseProxy under the mock runtime: one public address per proxy, a public balancer for several. */
import { beforeAll, describe, expect, it } from "vitest";
import { AzureEnvironment } from "../../../components/azure/environment.js";
import { AzureReverseProxy } from "../../../components/azure/reverse-proxy.js";
import { PLACEHOLDER_RANGE } from "../../../components/placeholders.js";
import { containsAddress, mustParseCidr, parseAddress } from "../../../model/cidr.js";
import { azureId, environmentOf, inputsOf, registered, samplePlatforms, type Resources } from "../../support/plan.js";

interface NicInputs {
  ipConfigurations: { privateIPAddress: string; subnet: { id: string }; publicIPAddress?: { id: string }; loadBalancerBackendAddressPools?: { id: string }[] }[];
}
interface RuleInputs {
  name: string;
  access: string;
  sourceAddressPrefix?: string;
  sourceAddressPrefixes?: string[];
  destinationPortRange?: string;
  destinationPortRanges?: string[];
}

const platform = samplePlatforms().find((candidate) => candidate.tenant === "acme")!;
const isPlaceholder = (address: unknown) => typeof address === "string" && containsAddress(mustParseCidr(PLACEHOLDER_RANGE), parseAddress(address));

describe.each([
  ["production", 2],
  ["development", 1],
])("ReverseProxy (acme %s, %i proxies)", (name, count) => {
  const environment = environmentOf(platform, name);
  const proxy = environment.proxy;
  const network = (path: string) => azureId(environment.names.group, `Microsoft.Network/${path}`);
  let resources: Resources;

  beforeAll(async () => {
    resources = await registered(environment, async () => {
      const shared = new AzureEnvironment(environment.name, { platform, environment });
      const component = new AzureReverseProxy("proxy", { platform, environment, group: proxy, shared });
      return { ...component.outputs, publicAddress: component.publicAddress };
    });
  });

  it("puts its VMs in the edge subnet, in one availability set", () => {
    expect(proxy.count).toBe(count);
    expect(resources.ofType("compute:VirtualMachine").map((vm) => vm.name)).toEqual(proxy.hosts.map((host) => host.name));
    expect(resources.named("network:Subnet", proxy.names.subnet).inputs).toMatchObject({ addressPrefix: proxy.subnet!.cidr, defaultOutboundAccess: false });
    for (const vm of resources.ofType("compute:VirtualMachine")) {
      expect(vm.inputs).toMatchObject({ availabilitySet: { id: azureId(environment.names.group, `Microsoft.Compute/availabilitySets/${proxy.names.haGroup}`) } });
    }
  });

  it("runs VMs encrypted at host that take the admin's SSH keys only, never a password", () => {
    for (const vm of resources.ofType("compute:VirtualMachine")) {
      expect(vm.inputs).toMatchObject({
        securityProfile: { encryptionAtHost: true },
        osProfile: { adminUsername: platform.admin.username, linuxConfiguration: { disablePasswordAuthentication: true } },
      });
      expect((vm.inputs as { osProfile: { adminPassword?: string } }).osProfile.adminPassword).toBeUndefined();
    }
  });

  it("gives every proxy VM a static Standard public address of its own (the jump host)", () => {
    for (const host of proxy.hosts) {
      const [configuration] = inputsOf<NicInputs>(resources.named("network:NetworkInterface", `${host.name}-nic`)).ipConfigurations;
      expect(configuration).toMatchObject({
        privateIPAddress: host.privateIp,
        subnet: { id: network(`virtualNetworks/${environment.names.network}/subnets/${proxy.names.subnet}`) },
        publicIPAddress: { id: network(`publicIPAddresses/${host.name}-pip`) },
      });
      expect(resources.named("network:PublicIPAddress", `${host.name}-pip`).inputs).toEqual({
        resourceGroupName: `acme-${name}`,
        location: "westeurope",
        publicIpAddressName: `${host.name}-pip`,
        sku: { name: "Standard", tier: "Regional" },
        publicIPAllocationMethod: "Static",
        publicIPAddressVersion: "IPv4",
        tags: { tenant: "acme", environment: name, tier: "proxy", "managed-by": "botinfra" },
      });
    }
  });

  it("admits 80 and 443 from the internet, SSH only from the management ranges, and denies the rest", () => {
    const rules = inputsOf<{ securityRules: RuleInputs[] }>(resources.named("network:NetworkSecurityGroup", proxy.names.securityGroup)).securityRules;
    const allowed = rules.filter((rule) => rule.access === "Allow").map((rule) => [rule.sourceAddressPrefix ?? rule.sourceAddressPrefixes, rule.destinationPortRange ?? rule.destinationPortRanges]);
    expect(allowed).toEqual([
      ["Internet", ["80", "443"]],
      ...(count > 1 ? [["AzureLoadBalancer", ["80", "443"]]] : []),
      [platform.managementCidrs.length === 1 ? platform.managementCidrs[0] : platform.managementCidrs, "22"],
    ]);
    expect(rules.at(-1)).toMatchObject({ name: "deny-all-inbound", access: "Deny", sourceAddressPrefix: "*", destinationPortRange: "*" });
  });

  if (count > 1) {
    it("spreads 80 and 443 over every proxy with a public Standard balancer at its own address", () => {
      const balancer = resources.named("network:LoadBalancer", proxy.loadBalancer!.name);
      const part = (path: string) => ({ id: network(`loadBalancers/${proxy.loadBalancer!.name}/${path}`) });
      // The proxies go out through their own addresses: the balancer translates no outbound traffic.
      const rule = (port: number) => ({
        name: `tcp-${port}`,
        protocol: "Tcp",
        frontendPort: port,
        backendPort: port,
        frontendIPConfiguration: part("frontendIPConfigurations/frontend"),
        backendAddressPool: part("backendAddressPools/servers"),
        probe: part(`probes/tcp-${port}`),
        idleTimeoutInMinutes: 4,
        enableTcpReset: true,
        disableOutboundSnat: true,
      });
      expect(balancer.inputs).toMatchObject({
        sku: { name: "Standard", tier: "Regional" },
        frontendIPConfigurations: [{ name: "frontend", publicIPAddress: { id: network(`publicIPAddresses/${proxy.loadBalancer!.name}-pip`) } }],
        backendAddressPools: [{ name: "servers" }],
        loadBalancingRules: [rule(80), rule(443)],
      });
      expect(resources.named("network:PublicIPAddress", `${proxy.loadBalancer!.name}-pip`).inputs).toMatchObject({
        sku: { name: "Standard", tier: "Regional" },
        publicIPAllocationMethod: "Static",
        publicIPAddressVersion: "IPv4",
      });
      const pool = network(`loadBalancers/${proxy.loadBalancer!.name}/backendAddressPools/servers`);
      for (const host of proxy.hosts) {
        expect(inputsOf<NicInputs>(resources.named("network:NetworkInterface", `${host.name}-nic`)).ipConfigurations[0]!.loadBalancerBackendAddressPools).toEqual([{ id: pool }]);
      }
    });
  } else {
    it("has no balancer: the one proxy's address is the environment's", () => {
      expect(resources.ofType("network:LoadBalancer")).toEqual([]);
    });
  }

  it("reports public addresses Azure answered (placeholders offline), the environment's being the balancer's or the one proxy's", () => {
    const outputs = resources.outputs as { hosts: { publicIp?: string }[]; publicAddress: string; loadBalancer?: { publicIp: string } };
    expect(outputs.hosts.every((host) => isPlaceholder(host.publicIp))).toBe(true);
    expect(new Set([...outputs.hosts.map((host) => host.publicIp), outputs.publicAddress]).size).toBe(count === 1 ? 1 : count + 1);
    expect(outputs.publicAddress).toBe(count > 1 ? outputs.loadBalancer!.publicIp : outputs.hosts[0]!.publicIp);
  });

  it(`${name === "production" ? "protects" : "does not protect"} its public addresses and servers, and nothing else`, () => {
    const addresses = resources.ofType("network:PublicIPAddress").filter((address) => address.name !== `${environment.names.natGateway}-pip`);
    expect(addresses).toHaveLength(count > 1 ? count + 1 : 1);
    const stateful = [...addresses, ...resources.ofType("compute:VirtualMachine")];
    // Expected from the environment's name, not from the model's own flag.
    expect(stateful.map((resource) => resource.protect)).toEqual(stateful.map(() => name === "production"));
    const component = resources.named("botinfra:azure:ReverseProxy", "proxy");
    expect(resources.childrenOf(component).filter((resource) => resource.protect && !stateful.includes(resource))).toEqual([]);
  });
});
