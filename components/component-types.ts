/**
 * The component types every cloud builds, as `botinfra:<cloud>:<Type>`. Their names come from the model
 * so that a plan reads like the spec: the root is named after the stack, the environment component
 * after the environment, the proxy `proxy` and each tier after the tier.
 */
import type { Cloud } from "../model/spec.js";

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
