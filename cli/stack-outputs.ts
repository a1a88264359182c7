/**
 * Where a command gets an environment's stack outputs: the plan (model alone), a JSON file the
 * user passes (`pulumi stack output --json`), or a deployed stack through an injected source.
 */
import { z } from "zod";
import { isDnsName, isIpv4Address } from "../model/address-text.js";
import { parseCidr } from "../model/cidr.js";
import { describeValue, EXIT_NOT_READY, formatPath, UserError } from "../model/errors.js";
import { readUserFile } from "../spec-files/user-file.js";
import { displayPath } from "../spec-files/display-path.js";
import { plannedOutputs, type StackOutputs } from "../model/outputs.js";
import type { Environment, Platform } from "../model/platform.js";
import { CLOUDS } from "../model/spec.js";
import { progress } from "./output.js";

const IPV4_ALLOWED = "an IPv4 address such as 203.0.113.10";
const DNS_ALLOWED = "a DNS name such as api.production.acme.internal";

/** Reads a deployed stack's outputs; undefined when the stack has not been deployed. */
export type StackOutputsSource = (stack: string) => Promise<StackOutputs | undefined>;

const allowed = (text: string) => ({ error: () => text });
const ipv4 = z.string(allowed(IPV4_ALLOWED)).refine(isIpv4Address, allowed(IPV4_ALLOWED));
const dnsName = z.string(allowed(DNS_ALLOWED)).refine(isDnsName, allowed(DNS_ALLOWED));
const NAME_ALLOWED = "a name of letters, digits, '-', '_' and '.'";
const name = z.string(allowed(NAME_ALLOWED)).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, allowed(NAME_ALLOWED));
const count = z.int(allowed("a whole number")).min(0, allowed("a whole number"));
const CIDR_ALLOWED = "an IPv4 range such as 10.20.1.0/24";
const cidr = z.string(allowed(CIDR_ALLOWED)).refine((text) => typeof parseCidr(text) !== "string", allowed(CIDR_ALLOWED));

/** Every value is checked for what it is: an address must be one before it reaches an inventory, an ssh argument or nginx. */
const list = <T extends z.ZodType>(item: T, what: string) => z.array(item, allowed(`a list of ${what}`));
const record = <T extends z.ZodRawShape>(shape: T, what: string) => z.object(shape, allowed(`${what}: a JSON object with ${Object.keys(shape).join(", ")}`));
const stackOutputsSchema = record(
  {
    tenant: name,
    environment: name,
    stack: name,
    cloud: z.enum(CLOUDS, allowed(CLOUDS.join(", "))),
    hosts: list(record({ name, group: name, zone: count.optional(), privateIp: ipv4.optional(), publicIp: ipv4.optional() }, "a server"), "servers"),
    loadBalancers: list(
      record({ group: name, public: z.boolean(allowed("true or false")), privateIp: ipv4.optional(), publicIp: ipv4.optional(), dnsName }, "a load balancer"),
      "load balancers",
    ),
    // Stacks deployed before subnets were exported have none: nothing to compare a new plan with.
    subnets: list(record({ group: name, cidr }, "a subnet"), "subnets").default([]),
    publicAddress: z.union([ipv4, dnsName], allowed(`${IPV4_ALLOWED}, or ${DNS_ALLOWED}`)).optional(),
    routes: list(record({ host: dnsName, environment: name, tier: name, port: count, upstreamDnsName: dnsName }, "a route"), "routes"),
  },
  "a stack's outputs",
);

function isStackOutputs(value: unknown): boolean {
  return typeof value === "object" && value !== null && "stack" in value && "hosts" in value;
}

/** One stack's outputs, checked; the reason names the field (`hosts[3].publicIp`), what was found and what is allowed. */
export function parseStackOutputs(value: unknown): { outputs: StackOutputs; problem?: undefined } | { outputs?: undefined; problem: string } {
  const parsed = stackOutputsSchema.safeParse(value);
  if (parsed.success) return { outputs: parsed.data };
  const issue = parsed.error.issues[0]!;
  const path = issue.path.map((part) => (typeof part === "symbol" ? String(part) : part));
  const found = path.reduce<unknown>((node, part) => (node !== null && typeof node === "object" ? (node as Record<string | number, unknown>)[part] : undefined), value);
  const where = path.length > 0 ? formatPath(path) : "the top level";
  return { problem: `${where}: ${found === undefined ? "is required" : `found ${describeValue(found)}`}; allowed: ${issue.message}` };
}

/** Reads --outputs FILE: one stack's outputs, or a map of stack name to outputs. */
export function readOutputsFile(file: string): Map<string, StackOutputs> {
  const shown = displayPath(file);
  const fail = (why: string) => new UserError(`--outputs ${shown}: ${why}`);
  const failShape = (why: string) => fail(`${why}; allowed: a JSON file with one stack's outputs or {"<stack>": outputs, ...}, as \`pulumi stack output --json\` prints`);
  const text = readUserFile(file, "JSON file", failShape);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw failShape(`is not JSON (${(error as Error).message})`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw failShape("is not a JSON object");
  const entries: [string, unknown][] = isStackOutputs(raw) ? [["", raw]] : Object.entries(raw);
  if (entries.length === 0) throw failShape("holds no stack");
  const result = new Map<string, StackOutputs>();
  for (const [key, value] of entries) {
    const { outputs, problem } = parseStackOutputs(value);
    if (problem !== undefined) throw fail(key ? `${JSON.stringify(key)}: ${problem}` : problem);
    if (key && key !== outputs.stack) throw fail(`${JSON.stringify(key)}: holds the outputs of stack ${outputs.stack}`);
    result.set(outputs.stack, outputs);
  }
  return result;
}

export type OutputsFrom = "plan" | "stack";

export interface OutputsRequest {
  from?: OutputsFrom;
  outputsFile?: string;
  source: StackOutputsSource;
  /** Hears why the plan is rendered instead of the stacks (default: progress on stderr). */
  note?: (message: string) => void;
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
      (request.note ?? progress)(`deployed stacks cannot be read (${error.message.split("\n")[0]}): rendering from the plan`);
      return planned();
    }
    throw error;
  }
  const undeployed = read.filter(([, outputs]) => outputs === undefined).map(([environment]) => environment.stack);
  if (undeployed.length > 0) {
    if (request.from === "stack") throw new UserError(`--from stack: stack ${undeployed.join(", ")} has not been deployed; run botinfra up first, or render --from plan`);
    return planned();
  }
  // A deployed stack's outputs are as untrusted as a file's: checked the same way.
  const checked = read.map(([environment, outputs]) => {
    const { outputs: valid, problem } = parseStackOutputs(outputs);
    if (problem !== undefined) throw new UserError(`stack ${environment.stack}: its outputs: ${problem}`);
    return [environment.name, valid] as const;
  });
  return { from: "stack", outputs: new Map(checked) };
}
