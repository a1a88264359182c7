/**
 * The Pulumi program's body, one function for both ways it runs: the Pulumi CLI (or the Automation
 * API) runs it through stacks/index.ts, and `botinfra plan` runs it under the SDK's mock runtime. So
 * what `plan` shows is what `up` creates.
 */
import type * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";
import { cloudModule } from "../components/registry.js";
import { UserError } from "../model/errors.js";
import { displayPath } from "../spec-files/display-path.js";
import { loadTenantFile, tenantFileFor } from "../spec-files/load.js";
import type { StackOutputs } from "../model/outputs.js";
import type { Environment, Platform } from "../model/platform.js";
import { configKey, TENANTS_DIR } from "./config.js";

/** Builds the environment's root component for the tenant's cloud; resolves to the stack outputs. */
export async function runProgram(platform: Platform, environment: Environment): Promise<pulumi.Output<StackOutputs>> {
  const RootComponent = await (await cloudModule(platform.cloud)).loadRootComponent();
  return new RootComponent(environment.stack, { platform, environment }).outputs;
}

/** A stack's configuration, as stacks/config.ts names it. */
export interface StackSettings {
  stack: string;
  tenant: string;
  environment: string;
  tenantFile?: string;
}

/** The tenant and environment a stack's configuration names; every mistake is a UserError naming the key. */
export function loadStackTarget(settings: StackSettings, projectRoot: string): { platform: Platform; environment: Environment } {
  const file = settings.tenantFile ?? tenantFileFor(settings.tenant, join(projectRoot, TENANTS_DIR));
  const { platform, source } = loadTenantFile(file);
  if (platform.tenant !== settings.tenant) {
    throw new UserError(`${configKey("tenant")} is "${settings.tenant}", but ${displayPath(file)} holds tenant "${platform.tenant}"`);
  }
  const environment = platform.environments.find((candidate) => candidate.name === settings.environment);
  if (!environment) {
    throw new UserError(
      `${configKey("environment")}: tenant ${platform.tenant} (${source}) has no environment "${settings.environment}"; allowed: ${platform.environments.map((e) => e.name).join(", ")}`,
    );
  }
  // A stack builds resources under the environment's names: the wrong stack would claim another environment's.
  if (settings.stack !== environment.stack) {
    throw new UserError(`stack ${settings.stack} is configured for ${platform.tenant}'s ${environment.name}, whose stack is ${environment.stack}; select that stack or fix ${configKey("environment")}`);
  }
  return { platform, environment };
}
