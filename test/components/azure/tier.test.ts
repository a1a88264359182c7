/** botinfra:azure:Tier under the mock runtime: servers, addresses, availability set, subnet, internal balancer. */
import { beforeAll, describe, expect, it } from "vitest";
import { AzureEnvironment } from "../../../components/azure/environment.js";
import { DEBIAN_12, SSH_KEYS_AT_CREATION } from "../../../components/azure/server-group.js";
import { AzureTier } from "../../../components/azure/tier.js";
import type { ServerGroup } from "../../../model/platform.js";
import { formatSshPublicKey } from "../../../model/ssh.js";
import { azureId, environmentOf, inputsOf, registered, samplePlatforms, type Resources } from "../../support/plan.js";

interface NicInputs {
  ipConfigurations: { privateIPAllocationMethod: string; privateIPAddress: string; subnet: { id: string }; loadBalancerBackendAddressPools?: { id: string }[]; publicIPAddress?: unknown }[];
}
interface VmInputs {
  vmName: string;
  availabilitySet: { id: string };
  hardwareProfile: { vmSize: string };
  networkProfile: { networkInterfaces: { id: string }[] };
  osProfile: { adminUsername: string; adminPassword?: string; linuxConfiguration: { disablePasswordAuthentication: boolean; ssh: { publicKeys: { keyData: string; path: string }[] } } };
  storageProfile: { imageReference: unknown; osDisk: { name: string; managedDisk: { storageAccountType: string } } };
  securityProfile?: unknown;
}
interface LbInputs {
  sku: { name: string };
  frontendIPConfigurations: { privateIPAllocationMethod?: string; privateIPAddress?: string; subnet?: { id: string }; publicIPAddress?: unknown }[];
  backendAddressPools: { name: string }[];
  probes: { protocol: string; port: number }[];
  loadBalancingRules: { frontendPort: number; backendPort: number; probe: { id: string } }[];
}

const platform = samplePlatforms().find((candidate) => candidate.tenant === "acme")!;
const production = environmentOf(platform, "production");
const api = production.tiers.find((tier) => tier.name === "api")!;

describe("Tier (acme production api)", () => {
  let resources: Resources;
  const tier: ServerGroup = api;
  const group = production.names.group;
  const network = (path: string) => azureId(group, `Microsoft.Network/${path}`);

  beforeAll(async () => {
    resources = await registered(production, async () => {
      const shared = new AzureEnvironment(production.name, { platform, environment: production });
      const component = new AzureTier(api.name, { platform, environment: production, group: api, shared });
      return component.outputs;
    });
  });

  it("is a botinfra:azure:Tier named after the tier, holding the tier's resources", () => {
    const component = resources.named("botinfra:azure:Tier", "api");
    const types = resources.childrenOf(component).map((resource) => resource.type.split(":").pop()).sort();
    expect(types).toEqual(["AvailabilitySet", "LoadBalancer", "NetworkInterface", "NetworkInterface", "NetworkInterface", "NetworkSecurityGroup", "Subnet", "VirtualMachine", "VirtualMachine", "VirtualMachine"]);
  });

  it("has as many VMs as the spec says, each named, sized and placed by the model", () => {
    const vms = resources.ofType("compute:VirtualMachine");
    expect(vms.map((vm) => vm.name)).toEqual(tier.hosts.map((host) => host.name));
    for (const vm of vms) {
      const inputs = inputsOf<VmInputs>(vm);
      expect(inputs.vmName).toBe(vm.name);
      expect(inputs.hardwareProfile.vmSize).toBe(tier.size);
      expect(inputs.availabilitySet.id).toBe(azureId(group, `Microsoft.Compute/availabilitySets/${tier.names.haGroup}`));
      expect(inputs.networkProfile.networkInterfaces).toEqual([expect.objectContaining({ id: network(`networkInterfaces/${vm.name}-nic`) })]);
    }
  });

  it("runs Debian 12 that takes the admin's SSH keys only, on a managed disk encrypted at host", () => {
    for (const vm of resources.ofType("compute:VirtualMachine")) {
      const { osProfile, storageProfile, securityProfile } = inputsOf<VmInputs>(vm);
      expect(securityProfile).toEqual({ encryptionAtHost: true });
      expect(storageProfile.imageReference).toEqual(DEBIAN_12);
      expect(storageProfile.osDisk).toMatchObject({ name: `${vm.name}-osdisk`, managedDisk: { storageAccountType: "StandardSSD_LRS" } });
      expect(osProfile.adminPassword).toBeUndefined();
      expect(osProfile.adminUsername).toBe(platform.admin.username);
      expect(osProfile.linuxConfiguration.disablePasswordAuthentication).toBe(true);
      expect(osProfile.linuxConfiguration.ssh.publicKeys.map((key) => key.keyData)).toEqual(platform.admin.sshPublicKeys.map(formatSshPublicKey));
      // Keys at creation only: configure manages authorized_keys afterwards, so a rotation replaces no server.
      expect(vm.ignoreChanges).toEqual([SSH_KEYS_AT_CREATION]);
    }
  });

  it("gives each NIC the model's static address in the tier's subnet and the balancer's pool", () => {
    const nics = resources.ofType("network:NetworkInterface");
    expect(nics).toHaveLength(tier.count);
    tier.hosts.forEach((host) => {
      const [configuration, ...others] = inputsOf<NicInputs>(resources.named("network:NetworkInterface", `${host.name}-nic`)).ipConfigurations;
      expect(others).toEqual([]);
      expect(configuration).toMatchObject({
        privateIPAllocationMethod: "Static",
        privateIPAddress: host.privateIp,
        subnet: { id: network(`virtualNetworks/${production.names.network}/subnets/${tier.names.subnet}`) },
        loadBalancerBackendAddressPools: [{ id: network(`loadBalancers/${tier.loadBalancer!.name}/backendAddressPools/servers`) }],
      });
      expect(configuration!.publicIPAddress).toBeUndefined();
    });
  });

  it("puts the NICs after the balancer whose pool they join", () => {
    const balancer = resources.named("network:LoadBalancer", tier.loadBalancer!.name);
    for (const nic of resources.ofType("network:NetworkInterface")) expect(nic.dependencies).toContain(balancer.urn);
  });

  it("spreads the VMs over an Aligned availability set with two fault domains, which every region offers", () => {
    const [set, ...others] = resources.ofType("compute:AvailabilitySet");
    expect(others).toEqual([]);
    expect(set!.name).toBe(tier.names.haGroup);
    expect(set!.inputs).toMatchObject({ availabilitySetName: tier.names.haGroup, sku: { name: "Aligned" }, platformFaultDomainCount: 2 });
    for (const vm of resources.ofType("compute:VirtualMachine")) expect(vm.dependencies).toContain(set!.urn);
  });

  it("fronts the tier with an internal Standard balancer at the model's address in the tier's subnet", () => {
    const balancer = resources.named("network:LoadBalancer", tier.loadBalancer!.name);
    const inputs = inputsOf<LbInputs>(balancer);
    expect(inputs.sku.name).toBe("Standard");
    expect(inputs.frontendIPConfigurations).toHaveLength(1);
    expect(inputs.frontendIPConfigurations[0]).toMatchObject({
      privateIPAllocationMethod: "Static",
      privateIPAddress: tier.loadBalancer!.privateIp,
      subnet: { id: network(`virtualNetworks/${production.names.network}/subnets/${tier.names.subnet}`) },
    });
    expect(inputs.frontendIPConfigurations[0]!.publicIPAddress).toBeUndefined();
    expect(inputs.probes).toEqual([expect.objectContaining({ protocol: "Tcp", port: tier.port })]);
    expect(inputs.loadBalancingRules).toEqual([
      expect.objectContaining({ frontendPort: tier.port, backendPort: tier.port, probe: { id: network(`loadBalancers/${tier.loadBalancer!.name}/probes/tcp-${tier.port}`) } }),
    ]);
  });

  it("routes the tier's subnet out through the environment's NAT gateway, never Azure's implicit outbound access", () => {
    const subnet = resources.named("network:Subnet", tier.names.subnet);
    expect(subnet.inputs).toMatchObject({
      addressPrefix: tier.subnet!.cidr,
      defaultOutboundAccess: false,
      natGateway: { id: network(`natGateways/${production.names.natGateway}`) },
      networkSecurityGroup: { id: network(`networkSecurityGroups/${tier.names.securityGroup}`) },
    });
  });

  it("reports its hosts, balancer and subnet with the addresses Azure answered: the model's, and no zone (Azure picks fault domains)", () => {
    expect(resources.outputs).toEqual({
      hosts: tier.hosts.map((host) => ({ name: host.name, group: "api", privateIp: host.privateIp })),
      loadBalancer: { group: "api", public: false, privateIp: tier.loadBalancer!.privateIp, dnsName: tier.loadBalancer!.dnsName },
      subnet: { group: "api", cidr: "10.20.2.0/24" },
    });
  });

  it("has no public address", () => {
    expect(resources.ofType("network:PublicIPAddress").filter((address) => !address.name.startsWith(production.names.natGateway))).toEqual([]);
  });
});
