/**
 * Runs the policy pack without the engine: a recorded Plan is replayed into the policy SDK's own
 * analyzer, the way `pulumi preview --policy-pack` feeds it.
 *
 * The route: @pulumi/policy's `serve()` builds the analyzer's gRPC handlers (Analyze, AnalyzeStack
 * and Configure, which is not exported); we capture them instead of listening on a port, configure
 * them with the config the engine would reconcile, and send each resource as the engine's wire
 * request. So enforcement levels, per-policy config, `remediate` shown as mandatory and the advisory
 * "can't run during preview" for values not known yet all come from the SDK itself, not from a copy.
 * The handlers are internal to @pulumi/policy: the version is pinned and test/policies covers them.
 */
import { createRequire } from "node:module";
import type { EnforcementLevel, PolicyPackConfig, Severity } from "@pulumi/policy";
import type { Plan, PlannedResource, PlannedStack } from "../engine/graph.js";
import { TAG_KEYS } from "../model/platform.js";
import type { Cloud } from "../model/spec.js";
import { defaultPolicyConfig, reconcilePolicyConfig, unknownPolicyNames, type PolicyMeta, type ReconciledConfig } from "./config.js";
import { packVersion } from "./files.js";
import { PACK_ENFORCEMENT_LEVEL, PACK_NAME, policies } from "./pack.js";
import { tagsOf } from "./rules/resources.js";

export interface Violation {
  stack: string;
  environment: string;
  policy: string;
  /** As the engine reports it: `remediate` shows as mandatory, a rule that could not run as advisory. */
  level: "mandatory" | "advisory";
  severity?: Severity;
  /** The resource the violation is about; absent for a stack policy that named none. */
  resource?: { urn: string; type: string; name: string; tier?: string };
  /** What is wrong and how to fix it. */
  message: string;
  /** The policy's description. */
  description: string;
}

export interface PolicySummary {
  name: string;
  description: string;
  severity?: Severity;
  /** The level the config gave it. */
  enforcementLevel: EnforcementLevel;
}

export interface Report {
  tenant: string;
  cloud: Cloud;
  pack: { name: string; version: string };
  policies: PolicySummary[];
  stacks: { stack: string; environment: string; resources: number }[];
  violations: Violation[];
  /** Config entries naming no policy of the pack: the engine ignores them too, but they are likely typos. */
  warnings: string[];
  summary: { mandatory: number; advisory: number; passed: boolean };
}

// ---- the policy SDK's own modules, resolved from its folder so that they are the instances it uses ----

const policyRequire = createRequire(createRequire(import.meta.url).resolve("@pulumi/policy/server.js"));

interface Message {
  serializeBinary(): Uint8Array;
}
interface MessageClass<T extends Message> {
  new (): T;
  deserializeBinary(bytes: Uint8Array): T;
}
interface ResourceOptions extends Message {
  setProtect(value: boolean): void;
  setParent(value: string): void;
}
interface ResourceMessage extends Message {
  setUrn(value: string): void;
  setType(value: string): void;
  setName(value: string): void;
  setProperties(value: unknown): void;
  setOptions(value: ResourceOptions): void;
}
interface StackResourceMessage extends ResourceMessage {
  setParent(value: string): void;
  setDependenciesList(value: string[]): void;
}
interface StackRequest extends Message {
  setResourcesList(value: StackResourceMessage[]): void;
}
interface PolicyConfigMessage extends Message {
  setEnforcementlevel(value: number): void;
  setProperties(value: unknown): void;
}
interface ConfigureRequest extends Message {
  getPolicyconfigMap(): { set(key: string, value: PolicyConfigMessage): void };
}
/** A diagnostic as the analyzer returns it to the engine. */
export interface Diagnostic {
  getPolicyname(): string;
  getDescription(): string;
  getMessage(): string;
  getEnforcementlevel(): number;
  getUrn(): string;
  getSeverity(): number;
}
export interface AnalyzeResponse {
  getDiagnosticsList(): Diagnostic[];
}
interface AnalyzerProto {
  AnalyzeRequest: MessageClass<ResourceMessage>;
  AnalyzeStackRequest: MessageClass<StackRequest>;
  AnalyzerResource: MessageClass<StackResourceMessage>;
  AnalyzerResourceOptions: MessageClass<ResourceOptions>;
  ConfigureAnalyzerRequest: MessageClass<ConfigureRequest>;
  PolicyConfig: MessageClass<PolicyConfigMessage>;
}

const proto = policyRequire("@pulumi/pulumi/proto/analyzer_pb") as AnalyzerProto;
const { Struct } = policyRequire("google-protobuf/google/protobuf/struct_pb") as { Struct: { fromJavaScript(value: unknown): unknown } };

/** The engine's wire enums (pulumirpc.EnforcementLevel and PolicySeverity), by number. */
const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];
const SEVERITIES: (Severity | undefined)[] = [undefined, "low", "medium", "high", "critical"];

type Unary = (call: { request: Message }, callback: (error: unknown, response?: unknown) => void) => unknown;
type Handlers = Record<"analyze" | "analyzeStack" | "configure", Unary>;


/** A policy pack ready to analyze: its handlers, and what its PolicyPack was built with. */
export interface LoadedPack {
  name: string;
  version: string;
  level: EnforcementLevel;
  policies: readonly PolicyMeta[];
  /** The first config layers, under the user's: botinfra's config.json, or the pack's own initial config. */
  baseConfig: PolicyPackConfig[];
  handlers: Handlers;
}

type Serve = (name: string, version: string, level: EnforcementLevel, args: { policies: readonly PolicyMeta[] }, initialConfig?: PolicyPackConfig) => void;

/**
 * Serves a pack without serving it: `start` builds the pack (a PolicyPack calls @pulumi/policy's serve,
 * which registers the handlers on a gRPC server); we take the handlers from addService, never bind a
 * port, and read what serve was given. `policyServer` is the pack's own @pulumi/policy/server.js.
 */
export async function capturePack(policyServer: string, start: (serve: Serve) => unknown): Promise<LoadedPack> {
  const packRequire = createRequire(policyServer);
  const grpc = packRequire("@grpc/grpc-js") as { Server: { prototype: Record<"addService" | "bindAsync", unknown> } };
  const server = packRequire(policyServer) as { serve: Serve };
  const prototype = grpc.Server.prototype;
  const { addService, bindAsync } = prototype;
  const serve = server.serve;
  let registered: Partial<Handlers> | undefined;
  let served: Omit<LoadedPack, "handlers" | "baseConfig"> & { initialConfig?: PolicyPackConfig } = { name: "", version: "", level: "advisory", policies: [] };
  prototype.addService = (_service: unknown, implementation: Partial<Handlers>) => {
    registered = implementation;
  };
  prototype.bindAsync = () => undefined;
  server.serve = (name, version, level, args, initialConfig) => {
    served = { name, version, level: level ?? "advisory", policies: args.policies, ...(initialConfig ? { initialConfig } : {}) };
    serve(name, version, level, args, initialConfig);
  };
  try {
    await start(server.serve);
  } finally {
    prototype.addService = addService;
    prototype.bindAsync = bindAsync;
    server.serve = serve;
  }
  if (!registered?.analyze || !registered.analyzeStack || !registered.configure) {
    throw new Error("internal: @pulumi/policy no longer registers analyze, analyzeStack and configure handlers; check its pinned version");
  }
  const { initialConfig, ...pack } = served;
  return { ...pack, baseConfig: initialConfig ? [initialConfig] : [], handlers: registered as Handlers };
}

let botinfra: Promise<LoadedPack> | undefined;

/** botinfra's own pack, its config.json the first layer (as the engine applies it before --policy-pack-config). */
export function botinfraPack(): Promise<LoadedPack> {
  botinfra ??= capturePack(policyRequire.resolve("./server.js"), (serve) => serve(PACK_NAME, packVersion(), PACK_ENFORCEMENT_LEVEL, { policies })).then((pack) => ({
    ...pack,
    baseConfig: [defaultPolicyConfig()],
  }));
  return botinfra;
}

function call(handler: Unary, request: Message): Promise<unknown> {
  return new Promise((resolve, reject) => {
    void handler({ request }, (error, response) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(response)));
  });
}

/** What the engine receives on the wire: build the message, then decode its bytes. */
function overTheWire<T extends Message>(type: MessageClass<T>, message: T): T {
  return type.deserializeBinary(message.serializeBinary());
}

function fill<T extends ResourceMessage>(message: T, resource: PlannedResource): T {
  message.setUrn(resource.urn);
  message.setType(resource.type);
  message.setName(resource.name);
  message.setProperties(Struct.fromJavaScript(resource.inputs));
  const options = new proto.AnalyzerResourceOptions();
  options.setProtect(resource.protect);
  if (resource.parent) options.setParent(resource.parent);
  message.setOptions(options);
  return message;
}

// The engine's requests, exported for the test that sends them to the pack running under Pulumi's own runner.

/** Configure: the reconciled config of every policy. */
export function configureRequest(config: ReconciledConfig, packLevel: EnforcementLevel = PACK_ENFORCEMENT_LEVEL): Message {
  const request = new proto.ConfigureAnalyzerRequest();
  for (const [name, entry] of Object.entries(config)) {
    const policyConfig = new proto.PolicyConfig();
    policyConfig.setEnforcementlevel(LEVELS.indexOf(entry.enforcementLevel ?? packLevel));
    policyConfig.setProperties(Struct.fromJavaScript(entry.properties));
    request.getPolicyconfigMap().set(name, policyConfig);
  }
  return overTheWire(proto.ConfigureAnalyzerRequest, request);
}

/** Analyze: one resource's inputs and options, as it registers. */
export function analyzeRequest(resource: PlannedResource): Message {
  return overTheWire(proto.AnalyzeRequest, fill(new proto.AnalyzeRequest(), resource));
}

/** AnalyzeStack: every resource of the stack with its parent and dependencies. */
export function analyzeStackRequest(resources: PlannedResource[]): Message {
  const request = new proto.AnalyzeStackRequest();
  request.setResourcesList(
    resources.map((resource) => {
      const message = fill(new proto.AnalyzerResource(), resource);
      if (resource.parent) message.setParent(resource.parent);
      message.setDependenciesList(resource.dependencies);
      return message;
    }),
  );
  return overTheWire(proto.AnalyzeStackRequest, request);
}

/** A violation in the report's terms; `urn` is the diagnostic's, or the analyzed resource's when it names none. */
export function toViolation(stack: PlannedStack, diagnostic: Diagnostic, urn: string): Violation {
  const description = diagnostic.getDescription();
  const message = diagnostic.getMessage();
  const resource = stack.resources.find((candidate) => candidate.urn === urn);
  const tier = resource ? tagsOf({ type: resource.type, props: resource.inputs })?.[TAG_KEYS.tier] : undefined;
  const severity = SEVERITIES[diagnostic.getSeverity()];
  return {
    stack: stack.stack,
    environment: stack.environment,
    policy: diagnostic.getPolicyname(),
    level: LEVELS[diagnostic.getEnforcementlevel()] === "mandatory" ? "mandatory" : "advisory",
    ...(severity ? { severity } : {}),
    ...(resource ? { resource: { urn, type: resource.type, name: resource.name, ...(tier ? { tier } : {}) } } : {}),
    message: message.startsWith(`${description}\n`) ? message.slice(description.length + 1) : message,
    description,
  };
}

async function checkStack(handlers: Handlers, stack: PlannedStack): Promise<Violation[]> {
  const violations: Violation[] = [];
  // Like a preview: each resource as it registers, then the whole stack.
  for (const resource of stack.resources) {
    const response = (await call(handlers.analyze, analyzeRequest(resource))) as AnalyzeResponse;
    for (const diagnostic of response.getDiagnosticsList()) violations.push(toViolation(stack, diagnostic, diagnostic.getUrn() || resource.urn));
  }
  const response = (await call(handlers.analyzeStack, analyzeStackRequest(stack.resources))) as AnalyzeResponse;
  for (const diagnostic of response.getDiagnosticsList()) violations.push(toViolation(stack, diagnostic, diagnostic.getUrn()));
  return violations;
}

/** The analyzer's config is process-wide: checks run one after another. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * Checks every stack of a plan against the pack. `config` holds config layers applied, in order, over
 * the pack's own policies/config.json, as `--policy-pack-config` files would be.
 */
export function checkPlan(plan: Plan, config: readonly PolicyPackConfig[] = [], loaded: Promise<LoadedPack> = botinfraPack()): Promise<Report> {
  const run = async (): Promise<Report> => {
    const pack = await loaded;
    const { handlers, policies } = pack;
    const layers = [...pack.baseConfig, ...config];
    const reconciled = reconcilePolicyConfig(policies, pack.level, layers);
    await call(handlers.configure, configureRequest(reconciled, pack.level));
    const violations: Violation[] = [];
    for (const stack of plan.stacks) violations.push(...(await checkStack(handlers, stack)));
    const mandatory = violations.filter((found) => found.level === "mandatory").length;
    return {
      tenant: plan.tenant,
      cloud: plan.cloud,
      pack: { name: pack.name, version: pack.version },
      policies: policies.map((policy) => ({
        name: policy.name,
        description: policy.description,
        ...(policy.severity ? { severity: policy.severity } : {}),
        enforcementLevel: reconciled[policy.name]?.enforcementLevel ?? pack.level,
      })),
      stacks: plan.stacks.map((stack) => ({ stack: stack.stack, environment: stack.environment, resources: stack.resources.length })),
      violations,
      warnings: unknownPolicyNames(policies, layers).map((name) => `policy config names "${name}", which is no policy of this pack`),
      summary: { mandatory, advisory: violations.length - mandatory, passed: mandatory === 0 },
    };
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}
