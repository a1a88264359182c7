/**
 * `botinfra:aws:Environment`: what an environment's servers share. A resource group (a tag query on
 * tenant and environment), the VPC with its internet gateway, the edge subnets (one per zone, the
 * proxies'), the NAT gateways and the private route tables that send each zone's traffic to its
 * gateway, flow logs of what the security groups refused, the private hosted zone, and every group's
 * security group (created here, before any rule, so that rules can reference each other's groups).
 */
import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch/index.js";
import * as ec2 from "@pulumi/aws/ec2/index.js";
import * as iam from "@pulumi/aws/iam/index.js";
import * as resourcegroups from "@pulumi/aws/resourcegroups/index.js";
import * as route53 from "@pulumi/aws/route53/index.js";
import * as vpc from "@pulumi/aws/vpc/index.js";
import { INTERNET, TAG_KEYS, type Environment, type Platform, type ServerGroup, type Tags } from "../../model/platform.js";
import { componentType } from "../component-types.js";
import type { Pins } from "./pinned.js";
import { loadBalancerSecurityGroupName } from "./security-rules.js";

export interface AwsEnvironmentArgs {
  platform: Platform;
  environment: Environment;
  /** The zones and images pinned in the stack's config. */
  pins: Pins;
}

/** How long the flow logs keep what the security groups refused. */
export const FLOW_LOG_RETENTION_DAYS = 90;
const ALL_PROTOCOLS = "-1";

/** AWS shows a resource's `Name` tag as its name in the console. */
export const named = (tags: Tags, name: string): Tags => ({ ...tags, Name: name });

/** The zone (half) index of each NAT gateway: every zone's, or the first zone's only. */
export function natGatewayZones(environment: Environment, zoneCount: number): number[] {
  return environment.natGateways === "perZone" ? Array.from({ length: zoneCount }, (_, index) => index) : [0];
}

function edgeHalves(environment: Environment) {
  const subnet = environment.proxy.subnet;
  if (!subnet) throw new Error(`internal: the model gives ${environment.name}'s proxy no edge subnet on AWS`);
  return subnet.halves;
}

export class AwsEnvironment extends pulumi.ComponentResource {
  readonly vpc: ec2.Vpc;
  /** The zone of each half of every subnet, as pinned. */
  readonly zones: string[];
  readonly images: Pins["images"];
  /** The proxies' subnets, one per zone: the only ones routed to the internet gateway. */
  readonly edgeSubnets: ec2.Subnet[];
  /** Per zone: the route table of the tiers' subnets, whose default route is a NAT gateway. */
  readonly privateRouteTables: ec2.RouteTable[];
  readonly dnsZone: route53.Zone;
  /** Each group's security group, by group name. */
  readonly securityGroups: Map<string, ec2.SecurityGroup>;
  /** Each balanced group's load balancer's own security group, by group name. */
  readonly loadBalancerSecurityGroups: Map<string, ec2.SecurityGroup>;

  constructor(name: string, args: AwsEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("aws", "environment"), name, {}, opts);
    const { environment } = args;
    const { names, tags } = environment;
    const parent = { parent: this };
    const stateful = { parent: this, protect: environment.protect };
    this.zones = args.pins.zones;
    this.images = args.pins.images;

    new resourcegroups.Group(
      names.group,
      {
        name: names.group,
        description: `Everything botinfra built for ${environment.stack}`,
        resourceQuery: {
          type: "TAG_FILTERS_1_0",
          query: JSON.stringify({
            ResourceTypeFilters: ["AWS::AllSupported"],
            TagFilters: [
              { Key: TAG_KEYS.tenant, Values: [tags[TAG_KEYS.tenant]] },
              { Key: TAG_KEYS.environment, Values: [environment.name] },
            ],
          }),
        },
        tags,
      },
      parent,
    );

    // Both DNS settings are needed for the private hosted zone to answer inside the VPC.
    this.vpc = new ec2.Vpc(names.network, { cidrBlock: environment.cidr, enableDnsSupport: true, enableDnsHostnames: true, tags: named(tags, names.network) }, stateful);
    const vpcId = this.vpc.id;
    this.flowLogs(environment);

    const gateway = new ec2.InternetGateway(`${names.network}-igw`, { vpcId, tags: named(tags, `${names.network}-igw`) }, parent);
    const publicRoutes = new ec2.RouteTable(`${names.network}-public`, { vpcId, tags: named(tags, `${names.network}-public`) }, parent);
    new ec2.Route(`${names.network}-public-default`, { routeTableId: publicRoutes.id, destinationCidrBlock: INTERNET, gatewayId: gateway.id }, parent);

    const proxy = environment.proxy;
    this.edgeSubnets = edgeHalves(environment).map((half) => {
      const subnetName = `${proxy.names.subnet}-${half.index}`;
      const subnet = new ec2.Subnet(
        subnetName,
        { vpcId, cidrBlock: half.cidr, availabilityZone: this.zones[half.index], mapPublicIpOnLaunch: false, tags: named(proxy.tags, subnetName) },
        parent,
      );
      new ec2.RouteTableAssociation(subnetName, { subnetId: subnet.id, routeTableId: publicRoutes.id }, parent);
      // AWS picks an internet-facing load balancer's addresses itself: never inside the block the plan uses.
      if (half.plannedCidr !== undefined) {
        new ec2.SubnetCidrReservation(`${subnetName}-planned`, { subnetId: subnet.id, cidrBlock: half.plannedCidr, reservationType: "explicit", description: "addresses botinfra plans" }, parent);
      }
      return subnet;
    });

    const natGateways = natGatewayZones(environment, this.edgeSubnets.length).map((zone) => {
      const natName = `${names.natGateway}-${zone}`;
      const address = new ec2.Eip(`${natName}-eip`, { domain: "vpc", tags: named(tags, `${natName}-eip`) }, stateful);
      return new ec2.NatGateway(
        natName,
        { allocationId: address.allocationId, subnetId: this.edgeSubnets[zone]!.id, privateIp: edgeHalves(environment)[zone]!.natGatewayIp, tags: named(tags, natName) },
        { parent: this, dependsOn: [gateway] },
      );
    });
    this.privateRouteTables = this.edgeSubnets.map((_, zone) => {
      const tableName = `${names.network}-private-${zone}`;
      const table = new ec2.RouteTable(tableName, { vpcId, tags: named(tags, tableName) }, parent);
      new ec2.Route(`${tableName}-default`, { routeTableId: table.id, destinationCidrBlock: INTERNET, natGatewayId: natGateways[Math.min(zone, natGateways.length - 1)]!.id }, parent);
      return table;
    });

    this.dnsZone = new route53.Zone(environment.dnsZone, { name: environment.dnsZone, comment: `${environment.stack}'s private names`, vpcs: [{ vpcId }], tags }, parent);

    const groups = [environment.proxy, ...environment.tiers];
    this.securityGroups = new Map(groups.map((group) => [group.name, this.securityGroup(group, group.names.securityGroup, `${group.name}'s servers`, INTERNET)]));
    this.loadBalancerSecurityGroups = new Map(
      groups.flatMap((group) => (group.loadBalancer ? [[group.name, this.securityGroup(group, loadBalancerSecurityGroupName(group), `${group.name}'s load balancer`, environment.cidr)] as const] : [])),
    );

    this.registerOutputs({ vpcId, dnsZoneId: this.dnsZone.zoneId, natGatewayIds: natGateways.map((gateway) => gateway.id) });
  }

  /** A security group without inline rules; its one egress rule is explicit (the provider drops AWS's default one). */
  private securityGroup(group: ServerGroup, name: string, what: string, egressTo: string): ec2.SecurityGroup {
    const securityGroup = new ec2.SecurityGroup(name, { name, description: `${what}: inbound only from the peers botinfra's model names`, vpcId: this.vpc.id, tags: named(group.tags, name) }, { parent: this });
    new vpc.SecurityGroupEgressRule(
      `${name}-egress`,
      { securityGroupId: securityGroup.id, ipProtocol: ALL_PROTOCOLS, cidrIpv4: egressTo, description: egressTo === INTERNET ? "outbound through the NAT gateway or the proxy's address" : "to the servers behind it", tags: group.tags },
      { parent: this },
    );
    return securityGroup;
  }

  /** Rejected traffic of the whole VPC, to a log group with a retention, written by a role that can do nothing else. */
  private flowLogs(environment: Environment) {
    const { names, tags } = environment;
    const logName = `${names.network}-flow-logs`;
    const parent = { parent: this };
    const logGroup = new cloudwatch.LogGroup(logName, { name: `/botinfra/${environment.stack}/flow-logs`, retentionInDays: FLOW_LOG_RETENTION_DAYS, tags }, parent);
    const role = new iam.Role(
      logName,
      {
        name: logName,
        description: `Writes ${names.network}'s flow logs`,
        assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
        tags,
      },
      parent,
    );
    new iam.RolePolicy(
      logName,
      {
        role: role.id,
        policy: logGroup.arn.apply((arn) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], Resource: [arn, `${arn}:*`] }],
          }),
        ),
      },
      parent,
    );
    new ec2.FlowLog(logName, { vpcId: this.vpc.id, trafficType: "REJECT", logDestinationType: "cloud-watch-logs", logDestination: logGroup.arn, iamRoleArn: role.arn, maxAggregationInterval: 60, tags: named(tags, logName) }, parent);
  }
}
