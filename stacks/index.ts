/**
 * The Pulumi program (Pulumi.yaml's `main`, compiled to dist/stacks/index.js). It reads which tenant and
 * environment the stack holds from its configuration (stacks/Pulumi.<stack>.yaml), so the plain Pulumi
 * CLI works too: `pulumi up -s acme-production`. Its outputs are exactly StackOutputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { isAbsolute } from "node:path";
import { UserError } from "../model/errors.js";
import { CONFIG_KEYS, CONFIG_NAMESPACE } from "./config.js";
import { loadStackTarget, runProgram } from "./program.js";

/** The folder of Pulumi.yaml. Engines that do not pass it (the SDK then says "rootDirectory") run the program there. */
function projectRoot(): string {
  const root = pulumi.runtime.getRootDirectory();
  return isAbsolute(root) ? root : process.cwd();
}

export default async () => {
  const config = new pulumi.Config(CONFIG_NAMESPACE);
  try {
    const { platform, environment } = loadStackTarget(
      {
        stack: pulumi.getStack(),
        tenant: config.require(CONFIG_KEYS.tenant),
        environment: config.require(CONFIG_KEYS.environment),
        tenantFile: config.get(CONFIG_KEYS.tenantFile),
      },
      projectRoot(),
    );
    return await runProgram(platform, environment);
  } catch (error) {
    // A mistake in the spec or the stack's configuration is the user's to fix: one message, no stack trace.
    if (error instanceof UserError) throw new pulumi.RunError(error.message);
    throw error;
  }
};
