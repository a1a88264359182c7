/** What every rule reads of a resource: its tags on each cloud, its name in messages, the resources linked to it. */
import { describe, expect, it } from "vitest";
import { TAG_KEYS } from "../../model/platform.js";
import { tagNames } from "../../model/tags.js";
import { asProps, describe as describeResource, StackRoles, tagsOf } from "../../policies/rules/resources.js";
import { AWS, DIGITALOCEAN } from "../../policies/rules/types.js";
import { tags } from "../support/policy-check.js";
import { stackResource } from "../support/policy-direct.js";

const TAG_CONFIG = { environmentTag: TAG_KEYS.environment, tierTag: TAG_KEYS.tier, proxyTier: "proxy" };

describe("reading props", () => {
  it("takes only a mapping as props: not a list, null or a string", () => {
    expect([asProps({ a: 1 }), asProps([]), asProps(null), asProps("x"), asProps(undefined)]).toEqual([{ a: 1 }, undefined, undefined, undefined, undefined]);
  });
});

describe("tagsOf", () => {
  it("keeps the string tags of an Azure or AWS resource, and none of a resource of no known cloud", () => {
    expect(tagsOf({ type: AWS.instance, props: { tags: { tier: "api", count: 2, environment: "production" } } })).toEqual({ tier: "api", environment: "production" });
    expect(tagsOf({ type: AWS.instance, props: {} })).toEqual({});
    expect(tagsOf({ type: "random:index/randomPassword:RandomPassword", props: { tags: { tier: "api" } } })).toBeUndefined();
  });

  it("reads DigitalOcean's `key:value` tag names on the resources they label, not on a firewall (whose tags name droplets)", () => {
    expect(tagsOf({ type: DIGITALOCEAN.droplet, props: { tags: tagNames(tags("production", "api")) } })).toEqual(tags("production", "api"));
    expect(tagsOf({ type: DIGITALOCEAN.firewall, props: { tags: tagNames(tags("production", "api")) } })).toBeUndefined();
  });
});

describe("describe", () => {
  it("names a resource by its kind, from the type token when it has no title", () => {
    expect(describeResource({ type: AWS.securityGroup, name: "api-sg" })).toBe('security group "api-sg"');
    expect(describeResource({ type: "aws:ec2/keyPair:KeyPair", name: "admin" })).toBe('KeyPair "admin"');
  });
});

describe("linked resources", () => {
  it("are the resource's dependencies, its dependents and what they associate, each once and never itself", () => {
    const instance = stackResource(AWS.instance, "proxy-1", { tags: tags("production", "proxy") });
    const eip = stackResource(AWS.eip, "proxy-ip", { instance: "i-1" }, { dependencies: [instance] });
    const association = stackResource(AWS.eipAssociation, "proxy-ip-association", {}, { dependencies: [eip, instance] });
    const roles = new StackRoles([instance, eip, association], TAG_CONFIG);
    expect(roles.linked(eip).map((resource) => resource.name)).toEqual(["proxy-1", "proxy-ip-association"]);
    expect([...roles.tiers(eip)]).toEqual(["proxy"]);
    expect(roles.isProxy(eip)).toBe(true);
  });

  it("on DigitalOcean include the droplets a firewall or load balancer targets by tag, and nothing else carrying that tag", () => {
    const label = "acme-production-api";
    const droplet = stackResource(DIGITALOCEAN.droplet, "api-1", { tags: [label, ...tagNames(tags("production", "api"))] });
    const volume = stackResource(DIGITALOCEAN.volume, "api-1-data", { tags: [label, ...tagNames(tags("production", "api"))] });
    const firewall = stackResource(DIGITALOCEAN.firewall, "api-fw", { tags: [label] });
    const balancer = stackResource(DIGITALOCEAN.loadBalancer, "api-lb", { dropletTag: label });
    const roles = new StackRoles([droplet, volume, firewall, balancer], TAG_CONFIG);
    expect(roles.linked(firewall).map((resource) => resource.name)).toEqual(["api-1"]);
    expect(roles.linked(balancer).map((resource) => resource.name)).toEqual(["api-1"]);
    expect(roles.isProxy(firewall)).toBe(false);
  });
});
