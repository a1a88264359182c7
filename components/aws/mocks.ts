/**
 * AWS's answers under the mock runtime: what AWS would report after creating each resource, so that
 * the program runs offline exactly as it runs against AWS. Ids and ARNs have AWS's shape, derived from
 * the resource's name (the same plan gives the same ids); private addresses are the ones the program
 * asked for. Public addresses are the only thing AWS invents: here they are placeholders from a
 * documentation range (RFC 5737), never real.
 */
import type * as pulumi from "@pulumi/pulumi";
import { PLACEHOLDER_RANGE, placeholderAddresses } from "../placeholders.js";

/** An account id no real account has: the plan's ARNs are visibly not anyone's. */
export const ACCOUNT_ID = "000000000000";
/** The image ids the offline plan pins in place of Debian's (which only a real account can look up). */
export const OFFLINE_IMAGES = { amd64: "ami-00000000000000001", arm64: "ami-00000000000000002" } as const;

type Inputs = Record<string, unknown>;

/** FNV-1a as 17 hex digits: a stable, resource-shaped id suffix. */
function hexOf(text: string): string {
  let value = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i += 1) value = BigInt.asUintN(64, (value ^ BigInt(text.charCodeAt(i))) * 0x100000001b3n);
  return value.toString(16).padStart(17, "0").slice(-17);
}

/** Per type: the id prefix AWS uses and the ARN's service and resource path. */
const KINDS: Record<string, { prefix?: string; arn?: [service: string, path: string] }> = {
  "aws:ec2/vpc:Vpc": { prefix: "vpc", arn: ["ec2", "vpc/"] },
  "aws:ec2/subnet:Subnet": { prefix: "subnet", arn: ["ec2", "subnet/"] },
  "aws:ec2/internetGateway:InternetGateway": { prefix: "igw", arn: ["ec2", "internet-gateway/"] },
  "aws:ec2/routeTable:RouteTable": { prefix: "rtb", arn: ["ec2", "route-table/"] },
  "aws:ec2/route:Route": { prefix: "r" },
  "aws:ec2/routeTableAssociation:RouteTableAssociation": { prefix: "rtbassoc" },
  "aws:ec2/subnetCidrReservation:SubnetCidrReservation": { prefix: "scr" },
  "aws:ec2/eip:Eip": { prefix: "eipalloc", arn: ["ec2", "elastic-ip/"] },
  "aws:ec2/natGateway:NatGateway": { prefix: "nat", arn: ["ec2", "natgateway/"] },
  "aws:ec2/securityGroup:SecurityGroup": { prefix: "sg", arn: ["ec2", "security-group/"] },
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": { prefix: "sgr", arn: ["ec2", "security-group-rule/"] },
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": { prefix: "sgr", arn: ["ec2", "security-group-rule/"] },
  "aws:ec2/placementGroup:PlacementGroup": { arn: ["ec2", "placement-group/"] },
  "aws:ec2/instance:Instance": { prefix: "i", arn: ["ec2", "instance/"] },
  "aws:ebs/volume:Volume": { prefix: "vol", arn: ["ec2", "volume/"] },
  "aws:ec2/volumeAttachment:VolumeAttachment": { prefix: "vai" },
  "aws:ec2/flowLog:FlowLog": { prefix: "fl", arn: ["ec2", "vpc-flow-log/"] },
  "aws:cloudwatch/logGroup:LogGroup": { arn: ["logs", "log-group:"] },
  "aws:iam/role:Role": { arn: ["iam", "role/"] },
  "aws:iam/rolePolicy:RolePolicy": {},
  "aws:resourcegroups/group:Group": { arn: ["resource-groups", "group/"] },
  "aws:route53/zone:Zone": { prefix: "Z" },
  "aws:route53/record:Record": {},
  "aws:lb/loadBalancer:LoadBalancer": { arn: ["elasticloadbalancing", "loadbalancer/net/"] },
  "aws:lb/targetGroup:TargetGroup": { arn: ["elasticloadbalancing", "targetgroup/"] },
  "aws:lb/listener:Listener": { arn: ["elasticloadbalancing", "listener/net/"] },
  "aws:lb/targetGroupAttachment:TargetGroupAttachment": {},
};

/** Fresh answers for one plan: placeholder public addresses are unique within it. */
export function awsMocks(): pulumi.runtime.Mocks {
  const nextPublicAddress = placeholderAddresses(PLACEHOLDER_RANGE);
  const answer = (args: pulumi.runtime.MockResourceArgs): { id: string; state: Inputs } => {
    const kind = KINDS[args.type];
    if (!kind) throw new Error(`internal: the offline planner has no AWS answer for ${args.type} (add it to components/aws/mocks.ts)`);
    const inputs = args.inputs as Inputs;
    const name = String(inputs.name ?? args.name);
    const suffix = hexOf(`${args.type}/${args.name}`);
    const region = "region" in inputs ? String(inputs.region) : "offline";
    const id = kind.prefix ? `${kind.prefix}-${suffix}` : kind.arn ? name : `${args.name}-${suffix}`;
    const arn = kind.arn ? `arn:aws:${kind.arn[0]}:${kind.arn[0] === "iam" ? "" : region}:${ACCOUNT_ID}:${kind.arn[1]}${kind.prefix ? id : name}` : undefined;
    const state: Inputs = { ...inputs, ...(arn ? { arn } : {}) };
    switch (args.type) {
      case "aws:ec2/eip:Eip":
        Object.assign(state, { allocationId: id, publicIp: nextPublicAddress(id) });
        break;
      case "aws:ec2/placementGroup:PlacementGroup":
        Object.assign(state, { placementGroupId: `pg-${suffix}` });
        break;
      case "aws:route53/zone:Zone":
        Object.assign(state, { zoneId: id });
        break;
      case "aws:route53/record:Record":
        Object.assign(state, { fqdn: name });
        break;
      case "aws:lb/loadBalancer:LoadBalancer":
        Object.assign(state, { arn: `${arn}/${suffix.slice(1)}`, dnsName: `${name}-${suffix.slice(0, 10)}.elb.amazonaws.com`, zoneId: "ZOFFLINEPLANNLB" });
        return { id: String(state.arn), state };
      case "aws:lb/targetGroup:TargetGroup":
      case "aws:lb/listener:Listener":
        Object.assign(state, { arn: `${arn}/${suffix.slice(1)}` });
        return { id: String(state.arn), state };
    }
    return { id, state };
  };
  return {
    newResource: (args) => (args.custom ? answer(args) : { id: undefined, state: {} }),
    call: (args) => {
      switch (args.token) {
        case "aws:index/getAvailabilityZones:getAvailabilityZones":
          return { id: "zones", names: ["offline-zone-a", "offline-zone-b", "offline-zone-c"], zoneIds: ["off-az1", "off-az2", "off-az3"], state: "available" };
        case "aws:ec2/getAmi:getAmi": {
          const architecture = JSON.stringify(args.inputs).includes("arm64") ? "arm64" : "amd64";
          const id = OFFLINE_IMAGES[architecture];
          return { id, imageId: id, name: `debian-12-${architecture}-offline-plan`, architecture: architecture === "arm64" ? "arm64" : "x86_64" };
        }
        default:
          throw new Error(`internal: the offline planner has no AWS answer for the function ${args.token}`);
      }
    },
  };
}
