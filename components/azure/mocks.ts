/**
 * Azure's answers under the mock runtime: what Azure would report after creating each resource, so that
 * the program runs offline exactly as it runs against Azure. Ids have Azure's shape; private addresses
 * are the ones the program asked for (the model's static addresses). Public addresses are the only
 * thing Azure invents: here they are placeholders from a documentation range (RFC 5737), never real.
 */
import type * as pulumi from "@pulumi/pulumi";
import { PLACEHOLDER_RANGE, placeholderAddresses } from "../placeholders.js";

export const SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000";

type Inputs = Record<string, unknown>;
type Answer = { id: string; state: Inputs };

/** Resources that live directly in a resource group: ARM type path and the input that names them. */
const GROUP_RESOURCES: Record<string, { path: string; nameInput: string }> = {
  "azure-native:network:VirtualNetwork": { path: "Microsoft.Network/virtualNetworks", nameInput: "virtualNetworkName" },
  "azure-native:network:NetworkSecurityGroup": { path: "Microsoft.Network/networkSecurityGroups", nameInput: "networkSecurityGroupName" },
  "azure-native:network:PublicIPAddress": { path: "Microsoft.Network/publicIPAddresses", nameInput: "publicIpAddressName" },
  "azure-native:network:NatGateway": { path: "Microsoft.Network/natGateways", nameInput: "natGatewayName" },
  "azure-native:network:NetworkInterface": { path: "Microsoft.Network/networkInterfaces", nameInput: "networkInterfaceName" },
  "azure-native:network:LoadBalancer": { path: "Microsoft.Network/loadBalancers", nameInput: "loadBalancerName" },
  "azure-native:compute:AvailabilitySet": { path: "Microsoft.Compute/availabilitySets", nameInput: "availabilitySetName" },
  "azure-native:compute:VirtualMachine": { path: "Microsoft.Compute/virtualMachines", nameInput: "vmName" },
  "azure-native:compute:Disk": { path: "Microsoft.Compute/disks", nameInput: "diskName" },
  "azure-native:privatedns:PrivateZone": { path: "Microsoft.Network/privateDnsZones", nameInput: "privateZoneName" },
};

const groupId = (resourceGroup: unknown) => `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${String(resourceGroup)}`;

/** Gives each named child (`{name}` in a list) the id Azure gives it: `<parent id>/<kind>/<name>`. */
function withChildIds(parentId: string, kind: string, children: unknown): Inputs[] {
  return ((children as Inputs[] | undefined) ?? []).map((child) => ({ ...child, id: `${parentId}/${kind}/${String(child.name)}` }));
}

/** Fresh answers for one plan: placeholder public addresses are unique within it. */
export function azureMocks(): pulumi.runtime.Mocks {
  const nextPublicAddress = placeholderAddresses(PLACEHOLDER_RANGE);
  const answer = (args: pulumi.runtime.MockResourceArgs): Answer => {
    const inputs = args.inputs as Inputs;
    const named = (nameInput: string) => String(inputs[nameInput] ?? args.name);
    switch (args.type) {
      case "azure-native:resources:ResourceGroup": {
        const name = named("resourceGroupName");
        return { id: groupId(name), state: { ...inputs, name } };
      }
      case "azure-native:network:Subnet": {
        const name = named("subnetName");
        const id = `${groupId(inputs.resourceGroupName)}/providers/Microsoft.Network/virtualNetworks/${String(inputs.virtualNetworkName)}/subnets/${name}`;
        return { id, state: { ...inputs, name } };
      }
      case "azure-native:privatedns:VirtualNetworkLink": {
        const name = named("virtualNetworkLinkName");
        const id = `${groupId(inputs.resourceGroupName)}/providers/Microsoft.Network/privateDnsZones/${String(inputs.privateZoneName)}/virtualNetworkLinks/${name}`;
        return { id, state: { ...inputs, name } };
      }
      case "azure-native:privatedns:PrivateRecordSet": {
        const name = named("relativeRecordSetName");
        const zone = String(inputs.privateZoneName);
        const id = `${groupId(inputs.resourceGroupName)}/providers/Microsoft.Network/privateDnsZones/${zone}/${String(inputs.recordType)}/${name}`;
        return { id, state: { ...inputs, name, fqdn: `${name}.${zone}.` } };
      }
    }
    const kind = GROUP_RESOURCES[args.type];
    if (!kind) throw new Error(`internal: the offline planner has no Azure answer for ${args.type} (add it to components/azure/mocks.ts)`);
    const name = named(kind.nameInput);
    const id = `${groupId(inputs.resourceGroupName)}/providers/${kind.path}/${name}`;
    const state: Inputs = { ...inputs, name };
    switch (args.type) {
      case "azure-native:network:PublicIPAddress":
        state.ipAddress = nextPublicAddress(id);
        break;
      case "azure-native:network:NetworkInterface":
        state.ipConfigurations = withChildIds(id, "ipConfigurations", inputs.ipConfigurations);
        break;
      case "azure-native:network:LoadBalancer":
        state.frontendIPConfigurations = withChildIds(id, "frontendIPConfigurations", inputs.frontendIPConfigurations);
        state.backendAddressPools = withChildIds(id, "backendAddressPools", inputs.backendAddressPools);
        state.probes = withChildIds(id, "probes", inputs.probes);
        state.loadBalancingRules = withChildIds(id, "loadBalancingRules", inputs.loadBalancingRules);
        break;
    }
    return { id, state };
  };
  return {
    newResource: (args) => (args.custom ? answer(args) : { id: undefined, state: {} }),
    call: (args) => {
      throw new Error(`internal: the offline planner has no Azure answer for the function ${args.token}`);
    },
  };
}
