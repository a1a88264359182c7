/** Running components under the mock runtime for tests, and reading what they registered. */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll } from "vitest";
import type { Environment, Platform } from "../../model/platform.js";
import { listTenantNames, loadTenant } from "../../spec-files/load.js";
import { azureMocks } from "../../components/azure/mocks.js";
import { evaluateStack, planOffline } from "../../engine/offline.js";
import type { PlannedResource, PlannedStack } from "../../engine/graph.js";
import { TENANTS_DIR as SPEC_FOLDER } from "../../stacks/config.js";
import { REPO_ROOT } from "./cli.js";

export const TENANTS_DIR = `${REPO_ROOT}${SPEC_FOLDER}`;

/** The sample tenants shipped in stacks/tenants/, loaded as a user's would be. */
export function samplePlatforms(): Platform[] {
  return listTenantNames(TENANTS_DIR).map((name) => loadTenant({ name, tenantsDir: TENANTS_DIR }).platform);
}

export interface PlannedEnvironment {
  stack: PlannedStack;
  resources: Resources;
}

/** Every environment of the platform planned as `botinfra plan` plans it, once, before the calling suite's tests; by environment name. */
export function plannedOnce(platform: Platform): ReadonlyMap<string, PlannedEnvironment> {
  const planned = new Map<string, PlannedEnvironment>();
  beforeAll(async () => {
    const plan = await planOffline(platform, platform.environments);
    for (const stack of plan.stacks) planned.set(stack.environment, { stack, resources: new Resources(stack.resources, stack.outputs as unknown as Record<string, unknown>) });
  });
  return planned;
}

export { platformOf } from "./specs.js";

export function environmentOf(platform: Platform, name: string): Environment {
  const environment = platform.environments.find((candidate) => candidate.name === name);
  if (!environment) throw new Error(`no environment ${name}`);
  return environment;
}

/**
 * Runs `program` as the environment's stack with a cloud's mock answers (Azure's unless given) and the
 * config the offline plan would set; returns every registered resource.
 */
export async function registered(
  environment: Environment,
  program: () => Promise<unknown>,
  { mocks = azureMocks(), config = {} }: { mocks?: pulumi.runtime.Mocks; config?: Record<string, string> } = {},
): Promise<Resources> {
  const { resources, outputs } = await evaluateStack(environment.stack, mocks, program, { config });
  return new Resources(resources, outputs);
}

/**
 * What each component registers as its outputs (the state keeps them; the plan shows only the
 * stack's), by the component's name: call it inside the program, before the components are built.
 */
export function recordComponentOutputs(): Map<string, Record<string, unknown>> {
  const recorded = new Map<string, Record<string, unknown>>();
  type Request = { getUrn(): string; getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined };
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResourceOutputs(request: Request, callback: unknown): void };
  const register = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (request, callback) => {
    recorded.set(request.getUrn().slice(request.getUrn().lastIndexOf("::") + 2), request.getOutputs()?.toJavaScript() ?? {});
    register(request, callback);
  };
  return recorded;
}

/** Lookups over a recorded resource list; `type` is azure-native's `<module>:<Type>` or a full token. */
export class Resources {
  constructor(
    readonly all: PlannedResource[],
    readonly outputs: Record<string, unknown>,
  ) {}

  ofType(type: string): PlannedResource[] {
    const token = type.includes(":") && type.split(":").length === 3 ? type : `azure-native:${type}`;
    return this.all.filter((resource) => resource.type === token);
  }

  named(type: string, name: string): PlannedResource {
    const found = this.ofType(type).find((resource) => resource.name === name);
    if (!found) throw new Error(`no ${type} named ${name}; have ${this.ofType(type).map((r) => r.name).join(", ")}`);
    return found;
  }

  /** The resources directly inside a component. */
  childrenOf(component: PlannedResource): PlannedResource[] {
    return this.all.filter((resource) => resource.parent === component.urn);
  }

  byUrn(urn: string): PlannedResource {
    const found = this.all.find((resource) => resource.urn === urn);
    if (!found) throw new Error(`no resource ${urn}`);
    return found;
  }
}

/** The wire inputs of a resource, for reading nested fields in assertions. */
export function inputsOf<T>(resource: PlannedResource): T {
  return resource.inputs as T;
}

/** Azure's resource id of a resource in a group, as the mocks (and Azure) shape it. */
export function azureId(group: string, path: string): string {
  return `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${group}/providers/${path}`;
}
