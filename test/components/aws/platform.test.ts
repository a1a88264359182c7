/**
 * The whole stack of every environment of every AWS sample tenant, planned as `botinfra plan` plans it:
 * what the model promises must be what the resources say. References between resources are checked
 * through the dependencies the engine would record (an input that holds another resource's id).
 */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { aws } from "../../../components/aws/index.js";
import { OFFLINE_IMAGES } from "../../../components/aws/mocks.js";
import { loadBalancerRules, loadBalancerSecurityGroupName, securityGroupRules } from "../../../components/aws/security-rules.js";
import { CLOUD_PROFILES } from "../../../model/clouds.js";
import { formatSshPublicKey } from "../../../model/ssh.js";
import { targetGroupNames } from "../../../model/names.js";
import { TAG_KEYS, type Environment, type Platform, type ServerGroup } from "../../../model/platform.js";
import { inputsOf, plannedOnce, samplePlatforms } from "../../support/plan.js";
import type { PlannedResource } from "../../../engine/graph.js";

interface InstanceInputs {
  ami: string;
  instanceType: string;
  privateIp: string;
  associatePublicIpAddress: boolean;
  userData: string;
  metadataOptions: { httpTokens: string; httpPutResponseHopLimit: number; httpEndpoint: string };
  rootBlockDevice: { volumeType: string; encrypted: boolean };
  tags: Record<string, string>;
}
interface RuleInputs {
  fromPort: number;
  toPort: number;
  ipProtocol: string;
  cidrIpv4?: string;
  referencedSecurityGroupId?: string;
}
interface LbInputs {
  internal: boolean;
  loadBalancerType: string;
  enableCrossZoneLoadBalancing: boolean;
  securityGroups: string[];
  subnetMappings: { subnetId: string; privateIpv4Address?: string; allocationId?: string }[];
}

/** Types AWS cannot tag, or that botinfra tags through their parent. */
const UNTAGGED = new Set([
  "aws:ec2/route:Route",
  "aws:ec2/routeTableAssociation:RouteTableAssociation",
  "aws:ec2/subnetCidrReservation:SubnetCidrReservation",
  "aws:ec2/volumeAttachment:VolumeAttachment",
  "aws:iam/rolePolicy:RolePolicy",
  "aws:route53/record:Record",
  "aws:lb/targetGroupAttachment:TargetGroupAttachment",
]);

const platforms = samplePlatforms().filter((platform) => platform.cloud === "aws");

describe("the AWS sample tenants", () => {
  it("exist, with a stateful tier and a non-production environment", () => {
    expect(platforms.map((platform) => platform.tenant)).toContain("initech");
    expect(platforms.some((platform) => platform.environments.some((environment) => environment.tiers.some((tier) => tier.stateful)))).toBe(true);
  });
});

describe.each(platforms.map((platform) => [platform.tenant, platform] as const))("the AWS stacks of %s", (_tenant, platform: Platform) => {
  const planned = plannedOnce(platform);

  describe.each(platform.environments.map((environment) => [environment.name, environment] as const))("%s", (_name, environment: Environment) => {
    const groups = [environment.proxy, ...environment.tiers];
    const get = () => planned.get(environment.name)!.resources;
    const ofType = (type: string) => get().all.filter((resource) => resource.type === type);
    const named = (type: string, name: string) => get().named(type, name);
    const dependsOn = (resource: PlannedResource, other: PlannedResource) => resource.dependencies.includes(other.urn);
    const zones = JSON.parse(aws.offlineConfig(platform, environment)["botinfra:zones"]!) as string[];
    const subnetsOf = (group: ServerGroup) => group.subnet!.halves.map((half) => named("aws:ec2/subnet:Subnet", `${group.names.subnet}-${half.index}`));

    it("has a VPC that answers private DNS, a resource group by tag query, flow logs of rejected traffic with a retention", () => {
      const vpc = inputsOf<{ cidrBlock: string; enableDnsSupport: boolean; enableDnsHostnames: boolean }>(named("aws:ec2/vpc:Vpc", environment.names.network));
      expect(vpc).toMatchObject({ cidrBlock: environment.cidr, enableDnsSupport: true, enableDnsHostnames: true });
      const group = inputsOf<{ resourceQuery: { query: string } }>(named("aws:resourcegroups/group:Group", environment.names.group));
      expect(JSON.parse(group.resourceQuery.query).TagFilters).toEqual([
        { Key: TAG_KEYS.tenant, Values: [platform.tenant] },
        { Key: TAG_KEYS.environment, Values: [environment.name] },
      ]);
      const [flowLog] = ofType("aws:ec2/flowLog:FlowLog");
      const [logGroup] = ofType("aws:cloudwatch/logGroup:LogGroup");
      const [role] = ofType("aws:iam/role:Role");
      expect(inputsOf<{ trafficType: string }>(flowLog!).trafficType).toBe("REJECT");
      expect(inputsOf<{ retentionInDays: number }>(logGroup!).retentionInDays).toBeGreaterThan(0);
      expect(dependsOn(flowLog!, logGroup!) && dependsOn(flowLog!, role!)).toBe(true);
      const zone = inputsOf<{ name: string; vpcs: unknown[] }>(named("aws:route53/zone:Zone", environment.dnsZone));
      expect(zone.vpcs).toHaveLength(1);
    });

    it("puts each group's halves in the pinned zones, no subnet maps public addresses, only the edge routes to the internet gateway", () => {
      const [publicTable] = ofType("aws:ec2/routeTable:RouteTable").filter((table) => table.name.endsWith("-public"));
      for (const group of groups) {
        subnetsOf(group).forEach((subnet, zone) => {
          expect(inputsOf(subnet)).toMatchObject({ cidrBlock: group.subnet!.halves[zone]!.cidr, availabilityZone: zones[zone], mapPublicIpOnLaunch: false });
          const association = named("aws:ec2/routeTableAssociation:RouteTableAssociation", subnet.name);
          const table = group.kind === "proxy" ? publicTable! : named("aws:ec2/routeTable:RouteTable", `${environment.names.network}-private-${zone}`);
          expect(dependsOn(association, table) && dependsOn(association, subnet)).toBe(true);
        });
      }
    });

    it("has NAT gateways per zone in production and one elsewhere, at the edge's planned addresses, and AWS's own picks kept out of the planned block", () => {
      const gateways = ofType("aws:ec2/natGateway:NatGateway");
      expect(gateways).toHaveLength(environment.natGateways === "perZone" ? 2 : 1);
      expect(environment.natGateways).toBe(environment.production ? "perZone" : "single");
      const halves = environment.proxy.subnet!.halves;
      gateways.forEach((gateway, zone) => expect(inputsOf<{ privateIp: string }>(gateway).privateIp).toBe(halves[zone]!.natGatewayIp));
      const reservations = ofType("aws:ec2/subnetCidrReservation:SubnetCidrReservation").map((resource) => inputsOf<{ cidrBlock: string; reservationType: string }>(resource));
      expect(reservations).toEqual(halves.map((half) => expect.objectContaining({ cidrBlock: half.plannedCidr, reservationType: "explicit" })));
      for (let zone = 0; zone < 2; zone += 1) {
        const route = named("aws:ec2/route:Route", `${environment.names.network}-private-${zone}-default`);
        expect(dependsOn(route, gateways[Math.min(zone, gateways.length - 1)]!)).toBe(true);
      }
    });

    it("builds every server at the model's address and zone: IMDSv2 only, encrypted gp3, no public address, every admin key, pinned image", () => {
      for (const group of groups) {
        const subnets = subnetsOf(group);
        const placement = named("aws:ec2/placementGroup:PlacementGroup", group.names.haGroup);
        expect(inputsOf<{ strategy: string }>(placement).strategy).toBe("spread");
        for (const host of group.hosts) {
          const instance = named("aws:ec2/instance:Instance", host.name);
          const inputs = inputsOf<InstanceInputs>(instance);
          expect(inputs).toMatchObject({ instanceType: host.size, privateIp: host.privateIp, associatePublicIpAddress: false });
          expect(inputs.metadataOptions).toMatchObject({ httpTokens: "required", httpPutResponseHopLimit: 1 });
          expect(inputs.rootBlockDevice).toMatchObject({ volumeType: "gp3", encrypted: true });
          expect(Object.values(OFFLINE_IMAGES)).toContain(inputs.ami);
          expect(inputs.userData.startsWith("#cloud-config\n")).toBe(true);
          expect(parse(inputs.userData)).toMatchObject({ ssh_pwauth: false, users: [{ name: platform.admin.username, ssh_authorized_keys: platform.admin.sshPublicKeys.map(formatSshPublicKey) }] });
          expect(dependsOn(instance, subnets[host.zone!]!) && dependsOn(instance, placement)).toBe(true);
          expect(instance.protect).toBe(environment.protect);
        }
      }
    });

    it("gives each proxy server an elastic IP, and nothing else but the NAT gateways and the proxy's balancer one", () => {
      const eips = ofType("aws:ec2/eip:Eip");
      const expected = [
        ...ofType("aws:ec2/natGateway:NatGateway").map((gateway) => `${gateway.name}-eip`),
        ...environment.proxy.hosts.map((host) => `${host.name}-eip`),
        ...(environment.proxy.loadBalancer ? [0, 1].map((zone) => `${environment.proxy.loadBalancer!.name}-eip-${zone}`) : []),
      ];
      expect(eips.map((eip) => eip.name).sort()).toEqual(expected.sort());
      for (const eip of eips) expect(eip.protect).toBe(environment.protect);
    });

    it("translates every ingress peer into one rule per port and source, and opens nothing else", () => {
      const rules = ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
      const expected = groups.flatMap((group) => [...securityGroupRules(group, platform.managementCidrs), ...loadBalancerRules(group, platform.managementCidrs)]);
      expect(rules.map((rule) => rule.name).sort()).toEqual(expected.map((rule) => rule.name).sort());
      const securityGroup = (name: string) => named("aws:ec2/securityGroup:SecurityGroup", name);
      for (const rule of expected) {
        const resource = named("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", rule.name);
        const inputs = inputsOf<RuleInputs>(resource);
        expect(inputs).toMatchObject({ ipProtocol: "tcp", fromPort: rule.port, toPort: rule.port });
        const { source } = rule;
        if ("cidrIpv4" in source) expect(inputs.cidrIpv4).toBe(source.cidrIpv4);
        else {
          const peer = groups.find((group) => group.name === ("securityGroupOf" in source ? source.securityGroupOf : source.loadBalancerOf))!;
          expect(dependsOn(resource, securityGroup("securityGroupOf" in source ? peer.names.securityGroup : loadBalancerSecurityGroupName(peer)))).toBe(true);
        }
      }
      for (const group of ofType("aws:ec2/securityGroup:SecurityGroup")) expect(inputsOf<{ ingress?: unknown }>(group).ingress).toBeUndefined();
      expect(ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")).toHaveLength(ofType("aws:ec2/securityGroup:SecurityGroup").length);
    });

    it("puts an internal network balancer at the model's address in each zone, the proxy's facing the internet through an elastic IP per zone", () => {
      for (const group of groups) {
        const model = group.loadBalancer;
        if (!model) {
          expect(ofType("aws:lb/loadBalancer:LoadBalancer").map((balancer) => balancer.name)).not.toContain(group.names.loadBalancer);
          continue;
        }
        const balancer = named("aws:lb/loadBalancer:LoadBalancer", model.name);
        const inputs = inputsOf<LbInputs>(balancer);
        expect(inputs).toMatchObject({ loadBalancerType: "network", internal: !model.public, enableCrossZoneLoadBalancing: true });
        expect(inputs.securityGroups).toHaveLength(1);
        expect(inputs.subnetMappings.map((mapping) => (model.public ? mapping.allocationId !== undefined : mapping.privateIpv4Address))).toEqual(
          group.subnet!.halves.map((half) => (model.public ? true : half.loadBalancerIp)),
        );
        for (const { port, name } of targetGroupNames(model)) {
          expect(inputsOf(named("aws:lb/targetGroup:TargetGroup", name))).toMatchObject({ port, protocol: "TCP", targetType: "instance" });
          expect(inputsOf(named("aws:lb/listener:Listener", `${model.name}-${port}`))).toMatchObject({ port, protocol: "TCP" });
          for (const host of group.hosts) named("aws:lb/targetGroupAttachment:TargetGroupAttachment", `${name}-${host.name}`);
        }
      }
    });

    it("keeps a stateful server's data on a volume of its own, encrypted, attached where the Ansible role looks, protected in production", () => {
      for (const host of groups.flatMap((group) => group.hosts)) {
        if (!host.dataDisk) continue;
        const volume = named("aws:ebs/volume:Volume", host.dataDisk.name);
        expect(inputsOf(volume)).toMatchObject({ size: host.dataDisk.sizeGb, type: "gp3", encrypted: true, availabilityZone: zones[host.zone!] });
        expect(volume.protect).toBe(environment.protect);
        const attachment = named("aws:ec2/volumeAttachment:VolumeAttachment", host.dataDisk.name);
        expect(inputsOf(attachment)).toMatchObject({ deviceName: CLOUD_PROFILES.aws.dataDiskDevice });
        expect(dependsOn(attachment, volume) && dependsOn(attachment, named("aws:ec2/instance:Instance", host.name))).toBe(true);
      }
    });

    it("names every server and every group in the private zone", () => {
      const records = ofType("aws:route53/record:Record").map((record) => record.name);
      const expected = groups.flatMap((group) => [...group.hosts.map((host) => host.dnsName), ...(group.stateful || (group.loadBalancer && !group.loadBalancer.public) ? [group.dnsName] : [])]);
      expect(records.sort()).toEqual(expected.sort());
    });

    it("tags every resource it can with the tenant and environment", () => {
      for (const resource of get().all.filter((candidate) => candidate.custom && !UNTAGGED.has(candidate.type))) {
        expect(inputsOf<{ tags?: Record<string, string> }>(resource).tags, `${resource.type} ${resource.name}`).toMatchObject({
          [TAG_KEYS.tenant]: platform.tenant,
          [TAG_KEYS.environment]: environment.name,
        });
      }
    });
  });
});
