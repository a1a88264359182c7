/** Every rule on AWS: a failing and a passing case, from @pulumi/aws resources under the mock runtime. */
import * as ebs from "@pulumi/aws/ebs/index.js";
import * as ec2 from "@pulumi/aws/ec2/index.js";
import * as lb from "@pulumi/aws/lb/index.js";
import * as vpc from "@pulumi/aws/vpc/index.js";
import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { check, found, MANAGEMENT, TENANT_CONFIG, tags } from "../support/policy-check.js";

const tcp = (port: number, cidrBlocks: string[], description?: string) => ({ protocol: "tcp", fromPort: port, toPort: port, cidrBlocks, ...(description ? { description } : {}) });

function securityGroup(name: string, tier: string, ingress: ec2.SecurityGroupArgs["ingress"]) {
  return new ec2.SecurityGroup(name, { name, vpcId: "vpc-1", ingress, tags: tags("production", tier) });
}

interface InstanceOptions {
  environment?: string;
  tier?: string;
  placementGroup?: pulumi.Input<string>;
  availabilityZone?: string;
  subnetId?: pulumi.Input<string>;
  associatePublicIpAddress?: boolean;
  httpTokens?: string;
  encrypted?: boolean;
  protect?: boolean;
}

function instance(name: string, options: InstanceOptions = {}) {
  const { environment = "production", tier = "api" } = options;
  return new ec2.Instance(
    name,
    {
      ami: "ami-1",
      instanceType: "t3.small",
      ...(options.subnetId ? { subnetId: options.subnetId } : {}),
      ...(options.placementGroup ? { placementGroup: options.placementGroup } : {}),
      ...(options.availabilityZone ? { availabilityZone: options.availabilityZone } : {}),
      ...(options.associatePublicIpAddress === undefined ? {} : { associatePublicIpAddress: options.associatePublicIpAddress }),
      metadataOptions: { httpTokens: options.httpTokens ?? "required" },
      rootBlockDevice: { encrypted: options.encrypted ?? true },
      tags: { ...tags(environment, tier), Name: name },
    },
    { protect: options.protect ?? environment === "production" },
  );
}

const spread = (tier: string, strategy = "spread") =>
  new ec2.PlacementGroup(`acme-production-${tier}-ha`, { name: `acme-production-${tier}-ha`, strategy, tags: tags("production", tier) });

describe("AWS: public addresses", () => {
  it("refuses a tier instance with a public IP, in a subnet that maps public IPs, or with an elastic IP", async () => {
    const report = await check("aws", () => {
      instance("acme-production-api-1", { associatePublicIpAddress: true });
      const subnet = new ec2.Subnet("public-subnet", { vpcId: "vpc-1", cidrBlock: "10.20.1.0/25", mapPublicIpOnLaunch: true, tags: tags("production", "api") });
      const second = instance("acme-production-api-2", { subnetId: subnet.id });
      new ec2.Eip("api-ip", { instance: second.id, domain: "vpc", tags: tags("production") }, { protect: true });
    });
    expect(found(report, "public-addresses-proxy-only")).toEqual([
      ["acme-production-api-1", expect.stringMatching(/instance "acme-production-api-1" associates a public IP address and belongs to api.*set associatePublicIpAddress: false/)],
      ["acme-production-api-2", expect.stringContaining('instance "acme-production-api-2" is in subnet "public-subnet", which gives every instance a public IP address')],
      ["api-ip", expect.stringContaining('elastic IP "api-ip" is a public address and belongs to api')],
    ]);
  });

  it("allows the proxy's public IP, an elastic IP associated with the proxy and the NAT gateway's", async () => {
    const report = await check("aws", () => {
      const proxy = instance("acme-production-proxy-1", { tier: "proxy", associatePublicIpAddress: true, placementGroup: "acme-production-proxy-ha" });
      instance("acme-production-proxy-2", { tier: "proxy", associatePublicIpAddress: false, placementGroup: "acme-production-proxy-ha" });
      const proxyIp = new ec2.Eip("proxy-ip", { domain: "vpc", tags: tags("production") }, { protect: true });
      new ec2.EipAssociation("proxy-ip-association", { allocationId: proxyIp.allocationId, instanceId: proxy.id });
      const natIp = new ec2.Eip("nat-ip", { domain: "vpc", tags: tags("production") }, { protect: true });
      new ec2.NatGateway("nat", { allocationId: natIp.allocationId, subnetId: "subnet-1", tags: tags("production") });
    });
    expect(report.violations).toEqual([]);
  });
});

describe("AWS: ingress", () => {
  it("refuses other ports than 80 and 443 from the internet: inline, as an ingress rule and as a security group rule", async () => {
    const report = await check("aws", () => {
      const proxy = securityGroup("acme-production-proxy-fw", "proxy", [tcp(443, ["0.0.0.0/0"], "web"), { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }]);
      new vpc.SecurityGroupIngressRule("proxy-app", { securityGroupId: proxy.id, ipProtocol: "tcp", fromPort: 3000, toPort: 3000, cidrIpv6: "::/0", tags: tags("production", "proxy") });
      new ec2.SecurityGroupRule("proxy-range", { type: "ingress", securityGroupId: proxy.id, protocol: "tcp", fromPort: 8000, toPort: 8100, cidrBlocks: ["198.51.100.0/24"] });
      new ec2.SecurityGroupRule("proxy-egress", { type: "egress", securityGroupId: proxy.id, protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] });
    });
    expect(found(report, "public-ingress-web-ports-only")).toEqual([
      ["acme-production-proxy-fw", expect.stringContaining('rule "ingress[1]" opens all ports to 0.0.0.0/0')],
      ["proxy-app", expect.stringContaining('security group rule "proxy-app": rule "proxy-app" opens port 3000 to ::/0')],
      ["proxy-range", expect.stringContaining('rule "proxy-range" opens ports 8000-8100 to 198.51.100.0/24')],
    ]);
  });

  it("refuses SSH from outside the management ranges", async () => {
    const report = await check("aws", () => void securityGroup("acme-production-proxy-fw", "proxy", [tcp(22, ["0.0.0.0/0"], "ssh")]), { config: [TENANT_CONFIG] });
    expect(found(report, "ssh-from-management-only")).toEqual([
      ["acme-production-proxy-fw", `security group "acme-production-proxy-fw": rule "ssh" opens SSH to 0.0.0.0/0. Allow SSH only from the management ranges (${MANAGEMENT}).`],
    ]);
  });

  it("refuses public sources on a tier's security group and on its standalone rules", async () => {
    const report = await check("aws", () => {
      const api = securityGroup("acme-production-api-fw", "api", [tcp(443, ["0.0.0.0/0"], "web")]);
      new ec2.SecurityGroupRule("api-http", { type: "ingress", securityGroupId: api.id, protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] });
    });
    expect(found(report, "public-ingress-proxy-only")).toEqual([
      ["acme-production-api-fw", expect.stringContaining('security group "acme-production-api-fw" belongs to api, not to the proxy, but admits public addresses (rule "web" from 0.0.0.0/0)')],
      ["api-http", expect.stringContaining('security group rule "api-http" belongs to api, not to the proxy, but admits public addresses')],
    ]);
  });

  it("allows the proxy's web and management SSH, and a tier's rules from private ranges and security groups", async () => {
    const report = await check(
      "aws",
      () => {
        const proxy = securityGroup("acme-production-proxy-fw", "proxy", [tcp(80, ["0.0.0.0/0"]), tcp(443, ["0.0.0.0/0"]), tcp(22, [MANAGEMENT])]);
        const api = securityGroup("acme-production-api-fw", "api", [tcp(8080, ["10.20.0.0/24"]), { protocol: "icmp", fromPort: -1, toPort: -1, cidrBlocks: ["0.0.0.0/0"] }]);
        new vpc.SecurityGroupIngressRule("api-ssh", { securityGroupId: api.id, referencedSecurityGroupId: proxy.id, ipProtocol: "tcp", fromPort: 22, toPort: 22, tags: tags("production", "api") });
      },
      { config: [TENANT_CONFIG] },
    );
    expect(report.violations).toEqual([]);
  });
});

describe("AWS: load balancers", () => {
  const balancer = (name: string, tier: string, internal?: boolean) =>
    new lb.LoadBalancer(name, { name, loadBalancerType: "network", ...(internal === undefined ? {} : { internal }), tags: tags("production", tier) });

  it("refuses a tier's internet-facing load balancer, internal being false by default", async () => {
    const report = await check("aws", () => void balancer("acme-production-api-lb", "api"));
    expect(found(report, "load-balancers-internal")).toEqual([
      ["acme-production-api-lb", 'load balancer "acme-production-api-lb" is internet-facing (internal is not true) but is the load balancer of api: set internal: true.'],
    ]);
  });

  it("allows internal tier load balancers and the proxy's internet-facing one", async () => {
    const report = await check("aws", () => {
      balancer("acme-production-api-lb", "api", true);
      balancer("acme-production-proxy-lb", "proxy", false);
    });
    expect(report.violations).toEqual([]);
  });
});

describe("AWS: instances", () => {
  it("refuses metadata v1 and unencrypted volumes", async () => {
    const report = await check(
      "aws",
      () => {
        instance("acme-development-api-1", { environment: "development", httpTokens: "optional", encrypted: false });
        new ebs.Volume("data", { availabilityZone: "eu-west-1a", size: 10, tags: tags("development") });
        new ec2.LaunchTemplate("template", { tags: tags("development") });
      },
      { environment: "development" },
    );
    expect(found(report, "aws-imdsv2-only")).toEqual([
      ["acme-development-api-1", 'instance "acme-development-api-1" allows instance metadata v1: set metadataOptions.httpTokens: "required".'],
      ["template", 'launch template "template" allows instance metadata v1: set metadataOptions.httpTokens: "required".'],
    ]);
    expect(found(report, "disks-encrypted")).toEqual([
      ["acme-development-api-1", 'instance "acme-development-api-1" has unencrypted disks (the root volume (rootBlockDevice.encrypted)): set encrypted: true on every block device.'],
      ["data", 'EBS volume "data" is not encrypted: set encrypted: true.'],
    ]);
  });

  it("allows metadata v2 only and encrypted volumes", async () => {
    const report = await check(
      "aws",
      () => {
        instance("acme-development-api-1", { environment: "development" });
        new ebs.Volume("data", { availabilityZone: "eu-west-1a", size: 10, encrypted: true, tags: tags("development") });
      },
      { environment: "development" },
    );
    expect(report.violations).toEqual([]);
  });
});

describe("AWS: production availability", () => {
  it("refuses production instances outside a spread placement group or all in one zone", async () => {
    const report = await check("aws", () => {
      instance("acme-production-api-1", { availabilityZone: "eu-west-1a" });
      instance("acme-production-api-2", { availabilityZone: "eu-west-1b" });
      const cluster = spread("db", "cluster");
      instance("acme-production-db-1", { tier: "db", placementGroup: cluster.name });
      instance("acme-production-db-2", { tier: "db", placementGroup: cluster.name });
      const nlp = spread("nlp");
      instance("acme-production-nlp-1", { tier: "nlp", placementGroup: nlp.name, availabilityZone: "eu-west-1a" });
      instance("acme-production-nlp-2", { tier: "nlp", placementGroup: nlp.name, availabilityZone: "eu-west-1a" });
    });
    expect(found(report, "production-tiers-highly-available")).toEqual([
      ["acme-production-api-1", 'instances of tier "api" in production (acme-production-api-1, acme-production-api-2) are in no placement group: put them in a placement group with strategy "spread".'],
      ["acme-production-db-1", 'placement group "acme-production-db-ha" of tier "db" in production has strategy "cluster": use "spread" (or "partition" past 7 servers per zone).'],
      ["acme-production-nlp-1", 'instances of tier "nlp" in production are all in eu-west-1a: spread them over two or more availability zones.'],
    ]);
  });

  it.each(["spread", "partition"])("allows instances in a %s placement group across subnets of two zones", async (strategy) => {
    const report = await check("aws", () => {
      const group = spread("api", strategy);
      const zones = ["eu-west-1a", "eu-west-1b"].map(
        (zone, index) => new ec2.Subnet(`acme-production-api-${index}`, { vpcId: "vpc-1", cidrBlock: `10.20.1.${index * 128}/25`, availabilityZone: zone, tags: tags("production", "api") }),
      );
      instance("acme-production-api-1", { placementGroup: group.name, subnetId: zones[0]!.id });
      instance("acme-production-api-2", { placementGroup: group.name, subnetId: zones[1]!.id });
    });
    expect(report.violations).toEqual([]);
  });
});

describe("AWS: protection, networks, tags and names", () => {
  it("refuses an unprotected production instance, an overlapping VPC, missing tags and a long load balancer name", async () => {
    const report = await check(
      "aws",
      () => {
        instance("acme-production-api-1", { protect: false, placementGroup: "pg" });
        instance("acme-production-api-2", { placementGroup: "pg" });
        new ec2.Vpc("acme-production-net", { cidrBlock: "10.21.0.0/16", tags: { ...tags("production"), Name: "acme-production-net" } });
        new lb.TargetGroup("acme-production-frontend-tg", { name: "acme-production-frontend-tg-12345", port: 80, protocol: "TCP", tags: { tenant: "acme" } });
      },
      { config: [TENANT_CONFIG] },
    );
    expect(found(report, "production-stateful-protected")).toEqual([["acme-production-api-1", expect.stringContaining('instance "acme-production-api-1" holds data or an address in production but is not protected')]]);
    expect(found(report, "environment-networks-disjoint")).toEqual([
      ["acme-production-net", 'VPC "acme-production-net" (10.21.0.0/16) overlaps the range of environment development (10.21.0.0/16): give each environment its own range (environments.<name>.cidr in the tenant spec).'],
    ]);
    expect(found(report, "required-tags")).toEqual([["acme-production-frontend-tg", expect.stringContaining("lacks the tags environment, managed-by")]]);
    expect(found(report, "name-length-limits")).toEqual([
      ["acme-production-frontend-tg", 'target group "acme-production-frontend-tg" is named "acme-production-frontend-tg-12345" (name, 33 characters); AWS allows at most 32: shorten it.'],
    ]);
  });

  it("allows the protected, disjoint, tagged and short-named counterparts", async () => {
    const report = await check(
      "aws",
      () => {
        instance("acme-production-api-1", { placementGroup: "pg" });
        instance("acme-production-api-2", { placementGroup: "pg" });
        new ec2.Vpc("acme-production-net", { cidrBlock: "10.20.0.0/16", tags: { ...tags("production"), Name: "acme-production-net" } });
        new lb.TargetGroup("acme-production-front-tg", { name: "acme-production-front-tg", port: 80, protocol: "TCP", tags: tags("production", "front") });
      },
      { config: [TENANT_CONFIG] },
    );
    expect(report.violations).toEqual([]);
  });
});

describe("AWS: private tiers closed to the edge", () => {
  const EDGE_CONFIG = { "private-tiers-closed-to-edge": { edgeRanges: { production: "10.20.0.0/24" }, exposedTiers: { production: ["front"] } } };
  const rule = (name: string, target: ec2.SecurityGroup, tier: string, port: number, source: { referencedSecurityGroupId: pulumi.Input<string> } | { cidrIpv4: string }) =>
    new vpc.SecurityGroupIngressRule(name, { securityGroupId: target.id, ipProtocol: "tcp", fromPort: port, toPort: port, ...source, tags: tags("production", tier) });

  it("refuses a private tier's port opened to the proxy's security group or to the edge's range", async () => {
    const report = await check(
      "aws",
      () => {
        const proxy = securityGroup("acme-production-proxy-fw", "proxy", []);
        const db = securityGroup("acme-production-db-fw", "db", []);
        rule("db-app-proxy", db, "db", 27017, { referencedSecurityGroupId: proxy.id });
        rule("db-app-edge", db, "db", 27017, { cidrIpv4: "10.20.0.0/25" });
      },
      { config: [EDGE_CONFIG] },
    );
    expect(found(report, "private-tiers-closed-to-edge")).toEqual([
      ["db-app-edge", expect.stringContaining('security group rule "db-app-edge": rule "db-app-edge" opens port 27017 of tier db (not exposed) to 10.20.0.0/25, which includes the edge 10.20.0.0/24')],
      ["db-app-proxy", expect.stringContaining('security group rule "db-app-proxy": opens port 27017 of tier db (not exposed) to the proxy\'s security group "acme-production-proxy-fw", the edge.')],
    ]);
  });

  it("allows SSH from the proxy, an exposed tier's port from the proxy and a private tier's port from its callers", async () => {
    const report = await check(
      "aws",
      () => {
        const proxy = securityGroup("acme-production-proxy-fw", "proxy", []);
        const front = securityGroup("acme-production-front-fw", "front", []);
        const db = securityGroup("acme-production-db-fw", "db", []);
        rule("db-ssh", db, "db", 22, { referencedSecurityGroupId: proxy.id });
        rule("front-app", front, "front", 3000, { referencedSecurityGroupId: proxy.id });
        rule("db-app-front", db, "db", 27017, { referencedSecurityGroupId: front.id });
      },
      { config: [EDGE_CONFIG] },
    );
    expect(report.violations).toEqual([]);
  });
});
