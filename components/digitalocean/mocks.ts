/**
 * DigitalOcean's answers under the mock runtime: what DigitalOcean would report after creating each
 * resource, so that the program runs offline exactly as it runs against DigitalOcean. Ids have
 * DigitalOcean's shapes (numbers for droplets and keys, UUIDs elsewhere), derived from the resource's
 * name so that a plan is the same on every run. DigitalOcean chooses every address itself, so all of
 * them are placeholders here: public ones from a documentation range (RFC 5737), private ones from the
 * last /24 of the VPC's range, a block botinfra plans nothing in, so none is mistaken for a real one.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { formatCidr, mustParseCidr, size, subnetAt } from "../../model/cidr.js";
import { parseSshPublicKey } from "../../model/ssh.js";
import { PLACEHOLDER_RANGE, placeholderAddresses } from "../placeholders.js";
import { sshFingerprint } from "./ssh-keys.js";

type Inputs = Record<string, unknown>;
type Answer = { id: string; state: Inputs };

/** The block of a VPC's range whose addresses stand in for the private ones DigitalOcean assigns. */
export function privatePlaceholderRange(vpcRange: string): string {
  const range = mustParseCidr(vpcRange);
  return formatCidr(subnetAt(range, 24, size(range) / 256 - 1));
}

function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function uuid(type: string, name: string): string {
  const hex = digest(`${type}/${name}`);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** DigitalOcean's numeric ids (droplets, keys) fit in 31 bits. */
function numericId(type: string, name: string): string {
  return String(Number.parseInt(digest(`${type}/${name}`).slice(0, 7), 16));
}

/** Fresh answers for one plan: placeholder addresses are unique within it. */
export function digitalOceanMocks(): pulumi.runtime.Mocks {
  const nextPublicAddress = placeholderAddresses(PLACEHOLDER_RANGE);
  const vpcRanges = new Map<string, string>();
  const privateAllocators = new Map<string, (key: string) => string>();
  const nextPrivateAddress = (vpcId: unknown, key: string) => {
    const range = vpcRanges.get(String(vpcId));
    if (range === undefined) throw new Error(`internal: ${key} names VPC ${String(vpcId)}, which the plan has not created`);
    let next = privateAllocators.get(range);
    if (!next) privateAllocators.set(range, (next = placeholderAddresses(privatePlaceholderRange(range))));
    return next(key);
  };

  const answer = (args: pulumi.runtime.MockResourceArgs): Answer => {
    const inputs = args.inputs as Inputs;
    const id = uuid(args.type, args.name);
    switch (args.type) {
      case "digitalocean:index/project:Project":
      case "digitalocean:index/projectResources:ProjectResources":
      case "digitalocean:index/vpcNatGateway:VpcNatGateway":
      case "digitalocean:index/firewall:Firewall":
      case "digitalocean:index/volumeAttachment:VolumeAttachment":
      case "digitalocean:index/reservedIpAssignment:ReservedIpAssignment":
        return { id, state: inputs };
      case "digitalocean:index/vpc:Vpc":
        vpcRanges.set(id, String(inputs.ipRange));
        return { id, state: { ...inputs, vpcUrn: `do:vpc:${id}` } };
      case "digitalocean:index/sshKey:SshKey":
        return { id: numericId(args.type, args.name), state: { ...inputs, fingerprint: sshFingerprint(parseSshPublicKey(String(inputs.publicKey)).key!) } };
      case "digitalocean:index/droplet:Droplet": {
        const dropletId = numericId(args.type, args.name);
        const privateIp = nextPrivateAddress(inputs.vpcUuid, args.name);
        const publicIp = inputs.publicNetworking === false ? "" : nextPublicAddress(args.name);
        return { id: dropletId, state: { ...inputs, ipv4AddressPrivate: privateIp, ipv4Address: publicIp, dropletUrn: `do:droplet:${dropletId}` } };
      }
      case "digitalocean:index/volume:Volume":
        return { id, state: { ...inputs, volumeUrn: `do:volume:${id}` } };
      case "digitalocean:index/loadBalancer:LoadBalancer": {
        const ip = inputs.network === "INTERNAL" ? nextPrivateAddress(inputs.vpcUuid, args.name) : nextPublicAddress(args.name);
        return { id, state: { ...inputs, ip, loadBalancerUrn: `do:loadbalancer:${id}` } };
      }
      case "digitalocean:index/reservedIp:ReservedIp": {
        // A reserved IP's id is its address.
        const address = nextPublicAddress(args.name);
        return { id: address, state: { ...inputs, ipAddress: address, reservedIpUrn: `do:reservedip:${address}` } };
      }
    }
    throw new Error(`internal: the offline planner has no DigitalOcean answer for ${args.type} (add it to components/digitalocean/mocks.ts)`);
  };
  return {
    newResource: (args) => (args.custom ? answer(args) : { id: undefined, state: {} }),
    call: (args) => {
      throw new Error(`internal: the offline planner has no DigitalOcean answer for the function ${args.token}`);
    },
  };
}
