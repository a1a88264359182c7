/**
 * The offline plan: the real Pulumi program (stacks/program.ts) evaluated in this process under the
 * SDK's mock runtime, once per environment, with the cloud's answers mocked. No credentials, no
 * Pulumi CLI, no network. Every registration the program makes is recorded as the engine would
 * receive it (type, name, parent, dependencies, protect, inputs), which is what the plan shows.
 */
import * as pulumi from "@pulumi/pulumi";
import { cloudModule } from "../components/registry.js";
import type { StackOutputs } from "../model/outputs.js";
import type { Environment, Platform } from "../model/platform.js";
import { PROJECT_NAME } from "../stacks/config.js";
import { runProgram } from "../stacks/program.js";
import { REDACTED, type Plan, type PlannedResource, type PlannedStack } from "./graph.js";

const STACK_TYPE = "pulumi:pulumi:Stack";
/** How the SDK marks special values on the wire (sdk/nodejs/runtime/rpc.ts). */
const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_REFERENCE_SIGNATURE = "5cf8f73096256a8f31e491e813e4eb8e";

export interface StackPlanned {
  stack: PlannedStack;
  index: number;
  count: number;
  milliseconds: number;
}

/** Plans each environment in turn; `onStack` hears of each as it is done (for progress). */
export async function planOffline(platform: Platform, environments: Environment[], onStack?: (event: StackPlanned) => void): Promise<Plan> {
  const cloud = await cloudModule(platform.cloud);
  // Loads the cloud's components first: a cloud without them is refused before anything runs.
  await cloud.loadRootComponent();
  const mocks = cloud.mocks();
  const stacks: PlannedStack[] = [];
  for (const [index, environment] of environments.entries()) {
    const started = performance.now();
    const config = cloud.offlineConfig(platform, environment);
    const program = () => {
      pulumi.runtime.registerStackTransformation(withoutAliases);
      return runProgram(platform, environment);
    };
    const { resources, outputs } = await evaluateStack(environment.stack, mocks, program, { config });
    const stack: PlannedStack = { stack: environment.stack, environment: environment.name, resources, outputs: outputs as unknown as StackOutputs };
    stacks.push(stack);
    onStack?.({ stack, index, count: environments.length, milliseconds: performance.now() - started });
  }
  return { tenant: platform.tenant, cloud: platform.cloud, stacks };
}

/**
 * Aliases tell the engine which old URNs a resource had; a plan records none of them. azure-native gives
 * every resource one alias per past API version (60 for a VirtualNetwork), and the SDK turns each into
 * Outputs and promises: dropping them offline cuts a plan's CPU time about 3.5 times (README: Performance), same plan.
 */
const withoutAliases: pulumi.ResourceTransformation = ({ props, opts }) => ({ props, opts: { ...opts, aliases: undefined } });

/** The parts of the SDK's RegisterResourceRequest and its monitor the recorder reads. */
interface Struct {
  toJavaScript(): Record<string, unknown>;
}
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getParent(): string;
  getDependenciesList(): string[];
  getProtect(): boolean;
  getIgnorechangesList(): string[];
  getObject(): Struct | undefined;
}
type Callback = (error: Error | null, response?: { getUrn(): string }) => void;
interface Monitor {
  registerResource(request: RegisterRequest, callback: Callback): void;
  registerResourceOutputs(request: { getUrn(): string; getOutputs(): Struct | undefined }, callback: (error: Error | null) => void): void;
}

interface Registration {
  urn?: string;
  type: string;
  name: string;
  custom: boolean;
  parent: string;
  dependencies: string[];
  protect: boolean;
  ignoreChanges: string[];
  inputs: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

/** Wraps the mock monitor so that every registration is recorded as the engine would receive it. */
function recordRegistrations(monitor: Monitor): Registration[] {
  const recorded: Registration[] = [];
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    const registration: Registration = {
      type: request.getType(),
      name: request.getName(),
      custom: request.getCustom(),
      parent: request.getParent(),
      // Explicit dependsOn and every resource whose outputs flow into the inputs, components expanded.
      dependencies: request.getDependenciesList(),
      protect: request.getProtect(),
      ignoreChanges: request.getIgnorechangesList(),
      inputs: request.getObject()?.toJavaScript() ?? {},
    };
    recorded.push(registration);
    register(request, (error, response) => {
      if (!error && response) registration.urn = response.getUrn();
      callback(error, response);
    });
  };
  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (request, callback) => {
    const registration = recorded.find((candidate) => candidate.urn === request.getUrn());
    if (registration) registration.outputs = request.getOutputs()?.toJavaScript() ?? {};
    registerOutputs(request, callback);
  };
  return recorded;
}

/**
 * Runs `program` as stack `stack` under `mocks` and returns what it registered and exported. The mock
 * runtime is process-global: stacks are evaluated one after the other, never concurrently.
 */
export async function evaluateStack(
  stack: string,
  mocks: pulumi.runtime.Mocks,
  program: () => Promise<unknown>,
  /** As in `pulumi preview`: outputs the mocks leave out stay unknown. `config`, when given: the stack's whole config, as `pulumi config` holds it. */
  { preview = false, config }: { preview?: boolean; config?: Record<string, string> } = {},
): Promise<{ resources: PlannedResource[]; outputs: Record<string, unknown> }> {
  await pulumi.runtime.setMocks(mocks, PROJECT_NAME, stack, preview);
  if (config) pulumi.runtime.setAllConfig(config);
  const recorded = recordRegistrations(pulumi.runtime.getMonitor() as unknown as Monitor);
  // A failure inside an apply surfaces as rejections of every output that depends on it.
  const failures: unknown[] = [];
  const onRejection = (reason: unknown) => failures.push(reason);
  process.on("unhandledRejection", onRejection);
  // The SDK captures a stack trace for every internal promise; without them evaluation takes half the time.
  const stackTraceLimit = Error.stackTraceLimit;
  if (!process.env.BOTINFRA_DEBUG) Error.stackTraceLimit = 0;
  try {
    await pulumi.runtime.runInPulumiStack(program);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    // Waits for every registration still under way, so none leaks into the next stack's run.
    await pulumi.runtime.disconnect().catch(onRejection);
    await new Promise((resolve) => setImmediate(resolve));
    process.off("unhandledRejection", onRejection);
  }
  if (failures.length > 0) throw failures[0];
  return toPlanned(stack, recorded);
}

function toPlanned(stack: string, recorded: Registration[]): { resources: PlannedResource[]; outputs: Record<string, unknown> } {
  const unregistered = recorded.find((registration) => registration.urn === undefined);
  if (unregistered) throw new Error(`internal: ${unregistered.type} ${unregistered.name} was not registered`);
  const byUrn = new Map<string, Registration>();
  for (const registration of recorded) {
    // The mock runtime accepts what the engine would refuse: two resources with one URN.
    if (byUrn.has(registration.urn!)) throw new Error(`internal: two resources have the URN ${registration.urn}`);
    byUrn.set(registration.urn!, registration);
  }
  const stackResource = recorded.find((registration) => registration.type === STACK_TYPE);
  if (!stackResource) throw new Error("internal: the program ran outside a stack");

  // The mock runtime puts only the parent's type in a URN; the engine puts every ancestor's but the stack's.
  const engineUrns = new Map<string, string>();
  const engineUrn = (urn: string): string => {
    let known = engineUrns.get(urn);
    if (known === undefined) {
      const registration = byUrn.get(urn)!;
      const types = [registration.type];
      for (let parent = byUrn.get(registration.parent); parent && parent.type !== STACK_TYPE; parent = byUrn.get(parent.parent)) types.unshift(parent.type);
      known = `urn:pulumi:${stack}::${PROJECT_NAME}::${types.join("$")}::${registration.name}`;
      engineUrns.set(urn, known);
    }
    return known;
  };

  const resources = recorded
    .filter((registration) => registration.type !== STACK_TYPE)
    .map((registration): PlannedResource => {
      const parent = registration.parent === stackResource.urn ? undefined : engineUrn(registration.parent);
      return {
        urn: engineUrn(registration.urn!),
        type: registration.type,
        name: registration.name,
        custom: registration.custom,
        ...(parent === undefined ? {} : { parent }),
        dependencies: [...new Set(registration.dependencies.filter((urn) => urn !== stackResource.urn).map(engineUrn))].sort(),
        protect: registration.protect,
        ...(registration.ignoreChanges.length > 0 ? { ignoreChanges: [...registration.ignoreChanges].sort() } : {}),
        inputs: redact(registration.inputs) as Record<string, unknown>,
      };
    });
  return { resources, outputs: redact(stackResource.outputs ?? {}) as Record<string, unknown> };
}

/** Wire values as the plan shows them: secrets as REDACTED, a resource passed as input by its URN, keys sorted. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (record[SIGNATURE_KEY] === SECRET_SIGNATURE) return REDACTED;
  if (record[SIGNATURE_KEY] === RESOURCE_REFERENCE_SIGNATURE) return { urn: record.urn };
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, redact(record[key])]),
  );
}
