/**
 * What a tier and the reverse proxy build alike, each inside its own component: the ingress rules of
 * the group's security groups, a placement group, the servers (with their data volumes on stateful
 * tiers), a network load balancer, and the group's names in the private zone.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ebs from "@pulumi/aws/ebs/index.js";
import * as ec2 from "@pulumi/aws/ec2/index.js";
import * as lb from "@pulumi/aws/lb/index.js";
import * as route53 from "@pulumi/aws/route53/index.js";
import * as vpc from "@pulumi/aws/vpc/index.js";
import { stringify } from "yaml";
import { CLOUD_PROFILES } from "../../model/clouds.js";
import { targetGroupNames } from "../../model/names.js";
import type { HostOutput, SubnetOutput } from "../../model/outputs.js";
import type { Environment, Host, LoadBalancer, Platform, ServerGroup } from "../../model/platform.js";
import { formatSshPublicKey } from "../../model/ssh.js";
import type { AwsEnvironment } from "./environment.js";
import { named } from "./environment.js";
import { architectureOf } from "./pinned.js";
import { placementOf } from "./placement.js";
import { loadBalancerRules, securityGroupRules, type AwsIngressRule } from "./security-rules.js";

export interface AwsGroupArgs {
  platform: Platform;
  environment: Environment;
  group: ServerGroup;
  shared: AwsEnvironment;
}

const ROOT_VOLUME_GB = 20;
const DNS_TTL_SECONDS = 300;
/** As the AWS profile tells the Ansible role where to find the data volume. */
export const DATA_VOLUME_DEVICE = CLOUD_PROFILES.aws.dataDiskDevice;

export interface Server {
  host: Host;
  instance: ec2.Instance;
  publicIp?: ec2.Eip;
}

export function modelSubnet(group: ServerGroup) {
  if (!group.subnet) throw new Error(`internal: the model gives ${group.name} no subnet on AWS`);
  return group.subnet;
}

function modelAddress(host: Host): string {
  if (host.privateIp === undefined || host.zone === undefined) throw new Error(`internal: the model gives ${host.name} no zone or private address on AWS`);
  return host.privateIp;
}

/** The group's inbound rules, on its servers' security group and on its load balancer's. */
export function ingressRules(parent: pulumi.ComponentResource, { platform, group, shared }: AwsGroupArgs) {
  const securityGroupId = (name: string, groups: Map<string, ec2.SecurityGroup>) => {
    const found = groups.get(name);
    if (!found) throw new Error(`internal: the environment has no security group for ${name}`);
    return found.id;
  };
  const create = (rules: AwsIngressRule[], target: pulumi.Input<string>) => {
    for (const rule of rules) {
      const { source } = rule;
      new vpc.SecurityGroupIngressRule(
        rule.name,
        {
          securityGroupId: target,
          ipProtocol: "tcp",
          fromPort: rule.port,
          toPort: rule.port,
          description: rule.description,
          ...("cidrIpv4" in source
            ? { cidrIpv4: source.cidrIpv4 }
            : { referencedSecurityGroupId: "securityGroupOf" in source ? securityGroupId(source.securityGroupOf, shared.securityGroups) : securityGroupId(source.loadBalancerOf, shared.loadBalancerSecurityGroups) }),
          tags: group.tags,
        },
        { parent },
      );
    }
  };
  create(securityGroupRules(group, platform.managementCidrs), securityGroupId(group.name, shared.securityGroups));
  if (group.loadBalancer) create(loadBalancerRules(group, platform.managementCidrs), securityGroupId(group.name, shared.loadBalancerSecurityGroups));
}

/** cloud-init's first-boot config: the admin user with every key (an EC2 key pair holds only one, and cloud-init wants each as its one-line text), no passwords. */
export function userData(platform: Platform, host: Host): string {
  const { username, sshPublicKeys } = platform.admin;
  // Written by a YAML serializer: a key is a string value, never a line of its own.
  const config = {
    hostname: host.name,
    disable_root: true,
    ssh_pwauth: false,
    users: [{ name: username, groups: ["sudo"], shell: "/bin/bash", sudo: "ALL=(ALL) NOPASSWD:ALL", lock_passwd: true, ssh_authorized_keys: sshPublicKeys.map(formatSshPublicKey) }],
  };
  return `#cloud-config\n${stringify(config, { lineWidth: 0 })}`;
}

/** The placement group and, per host of the model, a Debian 12 instance at its address; a stateful host's data volume beside it. */
export function servers(parent: pulumi.ComponentResource, { platform, environment, group, shared }: AwsGroupArgs, subnets: ec2.Subnet[], securityGroups: pulumi.Input<string>[]): Server[] {
  const placement = placementOf(group);
  const placementGroup = new ec2.PlacementGroup(group.names.haGroup, { name: group.names.haGroup, ...placement, tags: named(group.tags, group.names.haGroup) }, { parent });
  const imageFor = (size: string) => {
    const image = shared.images[architectureOf(size)];
    if (image === undefined) throw new Error(`internal: no ${architectureOf(size)} image is pinned for ${size}`);
    return image;
  };
  const protect = environment.protect;

  return group.hosts.map((host): Server => {
    const privateIp = modelAddress(host);
    const zone = host.zone!;
    const instance = new ec2.Instance(
      host.name,
      {
        ami: imageFor(host.size),
        instanceType: host.size,
        subnetId: subnets[zone]!.id,
        privateIp,
        availabilityZone: shared.zones[zone]!,
        vpcSecurityGroupIds: securityGroups,
        placementGroup: placementGroup.name,
        associatePublicIpAddress: false,
        userData: userData(platform, host),
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
        rootBlockDevice: { volumeType: "gp3", encrypted: true, volumeSize: ROOT_VOLUME_GB, deleteOnTermination: true, tags: named(host.tags, `${host.name}-root`) },
        disableApiTermination: protect,
        // One-minute metrics: an operator sees a load spike as it happens (AwsGuard asks for it too).
        monitoring: true,
        tags: named(host.tags, host.name),
      },
      { parent, protect },
    );
    if (host.dataDisk) {
      // A resource of its own, attached by id: replacing the server detaches the volume and keeps its data.
      const volume = new ebs.Volume(
        host.dataDisk.name,
        { availabilityZone: shared.zones[zone]!, size: host.dataDisk.sizeGb, type: "gp3", encrypted: true, tags: named(host.tags, host.dataDisk.name) },
        { parent, protect },
      );
      new ec2.VolumeAttachment(host.dataDisk.name, { deviceName: DATA_VOLUME_DEVICE, volumeId: volume.id, instanceId: instance.id }, { parent });
    }
    return { host, instance };
  });
}

/**
 * A network load balancer with one mapping per zone (`mappings` gives each its address: the model's
 * private one, or an elastic IP), a TCP target group, listener and attachments per port. Instance
 * targets keep the callers' addresses; the balancer's own security group admits them.
 */
export function networkLoadBalancer(
  parent: pulumi.ComponentResource,
  { environment, group, shared }: AwsGroupArgs,
  model: LoadBalancer,
  mappings: lb.LoadBalancerArgs["subnetMappings"],
  list: Server[],
): lb.LoadBalancer {
  const balancer = new lb.LoadBalancer(
    model.name,
    {
      name: model.name,
      loadBalancerType: "network",
      internal: !model.public,
      subnetMappings: mappings,
      enableCrossZoneLoadBalancing: true,
      // A network load balancer created without security groups can never have one.
      securityGroups: [shared.loadBalancerSecurityGroups.get(group.name)!.id],
      enableDeletionProtection: environment.protect,
      tags: named(group.tags, model.name),
    },
    { parent, protect: environment.protect },
  );
  for (const { port, name } of targetGroupNames(model)) {
    const targetGroup = new lb.TargetGroup(
      name,
      {
        name,
        port,
        protocol: "TCP",
        targetType: "instance",
        vpcId: shared.vpc.id,
        healthCheck: { protocol: "TCP", port: "traffic-port", interval: 10, healthyThreshold: 3, unhealthyThreshold: 3 },
        tags: named(group.tags, name),
      },
      { parent },
    );
    new lb.Listener(`${model.name}-${port}`, { loadBalancerArn: balancer.arn, port, protocol: "TCP", defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }], tags: group.tags }, { parent });
    for (const { host, instance } of list) {
      new lb.TargetGroupAttachment(`${name}-${host.name}`, { targetGroupArn: targetGroup.arn, targetId: instance.id, port }, { parent });
    }
  }
  return balancer;
}

/** The group's names in the private zone: an A record per server, and the group's own (an alias of its internal balancer, or every server of a stateful tier). */
export function dnsRecords(parent: pulumi.ComponentResource, { group, shared }: AwsGroupArgs, list: Server[], balancer?: lb.LoadBalancer) {
  const record = (name: string, args: Omit<route53.RecordArgs, "zoneId" | "name">) => new route53.Record(name, { zoneId: shared.dnsZone.zoneId, name, ...args }, { parent });
  for (const { host, instance } of list) record(host.dnsName, { type: "A", ttl: DNS_TTL_SECONDS, records: [instance.privateIp] });
  if (group.stateful) record(group.dnsName, { type: "A", ttl: DNS_TTL_SECONDS, records: list.map(({ instance }) => instance.privateIp) });
  else if (balancer && !group.loadBalancer?.public) {
    record(group.dnsName, { type: "A", aliases: [{ name: balancer.dnsName, zoneId: balancer.zoneId, evaluateTargetHealth: true }] });
  }
}

/** Each server as the stack outputs list it, with the addresses AWS reports. */
export function hostOutputs(group: ServerGroup, list: Server[]): pulumi.Output<HostOutput[]> {
  return pulumi.all(
    list.map(({ host, instance, publicIp }) =>
      pulumi.all([instance.privateIp, publicIp?.publicIp]).apply(([privateIp, address]): HostOutput => ({
        name: host.name,
        group: group.name,
        zone: host.zone!,
        privateIp,
        ...(address === undefined ? {} : { publicIp: address }),
      })),
    ),
  );
}

/** The group's /24 as AWS reports it: its zone subnets must be exactly the model's halves. */
export function subnetOutput(group: ServerGroup, subnets: ec2.Subnet[]): pulumi.Output<SubnetOutput> {
  const planned = modelSubnet(group);
  return pulumi.all(subnets.map((subnet) => subnet.cidrBlock)).apply((blocks) => {
    const expected = planned.halves.map((half) => half.cidr);
    if (blocks.join() !== expected.join()) throw new Error(`internal: AWS reported ${group.name}'s subnets as ${blocks.join(", ")}, not ${expected.join(", ")}`);
    return { group: group.name, cidr: planned.cidr };
  });
}
