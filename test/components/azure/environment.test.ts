/** botinfra:azure:Environment under the mock runtime: group, network, NAT, private DNS; protect in production only. */
import { beforeAll, describe, expect, it } from "vitest";
import { AzureEnvironment, dnsRecords } from "../../../components/azure/environment.js";
import { azureId, environmentOf, inputsOf, registered, samplePlatforms, type Resources } from "../../support/plan.js";

interface RecordInputs {
  privateZoneName: string;
  recordType: string;
  relativeRecordSetName: string;
  aRecords: { ipv4Address: string }[];
}

const platform = samplePlatforms().find((candidate) => candidate.tenant === "acme")!;

describe.each(["production", "development"])("Environment (acme %s)", (name) => {
  const environment = environmentOf(platform, name);
  const { names } = environment;
  const network = (path: string) => azureId(names.group, `Microsoft.Network/${path}`);
  let resources: Resources;

  beforeAll(async () => {
    resources = await registered(environment, async () => {
      new AzureEnvironment(environment.name, { platform, environment });
    });
  });

  it("creates the resource group <tenant>-<env> in the tenant's region", () => {
    const group = resources.named("resources:ResourceGroup", `acme-${name}`);
    expect(group.inputs).toMatchObject({ resourceGroupName: `acme-${name}`, location: platform.region, tags: environment.tags });
  });

  it("creates the virtual network with the environment's address space", () => {
    const vnet = resources.named("network:VirtualNetwork", names.network);
    expect(vnet.inputs).toMatchObject({ resourceGroupName: names.group, virtualNetworkName: names.network, addressSpace: { addressPrefixes: [environment.cidr] } });
  });

  it("creates a Standard NAT gateway with a public address of its own", () => {
    const nat = resources.named("network:NatGateway", names.natGateway);
    expect(nat.inputs).toMatchObject({ sku: { name: "Standard" }, publicIpAddresses: [{ id: network(`publicIPAddresses/${names.natGateway}-pip`) }] });
    expect(resources.named("network:PublicIPAddress", `${names.natGateway}-pip`).inputs).toMatchObject({ sku: { name: "Standard" }, publicIPAllocationMethod: "Static" });
  });

  it("links a private DNS zone to the network, with an A record for every host, internal balancer and stateful tier", () => {
    const zone = resources.named("privatedns:PrivateZone", environment.dnsZone);
    expect(zone.inputs).toMatchObject({ location: "global" });
    const link = resources.ofType("privatedns:VirtualNetworkLink");
    expect(link).toHaveLength(1);
    expect(link[0]!.inputs).toMatchObject({ location: "global", privateZoneName: environment.dnsZone, virtualNetwork: { id: network(`virtualNetworks/${names.network}`) }, registrationEnabled: false });

    const groups = [environment.proxy, ...environment.tiers];
    const expected = [
      ...groups.flatMap((group) => group.hosts.map((host) => [host.dnsName, host.privateIp])),
      ...environment.tiers.map((tier) => [tier.dnsName, tier.stateful ? tier.hosts.map((host) => host.privateIp).join(",") : tier.loadBalancer!.privateIp]),
    ];
    const records = resources.ofType("privatedns:PrivateRecordSet").map((record) => {
      const inputs = inputsOf<RecordInputs>(record);
      expect(inputs.recordType).toBe("A");
      expect(inputs.privateZoneName).toBe(environment.dnsZone);
      return [`${inputs.relativeRecordSetName}.${inputs.privateZoneName}`, inputs.aRecords.map((a) => a.ipv4Address).join(",")];
    });
    expect(records.sort()).toEqual(expected.sort());
    expect(dnsRecords(environment)).toHaveLength(expected.length);
  });

  it(`${name === "production" ? "protects" : "does not protect"} the group, the network and the public address`, () => {
    const stateful = [
      resources.named("resources:ResourceGroup", names.group),
      resources.named("network:VirtualNetwork", names.network),
      resources.named("network:PublicIPAddress", `${names.natGateway}-pip`),
    ];
    expect(stateful.map((resource) => resource.protect)).toEqual([true, true, true].map(() => name === "production"));
    expect(resources.all.filter((resource) => resource.protect && !stateful.includes(resource))).toEqual([]);
  });
});

describe("dnsRecords", () => {
  it("refuses a host the model gives no private address (a model error)", () => {
    const production = environmentOf(platform, "production");
    const [first, ...others] = production.proxy.hosts;
    const proxy = { ...production.proxy, hosts: [{ ...first!, privateIp: undefined }, ...others] };
    expect(() => dnsRecords({ ...production, proxy })).toThrow(`internal: the model plans no address for ${first!.dnsName} on Azure`);
  });
});
