/**
 * What the model must know of each cloud to promise a plan the cloud will accept: name limits,
 * region and size formats, the default proxy size, what the cloud has (subnets, zones) and what it
 * assigns itself; and how a CI job logs in to it, for `botinfra pipeline`. This is the only place
 * outside `components/<cloud>/` that knows a cloud.
 */
import type { Cloud, Egress } from "./spec.js";
import { SSH_KEY_TYPES } from "./ssh.js";

const ALL_SSH_KEY_TYPES: readonly string[] = SSH_KEY_TYPES;

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
  | "host"
  | "disk";

/** How a cloud keeps one failure from taking a whole tier down. */
export interface Placement {
  mechanism: "availability-set" | "availability-zones" | "none";
  /** What it means for the user, as `plan` and the README say it. */
  description: string;
}

/**
 * How a CI job hands the cloud's provider its credentials: which variables it reads from the CI's secrets,
 * and, where the cloud trusts the CI's OIDC token, how the token reaches the provider.
 */
export interface CiCredentials {
  /** Variables the provider reads, each from the CI secret (GitHub) or CI/CD variable (GitLab) of the same name. */
  secrets: readonly string[];
  /** Fixed variables that choose the provider's login method. */
  variables: Readonly<Record<string, string>>;
  /** Absent where the cloud has no OIDC federation: then its credentials are `secrets`. */
  oidc?: {
    /** The audience the cloud's token exchange expects. */
    audience: string;
    /** The variable a GitLab job's ID token is put in. */
    tokenVariable: string;
    /** Where the provider reads the token from a file instead: the variable that names the file. */
    tokenFileVariable?: string;
    /** The action a GitHub job runs to trade its token for credentials, where the provider cannot ask GitHub itself; pinned by commit. */
    githubAction?: { title: string; uses: string; version: string; with: Readonly<Record<string, string>> };
  };
}

export interface CloudProfile {
  title: string;
  ci: CiCredentials;
  placement: Placement;
  /**
   * Whether the cloud has subnets the model plans (one per group, split in two halves that are
   * availability zones where the cloud has them), and so lets botinfra choose private addresses.
   * DigitalOcean has none: a VPC is one flat range, and droplets and load balancers get addresses
   * the API cannot choose.
   */
  subnets: boolean;
  /** Whether each half of a subnet is an availability zone of its own (the host's `zone`). */
  zones: boolean;
  /** The ways private servers may reach the internet here; the first is the default. */
  egress: readonly [Egress, ...Egress[]];
  /**
   * Whether the cloud refuses two networks with overlapping ranges in one account: then tenants that
   * share an account (the spec's `account`) must have disjoint ranges, and allocation skips the others'.
   */
  networksDisjointPerAccount: boolean;
  /** Whether the cloud holds each SSH key once per account and refuses it again: then one tenant of the account uploads a shared key. */
  sshKeysOncePerAccount: boolean;
  /** Whether the cloud has private DNS zones; where it has none, every server's hosts file holds the internal names. */
  privateDns: boolean;
  /** Admin user names the cloud refuses on top of the system users every cloud refuses. */
  refusedUsernames: readonly string[];
  /**
   * The stable device path of a stateful server's data disk, as the server sees it; `{disk}` stands
   * for the disk's name where the path names it.
   */
  dataDiskDevice: string;
  /** The SSH key types the cloud accepts for its servers' admin user. */
  sshKeyTypes: readonly string[];
  regionPattern: RegExp;
  regionExample: string;
  sizePattern: RegExp;
  sizeExample: string;
  defaultProxySize: string;
  /** The longest name the cloud accepts for each kind; a host name is also a DNS label (63). */
  nameLimits: Record<NameKind, number>;
  /** Name prefixes the cloud keeps for itself, per kind of name. */
  refusedNamePrefixes: Partial<Record<NameKind, string>>;
  /**
   * Where the load balancer's health probes (and, through a balancer that does not keep the client's
   * address, its traffic) come from: a platform address of the cloud's (which its firewall admits by a
   * service tag), the balancer's own private addresses, or addresses anywhere in the network that the
   * cloud does not report (its firewall admits them by the balancer's id). A host firewall must admit
   * them explicitly.
   */
  loadBalancerProbes: { from: "platform"; cidrs: string[] } | { from: "load-balancer" } | { from: "network" };
}

export const CLOUD_PROFILES: Record<Cloud, CloudProfile> = {
  azure: {
    title: "Azure",
    // The provider asks GitHub for the token itself (ACTIONS_ID_TOKEN_REQUEST_URL); on GitLab it reads ARM_OIDC_TOKEN.
    ci: {
      secrets: ["ARM_CLIENT_ID", "ARM_TENANT_ID", "ARM_SUBSCRIPTION_ID"],
      variables: { ARM_USE_OIDC: "true" },
      oidc: { audience: "api://AzureADTokenExchange", tokenVariable: "ARM_OIDC_TOKEN" },
    },
    placement: {
      mechanism: "availability-set",
      description: "an availability set per group: Azure spreads its servers over fault and update domains it chooses",
    },
    subnets: true,
    zones: false,
    egress: ["nat-gateway"],
    networksDisjointPerAccount: false,
    sshKeysOncePerAccount: false,
    privateDns: true,
    // Azure's list for Linux VMs (the osProfile.adminUsername rules).
    refusedUsernames: [
      "1", "123", "a", "actuser", "adm", "admin", "admin1", "admin2", "administrator", "aspnet", "backup", "console", "david", "guest",
      "john", "owner", "root", "server", "sql", "support", "support_388945a0", "sys", "test", "test1", "test2", "test3", "user", "user1",
      "user2", "user3", "user4", "user5",
    ],
    sshKeyTypes: ["ssh-rsa", "ssh-ed25519"],
    // The Azure agent's udev rules name data disks by LUN; the components attach it at LUN 0.
    dataDiskDevice: "/dev/disk/azure/scsi1/lun0",
    refusedNamePrefixes: {},
    regionPattern: /^[a-z][a-z0-9]*$/,
    regionExample: "westeurope",
    sizePattern: /^(Standard|Basic)_[A-Za-z0-9_]+$/,
    sizeExample: "Standard_B2s",
    defaultProxySize: "Standard_B2s",
    // Azure's platform address; NSGs admit it through the AzureLoadBalancer service tag.
    loadBalancerProbes: { from: "platform", cidrs: ["168.63.129.16/32"] },
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
      disk: 80,
    },
  },
  aws: {
    title: "AWS",
    // The SDK reads a web identity token from a file, with AWS_ROLE_ARN (a GitLab CI/CD variable); on GitHub an action assumes the role.
    ci: {
      secrets: [],
      variables: {},
      oidc: {
        audience: "sts.amazonaws.com",
        tokenVariable: "AWS_ID_TOKEN",
        tokenFileVariable: "AWS_WEB_IDENTITY_TOKEN_FILE",
        githubAction: {
          title: "AWS role",
          uses: "aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502",
          version: "v4.0.2",
          // The stacks take their region from the spec; this one is only where STS is asked.
          with: { "role-to-assume": "${{ secrets.AWS_ROLE_ARN }}", "aws-region": "${{ secrets.AWS_REGION || 'us-east-1' }}" },
        },
      },
    },
    placement: {
      mechanism: "availability-zones",
      description: "two availability zones per environment, each group's servers alternating between them, in a spread placement group (a partition group past 7 servers per zone)",
    },
    subnets: true,
    zones: true,
    egress: ["nat-gateway"],
    networksDisjointPerAccount: false,
    sshKeysOncePerAccount: false,
    privateDns: true,
    refusedUsernames: [],
    sshKeyTypes: ALL_SSH_KEY_TYPES,
    // Debian's AMIs name an EBS volume attached as /dev/sdf by that name (amazon-ec2-utils' udev rules).
    dataDiskDevice: "/dev/sdf",
    // AWS keeps `internal-` for load balancers' DNS names, `sg-` for security group ids, `aws` for its own groups.
    refusedNamePrefixes: { loadBalancer: "internal-", securityGroup: "sg-", group: "aws" },
    regionPattern: /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/,
    regionExample: "eu-west-1",
    sizePattern: /^[a-z][a-z0-9-]*\.[a-z0-9]+$/,
    sizeExample: "t3.small",
    defaultProxySize: "t3.small",
    // Network load balancers probe from their own addresses in the tier's subnets.
    loadBalancerProbes: { from: "load-balancer" },
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
      disk: 255,
    },
  },
  digitalocean: {
    title: "DigitalOcean",
    // No OIDC federation: the API token is a CI secret.
    ci: { secrets: ["DIGITALOCEAN_TOKEN"], variables: {} },
    placement: {
      mechanism: "none",
      description: "no availability sets or zones: a group's droplets may share a host; keep two or more behind the load balancer",
    },
    subnets: false,
    zones: false,
    // VPC NAT gateways are a preview and not in every region: the spec may choose the proxy as NAT instead.
    egress: ["nat-gateway", "proxy"],
    networksDisjointPerAccount: true,
    sshKeysOncePerAccount: true,
    privateDns: false,
    refusedUsernames: [],
    sshKeyTypes: ALL_SSH_KEY_TYPES,
    // DigitalOcean names a volume's device after the volume.
    dataDiskDevice: "/dev/disk/by-id/scsi-0DO_Volume_{disk}",
    refusedNamePrefixes: {},
    regionPattern: /^[a-z]{3}\d$/,
    regionExample: "ams3",
    sizePattern: /^[a-z0-9]+(-[a-z0-9]+)+$/,
    sizeExample: "s-1vcpu-2gb",
    defaultProxySize: "s-1vcpu-2gb",
    // A balancer's nodes reach droplets from VPC addresses DigitalOcean does not report (its `ip` is the
    // entry address only); the cloud firewall narrows them to the balancer by its id.
    loadBalancerProbes: { from: "network" },
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
      // Volume names: lowercase letters, digits and '-', a letter first (host names are), at most 64.
      disk: 64,
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
  disk: "data disk",
};
