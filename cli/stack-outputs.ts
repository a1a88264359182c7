/**
 * Where a command gets an environment's stack outputs: the plan (model alone), a JSON file the
 * user passes (`pulumi stack output --json`), or a deployed stack through an injected source.
 */
import { z } from "zod";
import { EXIT_NOT_READY, UserError } from "../model/errors.js";
import { readUserFile } from "../model/user-file.js";
import { displayPath } from "../model/load.js";
import { plannedOutputs, type StackOutputs } from "../model/outputs.js";
import type { Environment, Platform } from "../model/platform.js";
import { CLOUDS } from "../model/spec.js";
import { progress } from "./output.js";

/** Reads a deployed stack's outputs; undefined when the stack has not been deployed. */
export type StackOutputsSource = (stack: string) => Promise<StackOutputs | undefined>;

const address = z.string().min(1);
const stackOutputsSchema = z.object({
  tenant: z.string(),
  environment: z.string(),
  stack: z.string(),
  cloud: z.enum(CLOUDS),
  hosts: z.array(z.object({ name: z.string(), group: z.string(), zone: z.int().optional(), privateIp: address.optional(), publicIp: address.optional() })),
  loadBalancers: z.array(
    z.object({ group: z.string(), public: z.boolean(), privateIp: address.optional(), publicIp: address.optional(), dnsName: z.string() }),
  ),
  // Stacks deployed before subnets were exported have none: nothing to compare a new plan with.
  subnets: z.array(z.object({ group: z.string(), cidr: z.string() })).default([]),
  publicAddress: address.optional(),
  routes: z.array(z.object({ host: z.string(), environment: z.string(), tier: z.string(), port: z.int(), upstreamDnsName: z.string() })),
});

function isStackOutputs(value: unknown): boolean {
  return typeof value === "object" && value !== null && "stack" in value && "hosts" in value;
}

/** Reads --outputs FILE: one stack's outputs, or a map of stack name to outputs. */
export function readOutputsFile(file: string): Map<string, StackOutputs> {
  const shown = displayPath(file);
  const fail = (why: string) =>
    new UserError(`--outputs ${shown}: ${why}; allowed: a JSON file with one stack's outputs or {"<stack>": outputs, ...}, as \`pulumi stack output --json\` prints`);
  const text = readUserFile(file, "JSON file", fail);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw fail(`is not JSON (${(error as Error).message})`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw fail("is not a JSON object");
  const entries: [string, unknown][] = isStackOutputs(raw) ? [["", raw]] : Object.entries(raw);
  if (entries.length === 0) throw fail("holds no stack");
  const result = new Map<string, StackOutputs>();
  for (const [key, value] of entries) {
    const parsed = stackOutputsSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = [...(key ? [key] : []), ...issue.path.map(String)].join(".");
      throw fail(`${where || "the top level"}: ${issue.message}`);
    }
    if (key && key !== parsed.data.stack) throw fail(`${key}: holds the outputs of stack ${parsed.data.stack}`);
    result.set(parsed.data.stack, parsed.data);
  }
  return result;
}

export type OutputsFrom = "plan" | "stack";

export interface OutputsRequest {
  from?: OutputsFrom;
  outputsFile?: string;
  source: StackOutputsSource;
}

/** Each environment's outputs, and where they came from. */
export async function resolveOutputs(
  platform: Platform,
  environments: Environment[],
  request: OutputsRequest,
): Promise<{ from: OutputsFrom; outputs: Map<string, StackOutputs> }> {
  const planned = () => ({ from: "plan" as const, outputs: new Map(environments.map((environment) => [environment.name, plannedOutputs(platform, environment)])) });
  if (request.outputsFile !== undefined) {
    if (request.from === "plan") throw new UserError("--outputs goes with --from stack: --from plan renders from the model alone");
    const byStack = readOutputsFile(request.outputsFile);
    const missing = environments.filter((environment) => !byStack.has(environment.stack)).map((environment) => environment.stack);
    if (missing.length > 0) {
      throw new UserError(
        `--outputs ${displayPath(request.outputsFile)}: no outputs for stack ${missing.join(", ")}; it has ${[...byStack.keys()].join(", ")} (choose one environment with --env)`,
      );
    }
    return { from: "stack", outputs: new Map(environments.map((environment) => [environment.name, byStack.get(environment.stack)!])) };
  }
  if (request.from === "plan") return planned();
  let read: (readonly [Environment, StackOutputs | undefined])[];
  try {
    read = await Promise.all(environments.map(async (environment) => [environment, await request.source(environment.stack)] as const));
  } catch (error) {
    // Without --from, a machine that cannot reach the stacks (no Pulumi CLI, no passphrase) renders the plan, and says why.
    if (request.from === undefined && error instanceof UserError && error.exitCode === EXIT_NOT_READY) {
      progress(`deployed stacks cannot be read (${error.message.split("\n")[0]}): rendering from the plan`);
      return planned();
    }
    throw error;
  }
  const undeployed = read.filter(([, outputs]) => outputs === undefined).map(([environment]) => environment.stack);
  if (undeployed.length > 0) {
    if (request.from === "stack") throw new UserError(`--from stack: stack ${undeployed.join(", ")} has not been deployed; run botinfra up first, or render --from plan`);
    return planned();
  }
  return { from: "stack", outputs: new Map(read.map(([environment, outputs]) => [environment.name, outputs!])) };
}
