/**
 * What a tier and the reverse proxy build alike, each inside its own component: the subnet with its
 * security group, a load balancer, and the servers (availability set, NICs, VMs).
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute/index.js";
import * as network from "@pulumi/azure-native/network/index.js";
import type { HostOutput, SubnetOutput } from "../../model/outputs.js";
import type { Environment, Host, LoadBalancer, Platform, ServerGroup } from "../../model/platform.js";
import { formatSshPublicKey } from "../../model/ssh.js";
import type { AzureEnvironment } from "./environment.js";
import { securityRules } from "./security-rules.js";

/** What every group component is built from: the model's group and the environment it lives in. */
export interface ServerGroupArgs {
  platform: Platform;
  environment: Environment;
  group: ServerGroup;
  /** The environment's shared resources. */
  shared: AzureEnvironment;
  /**
   * The subnet created before this group's. Azure refuses concurrent changes to one virtual network
   * (AnotherOperationInProgress), so subnets are created one after the other.
   */
  previousSubnet?: network.Subnet;
}

export const DEBIAN_12 = { publisher: "Debian", offer: "debian-12", sku: "12-gen2", version: "latest" } as const;
const FRONTEND = "frontend";
const BACKEND_POOL = "servers";
/** Azure's most update domains for an availability set is 20; 5 is its default. */
const UPDATE_DOMAINS = 5;
/** Every region offers at least two fault domains (some three); Azure picks which server goes where. */
const FAULT_DOMAINS = 2;
/** The data disk's slot on a stateful server; the Ansible role finds it by this LUN. */
export const DATA_DISK_LUN = 0;

export interface Server {
  host: Host;
  nic: network.NetworkInterface;
  vm: compute.VirtualMachine;
  publicIp?: network.PublicIPAddress;
}

/** The group's security group (from the model's ingress rules) and its subnet, associated. */
export function groupSubnet(
  parent: pulumi.ComponentResource,
  { platform, environment, group, shared, previousSubnet }: ServerGroupArgs,
  natGateway?: network.NatGateway,
): network.Subnet {
  const resourceGroupName = shared.resourceGroup.name;
  const securityGroup = new network.NetworkSecurityGroup(
    group.names.securityGroup,
    {
      resourceGroupName,
      location: shared.location,
      networkSecurityGroupName: group.names.securityGroup,
      securityRules: securityRules(environment, group, platform.managementCidrs),
      tags: group.tags,
    },
    { parent },
  );
  return new network.Subnet(
    group.names.subnet,
    {
      resourceGroupName,
      virtualNetworkName: shared.network.name,
      subnetName: group.names.subnet,
      addressPrefix: modelSubnet(group).cidr,
      networkSecurityGroup: { id: securityGroup.id },
      natGateway: natGateway ? { id: natGateway.id } : undefined,
      // Outbound traffic leaves through the NAT gateway or a server's own public address, never Azure's implicit one.
      defaultOutboundAccess: false,
    },
    { parent, dependsOn: previousSubnet ? [previousSubnet] : [] },
  );
}

function modelSubnet(group: ServerGroup) {
  if (!group.subnet) throw new Error(`internal: the model gives ${group.name} no subnet on Azure`);
  return group.subnet;
}

function modelAddress(host: Host): string {
  if (host.privateIp === undefined) throw new Error(`internal: the model gives ${host.name} no private address on Azure`);
  return host.privateIp;
}

export type Frontend = { subnet: network.Subnet; privateIp: string } | { publicIp: network.PublicIPAddress };

/** A Standard load balancer with one frontend, one pool, and a TCP probe and rule per port of the model. */
export function loadBalancer(
  parent: pulumi.ComponentResource,
  { group, shared }: ServerGroupArgs,
  model: LoadBalancer,
  frontend: Frontend,
): network.LoadBalancer {
  // The balancer's parts refer to each other by id; the ids are fixed by its name, known before it exists.
  const id = pulumi.interpolate`${shared.resourceGroup.id}/providers/Microsoft.Network/loadBalancers/${model.name}`;
  const part = (kind: string, name: string) => ({ id: pulumi.interpolate`${id}/${kind}/${name}` });
  return new network.LoadBalancer(
    model.name,
    {
      resourceGroupName: shared.resourceGroup.name,
      location: shared.location,
      loadBalancerName: model.name,
      sku: { name: "Standard", tier: "Regional" },
      frontendIPConfigurations: [
        "publicIp" in frontend
          ? { name: FRONTEND, publicIPAddress: { id: frontend.publicIp.id } }
          : {
              name: FRONTEND,
              privateIPAllocationMethod: "Static",
              privateIPAddress: frontend.privateIp,
              privateIPAddressVersion: "IPv4",
              subnet: { id: frontend.subnet.id },
            },
      ],
      backendAddressPools: [{ name: BACKEND_POOL }],
      probes: model.ports.map((port) => ({ name: `tcp-${port}`, protocol: "Tcp", port, intervalInSeconds: 5, numberOfProbes: 2 })),
      loadBalancingRules: model.ports.map((port) => ({
        name: `tcp-${port}`,
        protocol: "Tcp",
        frontendPort: port,
        backendPort: port,
        frontendIPConfiguration: part("frontendIPConfigurations", FRONTEND),
        backendAddressPool: part("backendAddressPools", BACKEND_POOL),
        probe: part("probes", `tcp-${port}`),
        idleTimeoutInMinutes: 4,
        enableTcpReset: true,
        // The servers behind a public balancer (the proxies) go out through their own addresses.
        ...(model.public ? { disableOutboundSnat: true } : {}),
      })),
      tags: group.tags,
    },
    { parent },
  );
}

/** The pool's id as Azure reports it, so that NICs depend on the balancer that holds the pool. */
function backendPoolId(balancer: network.LoadBalancer): pulumi.Output<string> {
  return balancer.backendAddressPools.apply((pools) => {
    const pool = pools?.find((candidate) => candidate.name === BACKEND_POOL);
    if (!pool?.id) throw new Error(`internal: Azure reported a load balancer without the id of its ${BACKEND_POOL} pool`);
    return pool.id;
  });
}

/** The VM input that carries the admin's keys at creation; ignored afterwards. */
export const SSH_KEYS_AT_CREATION = "osProfile.linuxConfiguration.ssh";

/**
 * The group's availability set and, per host of the model, a NIC with the model's static address and
 * a Debian 12 VM that takes SSH keys only. `publicIps[i]`, when given, is the i-th host's own address.
 */
export function servers(
  parent: pulumi.ComponentResource,
  { platform, environment, group, shared }: ServerGroupArgs,
  subnet: network.Subnet,
  options: { balancer?: network.LoadBalancer; publicIps?: network.PublicIPAddress[] } = {},
): Server[] {
  const resourceGroupName = shared.resourceGroup.name;
  const location = shared.location;
  const availabilitySet = new compute.AvailabilitySet(
    group.names.haGroup,
    {
      resourceGroupName,
      location,
      availabilitySetName: group.names.haGroup,
      // Aligned: required for VMs with managed disks.
      sku: { name: "Aligned" },
      platformFaultDomainCount: FAULT_DOMAINS,
      platformUpdateDomainCount: UPDATE_DOMAINS,
      tags: group.tags,
    },
    { parent },
  );
  const pool = options.balancer ? [{ id: backendPoolId(options.balancer) }] : undefined;
  const { username, sshPublicKeys } = platform.admin;

  return group.hosts.map((host, index): Server => {
    const publicIp = options.publicIps?.[index];
    const nic = new network.NetworkInterface(
      `${host.name}-nic`,
      {
        resourceGroupName,
        location,
        networkInterfaceName: `${host.name}-nic`,
        ipConfigurations: [
          {
            name: "primary",
            primary: true,
            privateIPAllocationMethod: "Static",
            privateIPAddress: modelAddress(host),
            privateIPAddressVersion: "IPv4",
            subnet: { id: subnet.id },
            publicIPAddress: publicIp ? { id: publicIp.id } : undefined,
            loadBalancerBackendAddressPools: pool,
          },
        ],
        tags: host.tags,
      },
      { parent },
    );
    // A resource of its own, attached by id: replacing the server detaches the disk and keeps its data.
    const dataDisk = host.dataDisk
      ? new compute.Disk(
          host.dataDisk.name,
          {
            resourceGroupName,
            location,
            diskName: host.dataDisk.name,
            diskSizeGB: host.dataDisk.sizeGb,
            sku: { name: "StandardSSD_LRS" },
            creationData: { createOption: "Empty" },
            tags: host.tags,
          },
          { parent, protect: environment.protect },
        )
      : undefined;
    const vm = new compute.VirtualMachine(
      host.name,
      {
        resourceGroupName,
        location,
        vmName: host.name,
        availabilitySet: { id: availabilitySet.id },
        hardwareProfile: { vmSize: host.size },
        osProfile: {
          computerName: host.name,
          adminUsername: username,
          linuxConfiguration: {
            disablePasswordAuthentication: true,
            provisionVMAgent: true,
            ssh: { publicKeys: sshPublicKeys.map((key) => ({ path: `/home/${username}/.ssh/authorized_keys`, keyData: formatSshPublicKey(key) })) },
          },
        },
        storageProfile: {
          imageReference: DEBIAN_12,
          // The OS disk is the VM's own (not a resource of its own here), so it goes with the VM.
          osDisk: { name: `${host.name}-osdisk`, createOption: "FromImage", caching: "ReadWrite", managedDisk: { storageAccountType: "StandardSSD_LRS" }, deleteOption: "Delete" },
          dataDisks: dataDisk ? [{ lun: DATA_DISK_LUN, name: dataDisk.name, createOption: "Attach", managedDisk: { id: dataDisk.id }, deleteOption: "Detach" }] : undefined,
        },
        networkProfile: { networkInterfaces: [{ id: nic.id, primary: true }] },
        // Managed disks are always encrypted at rest; encryption at host also covers the cache and temp disk.
        // The subscription must have the EncryptionAtHost feature registered once (see README).
        securityProfile: { encryptionAtHost: true },
        tags: host.tags,
      },
      // A server holds data (a database tier's, at least): production's are protected like its addresses.
      // The SSH keys are creation-time data only: `configure` manages authorized_keys from then on, so a
      // key rotation is neither a replacement nor an update Azure refuses.
      { parent, protect: environment.protect, ignoreChanges: [SSH_KEYS_AT_CREATION] },
    );
    return { host, nic, vm, ...(publicIp ? { publicIp } : {}) };
  });
}

/** Each server as the stack outputs list it, with the addresses Azure reports. */
export function hostOutputs(group: ServerGroup, list: Server[]): pulumi.Output<HostOutput[]> {
  return pulumi.all(
    list.map(({ host, nic, publicIp }) =>
      pulumi.all([nic.ipConfigurations, publicIp?.ipAddress]).apply(([configurations, address]): HostOutput => {
        const privateIp = configurations?.[0]?.privateIPAddress;
        if (privateIp === undefined) throw new Error(`internal: Azure reported NIC ${host.name}-nic without a private address`);
        return { name: host.name, group: group.name, privateIp, ...(address === undefined ? {} : { publicIp: address }) };
      }),
    ),
  );
}

/** The subnet's range as Azure reports it. */
export function subnetOutput(group: ServerGroup, subnet: network.Subnet): pulumi.Output<SubnetOutput> {
  return subnet.addressPrefix.apply((cidr) => {
    if (cidr === undefined) throw new Error(`internal: Azure reported subnet ${group.names.subnet} without its range`);
    return { group: group.name, cidr };
  });
}

/** The private frontend address of an internal balancer, as Azure reports it. */
export function frontendPrivateIp(balancer: network.LoadBalancer, name: string): pulumi.Output<string> {
  return balancer.frontendIPConfigurations.apply((frontends) => {
    const address = frontends?.[0]?.privateIPAddress;
    if (address === undefined) throw new Error(`internal: Azure reported load balancer ${name} without a private frontend address`);
    return address;
  });
}
