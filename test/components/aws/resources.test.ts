/**
 * What the AWS components ask AWS for, literally: the security and wiring inputs an operator relies on
 * (names, descriptions, rules, encryption, instance metadata, NAT gateways, flow logs' permissions,
 * DNS records) and what each component reports in the state. Initech's two stacks under AWS's mock
 * answers, built once in one hook (a mutant is switched on before it).
 */
import type * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { aws } from "../../../components/aws/index.js";
import { awsMocks } from "../../../components/aws/mocks.js";
import { AwsPlatform } from "../../../components/aws/platform.js";
import type { PlannedResource } from "../../../engine/graph.js";
import { environmentOf, inputsOf, recordComponentOutputs, registered, samplePlatforms, type Resources } from "../../support/plan.js";

const platform = samplePlatforms().find((candidate) => candidate.tenant === "initech")!;
const TAGS = { environment: "production", "managed-by": "botinfra", tenant: "initech" };
const tagsOf = (tier: string) => ({ ...TAGS, tier });

interface Built {
  resources: Resources;
  components: Map<string, Record<string, unknown>>;
}

async function build(environmentName: string, mocks: pulumi.runtime.Mocks = awsMocks()): Promise<Built> {
  const environment = environmentOf(platform, environmentName);
  let components = new Map<string, Record<string, unknown>>();
  const resources = await registered(
    environment,
    async () => {
      components = recordComponentOutputs();
      return new AwsPlatform(environment.stack, { platform, environment }).outputs;
    },
    { mocks, config: aws.offlineConfig(platform, environment) as Record<string, string> },
  );
  return { resources, components };
}

/** AWS's answers, but reporting staging chat's second subnet elsewhere than the program asked. */
function movedSubnetMocks(): pulumi.runtime.Mocks {
  const mocks = awsMocks();
  return {
    ...mocks,
    newResource: async (args) => {
      const answer = await mocks.newResource(args);
      return args.name === "initech-staging-chat-1" && args.type === "aws:ec2/subnet:Subnet" ? { ...answer, state: { ...answer.state, cidrBlock: "10.31.9.128/25" } } : answer;
    },
  };
}

describe("the AWS components' inputs (initech)", () => {
  let production: Built;
  let staging: Built;
  let moved: unknown;
  beforeAll(async () => {
    production = await build("production");
    staging = await build("staging");
    moved = await build("staging", movedSubnetMocks()).catch((error: unknown) => error);
  }, 60_000);

  const named = (type: string, name: string, built = production) => built.resources.named(type, name);
  const inputs = (type: string, name: string, built = production) => inputsOf<Record<string, unknown>>(named(type, name, built));
  const dependsOn = (resource: PlannedResource, other: PlannedResource) => resource.dependencies.includes(other.urn);

  it("groups the environment's resources by a tag query on tenant and environment", () => {
    expect(inputs("aws:resourcegroups/group:Group", "initech-production")).toEqual({
      name: "initech-production",
      description: "Everything botinfra built for initech-production",
      resourceQuery: {
        type: "TAG_FILTERS_1_0",
        query: '{"ResourceTypeFilters":["AWS::AllSupported"],"TagFilters":[{"Key":"tenant","Values":["initech"]},{"Key":"environment","Values":["production"]}]}',
      },
      tags: TAGS,
    });
  });

  it("names the internet gateway, the public route table, the private zone and the planned block's reservation", () => {
    expect(inputs("aws:ec2/internetGateway:InternetGateway", "initech-production-net-igw").tags).toEqual({ ...TAGS, Name: "initech-production-net-igw" });
    expect(inputs("aws:ec2/routeTable:RouteTable", "initech-production-net-public").tags).toEqual({ ...TAGS, Name: "initech-production-net-public" });
    expect(inputs("aws:route53/zone:Zone", "production.initech.internal")).toMatchObject({ name: "production.initech.internal", comment: "initech-production's private names" });
    expect(inputs("aws:ec2/subnetCidrReservation:SubnetCidrReservation", "initech-production-proxy-0-planned")).toMatchObject({
      cidrBlock: "10.30.0.0/27",
      reservationType: "explicit",
      description: "addresses botinfra plans",
    });
  });

  it("gives production a NAT gateway per zone, each with its own VPC address and only once the internet gateway exists", () => {
    const gateway = named("aws:ec2/internetGateway:InternetGateway", "initech-production-net-igw");
    for (const zone of [0, 1]) {
      expect(inputs("aws:ec2/eip:Eip", `initech-production-nat-${zone}-eip`)).toEqual({ domain: "vpc", tags: { ...TAGS, Name: `initech-production-nat-${zone}-eip` } });
      expect(dependsOn(named("aws:ec2/natGateway:NatGateway", `initech-production-nat-${zone}`), gateway)).toBe(true);
    }
  });

  it("gives staging one NAT gateway, which both zones' private routes use", () => {
    const gateways = staging.resources.ofType("aws:ec2/natGateway:NatGateway");
    expect(gateways.map((gateway) => gateway.name)).toEqual(["initech-staging-nat-0"]);
    for (const zone of [0, 1]) expect(dependsOn(named("aws:ec2/route:Route", `initech-staging-net-private-${zone}-default`, staging), gateways[0]!)).toBe(true);
  });

  it("describes each security group and lets its servers out anywhere, its balancer only into the VPC, on every protocol", () => {
    expect(inputs("aws:ec2/securityGroup:SecurityGroup", "initech-production-chat-fw").description).toBe("chat's servers: inbound only from the peers botinfra's model names");
    expect(inputs("aws:ec2/securityGroup:SecurityGroup", "initech-production-chat-lb-fw").description).toBe("chat's load balancer: inbound only from the peers botinfra's model names");
    expect(inputs("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "initech-production-chat-fw-egress")).toMatchObject({
      ipProtocol: "-1",
      cidrIpv4: "0.0.0.0/0",
      description: "outbound through the NAT gateway or the proxy's address",
      tags: tagsOf("chat"),
    });
    expect(inputs("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "initech-production-chat-lb-fw-egress")).toMatchObject({
      ipProtocol: "-1",
      cidrIpv4: "10.30.0.0/16",
      description: "to the servers behind it",
    });
  });

  it("sends rejected traffic to its own log group, written by a role the flow-logs service alone assumes, allowed only to write there", () => {
    const logGroup = "arn:aws:logs:offline:000000000000:log-group:/botinfra/initech-production/flow-logs";
    expect(inputs("aws:cloudwatch/logGroup:LogGroup", "initech-production-net-flow-logs")).toMatchObject({ name: "/botinfra/initech-production/flow-logs", retentionInDays: 90 });
    expect(inputs("aws:iam/role:Role", "initech-production-net-flow-logs")).toMatchObject({
      name: "initech-production-net-flow-logs",
      description: "Writes initech-production-net's flow logs",
      assumeRolePolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"vpc-flow-logs.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
    });
    expect(inputs("aws:iam/rolePolicy:RolePolicy", "initech-production-net-flow-logs").policy).toBe(
      `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents","logs:DescribeLogStreams"],"Resource":["${logGroup}","${logGroup}:*"]}]}`,
    );
    expect(inputs("aws:ec2/flowLog:FlowLog", "initech-production-net-flow-logs")).toMatchObject({ trafficType: "REJECT", logDestinationType: "cloud-watch-logs", logDestination: logGroup });
  });

  it("builds a server with IMDSv2 only, no instance tags in metadata, an encrypted named root volume that goes with it, one-minute metrics", () => {
    const server = inputs("aws:ec2/instance:Instance", "initech-production-chat-1");
    expect(server.metadataOptions).toEqual({ httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" });
    expect(server.rootBlockDevice).toEqual({ volumeType: "gp3", encrypted: true, volumeSize: 20, deleteOnTermination: true, tags: { ...tagsOf("chat"), Name: "initech-production-chat-1-root" } });
    expect(server).toMatchObject({ monitoring: true, disableApiTermination: true });
  });

  it("creates the admin user with sudo, a locked password and each key on one line, and no root login", () => {
    expect(inputs("aws:ec2/instance:Instance", "initech-production-chat-1").userData).toBe(
      [
        "#cloud-config",
        "hostname: initech-production-chat-1",
        "disable_root: true",
        "ssh_pwauth: false",
        "users:",
        "  - name: botadmin",
        "    groups:",
        "      - sudo",
        "    shell: /bin/bash",
        "    sudo: ALL=(ALL) NOPASSWD:ALL",
        "    lock_passwd: true",
        "    ssh_authorized_keys:",
        "      - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJE5Eo5AGXTotl9+mE98fz/9CI+nehkqRQEo3YGYamBj ops@initech",
        "",
      ].join("\n"),
    );
  });

  it("puts every server, the proxies' too, in its own group's security group and that one only", () => {
    for (const built of [production, staging]) {
      for (const server of built.resources.ofType("aws:ec2/instance:Instance")) {
        const group = server.name.replace(/^initech-\w+-(\w+)-\d+$/, "$1");
        const securityGroup = built.resources.named("aws:ec2/securityGroup:SecurityGroup", server.name.replace(/-\d+$/, "-fw"));
        expect(inputsOf<{ vpcSecurityGroupIds: string[] }>(server).vpcSecurityGroupIds, server.name).toHaveLength(1);
        expect(dependsOn(server, securityGroup), `${server.name} in ${group}'s group`).toBe(true);
      }
    }
  });

  it("gives each proxy server an elastic IP in the VPC attached to it", () => {
    const address = named("aws:ec2/eip:Eip", "initech-production-proxy-1-eip");
    expect(inputsOf(address)).toMatchObject({ domain: "vpc", instance: expect.stringMatching(/^i-[0-9a-f]{17}$/) });
    expect(dependsOn(address, named("aws:ec2/instance:Instance", "initech-production-proxy-1"))).toBe(true);
  });

  it("checks each balancer target on its own port over TCP and forwards each listener to its target group", () => {
    expect(inputs("aws:lb/targetGroup:TargetGroup", "initech-production-chat-tg").healthCheck).toEqual({
      protocol: "TCP",
      port: "traffic-port",
      interval: 10,
      healthyThreshold: 3,
      unhealthyThreshold: 3,
    });
    const listener = named("aws:lb/listener:Listener", "initech-production-chat-lb-8080");
    expect(inputsOf<{ defaultActions: unknown }>(listener).defaultActions).toEqual([
      { type: "forward", targetGroupArn: expect.stringMatching(/^arn:aws:elasticloadbalancing:offline:000000000000:targetgroup\/initech-production-chat-tg\//) },
    ]);
    expect(dependsOn(listener, named("aws:lb/targetGroup:TargetGroup", "initech-production-chat-tg"))).toBe(true);
  });

  it("names each server by its address, a stateful tier by all of them, a balanced tier as an alias of its balancer", () => {
    const record = (name: string) => inputs("aws:route53/record:Record", name);
    expect(record("chat-1.production.initech.internal")).toMatchObject({ type: "A", ttl: 300, records: ["10.30.1.5"] });
    expect(record("store.production.initech.internal")).toMatchObject({ type: "A", ttl: 300, records: ["10.30.3.5", "10.30.3.133", "10.30.3.6"] });
    expect(record("chat.production.initech.internal")).toMatchObject({
      type: "A",
      aliases: [{ name: expect.stringMatching(/^initech-production-chat-lb-[0-9a-f]{10}\.elb\.amazonaws\.com$/), zoneId: "ZOFFLINEPLANNLB", evaluateTargetHealth: true }],
    });
  });

  it("reports in the state what each component built: the network's ids, each group's hosts, subnets and addresses, the stack's outputs", () => {
    const { components } = staging;
    expect(components.get("staging")).toEqual({
      vpcId: expect.stringMatching(/^vpc-/),
      dnsZoneId: expect.stringMatching(/^Z-/),
      natGatewayIds: [expect.stringMatching(/^nat-/)],
    });
    expect(components.get("chat")).toEqual({
      subnetIds: [expect.stringMatching(/^subnet-/), expect.stringMatching(/^subnet-/)],
      hosts: [{ group: "chat", name: "initech-staging-chat-1", privateIp: "10.31.1.5", zone: 0 }],
      loadBalancer: { group: "chat", public: false, privateIp: "10.31.1.4", dnsName: "chat.staging.initech.internal" },
      subnet: { group: "chat", cidr: "10.31.1.0/24" },
    });
    expect(components.get("proxy")).toEqual({
      hosts: [{ group: "proxy", name: "initech-staging-proxy-1", privateIp: "10.31.0.5", publicIp: "198.51.100.171", zone: 0 }],
      publicAddress: "198.51.100.171",
      subnet: { group: "proxy", cidr: "10.31.0.0/24" },
    });
    expect(components.get("initech-staging")).toEqual({ outputs: staging.resources.outputs });
    expect(staging.resources.outputs).toMatchObject({ stack: "initech-staging", publicAddress: "198.51.100.171" });
  });

  it("stops when AWS reports a group's subnets elsewhere than the model's halves", () => {
    expect(moved).toBeInstanceOf(Error);
    // The SDK puts the outputs' path in front of it.
    expect((moved as Error).message).toContain("internal: AWS reported chat's subnets as 10.31.1.0/25, 10.31.9.128/25, not 10.31.1.0/25, 10.31.1.128/25");
  });
});
