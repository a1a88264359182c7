/**
 * Every command, in the order help lists them, each loaded only when it is needed: a command's own
 * module for that command, all of them only for the list of commands.
 */
import type { CommandModule } from "yargs";
import { checkDeps, stackDeps } from "../deps.js";
import type { GlobalArgs } from "../globals.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command has its own arguments
export type AnyCommand = CommandModule<GlobalArgs, any>;

export const COMMANDS: Record<string, () => Promise<AnyCommand>> = {
  tenants: async () => (await import("./tenants.js")).tenantsCommand,
  plan: async () => (await import("./plan.js")).planCommand,
  up: async () => (await import("./up.js")).upCommand,
  preview: async () => (await import("./preview.js")).previewCommand,
  refresh: async () => (await import("./refresh.js")).refreshCommand,
  destroy: async () => (await import("./destroy.js")).destroyCommand,
  outputs: async () => (await import("./outputs.js")).outputsCommand,
  render: async () => (await import("./render.js")).renderCommand(stackDeps),
  configure: async () => (await import("./configure.js")).configureCommand(stackDeps),
  check: async () => (await import("./check.js")).checkCommand(checkDeps),
  affected: async () => (await import("./affected.js")).affectedCommand,
  pipeline: async () => (await import("./pipeline.js")).pipelineCommand,
};

export const loadAllCommands = () => Promise.all(Object.values(COMMANDS).map((load) => load()));
