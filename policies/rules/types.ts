/**
 * The resource type tokens the rules read, per cloud. The rules match on these strings rather than on
 * the SDK classes so that the pack loads no cloud SDK; a test checks each against the installed SDKs.
 */

export const AZURE = {
  resourceGroup: "azure-native:resources:ResourceGroup",
  virtualNetwork: "azure-native:network:VirtualNetwork",
  subnet: "azure-native:network:Subnet",
  networkSecurityGroup: "azure-native:network:NetworkSecurityGroup",
  securityRule: "azure-native:network:SecurityRule",
  publicIpAddress: "azure-native:network:PublicIPAddress",
  natGateway: "azure-native:network:NatGateway",
  networkInterface: "azure-native:network:NetworkInterface",
  loadBalancer: "azure-native:network:LoadBalancer",
  availabilitySet: "azure-native:compute:AvailabilitySet",
  virtualMachine: "azure-native:compute:VirtualMachine",
  disk: "azure-native:compute:Disk",
  privateZone: "azure-native:privatedns:PrivateZone",
  virtualNetworkLink: "azure-native:privatedns:VirtualNetworkLink",
  routeTable: "azure-native:network:RouteTable",
  storageAccount: "azure-native:storage:StorageAccount",
  keyVault: "azure-native:keyvault:Vault",
} as const;

export const AWS = {
  resourceGroup: "aws:resourcegroups/group:Group",
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  internetGateway: "aws:ec2/internetGateway:InternetGateway",
  routeTable: "aws:ec2/routeTable:RouteTable",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  securityGroupIngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  instance: "aws:ec2/instance:Instance",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  volume: "aws:ebs/volume:Volume",
  eip: "aws:ec2/eip:Eip",
  eipAssociation: "aws:ec2/eipAssociation:EipAssociation",
  natGateway: "aws:ec2/natGateway:NatGateway",
  placementGroup: "aws:ec2/placementGroup:PlacementGroup",
  loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
  albLoadBalancer: "aws:alb/loadBalancer:LoadBalancer",
  classicLoadBalancer: "aws:elb/loadBalancer:LoadBalancer",
  targetGroup: "aws:lb/targetGroup:TargetGroup",
  listener: "aws:lb/listener:Listener",
  zone: "aws:route53/zone:Zone",
  dbInstance: "aws:rds/instance:Instance",
  bucket: "aws:s3/bucket:Bucket",
} as const;

export const DIGITALOCEAN = {
  project: "digitalocean:index/project:Project",
  vpc: "digitalocean:index/vpc:Vpc",
  vpcNatGateway: "digitalocean:index/vpcNatGateway:VpcNatGateway",
  droplet: "digitalocean:index/droplet:Droplet",
  volume: "digitalocean:index/volume:Volume",
  firewall: "digitalocean:index/firewall:Firewall",
  loadBalancer: "digitalocean:index/loadBalancer:LoadBalancer",
  reservedIp: "digitalocean:index/reservedIp:ReservedIp",
  reservedIpAssignment: "digitalocean:index/reservedIpAssignment:ReservedIpAssignment",
  databaseCluster: "digitalocean:index/databaseCluster:DatabaseCluster",
} as const;

export type Cloud = "azure" | "aws" | "digitalocean";

const PREFIXES: [string, Cloud][] = [
  ["azure-native:", "azure"],
  ["aws:", "aws"],
  ["digitalocean:", "digitalocean"],
];

/** The cloud a resource type belongs to; undefined for components, providers and other packages. */
export function cloudOf(type: string): Cloud | undefined {
  return PREFIXES.find(([prefix]) => type.startsWith(prefix))?.[1];
}
