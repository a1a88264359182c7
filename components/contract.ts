/**
 * What every cloud's components implement. A cloud has one root component per stack (one tenant's
 * environment): constructed from the platform model and the environment, it builds the environment's
 * network, its reverse proxy and its tiers, and exposes the stack outputs every consumer reads.
 * The rules (ports, sources, names, addresses, protect) come from the model; a cloud only translates.
 */
import type * as pulumi from "@pulumi/pulumi";
import { UserError } from "../model/errors.js";
import type { StackOutputs } from "../model/outputs.js";
import type { Environment, Platform } from "../model/platform.js";
import type { Cloud } from "../model/spec.js";

export interface RootComponentArgs {
  platform: Platform;
  environment: Environment;
}

export interface RootComponent extends pulumi.ComponentResource {
  /** Filled from the resources' own outputs (addresses as the cloud reports them), not copied from the model. */
  readonly outputs: pulumi.Output<StackOutputs>;
}

export type RootComponentConstructor = new (name: string, args: RootComponentArgs, opts?: pulumi.ComponentResourceOptions) => RootComponent;

/**
 * The component types every cloud builds, as `botinfra:<cloud>:<Type>`. Their names come from the model
 * so that a plan reads like the spec: the root is named after the stack, the environment component
 * after the environment, the proxy `proxy` and each tier after the tier.
 */
export const COMPONENT_TYPES = {
  root: "Platform",
  environment: "Environment",
  proxy: "ReverseProxy",
  tier: "Tier",
} as const;

export type ComponentKind = keyof typeof COMPONENT_TYPES;

export function componentType(cloud: Cloud, kind: ComponentKind): string {
  return `botinfra:${cloud}:${COMPONENT_TYPES[kind]}`;
}

const CLOUDS_WITH_COMPONENTS: readonly Cloud[] = ["azure"];

/** Refuses a cloud without components before anything starts: no stack is created or configured for it. */
export function checkComponents(cloud: Cloud): void {
  if (!CLOUDS_WITH_COMPONENTS.includes(cloud)) {
    throw new UserError(`botinfra has no components for ${cloud} yet: the tenant's cloud must be ${CLOUDS_WITH_COMPONENTS.join(" or ")} for now`);
  }
}

const noComponentsYet = (cloud: Cloud) => async (): Promise<RootComponentConstructor> => {
  checkComponents(cloud);
  throw new Error(`internal: no components for ${cloud}`);
};

/** Each cloud's root component, imported only when that cloud is used: one cloud SDK per process. */
export const ROOT_COMPONENTS: Record<Cloud, () => Promise<RootComponentConstructor>> = {
  azure: async () => (await import("./azure/platform.js")).AzurePlatform,
  aws: noComponentsYet("aws"),
  digitalocean: noComponentsYet("digitalocean"),
};
