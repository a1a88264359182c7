/**
 * One contract suite, run for every cloud in the registry: each cloud's real components, planned
 * offline, against what the model promises.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { componentType } from "../../components/component-types.js";
import { cloudModule } from "../../components/registry.js";
import type { Plan, PlannedResource, PlannedStack } from "../../engine/graph.js";
import { planOffline } from "../../engine/offline.js";
import { plannedOutputs, type StackOutputs } from "../../model/outputs.js";
import { buildPlatform, type Environment, type Platform, type ServerGroup } from "../../model/platform.js";
import { CLOUDS, type Cloud } from "../../model/spec.js";
import { checkPlan } from "../../policies/offline.js";
import { coversPort, type PortRange } from "../../policies/rules/addresses.js";
import { ingressRulesOf } from "../../policies/rules/ingress.js";
import { tenantPolicyConfig } from "../../policies/tenant-config.js";
import { samplePlatforms } from "../support/plan.js";
import { sampleOn } from "../support/cloud-samples.js";

/** A committed sample tenant of the cloud, or the shipped sample moved to it. */
function sampleOf(cloud: Cloud): Platform {
  const committed = samplePlatforms().find((platform) => platform.cloud === cloud);
  if (committed) return committed;
  const { platform } = buildPlatform(sampleOn(cloud));
  if (!platform) throw new Error(`the sample tenant is invalid on ${cloud}`);
  return platform;
}

/** Every resource under a component, at any depth. */
function under(stack: PlannedStack, component: PlannedResource): PlannedResource[] {
  const children = stack.resources.filter((resource) => resource.parent === component.urn);
  return [...children, ...children.flatMap((child) => under(stack, child))];
}

/** The outputs with what the cloud assigns taken out: public addresses always, private ones where the model plans none. */
function withoutAssigned(outputs: StackOutputs, planned: StackOutputs): StackOutputs {
  const plansPrivate = planned.hosts.some((host) => host.privateIp !== undefined);
  const { publicAddress: _publicAddress, ...rest } = outputs;
  return {
    ...rest,
    hosts: outputs.hosts.map(({ publicIp: _publicIp, privateIp, ...host }) => ({ ...host, ...(plansPrivate && privateIp !== undefined ? { privateIp } : {}) })),
    loadBalancers: outputs.loadBalancers.map(({ publicIp: _publicIp, privateIp, ...balancer }) => ({ ...balancer, ...(plansPrivate && privateIp !== undefined ? { privateIp } : {}) })),
  };
}

describe("the cloud registry", () => {
  it.each(CLOUDS.map((cloud) => [cloud]))("gives %s a module whose root component loads", async (cloud) => {
    const RootComponent = await (await cloudModule(cloud)).loadRootComponent();
    expect(typeof RootComponent).toBe("function");
  });
});

describe.each(CLOUDS.map((cloud) => [cloud]))("the %s components against the contract", (cloud) => {
  const platform = sampleOf(cloud);
  let plan: Plan;
  beforeAll(async () => {
    plan = await planOffline(platform, platform.environments);
  });
  const stackOf = (environment: Environment) => plan.stacks.find((stack) => stack.environment === environment.name)!;
  const componentOf = (stack: PlannedStack, group: ServerGroup) => {
    const type = componentType(cloud, group.kind === "proxy" ? "proxy" : "tier");
    const found = stack.resources.find((resource) => resource.type === type && resource.name === group.name);
    if (!found) throw new Error(`no ${type} named ${group.name} in ${stack.stack}`);
    return found;
  };

  describe.each(platform.environments.map((environment) => [environment.name, environment] as const))("%s", (_name, environment) => {
    const groups = [environment.proxy, ...environment.tiers];

    it("is one tree: the root component named after the stack over the contract's components, every parent and dependency a resource of the stack", () => {
      const stack = stackOf(environment);
      const root = componentType(cloud, "root");
      expect(stack.resources.filter((resource) => resource.parent === undefined).map((resource) => [resource.type, resource.name])).toEqual([[root, environment.stack]]);
      const urns = new Set(stack.resources.map((resource) => resource.urn));
      expect(urns.size).toBe(stack.resources.length);
      for (const resource of stack.resources) {
        if (resource.parent !== undefined) expect(urns, `${resource.urn}: its parent`).toContain(resource.parent);
        for (const dependency of resource.dependencies) expect(urns, `${resource.urn}: its dependency`).toContain(dependency);
        expect(resource.urn.startsWith(`urn:pulumi:${stack.stack}::botinfra::${root}`), resource.urn).toBe(true);
      }
      expect(stack.resources.filter((resource) => !resource.custom).map((resource) => `${resource.type} ${resource.name}`)).toEqual([
        `${root} ${environment.stack}`,
        `${componentType(cloud, "environment")} ${environment.name}`,
        `${componentType(cloud, "proxy")} ${environment.proxy.name}`,
        ...environment.tiers.map((tier) => `${componentType(cloud, "tier")} ${tier.name}`),
      ]);
    });

    it("builds every group, load balancer and server the model plans, each in its group's component", () => {
      const stack = stackOf(environment);
      for (const group of groups) {
        const inside = under(stack, componentOf(stack, group)).filter((resource) => resource.custom).map((resource) => resource.name);
        for (const host of group.hosts) expect(inside, `${group.name}: server ${host.name}`).toContain(host.name);
        if (group.loadBalancer) expect(inside, `${group.name}: load balancer`).toContain(group.loadBalancer.name);
        else expect(inside.filter((name) => name.endsWith("-lb")), `${group.name} has no load balancer`).toEqual([]);
        for (const disk of group.hosts.flatMap((host) => (host.dataDisk ? [host.dataDisk.name] : []))) expect(inside, `${group.name}: disk ${disk}`).toContain(disk);
      }
    });

    it("exports the outputs the model plans, apart from the addresses the cloud assigns: a public one for each proxy and the stack, none elsewhere", () => {
      const planned = plannedOutputs(platform, environment);
      const outputs = stackOf(environment).outputs;
      expect(withoutAssigned(outputs, planned)).toEqual(planned);
      expect(outputs.hosts.filter((host) => host.publicIp !== undefined).map((host) => host.group)).toEqual(environment.proxy.hosts.map(() => "proxy"));
      expect(outputs.publicAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    });

    it("opens exactly the ports of the model's rules on each group, and nothing else", () => {
      const stack = stackOf(environment);
      for (const group of groups) {
        const open: PortRange[] = under(stack, componentOf(stack, group)).flatMap((resource) => (ingressRulesOf({ type: resource.type, name: resource.name, props: resource.inputs }) ?? []).flatMap((rule) => rule.ports));
        const allowed = [...new Set(group.ingress.flatMap((rule) => rule.ports))];
        for (const port of allowed) expect(open.some((range) => coversPort(range, port)), `${group.name}: port ${port} is open`).toBe(true);
        const beyond = open.filter((range) => range.from !== range.to || !allowed.includes(range.from));
        expect(beyond, `${group.name}: nothing but ${allowed.join(", ")}`).toEqual([]);
      }
    });
  });

  it("passes the policy pack with no mandatory violation", async () => {
    const report = await checkPlan(plan, [tenantPolicyConfig(platform)]);
    expect(report.violations.filter((violation) => violation.level === "mandatory")).toEqual([]);
  });
});
