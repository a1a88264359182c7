/**
 * The whole stack of every environment of every Azure sample tenant, planned as `botinfra plan` plans it:
 * what the model promises must be what the resources say.
 */
import { describe, expect, it } from "vitest";
import { azure } from "../../../components/azure/index.js";
import { AZURE_INTERNET } from "../../../components/azure/security-rules.js";
import { INTERNET, type Environment, type Platform } from "../../../model/platform.js";
import { inputsOf, Resources, plannedOnce, samplePlatforms } from "../../support/plan.js";

interface RuleInputs {
  access: string;
  sourceAddressPrefix?: string;
  sourceAddressPrefixes?: string[];
  destinationPortRange?: string;
  destinationPortRanges?: string[];
}
interface NicInputs {
  ipConfigurations: { privateIPAddress: string; subnet: { id: string }; publicIPAddress?: { id: string } }[];
}
interface VmInputs {
  securityProfile?: unknown;
  osProfile: { adminPassword?: string; linuxConfiguration: { disablePasswordAuthentication?: boolean } };
}
interface LbInputs {
  frontendIPConfigurations: { privateIPAddress?: string; subnet?: { id: string }; publicIPAddress?: { id: string } }[];
}

/** Azure has no tags on these: a subnet is part of its network, a record set part of its zone. */
const UNTAGGABLE = ["azure-native:network:Subnet", "azure-native:privatedns:PrivateRecordSet"];
const PUBLIC_SOURCES = [INTERNET, AZURE_INTERNET, "*", "Any"];

const lastSegment = (id: string) => id.slice(id.lastIndexOf("/") + 1);

const platforms = samplePlatforms().filter((platform) => platform.cloud === "azure");

describe.each(platforms.map((platform) => [platform.tenant, platform] as const))("the Azure stacks of %s", (_tenant, platform: Platform) => {
  const planned = plannedOnce(platform);

  describe.each(platform.environments.map((environment) => [environment.name, environment] as const))("%s", (_name, environment: Environment) => {
    const groups = [environment.proxy, ...environment.tiers];
    const get = () => planned.get(environment.name)!;
    const componentOf = (resources: Resources, group: string) =>
      resources.named(group === "proxy" ? "botinfra:azure:ReverseProxy" : "botinfra:azure:Tier", group);

    it("encrypts every VM's disks at host and lets no one log in with a password", () => {
      const { resources } = get();
      for (const vm of resources.ofType("compute:VirtualMachine")) {
        const inputs = inputsOf<VmInputs>(vm);
        expect(inputs.securityProfile, vm.name).toEqual({ encryptionAtHost: true });
        expect(inputs.osProfile.adminPassword, vm.name).toBeUndefined();
        expect(inputs.osProfile.linuxConfiguration.disablePasswordAuthentication, vm.name).toBe(true);
      }
    });

    it("has as many VMs per tier as the spec, each in its tier's availability set", () => {
      const { resources } = get();
      for (const group of groups) {
        const vms = resources.childrenOf(componentOf(resources, group.name)).filter((resource) => resource.type === "azure-native:compute:VirtualMachine");
        expect(vms).toHaveLength(group.count);
        for (const vm of vms) expect(lastSegment(inputsOf<{ availabilitySet: { id: string } }>(vm).availabilitySet.id)).toBe(group.names.haGroup);
      }
      expect(resources.ofType("compute:VirtualMachine")).toHaveLength(groups.reduce((sum, group) => sum + group.count, 0));
    });

    it("puts each NIC in its tier's subnet with the model's address", () => {
      const { resources } = get();
      for (const group of groups) {
        for (const host of group.hosts) {
          const [configuration] = inputsOf<NicInputs>(resources.named("network:NetworkInterface", `${host.name}-nic`)).ipConfigurations;
          expect([lastSegment(configuration!.subnet.id), configuration!.privateIPAddress]).toEqual([group.names.subnet, host.privateIp]);
        }
      }
    });

    it("fronts each stateless tier with an internal balancer whose frontend is in the tier's subnet, and a stateful one with none", () => {
      const { resources } = get();
      for (const tier of environment.tiers.filter((group) => group.stateful)) {
        expect(resources.ofType("network:LoadBalancer").filter((balancer) => balancer.name.startsWith(`${tier.names.subnet}-`))).toEqual([]);
      }
      for (const tier of environment.tiers.filter((group) => !group.stateful)) {
        const [frontend, ...others] = inputsOf<LbInputs>(resources.named("network:LoadBalancer", tier.loadBalancer!.name)).frontendIPConfigurations;
        expect(others).toEqual([]);
        expect(frontend!.publicIPAddress).toBeUndefined();
        expect([lastSegment(frontend!.subnet!.id), frontend!.privateIPAddress]).toEqual([tier.names.subnet, tier.loadBalancer!.privateIp]);
      }
    });

    it("admits nothing from the internet but 80 and 443 on the proxy", () => {
      const { resources } = get();
      for (const securityGroup of resources.ofType("network:NetworkSecurityGroup")) {
        const open = inputsOf<{ securityRules: RuleInputs[] }>(securityGroup).securityRules.filter(
          (rule) => rule.access === "Allow" && [rule.sourceAddressPrefix, ...(rule.sourceAddressPrefixes ?? [])].some((source) => PUBLIC_SOURCES.includes(source!)),
        );
        const ports = open.flatMap((rule) => rule.destinationPortRanges ?? [rule.destinationPortRange]);
        expect(ports).toEqual(securityGroup.name === environment.proxy.names.securityGroup ? ["80", "443"] : []);
      }
    });

    it("has public addresses only on the proxies and the NAT gateway", () => {
      const { resources } = get();
      const proxy = componentOf(resources, "proxy");
      const proxyAddresses = new Set(environment.proxy.hosts.map((host) => `${host.name}-pip`).concat(environment.proxy.loadBalancer ? [`${environment.proxy.loadBalancer.name}-pip`] : []));
      expect(resources.ofType("network:PublicIPAddress").map((address) => address.name).sort()).toEqual([...proxyAddresses, `${environment.names.natGateway}-pip`].sort());
      for (const nic of resources.ofType("network:NetworkInterface")) {
        if (inputsOf<NicInputs>(nic).ipConfigurations.some((configuration) => configuration.publicIPAddress)) expect(nic.parent).toBe(proxy.urn);
      }
      for (const balancer of resources.ofType("network:LoadBalancer")) {
        if (inputsOf<LbInputs>(balancer).frontendIPConfigurations.some((frontend) => frontend.publicIPAddress)) expect(balancer.parent).toBe(proxy.urn);
      }
    });

    it("routes every tier subnet, and only those, through the NAT gateway", () => {
      const { resources } = get();
      const natted = resources
        .ofType("network:Subnet")
        .filter((subnet) => inputsOf<{ natGateway?: { id: string } }>(subnet).natGateway?.id.endsWith(`/natGateways/${environment.names.natGateway}`))
        .map((subnet) => subnet.name);
      expect(natted).toEqual(environment.tiers.map((tier) => tier.names.subnet));
    });

    it("creates the subnets one after the other (Azure refuses concurrent changes to a network)", () => {
      const { resources } = get();
      const subnets = groups.map((group) => resources.named("network:Subnet", group.names.subnet));
      subnets.slice(1).forEach((subnet, index) => expect(subnet.dependencies).toContain(subnets[index]!.urn));
    });

    it("tags every resource Azure can tag with the tenant, the environment and managed-by", () => {
      const { resources } = get();
      const untagged = resources.all
        .filter((resource) => resource.custom && !UNTAGGABLE.includes(resource.type))
        .filter((resource) => {
          const tags = inputsOf<{ tags?: Record<string, string> }>(resource).tags ?? {};
          return Object.entries(environment.tags).some(([key, value]) => tags[key] !== value);
        });
      expect(untagged.map((resource) => `${resource.type} ${resource.name}`)).toEqual([]);
    });

    // Expected from the environment's name, not from the model's own flag: production is protected.
    const production = environment.name === "production";
    it(`${production ? "protects" : "protects nothing, not even"} the resource group, the network, the public addresses, the servers and their data disks`, () => {
      const { resources } = get();
      const protectedOnes = resources.all.filter((resource) => resource.protect).map((resource) => resource.type.split(":").pop());
      const stateful = [
        "ResourceGroup",
        "VirtualNetwork",
        ...resources.ofType("network:PublicIPAddress").map(() => "PublicIPAddress"),
        ...resources.ofType("compute:VirtualMachine").map(() => "VirtualMachine"),
        ...resources.ofType("compute:Disk").map(() => "Disk"),
      ];
      expect(protectedOnes.sort()).toEqual(production ? stateful.sort() : []);
    });
  });
});

describe("sample tenants", () => {
  it("include at least one Azure tenant", () => {
    expect(platforms.map((platform) => platform.tenant)).toContain("acme");
  });
});

describe("the Azure cloud module", () => {
  it("sets the stack's location to the tenant's region", () => {
    const acme = platforms.find((platform) => platform.tenant === "acme")!;
    expect(azure.stackConfig(acme, acme.environments[0]!)).toEqual({ "azure-native:location": { value: "westeurope" } });
  });
});
