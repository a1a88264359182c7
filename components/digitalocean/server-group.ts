/**
 * What a tier and the reverse proxy build alike, each inside its own component: the group's droplets
 * (Debian 12, in the VPC, tagged with the group's account-unique tag), a firewall that targets that
 * tag, and a stateful tier's volumes.
 */
import * as pulumi from "@pulumi/pulumi";
import * as digitalocean from "@pulumi/digitalocean/index.js";
import type { HostOutput } from "../../model/outputs.js";
import type { Environment, Host, Platform, ServerGroup } from "../../model/platform.js";
import { tagNames } from "../../model/tags.js";
import type { DigitalOceanEnvironment } from "./environment.js";
import { inboundRules, natInboundRules, outboundRules } from "./firewall-rules.js";

export interface ServerGroupArgs {
  platform: Platform;
  environment: Environment;
  group: ServerGroup;
  /** The environment's shared resources. */
  shared: DigitalOceanEnvironment;
}

export const DEBIAN_12 = "debian-12-x64";

export interface Server {
  host: Host;
  droplet: digitalocean.Droplet;
  volume?: digitalocean.Volume;
}

/** The group's account-unique tag first (firewalls and load balancers target it), then botinfra's `key:value` tags. */
export function dropletTags(group: ServerGroup, host: Host): string[] {
  return [group.names.tag, ...tagNames(host.tags)];
}

/**
 * A droplet per host of the model, with the admin keys and monitoring; public networking only where
 * asked (the proxies). A stateful server's volume is a resource of its own, attached by id, so that
 * replacing the droplet keeps the data; production's droplets and volumes are protected.
 */
export function droplets(parent: pulumi.ComponentResource, { platform, environment, group, shared }: ServerGroupArgs, publicNetworking: boolean): Server[] {
  const stateful = { parent, protect: environment.protect };
  return group.hosts.map((host): Server => {
    const droplet = new digitalocean.Droplet(
      host.name,
      {
        name: host.name,
        region: platform.region,
        size: host.size,
        image: DEBIAN_12,
        vpcUuid: shared.vpc.id,
        publicNetworking,
        ipv6: false,
        monitoring: true,
        sshKeys: shared.sshKeys,
        tags: dropletTags(group, host),
      },
      stateful,
    );
    if (!host.dataDisk) return { host, droplet };
    const volume = new digitalocean.Volume(
      host.dataDisk.name,
      {
        name: host.dataDisk.name,
        region: platform.region,
        size: host.dataDisk.sizeGb,
        description: `botinfra: data of ${host.name}`,
        tags: tagNames(host.tags),
      },
      stateful,
    );
    new digitalocean.VolumeAttachment(`${host.dataDisk.name}-attachment`, { dropletId: droplet.id.apply(Number), volumeId: volume.id }, { parent });
    return { host, droplet, volume };
  });
}

/** The group's firewall: the model's peers translated, targeting the group's tag; `balancer` answers its probes. */
export function firewall(parent: pulumi.ComponentResource, { platform, environment, group }: ServerGroupArgs, servers: Server[], balancer?: digitalocean.LoadBalancer): digitalocean.Firewall {
  return new digitalocean.Firewall(
    group.names.securityGroup,
    {
      name: group.names.securityGroup,
      tags: [group.names.tag],
      inboundRules: [...inboundRules(environment, group, platform.managementCidrs, balancer?.id), ...natInboundRules(environment, group)],
      outboundRules: outboundRules(),
    },
    // The tag exists on the account once a droplet carries it.
    { parent, dependsOn: servers.map((server) => server.droplet) },
  );
}

/** TCP forwarding of each port to the same port on the group's droplets, with a TCP health check. */
export function loadBalancerArgs({ platform, group, shared }: ServerGroupArgs, name: string, ports: number[], network: "INTERNAL" | "EXTERNAL"): digitalocean.LoadBalancerArgs {
  return {
    name,
    region: platform.region,
    vpcUuid: shared.vpc.id,
    network,
    dropletTag: group.names.tag,
    // TCP passes TLS through untouched: the proxy's nginx keeps its certificates, and WebSockets work.
    forwardingRules: ports.map((port) => ({ entryPort: port, entryProtocol: "tcp", targetPort: port, targetProtocol: "tcp" })),
    healthcheck: { protocol: "tcp", port: ports[ports.length - 1]!, checkIntervalSeconds: 10, responseTimeoutSeconds: 5, healthyThreshold: 3, unhealthyThreshold: 3 },
  };
}

/** Each server as the stack outputs list it, with the addresses DigitalOcean assigned. */
export function hostOutputs(group: ServerGroup, servers: Server[], publicNetworking: boolean): pulumi.Output<HostOutput[]> {
  return pulumi.all(
    servers.map(({ host, droplet }) =>
      pulumi.all([droplet.ipv4AddressPrivate, droplet.ipv4Address]).apply(([privateIp, publicIp]): HostOutput => ({
        name: host.name,
        group: group.name,
        privateIp,
        ...(publicNetworking && publicIp ? { publicIp } : {}),
      })),
    ),
  );
}

/** The URNs of what the group made that a project holds: droplets, volumes, load balancers, reserved IPs. */
export function serverUrns(servers: Server[]): pulumi.Output<string>[] {
  return servers.flatMap((server) => [server.droplet.dropletUrn, ...(server.volume ? [server.volume.volumeUrn] : [])]);
}
