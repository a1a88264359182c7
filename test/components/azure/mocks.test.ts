/**
 * Azure's answers in the offline plan (`botinfra plan`): resource ids of Azure's shape, built from
 * the names the program gave (so the same plan shows the same ids), the program's own inputs and
 * static private addresses kept, ids for the named parts of interfaces and load balancers, and
 * public addresses only from the documentation range.
 */
import type * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { azureMocks } from "../../../components/azure/mocks.js";

type Answer = { id: string | undefined; state: Record<string, unknown> };

const GROUP = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/acme-production";
const ZONE = "production.acme.internal";

let mocks: pulumi.runtime.Mocks;
beforeEach(() => {
  mocks = azureMocks();
});

const create = (type: string, name: string, inputs: Record<string, unknown> = {}) => mocks.newResource({ type, name, inputs, custom: true }) as Answer;

describe("Azure ids in the offline plan", () => {
  it("gives a resource group the id of the name the program gave, or of the resource's name without one", () => {
    expect(create("azure-native:resources:ResourceGroup", "acme-production-rg", { resourceGroupName: "acme-production", location: "westeurope" })).toEqual({
      id: GROUP,
      state: { resourceGroupName: "acme-production", location: "westeurope", name: "acme-production" },
    });
    expect(create("azure-native:resources:ResourceGroup", "acme-staging", { location: "westeurope" })).toEqual({
      id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/acme-staging",
      state: { location: "westeurope", name: "acme-staging" },
    });
  });

  it("gives a subnet its id inside its virtual network, keeping its range", () => {
    const inputs = { resourceGroupName: "acme-production", virtualNetworkName: "acme-production-net", subnetName: "api", addressPrefix: "10.20.1.0/24" };
    expect(create("azure-native:network:Subnet", "acme-production-api-subnet", inputs)).toEqual({
      id: `${GROUP}/providers/Microsoft.Network/virtualNetworks/acme-production-net/subnets/api`,
      state: { ...inputs, name: "api" },
    });
  });

  it("gives a virtual network link its id inside its private zone", () => {
    const inputs = { resourceGroupName: "acme-production", privateZoneName: ZONE, virtualNetworkLinkName: "acme-production-net", registrationEnabled: false };
    expect(create("azure-native:privatedns:VirtualNetworkLink", "acme-production-dns-link", inputs)).toEqual({
      id: `${GROUP}/providers/Microsoft.Network/privateDnsZones/${ZONE}/virtualNetworkLinks/acme-production-net`,
      state: { ...inputs, name: "acme-production-net" },
    });
  });

  it("gives a record set its id by record type inside its zone, and its fully qualified name", () => {
    const inputs = { resourceGroupName: "acme-production", privateZoneName: ZONE, recordType: "A", relativeRecordSetName: "api-1", ttl: 300, aRecords: [{ ipv4Address: "10.20.1.4" }] };
    expect(create("azure-native:privatedns:PrivateRecordSet", "api-1.production", inputs)).toEqual({
      id: `${GROUP}/providers/Microsoft.Network/privateDnsZones/${ZONE}/A/api-1`,
      state: { ...inputs, name: "api-1", fqdn: `api-1.${ZONE}.` },
    });
  });

  it("gives a resource of a group its id under its provider path, and distinct names distinct ids", () => {
    const network = (name: string) => create("azure-native:network:VirtualNetwork", name, { resourceGroupName: "acme-production", virtualNetworkName: name }).id;
    expect(network("acme-production-net")).toBe(`${GROUP}/providers/Microsoft.Network/virtualNetworks/acme-production-net`);
    expect(network("acme-production-spare")).toBe(`${GROUP}/providers/Microsoft.Network/virtualNetworks/acme-production-spare`);
  });

  it("gives a network interface's IP configurations their ids, keeping the static private address asked for", () => {
    const ipConfigurations = [{ name: "primary", privateIPAllocationMethod: "Static", privateIPAddress: "10.20.1.4", subnet: { id: "subnet" } }];
    const nic = `${GROUP}/providers/Microsoft.Network/networkInterfaces/acme-production-api-1-nic`;
    expect(create("azure-native:network:NetworkInterface", "acme-production-api-1-nic", { resourceGroupName: "acme-production", networkInterfaceName: "acme-production-api-1-nic", ipConfigurations })).toEqual({
      id: nic,
      state: {
        resourceGroupName: "acme-production",
        networkInterfaceName: "acme-production-api-1-nic",
        name: "acme-production-api-1-nic",
        ipConfigurations: [{ ...ipConfigurations[0], id: `${nic}/ipConfigurations/primary` }],
      },
    });
  });

  it("gives a load balancer's frontends, pools, probes and rules their ids", () => {
    const inputs = {
      resourceGroupName: "acme-production",
      loadBalancerName: "acme-production-api-lb",
      frontendIPConfigurations: [{ name: "frontend", privateIPAddress: "10.20.1.250", privateIPAllocationMethod: "Static" }],
      backendAddressPools: [{ name: "servers" }],
      probes: [{ name: "tcp-8080", port: 8080, protocol: "Tcp" }],
      loadBalancingRules: [{ name: "tcp-8080", frontendPort: 8080, backendPort: 8080 }],
    };
    const balancer = `${GROUP}/providers/Microsoft.Network/loadBalancers/acme-production-api-lb`;
    expect(create("azure-native:network:LoadBalancer", "acme-production-api-lb", inputs)).toEqual({
      id: balancer,
      state: {
        ...inputs,
        name: "acme-production-api-lb",
        frontendIPConfigurations: [{ ...inputs.frontendIPConfigurations[0], id: `${balancer}/frontendIPConfigurations/frontend` }],
        backendAddressPools: [{ name: "servers", id: `${balancer}/backendAddressPools/servers` }],
        probes: [{ ...inputs.probes[0], id: `${balancer}/probes/tcp-8080` }],
        loadBalancingRules: [{ ...inputs.loadBalancingRules[0], id: `${balancer}/loadBalancingRules/tcp-8080` }],
      },
    });
  });

  it("gives a public IP address a placeholder from the documentation range", () => {
    const address = create("azure-native:network:PublicIPAddress", "acme-production-proxy-ip", { resourceGroupName: "acme-production", publicIpAddressName: "acme-production-proxy-ip" });
    expect(address.state.ipAddress).toBe("198.51.100.111");
  });

  it("answers a component with nothing, and refuses a type or look-up it has no answer for, naming where to add it", () => {
    expect(mocks.newResource({ type: "botinfra:azure:Tier", name: "api", inputs: {}, custom: false })).toEqual({ id: undefined, state: {} });
    expect(() => create("azure-native:storage:StorageAccount", "logs")).toThrow(
      "internal: the offline planner has no Azure answer for azure-native:storage:StorageAccount (add it to components/azure/mocks.ts)",
    );
    expect(() => mocks.call({ token: "azure-native:network:getVirtualNetwork", inputs: {} })).toThrow("internal: the offline planner has no Azure answer for the function azure-native:network:getVirtualNetwork");
  });
});
