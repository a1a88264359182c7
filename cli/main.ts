#!/usr/bin/env node
/**
 * The botinfra command line. It only wires the model to its consumers; every command is a small
 * yargs module, and a cloud's SDK is loaded only by a command that works on that cloud.
 */
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { UserError } from "../model/errors.js";
import { checkCommand, type CheckDeps } from "./commands/check.js";
import { configureCommand } from "./commands/configure.js";
import { destroyCommand } from "./commands/destroy.js";
import { outputsCommand } from "./commands/outputs.js";
import { planCommand } from "./commands/plan.js";
import { previewCommand } from "./commands/preview.js";
import { refreshCommand } from "./commands/refresh.js";
import { renderCommand, type StackDeps } from "./commands/render.js";
import { tenantsCommand } from "./commands/tenants.js";
import { upCommand } from "./commands/up.js";
import { TENANTS_DIR } from "../stacks/config.js";
import { style } from "./output.js";
import { packageVersion } from "./package-info.js";

/** Raised by yargs' own checks (unknown option, conflicting flags, missing command). */
class UsageError extends UserError {}

/** render and configure read deployed stacks through the engine, loaded only when they do. */
const stackDeps: StackDeps = {
  stackOutputs: async (stack) => (await import("./deployed-outputs.js")).deployedStackOutputs(stack),
};

/** check plans a tenant with `botinfra plan`'s offline planner, loaded only when it does. */
const checkDeps: CheckDeps = {
  planner: async ({ platform }, { environment }) => {
    const [{ planOffline }, { selectEnvironments }] = await Promise.all([import("../engine/offline.js"), import("../model/environments.js")]);
    return planOffline(platform, selectEnvironments(platform, environment));
  },
};

function parser(argv: string[]) {
  return yargs(argv)
    .scriptName("botinfra")
    .usage("$0 <command> [options]\n\nStand up a tenant's bot platform on Azure, AWS or DigitalOcean, and configure it with Ansible.")
    .option("json", { type: "boolean", default: false, global: true, describe: "Print the result as JSON, for scripts and CI" })
    .option("tenants-dir", {
      type: "string",
      default: process.env.BOTINFRA_TENANTS_DIR ?? TENANTS_DIR,
      global: true,
      describe: "Folder of tenant specs, <name>.yaml (env BOTINFRA_TENANTS_DIR)",
    })
    .command(tenantsCommand as never)
    .command(planCommand as never)
    .command(upCommand as never)
    .command(previewCommand as never)
    .command(refreshCommand as never)
    .command(destroyCommand as never)
    .command(outputsCommand as never)
    .command(renderCommand(stackDeps) as never)
    .command(configureCommand(stackDeps) as never)
    .command(checkCommand(checkDeps) as never)
    .demandCommand(1, "say which command to run")
    .strict()
    .recommendCommands()
    .example("$0 tenants list", "The tenants in stacks/tenants/")
    .example("$0 tenants show --tenant acme", "What acme's spec resolves to")
    .example("$0 plan --tenant acme", "Every Azure resource acme becomes, computed offline")
    .example("$0 up --tenant acme", "Provision acme's environments with Pulumi, production last")
    .example("$0 render --tenant acme", "acme's Ansible project, in out/acme/")
    .example("$0 configure --tenant acme --env production", "Configure production's servers with Ansible")
    .example("$0 check --tenant acme", "acme's plan against the policy pack, offline")
    .epilogue("Exit codes: 0 success, 1 operation failed, 2 bad input, 3 environment not ready, 130 cancelled (Ctrl-C). NO_COLOR turns colour off.")
    .help()
    .alias("help", "h")
    .version(packageVersion())
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((message, error) => {
      if (error) throw error;
      throw new UsageError(message);
    });
}

function reportFailure(error: unknown): number {
  if (error instanceof UserError) {
    process.stderr.write(`${style.red("error:")} ${error.message}\n`);
    if (error instanceof UsageError) process.stderr.write("Run with --help for the options and examples.\n");
    return error.exitCode;
  }
  const detail = process.env.BOTINFRA_DEBUG ? (error as Error)?.stack : (error as Error)?.message ?? String(error);
  process.stderr.write(`${style.red("internal error:")} ${detail}\nThis is a bug in botinfra; rerun with BOTINFRA_DEBUG=1 for details.\n`);
  return 1;
}

try {
  await parser(hideBin(process.argv)).parseAsync();
} catch (error) {
  process.exitCode = reportFailure(error);
}
