/**
 * Calls a policy's function directly with args built by hand: for what a recorded plan cannot carry
 * (the engine's property dependencies and output ids) and for a rule's exact messages without a plan.
 * Config: the policy's schema defaults with `config` over them, as the SDK hands them to `getConfig`.
 */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

export interface StackResourceOptions {
  dependencies?: PolicyResource[];
  propertyDependencies?: Record<string, PolicyResource[]>;
}

export function stackResource(type: string, name: string, props: Record<string, unknown>, options: StackResourceOptions = {}): PolicyResource {
  return {
    type,
    name,
    urn: `urn:pulumi:acme-production::botinfra::${type}::${name}`,
    props,
    dependencies: options.dependencies ?? [],
    propertyDependencies: options.propertyDependencies ?? {},
  } as unknown as PolicyResource;
}

function configOf(policy: { configSchema?: { properties?: Record<string, unknown> } }, config: Record<string, unknown>) {
  const defaults = Object.entries(policy.configSchema?.properties ?? {}).flatMap(([key, schema]) =>
    schema !== null && typeof schema === "object" && "default" in schema ? [[key, (schema as { default: unknown }).default]] : [],
  );
  return { ...Object.fromEntries(defaults), ...config };
}

/** The stack policy's violations as `[resource name or "", message]`, in the order reported. */
export function runStack(policy: StackValidationPolicy, resources: PolicyResource[], config: Record<string, unknown> = {}): [string, string][] {
  const found: [string, string][] = [];
  const args = { resources, getConfig: () => configOf(policy, config) };
  void policy.validateStack(args as never, (message: string, urn?: string) => {
    found.push([resources.find((resource) => resource.urn === urn)?.name ?? "", message]);
  });
  return found;
}

/** The resource policy's messages for one resource. */
export function runResource(policy: ResourceValidationPolicy, resource: PolicyResource, config: Record<string, unknown> = {}): string[] {
  const found: string[] = [];
  const validate = [policy.validateResource].flat()[0]!;
  void validate({ ...resource, getConfig: () => configOf(policy, config) } as never, (message: string) => found.push(message));
  return found;
}
