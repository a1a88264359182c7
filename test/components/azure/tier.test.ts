/** botinfra:azure:Tier under the mock runtime: servers, addresses, availability set, subnet, internal balancer. */
import type * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { AzureEnvironment } from "../../../components/azure/environment.js";
import { azureMocks } from "../../../components/azure/mocks.js";
import { AzureTier } from "../../../components/azure/tier.js";
import type { ServerGroup } from "../../../model/platform.js";
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

const platform = samplePlatforms().find((candidate) => candidate.tenant === "acme")!;
const production = environmentOf(platform, "production");
const api = production.tiers.find((tier) => tier.name === "api")!;
const db = production.tiers.find((tier) => tier.name === "db")!;
/** acme's admin key (stacks/tenants/acme.yaml), as Azure takes it. */
const ACME_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJE5Eo5AGXTotl9+mE98fz/9CI+nehkqRQEo3YGYamBj ops@acme";

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
      expect(inputs.networkProfile.networkInterfaces).toEqual([{ id: network(`networkInterfaces/${vm.name}-nic`), primary: true }]);
    }
  });

  it("runs Debian 12 that takes the admin's SSH keys only, on a managed disk encrypted at host", () => {
    for (const vm of resources.ofType("compute:VirtualMachine")) {
      const { osProfile, storageProfile, securityProfile } = inputsOf<VmInputs>(vm);
      expect(securityProfile).toEqual({ encryptionAtHost: true });
      // The OS disk goes with the VM; a stateless tier has no data disk.
      expect(storageProfile).toStrictEqual({
        imageReference: { publisher: "Debian", offer: "debian-12", sku: "12-gen2", version: "latest" },
        osDisk: { name: `${vm.name}-osdisk`, createOption: "FromImage", caching: "ReadWrite", managedDisk: { storageAccountType: "StandardSSD_LRS" }, deleteOption: "Delete" },
      });
      expect(osProfile).toStrictEqual({
        computerName: vm.name,
        adminUsername: "botadmin",
        linuxConfiguration: {
          disablePasswordAuthentication: true,
          provisionVMAgent: true,
          ssh: { publicKeys: [{ path: "/home/botadmin/.ssh/authorized_keys", keyData: ACME_KEY }] },
        },
      });
      // Keys at creation only: configure manages authorized_keys afterwards, so a rotation replaces no server.
      expect(vm.ignoreChanges).toEqual(["osProfile.linuxConfiguration.ssh"]);
    }
  });

  it("gives each NIC the model's static address in the tier's subnet and the balancer's pool", () => {
    const nics = resources.ofType("network:NetworkInterface");
    expect(nics).toHaveLength(tier.count);
    tier.hosts.forEach((host) => {
      const [configuration, ...others] = inputsOf<NicInputs>(resources.named("network:NetworkInterface", `${host.name}-nic`)).ipConfigurations;
      expect(others).toEqual([]);
      expect(configuration).toStrictEqual({
        name: "primary",
        primary: true,
        privateIPAllocationMethod: "Static",
        privateIPAddress: host.privateIp,
        privateIPAddressVersion: "IPv4",
        subnet: { id: network(`virtualNetworks/${production.names.network}/subnets/acme-production-api`) },
        loadBalancerBackendAddressPools: [{ id: network("loadBalancers/acme-production-api-lb/backendAddressPools/servers") }],
      });
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

  it("fronts the tier with an internal Standard balancer at the model's address in the tier's subnet, probing and balancing the tier's port", () => {
    const name = tier.loadBalancer!.name;
    const part = (path: string) => ({ id: network(`loadBalancers/${name}/${path}`) });
    expect(resources.named("network:LoadBalancer", name).inputs).toEqual({
      resourceGroupName: group,
      location: "westeurope",
      loadBalancerName: name,
      sku: { name: "Standard", tier: "Regional" },
      frontendIPConfigurations: [
        {
          name: "frontend",
          privateIPAllocationMethod: "Static",
          privateIPAddress: "10.20.2.4",
          privateIPAddressVersion: "IPv4",
          subnet: { id: network(`virtualNetworks/${production.names.network}/subnets/acme-production-api`) },
        },
      ],
      backendAddressPools: [{ name: "servers" }],
      probes: [{ name: "tcp-8080", protocol: "Tcp", port: 8080, intervalInSeconds: 5, numberOfProbes: 2 }],
      // No disableOutboundSnat: only the proxies' public balancer needs it.
      loadBalancingRules: [
        {
          name: "tcp-8080",
          protocol: "Tcp",
          frontendPort: 8080,
          backendPort: 8080,
          frontendIPConfiguration: part("frontendIPConfigurations/frontend"),
          backendAddressPool: part("backendAddressPools/servers"),
          probe: part("probes/tcp-8080"),
          idleTimeoutInMinutes: 4,
          enableTcpReset: true,
        },
      ],
      tags: { tenant: "acme", environment: "production", tier: "api", "managed-by": "botinfra" },
    });
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
    // Strict: a host without a public address has no publicIp key at all.
    expect(resources.outputs).toStrictEqual({
      hosts: tier.hosts.map((host) => ({ name: host.name, group: "api", privateIp: host.privateIp })),
      loadBalancer: { group: "api", public: false, privateIp: tier.loadBalancer!.privateIp, dnsName: tier.loadBalancer!.dnsName },
      subnet: { group: "api", cidr: "10.20.2.0/24" },
    });
  });

  it("has no public address", () => {
    expect(resources.ofType("network:PublicIPAddress").filter((address) => !address.name.startsWith(production.names.natGateway))).toEqual([]);
  });
});

describe("Tier (acme production db, stateful)", () => {
  let resources: Resources;
  const group = production.names.group;

  beforeAll(async () => {
    resources = await registered(production, async () => {
      const shared = new AzureEnvironment(production.name, { platform, environment: production });
      return new AzureTier(db.name, { platform, environment: production, group: db, shared }).outputs;
    });
  });

  it("gives every server a data disk of its own, protected in production, attached at LUN 0 and detached (kept) when the VM goes", () => {
    const names = ["acme-production-db-1", "acme-production-db-2", "acme-production-db-3"];
    expect(resources.ofType("compute:Disk").map((disk) => [disk.name, disk.protect, disk.inputs])).toEqual(
      names.map((name) => [
        `${name}-data`,
        true,
        {
          resourceGroupName: group,
          location: "westeurope",
          diskName: `${name}-data`,
          diskSizeGB: 64,
          sku: { name: "StandardSSD_LRS" },
          creationData: { createOption: "Empty" },
          tags: { tenant: "acme", environment: "production", tier: "db", "managed-by": "botinfra" },
        },
      ]),
    );
    for (const name of names) {
      const vm = resources.named("compute:VirtualMachine", name);
      expect(vm.protect).toBe(true);
      expect(inputsOf<{ storageProfile: { dataDisks: unknown } }>(vm).storageProfile.dataDisks).toStrictEqual([
        { lun: 0, name: `${name}-data`, createOption: "Attach", managedDisk: { id: azureId(group, `Microsoft.Compute/disks/${name}-data`) }, deleteOption: "Detach" },
      ]);
    }
  });

  it("has no balancer, and its NICs join no pool", () => {
    expect(resources.ofType("network:LoadBalancer")).toEqual([]);
    for (const nic of resources.ofType("network:NetworkInterface")) expect(inputsOf<NicInputs>(nic).ipConfigurations[0]!.loadBalancerBackendAddressPools).toBeUndefined();
    expect(resources.outputs).toStrictEqual({
      hosts: db.hosts.map((host) => ({ name: host.name, group: "db", privateIp: host.privateIp })),
      subnet: { group: "db", cidr: "10.20.5.0/24" },
    });
  });
});

describe("Tier refusals (model errors caught before any resource)", () => {
  const build = (group: ServerGroup) =>
    registered(production, async () => {
      const shared = new AzureEnvironment(production.name, { platform, environment: production });
      new AzureTier(group.name, { platform, environment: production, group, shared });
    });

  it("refuses a stateless tier without a balancer, or with a public one", async () => {
    const message = "internal: the model gives tier api no internal load balancer";
    await expect(build({ ...api, loadBalancer: undefined })).rejects.toThrow(message);
    await expect(build({ ...api, loadBalancer: { ...api.loadBalancer!, public: true } })).rejects.toThrow(message);
  });

  it("refuses a tier without a subnet, or a host without a private address", async () => {
    await expect(build({ ...api, subnet: undefined })).rejects.toThrow("internal: the model gives api no subnet on Azure");
    const [first, ...others] = api.hosts;
    await expect(build({ ...api, hosts: [{ ...first!, privateIp: undefined }, ...others] })).rejects.toThrow("internal: the model gives acme-production-api-1 no private address on Azure");
  });

  it("refuses a balancer without an address", async () => {
    await expect(build({ ...api, loadBalancer: { ...api.loadBalancer!, privateIp: undefined } })).rejects.toThrow("internal: the model gives tier api's load balancer no address");
  });
});

describe("Tier outputs from a faulty Azure answer", () => {
  /** Azure's mock answers, but with `edit` applied to the state reported for resources of `type`. */
  const answering = (type: string, edit: (state: Record<string, unknown>) => void): pulumi.runtime.Mocks => {
    const mocks = azureMocks();
    return {
      ...mocks,
      newResource: async (args) => {
        const answer = await mocks.newResource(args);
        if (args.type === `azure-native:${type}`) edit(answer.state as Record<string, unknown>);
        return answer;
      },
    };
  };
  const build = (mocks: pulumi.runtime.Mocks) =>
    registered(
      production,
      async () => {
        const shared = new AzureEnvironment(production.name, { platform, environment: production });
        return new AzureTier(api.name, { platform, environment: production, group: api, shared }).outputs;
      },
      { mocks },
    );
  const withoutAddress = (list: unknown) => (list as Record<string, unknown>[]).map(({ privateIPAddress: _dropped, ...rest }) => rest);

  it("refuses to report a host without the private address Azure gave its NIC", async () => {
    const mocks = answering("network:NetworkInterface", (state) => (state.ipConfigurations = withoutAddress(state.ipConfigurations)));
    await expect(build(mocks)).rejects.toThrow("internal: Azure reported NIC acme-production-api-1-nic without a private address");
  });

  it("refuses to report a balancer without its frontend's private address", async () => {
    const frontend = answering("network:LoadBalancer", (state) => (state.frontendIPConfigurations = withoutAddress(state.frontendIPConfigurations)));
    await expect(build(frontend)).rejects.toThrow("internal: Azure reported load balancer acme-production-api-lb without a private frontend address");
  });
});
