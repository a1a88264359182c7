/**
 * production-tiers-highly-available and digitalocean-production-redundancy in process: the exact
 * findings for a tier too small, VMs outside the availability set, instances outside a spread
 * placement group or all in one zone (read from the instance or from its subnet).
 */
import type { PolicyResource } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { tagNames } from "../../model/tags.js";
import { digitalOceanProductionRedundancy, productionTiersHighlyAvailable } from "../../policies/rules/availability.js";
import { AWS, AZURE, DIGITALOCEAN } from "../../policies/rules/types.js";
import { tags } from "../support/policy-check.js";
import { runStack, stackResource } from "../support/policy-direct.js";

const vm = (name: string, props: Record<string, unknown> = {}, tier = "api") => stackResource(AZURE.virtualMachine, name, { ...props, tags: tags("production", tier) });
const inSet = { availabilitySet: { id: "/subscriptions/1/availabilitySets/api" } };

const instance = (name: string, props: Record<string, unknown>, dependencies: PolicyResource[] = [], tier = "api") =>
  stackResource(AWS.instance, name, { ...props, tags: tags("production", tier) }, { dependencies });
const placementGroup = (name: string, strategy: string, tier = "api") => stackResource(AWS.placementGroup, name, { name, strategy, tags: tags("production", tier) });
const subnet = (name: string, zone: Record<string, string>) => stackResource(AWS.subnet, name, { ...zone, tags: tags("production", "api") });

describe("production-tiers-highly-available", () => {
  it("counts a tier's servers against minServers, in words that fit the count", () => {
    expect(runStack(productionTiersHighlyAvailable, [vm("api-1", inSet)])).toEqual([
      ["api-1", 'tier "api" of production runs on 1 server (api-1); production tiers need at least 2: raise its count.'],
    ]);
    expect(runStack(productionTiersHighlyAvailable, [vm("api-1", inSet), vm("api-2", inSet)], { minServers: 3 })).toEqual([
      ["api-1", 'tier "api" of production runs on 2 servers (api-1, api-2); production tiers need at least 3: raise its count.'],
    ]);
  });

  it("Azure: names only the VMs outside the availability set, unless the tier is spread over zones", () => {
    const message = 'VMs of tier "api" in production (api-2) are neither in an availability set nor spread over zones: put them in the tier\'s availability set.';
    expect(runStack(productionTiersHighlyAvailable, [vm("api-1", inSet), vm("api-2", { availabilitySet: {} })])).toEqual([["api-1", message]]);
    expect(runStack(productionTiersHighlyAvailable, [vm("api-1", { zones: ["1"] }), vm("api-2", { zones: ["2"] })])).toEqual([]);
    expect(runStack(productionTiersHighlyAvailable, [vm("api-1", inSet), vm("api-2", inSet)])).toEqual([]);
  });

  it("AWS: an instance placed by group id is placed; another group's strategy or a same-named resource is not its group's", () => {
    const resources = [
      placementGroup("acme-production-db-ha", "cluster", "db"),
      stackResource(AWS.launchTemplate, "api-template", { name: "acme-production-api-ha", tags: tags("production", "api") }),
      placementGroup("acme-production-api-ha", "partition"),
      instance("api-1", { placementGroupId: "pg-1", availabilityZone: "eu-west-1a" }),
      instance("api-2", { placementGroup: "acme-production-api-ha", availabilityZone: "eu-west-1b" }),
    ];
    expect(runStack(productionTiersHighlyAvailable, resources)).toEqual([]);
    const unplaced = [instance("api-1", { availabilityZone: "eu-west-1a" }), instance("api-2", { placementGroupId: "pg-1", availabilityZone: "eu-west-1b" })];
    expect(runStack(productionTiersHighlyAvailable, unplaced)).toEqual([
      ["api-1", 'instances of tier "api" in production (api-1) are in no placement group: put them in a placement group with strategy "spread".'],
    ]);
  });

  it("AWS: reads an instance's zone from its subnet when the instance names none", () => {
    const zoneA = subnet("subnet-a", { availabilityZone: "eu-west-1a" });
    const zoneB = subnet("subnet-b", { availabilityZone: "eu-west-1b" });
    const byId = subnet("subnet-id", { availabilityZoneId: "euw1-az1" });
    const placed = { placementGroup: "acme-production-api-ha" };
    const group = placementGroup("acme-production-api-ha", "spread");
    expect(runStack(productionTiersHighlyAvailable, [group, zoneA, byId, instance("api-1", placed, [byId, zoneA]), instance("api-2", placed, [zoneA])])).toEqual([
      ["api-1", 'instances of tier "api" in production are all in eu-west-1a: spread them over two or more availability zones.'],
    ]);
    expect(runStack(productionTiersHighlyAvailable, [group, zoneA, zoneB, instance("api-1", placed, [zoneA]), instance("api-2", placed, [zoneB])])).toEqual([]);
  });
});

describe("digitalocean-production-redundancy", () => {
  const droplet = (name: string, environment = "production") =>
    stackResource(DIGITALOCEAN.droplet, name, { tags: tagNames(tags(environment, "api")) });

  it("counts production droplets per tier only", () => {
    expect(runStack(digitalOceanProductionRedundancy, [droplet("api-1"), droplet("dev-api-1", "development"), droplet("dev-api-2", "development")])).toEqual([
      ["api-1", 'tier "api" of production runs on 1 server (api-1); production tiers need at least 2: raise its count.'],
    ]);
    expect(runStack(digitalOceanProductionRedundancy, [droplet("api-1"), droplet("api-2")])).toEqual([]);
  });
});
