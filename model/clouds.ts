/**
 * What the model must know of each cloud to promise a plan the cloud will accept: name limits,
 * region and size formats, and the default proxy size. Everything else about a cloud lives in its
 * components folder.
 */
import type { Cloud } from "./spec.js";

/** Kinds of names the model hands to the clouds. */
export type NameKind =
  | "group"
  | "network"
  | "natGateway"
  | "subnet"
  | "securityGroup"
  | "haGroup"
  | "loadBalancer"
  | "targetGroup"
  | "host";

export interface CloudProfile {
  title: string;
  regionPattern: RegExp;
  regionExample: string;
  sizePattern: RegExp;
  sizeExample: string;
  defaultProxySize: string;
  /** The longest name the cloud accepts for each kind; a host name is also a DNS label (63). */
  nameLimits: Record<NameKind, number>;
  /**
   * Whether the cloud picks servers' and internal load balancers' private addresses itself (so the
   * model's planned addresses are not the real ones and only a deployed stack knows them).
   */
  assignsPrivateIps: boolean;
  /**
   * Where the cloud's load balancer health probes come from, when not from the tier's own subnet;
   * the cloud's firewall admits them implicitly, so a host firewall must admit them explicitly.
   */
  loadBalancerProbeSources: string[];
}

export const CLOUD_PROFILES: Record<Cloud, CloudProfile> = {
  azure: {
    title: "Azure",
    regionPattern: /^[a-z][a-z0-9]*$/,
    regionExample: "westeurope",
    sizePattern: /^(Standard|Basic)_[A-Za-z0-9_]+$/,
    sizeExample: "Standard_B2s",
    defaultProxySize: "Standard_B2s",
    assignsPrivateIps: false,
    // Azure's platform address; NSGs admit it through the AzureLoadBalancer service tag.
    loadBalancerProbeSources: ["168.63.129.16/32"],
    nameLimits: {
      group: 90,
      network: 64,
      natGateway: 80,
      subnet: 80,
      securityGroup: 80,
      haGroup: 80,
      loadBalancer: 80,
      targetGroup: 80,
      host: 63,
    },
  },
  aws: {
    title: "AWS",
    regionPattern: /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/,
    regionExample: "eu-west-1",
    sizePattern: /^[a-z][a-z0-9-]*\.[a-z0-9]+$/,
    sizeExample: "t3.small",
    defaultProxySize: "t3.small",
    assignsPrivateIps: false,
    // Network load balancers probe from their own addresses in the tier's subnets.
    loadBalancerProbeSources: [],
    nameLimits: {
      group: 128,
      network: 255,
      natGateway: 255,
      subnet: 255,
      securityGroup: 255,
      haGroup: 255,
      loadBalancer: 32,
      targetGroup: 32,
      host: 63,
    },
  },
  digitalocean: {
    title: "DigitalOcean",
    regionPattern: /^[a-z]{3}\d$/,
    regionExample: "ams3",
    sizePattern: /^[a-z0-9]+(-[a-z0-9]+)+$/,
    sizeExample: "s-1vcpu-2gb",
    defaultProxySize: "s-1vcpu-2gb",
    // Droplets and internal load balancers get an address from the VPC range that the API cannot choose.
    assignsPrivateIps: true,
    loadBalancerProbeSources: [],
    nameLimits: {
      group: 175,
      network: 64,
      natGateway: 64,
      subnet: 64,
      securityGroup: 255,
      haGroup: 255,
      loadBalancer: 64,
      targetGroup: 64,
      host: 63,
    },
  },
};

export const NAME_KIND_TITLES: Record<NameKind, string> = {
  group: "environment group",
  network: "network",
  natGateway: "NAT gateway",
  subnet: "subnet",
  securityGroup: "security group",
  haGroup: "availability group",
  loadBalancer: "load balancer",
  targetGroup: "target group",
  host: "server",
};
