/** The outputs the model promises before anything is deployed, written out for a small spec on each kind of cloud. */
import { describe, expect, it } from "vitest";
import { movedSubnets, plannedOutputs } from "../../model/outputs.js";
import { buildPlatform, type Platform } from "../../model/platform.js";
import type { Cloud, TenantSpec } from "../../model/spec.js";
import { VALID_SSH_KEY } from "../support/specs.js";

const SIZES: Record<Cloud, { region: string; size: string }> = {
  azure: { region: "westeurope", size: "Standard_B2s" },
  aws: { region: "eu-west-1", size: "t3.small" },
  digitalocean: { region: "ams3", size: "s-1vcpu-2gb" },
};

function platformOn(cloud: Cloud): Platform {
  const spec: TenantSpec = {
    tenant: "out",
    cloud,
    region: SIZES[cloud].region,
    domain: "out.example.com",
    admin: { username: "botadmin", sshPublicKeys: [VALID_SSH_KEY] },
    environments: {
      production: { cidr: "10.40.0.0/16", proxy: { count: 2 }, tiers: { api: { count: 1, size: SIZES[cloud].size, port: 8080, expose: "api" } } },
    },
  };
  const result = buildPlatform(spec);
  if (!result.platform) throw new Error(JSON.stringify(result.issues));
  return result.platform;
}

describe("plannedOutputs", () => {
  it("promises every planned address and subnet where the cloud takes them (Azure), none that the cloud assigns", () => {
    for (const cloud of ["azure"] as const) {
      const platform = platformOn(cloud);
      const outputs = plannedOutputs(platform, platform.environments[0]!);
      expect(outputs).toEqual({
        tenant: "out",
        environment: "production",
        stack: "out-production",
        cloud,
        hosts: [
          { name: "out-production-proxy-1", group: "proxy", privateIp: "10.40.0.5" },
          { name: "out-production-proxy-2", group: "proxy", privateIp: "10.40.0.133" },
          { name: "out-production-api-1", group: "api", privateIp: "10.40.1.5" },
        ],
        loadBalancers: [
          { group: "proxy", public: true, dnsName: "proxy.production.out.internal" },
          { group: "api", public: false, privateIp: "10.40.1.4", dnsName: "api.production.out.internal" },
        ],
        subnets: [
          { group: "proxy", cidr: "10.40.0.0/24" },
          { group: "api", cidr: "10.40.1.0/24" },
        ],
        routes: platform.environments[0]!.routes,
      });
      expect(outputs.routes).toEqual([
        { host: "api.out.example.com", environment: "production", tier: "api", port: 8080, upstreamDnsName: "api.production.out.internal" },
      ]);
    }
  });

  it("leaves out every private address and subnet on a cloud that assigns addresses itself (DigitalOcean)", () => {
    const platform = platformOn("digitalocean");
    const outputs = plannedOutputs(platform, platform.environments[0]!);
    expect(outputs.hosts).toStrictEqual([
      { name: "out-production-proxy-1", group: "proxy" },
      { name: "out-production-proxy-2", group: "proxy" },
      { name: "out-production-api-1", group: "api" },
    ]);
    expect(outputs.loadBalancers).toStrictEqual([
      { group: "proxy", public: true, dnsName: "proxy.production.out.internal" },
      { group: "api", public: false, dnsName: "api.production.out.internal" },
    ]);
    expect(outputs.subnets).toEqual([]);
  });

  it("promises each server's zone on a cloud with zones (AWS), the servers of a group alternating between two", () => {
    const platform = platformOn("aws");
    expect(plannedOutputs(platform, platform.environments[0]!).hosts).toStrictEqual([
      { name: "out-production-proxy-1", group: "proxy", zone: 0, privateIp: "10.40.0.5" },
      { name: "out-production-proxy-2", group: "proxy", zone: 1, privateIp: "10.40.0.133" },
      { name: "out-production-api-1", group: "api", zone: 0, privateIp: "10.40.1.5" },
    ]);
  });
});

describe("movedSubnets", () => {
  it("lists the deployed subnets the plan would put elsewhere, not those it keeps or no longer has", () => {
    const environment = platformOn("azure").environments[0]!;
    const deployed = (cidrs: Record<string, string>) => ({ subnets: Object.entries(cidrs).map(([group, cidr]) => ({ group, cidr })) });
    expect(movedSubnets(environment, deployed({ proxy: "10.40.0.0/24", api: "10.40.1.0/24" }))).toEqual([]);
    expect(movedSubnets(environment, deployed({ proxy: "10.40.0.0/24", api: "10.40.9.0/24", gone: "10.40.5.0/24" }))).toEqual([
      { group: "api", deployed: "10.40.9.0/24", planned: "10.40.1.0/24" },
    ]);
    expect(movedSubnets(environment, {})).toEqual([]);
  });
});
