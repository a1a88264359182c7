/**
 * DigitalOcean's answers in the offline plan (`botinfra plan`): ids of DigitalOcean's shapes (UUIDs,
 * numbers for droplets) that stay the same for the same name, and placeholder addresses, since
 * DigitalOcean assigns every address itself: private ones from the VPC's last /24, unique within the
 * VPC, public ones from the documentation range; a droplet without public networking has none.
 */
import type * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { digitalOceanMocks } from "../../../components/digitalocean/mocks.js";

type Answer = { id: string | undefined; state: Record<string, unknown> };

const VPC_ID = "4c26c440-0eb6-2029-969c-9f780497dc0a";

let mocks: pulumi.runtime.Mocks;
beforeEach(() => {
  mocks = digitalOceanMocks();
});

const create = (type: string, name: string, inputs: Record<string, unknown> = {}, on = mocks) => on.newResource({ type, name, inputs, custom: true }) as Answer;
const vpc = (on = mocks) => create("digitalocean:index/vpc:Vpc", "acme-production-net", { name: "acme-production-net", region: "fra1", ipRange: "10.20.0.0/16" }, on);
const droplet = (name: string, inputs: Record<string, unknown> = {}) => create("digitalocean:index/droplet:Droplet", name, { name, vpcUuid: VPC_ID, size: "s-2vcpu-4gb", ...inputs });

describe("DigitalOcean ids in the offline plan", () => {
  it("gives a VPC a UUID from its name, the same in every plan, and its URN", () => {
    expect(vpc()).toEqual({ id: VPC_ID, state: { name: "acme-production-net", region: "fra1", ipRange: "10.20.0.0/16", vpcUrn: `do:vpc:${VPC_ID}` } });
    expect(vpc(digitalOceanMocks()).id).toBe(VPC_ID);
    expect(create("digitalocean:index/vpc:Vpc", "acme-staging-net", { ipRange: "10.30.0.0/16" }).id).toBe("90b30f19-0c7b-dc47-616d-fd3e3371d4fc");
  });

  it("gives droplets numeric ids of at most 31 bits, distinct per name, and their URN", () => {
    vpc();
    const first = droplet("acme-production-db-9", { publicNetworking: false });
    expect(first.id).toBe("48318094");
    expect(first.state.dropletUrn).toBe("do:droplet:48318094");
    expect(droplet("acme-production-db-10", { publicNetworking: false }).id).toBe("11688768");
  });

  it("keeps a project and a reserved IP assignment as the program asked, adding nothing", () => {
    const project = { name: "acme-production", environment: "Production", purpose: "botinfra" };
    expect(create("digitalocean:index/project:Project", "acme-production", project)).toEqual({ id: "b7dc4f56-5b8f-1416-c146-4a9f7e128106", state: project });
    const assignment = { ipAddress: "198.51.100.227", dropletId: 226051025 };
    expect(create("digitalocean:index/reservedIpAssignment:ReservedIpAssignment", "acme-production-proxy-ip", assignment)).toEqual({ id: "822ef368-c409-74f5-fc47-312e67dc99e7", state: assignment });
  });

  it("gives a volume a UUID and its URN", () => {
    expect(create("digitalocean:index/volume:Volume", "acme-production-db-9-data", { name: "acme-production-db-9-data", size: 50 })).toEqual({
      id: "c44cb9ad-ad50-ba59-e7d2-c5d3c1255074",
      state: { name: "acme-production-db-9-data", size: 50, volumeUrn: "do:volume:c44cb9ad-ad50-ba59-e7d2-c5d3c1255074" },
    });
  });
});

describe("DigitalOcean addresses in the offline plan", () => {
  it("gives private droplets distinct placeholders from the VPC's last /24 and no public address", () => {
    vpc();
    // These two names meet on one placeholder: the later one takes the next free address.
    expect(droplet("acme-production-db-9", { publicNetworking: false }).state).toMatchObject({ ipv4AddressPrivate: "10.20.255.23", ipv4Address: "" });
    expect(droplet("acme-production-db-10", { publicNetworking: false }).state).toMatchObject({ ipv4AddressPrivate: "10.20.255.24", ipv4Address: "" });
  });

  it("gives a droplet with public networking a public placeholder from the documentation range", () => {
    vpc();
    expect(droplet("acme-production-proxy-1").state).toEqual({
      name: "acme-production-proxy-1",
      vpcUuid: VPC_ID,
      size: "s-2vcpu-4gb",
      ipv4AddressPrivate: "10.20.255.61",
      ipv4Address: "198.51.100.61",
      dropletUrn: "do:droplet:226051025",
    });
  });

  it("gives an internal load balancer a private placeholder and a public one a public placeholder", () => {
    vpc();
    expect(create("digitalocean:index/loadBalancer:LoadBalancer", "acme-production-api-lb", { network: "INTERNAL", vpcUuid: VPC_ID })).toEqual({
      id: "8273cdfe-4e12-2a36-02cc-7e312fafc2dd",
      state: { network: "INTERNAL", vpcUuid: VPC_ID, ip: "10.20.255.182", loadBalancerUrn: "do:loadbalancer:8273cdfe-4e12-2a36-02cc-7e312fafc2dd" },
    });
    expect(create("digitalocean:index/loadBalancer:LoadBalancer", "acme-production-proxy-lb", { network: "EXTERNAL", vpcUuid: VPC_ID }).state.ip).toBe("198.51.100.96");
  });

  it("gives a reserved IP its address as id", () => {
    expect(create("digitalocean:index/reservedIp:ReservedIp", "acme-production-proxy-ip", { region: "fra1" })).toEqual({
      id: "198.51.100.227",
      state: { region: "fra1", ipAddress: "198.51.100.227", reservedIpUrn: "do:reservedip:198.51.100.227" },
    });
  });

  it("refuses a droplet in a VPC the plan has not created, a type and a look-up it has no answer for", () => {
    expect(() => droplet("acme-production-api-1")).toThrow(`internal: acme-production-api-1 names VPC ${VPC_ID}, which the plan has not created`);
    expect(() => create("digitalocean:index/spacesBucket:SpacesBucket", "logs")).toThrow(
      "internal: the offline planner has no DigitalOcean answer for digitalocean:index/spacesBucket:SpacesBucket (add it to components/digitalocean/mocks.ts)",
    );
    expect(() => mocks.call({ token: "digitalocean:index/getRegion:getRegion", inputs: {} })).toThrow("internal: the offline planner has no DigitalOcean answer for the function digitalocean:index/getRegion:getRegion");
    expect(mocks.newResource({ type: "botinfra:digitalocean:Tier", name: "api", inputs: {}, custom: false })).toEqual({ id: undefined, state: {} });
  });
});
