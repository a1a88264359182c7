/**
 * The resource graph `botinfra plan` records from the real program under the mock runtime, and the
 * form `plan --json` prints. `botinfra check` replays it into the policy pack.
 */
import type { Cloud } from "../model/spec.js";
import type { StackOutputs } from "../model/outputs.js";

/** Inputs that were secrets are replaced by this marker: plan output never shows a secret. */
export const REDACTED = "[secret]";

export interface PlannedResource {
  urn: string;
  /** Pulumi type token: `azure-native:network:Subnet`, `botinfra:azure:Tier`, ... */
  type: string;
  name: string;
  /** false for component resources. */
  custom: boolean;
  /** URN of the parent; absent only for the root component. */
  parent?: string;
  /** URNs this resource depends on: explicit dependsOn and every resource whose outputs flow into its inputs. */
  dependencies: string[];
  protect: boolean;
  /** Inputs the engine leaves as they were at creation (absent when none). */
  ignoreChanges?: string[];
  /** Resolved inputs, secrets redacted. */
  inputs: Record<string, unknown>;
}

export interface PlannedStack {
  stack: string;
  environment: string;
  resources: PlannedResource[];
  outputs: StackOutputs;
}

export interface Plan {
  tenant: string;
  cloud: Cloud;
  stacks: PlannedStack[];
}
