/**
 * AWS's answers in the offline plan (`botinfra plan`): what the plan shows as AWS's ids, ARNs,
 * addresses and look-ups. Ids and ARNs must have AWS's shape and stay the same for the same name
 * (a plan is the same on every run), differ between names, and carry the names and addresses the
 * program asked for; the only invented addresses are documentation placeholders.
 */
import type * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { awsMocks, OFFLINE_IMAGES } from "../../../components/aws/mocks.js";
import { debianImageQuery } from "../../support/aws-images.js";

type Answer = { id: string | undefined; state: Record<string, unknown> };

let mocks: pulumi.runtime.Mocks;
beforeEach(() => {
  mocks = awsMocks();
});

const create = (type: string, name: string, inputs: Record<string, unknown> = {}, on = mocks) => on.newResource({ type, name, inputs, custom: true }) as Answer;
const call = (token: string, inputs: Record<string, unknown> = {}) => mocks.call({ token, inputs }) as Record<string, unknown>;

describe("AWS ids and ARNs in the offline plan", () => {
  it("gives a VPC an id of AWS's shape (prefix, 17 hex digits) and its ARN in the offline region of the placeholder account, keeping what the program asked", () => {
    const vpc = create("aws:ec2/vpc:Vpc", "acme-production-net", { cidrBlock: "10.20.0.0/16", enableDnsHostnames: true });
    expect(vpc).toEqual({
      id: "vpc-0d6e5691cc07ad9ac",
      state: { cidrBlock: "10.20.0.0/16", enableDnsHostnames: true, arn: "arn:aws:ec2:offline:000000000000:vpc/vpc-0d6e5691cc07ad9ac" },
    });
  });

  it("gives the same name the same id in every plan, and different names different ids", () => {
    const first = create("aws:ec2/instance:Instance", "acme-production-api-1", { privateIp: "10.20.1.10" });
    const again = create("aws:ec2/instance:Instance", "acme-production-api-1", { privateIp: "10.20.1.10" }, awsMocks());
    const second = create("aws:ec2/instance:Instance", "acme-production-api-2", { privateIp: "10.20.1.11" });
    expect(first.id).toBe("i-0cb42a6917d1e84b7");
    expect(again.id).toBe(first.id);
    expect(second.id).toBe("i-0cb42a7917d1e866a");
    expect(create("aws:ec2/vpc:Vpc", "acme-staging-net").id).toBe("vpc-083f6e9005f878680");
  });

  it("keeps the private address the program asked for", () => {
    expect(create("aws:ec2/instance:Instance", "acme-production-api-1", { privateIp: "10.20.1.10" }).state).toEqual({
      privateIp: "10.20.1.10",
      arn: "arn:aws:ec2:offline:000000000000:instance/i-0cb42a6917d1e84b7",
    });
  });

  it("puts a resource's own region in its ARN when the program names one", () => {
    expect(create("aws:ec2/vpc:Vpc", "acme-production-net", { region: "eu-west-1" }).state.arn).toBe("arn:aws:ec2:eu-west-1:000000000000:vpc/vpc-0d6e5691cc07ad9ac");
  });

  it("names IAM roles in region-less ARNs, by the name the program gave (or the resource's)", () => {
    expect(create("aws:iam/role:Role", "acme-production-net-flow-logs", { name: "acme-production-flow-role" })).toEqual({
      id: "acme-production-flow-role",
      state: { name: "acme-production-flow-role", arn: "arn:aws:iam::000000000000:role/acme-production-flow-role" },
    });
    expect(create("aws:iam/role:Role", "acme-production-net-flow-logs").state.arn).toBe("arn:aws:iam::000000000000:role/acme-production-net-flow-logs");
  });

  it("gives a log group its name as id and in its ARN", () => {
    const logGroup = create("aws:cloudwatch/logGroup:LogGroup", "acme-production-net-flow-logs", { name: "/botinfra/acme-production/flow-logs", retentionInDays: 90 });
    expect(logGroup).toEqual({
      id: "/botinfra/acme-production/flow-logs",
      state: { name: "/botinfra/acme-production/flow-logs", retentionInDays: 90, arn: "arn:aws:logs:offline:000000000000:log-group:/botinfra/acme-production/flow-logs" },
    });
  });

  it("gives a resource without prefix or ARN its name and a suffix as id", () => {
    expect(create("aws:iam/rolePolicy:RolePolicy", "acme-production-net-flow-logs", { role: "acme-production-flow-role" })).toEqual({
      id: "acme-production-net-flow-logs-0e2d9583e38b027ca",
      state: { role: "acme-production-flow-role" },
    });
  });

  it("gives a placement group its name as id and a pg- group id", () => {
    expect(create("aws:ec2/placementGroup:PlacementGroup", "acme-production-db-spread", { name: "acme-production-db-spread", strategy: "spread" })).toEqual({
      id: "acme-production-db-spread",
      state: {
        name: "acme-production-db-spread",
        strategy: "spread",
        arn: "arn:aws:ec2:offline:000000000000:placement-group/acme-production-db-spread",
        placementGroupId: "pg-09334833a8d4268c9",
      },
    });
  });

  it("gives a private zone its zone id, and a record its name as fqdn", () => {
    expect(create("aws:route53/zone:Zone", "production.acme.internal", { name: "production.acme.internal" })).toEqual({
      id: "Z-0a92c017b825c17c5",
      state: { name: "production.acme.internal", zoneId: "Z-0a92c017b825c17c5" },
    });
    const record = { zoneId: "Z-0a92c017b825c17c5", name: "api-1.production.acme.internal", type: "A", records: ["10.20.1.10"] };
    expect(create("aws:route53/record:Record", "api-1.production.acme.internal", record)).toEqual({
      id: "api-1.production.acme.internal-001acf03d71b12343",
      state: { ...record, fqdn: "api-1.production.acme.internal" },
    });
  });

  it("gives an Elastic IP its allocation id and a public address from the documentation range", () => {
    expect(create("aws:ec2/eip:Eip", "acme-production-nat-eip", { domain: "vpc" })).toEqual({
      id: "eipalloc-01cf4baacc73e5753",
      state: { domain: "vpc", arn: "arn:aws:ec2:offline:000000000000:elastic-ip/eipalloc-01cf4baacc73e5753", allocationId: "eipalloc-01cf4baacc73e5753", publicIp: "198.51.100.173" },
    });
  });

  it("gives a load balancer, its target groups and listeners their ARN as id, with AWS's 16-digit suffix, and the balancer a DNS name", () => {
    expect(create("aws:lb/loadBalancer:LoadBalancer", "acme-production-api-lb", { name: "acme-production-api-lb", internal: true })).toEqual({
      id: "arn:aws:elasticloadbalancing:offline:000000000000:loadbalancer/net/acme-production-api-lb/d2272a81322ea7e4",
      state: {
        name: "acme-production-api-lb",
        internal: true,
        arn: "arn:aws:elasticloadbalancing:offline:000000000000:loadbalancer/net/acme-production-api-lb/d2272a81322ea7e4",
        dnsName: "acme-production-api-lb-0d2272a813.elb.amazonaws.com",
        zoneId: "ZOFFLINEPLANNLB",
      },
    });
    expect(create("aws:lb/targetGroup:TargetGroup", "acme-production-api-8080", { name: "acme-production-api-8080", port: 8080 })).toEqual({
      id: "arn:aws:elasticloadbalancing:offline:000000000000:targetgroup/acme-production-api-8080/a5f83f51c7d1a632",
      state: { name: "acme-production-api-8080", port: 8080, arn: "arn:aws:elasticloadbalancing:offline:000000000000:targetgroup/acme-production-api-8080/a5f83f51c7d1a632" },
    });
    expect(create("aws:lb/listener:Listener", "acme-production-api-lb-8080", { port: 8080 })).toEqual({
      id: "arn:aws:elasticloadbalancing:offline:000000000000:listener/net/acme-production-api-lb-8080/a63f1d80b209dd5b",
      state: { port: 8080, arn: "arn:aws:elasticloadbalancing:offline:000000000000:listener/net/acme-production-api-lb-8080/a63f1d80b209dd5b" },
    });
  });

  it("answers a component with nothing, and refuses a type it has no answer for, naming where to add it", () => {
    expect(mocks.newResource({ type: "botinfra:aws:Tier", name: "api", inputs: {}, custom: false })).toEqual({ id: undefined, state: {} });
    expect(() => create("aws:s3/bucket:Bucket", "logs")).toThrow("internal: the offline planner has no AWS answer for aws:s3/bucket:Bucket (add it to components/aws/mocks.ts)");
  });
});

describe("AWS look-ups in the offline plan", () => {
  it("lists three available offline zones", () => {
    expect(call("aws:index/getAvailabilityZones:getAvailabilityZones", { state: "available" })).toEqual({
      id: "zones",
      names: ["offline-zone-a", "offline-zone-b", "offline-zone-c"],
      zoneIds: ["off-az1", "off-az2", "off-az3"],
      state: "available",
    });
  });

  it("finds the offline Debian image of the architecture asked for", () => {
    const lookUp = (architecture: "amd64" | "arm64", awsArchitecture: "x86_64" | "arm64") => call("aws:ec2/getAmi:getAmi", debianImageQuery(architecture, awsArchitecture));
    expect(lookUp("amd64", "x86_64")).toEqual({ id: OFFLINE_IMAGES.amd64, imageId: OFFLINE_IMAGES.amd64, name: "debian-12-amd64-offline-plan", architecture: "x86_64" });
    expect(lookUp("arm64", "arm64")).toEqual({ id: OFFLINE_IMAGES.arm64, imageId: OFFLINE_IMAGES.arm64, name: "debian-12-arm64-offline-plan", architecture: "arm64" });
  });

  it("refuses a look-up it has no answer for", () => {
    expect(() => call("aws:ec2/getVpc:getVpc")).toThrow("internal: the offline planner has no AWS answer for the function aws:ec2/getVpc:getVpc");
  });
});
