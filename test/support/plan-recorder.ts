/**
 * Records small Pulumi programs into the Plan shape `botinfra plan` prints, the way its planner does:
 * the program runs under the SDK's mock runtime and every RegisterResource request the engine would
 * receive (type, name, parent, dependencies, protect, inputs) is taken from the mock monitor.
 * For tests of the policy pack until the real planner (engine/offline.ts) exists.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Plan, PlannedResource, PlannedStack } from "../../engine/graph.js";
import { REDACTED } from "../../engine/graph.js";
import type { Cloud } from "../../model/spec.js";

const SIGNATURE = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_REFERENCE = "5cf8f73096256a8f31e491e813e4eb8e";
/** What the engine sends for a value not known until the resource exists. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[SIGNATURE] === SECRET) return REDACTED;
    if (record[SIGNATURE] === RESOURCE_REFERENCE) return { urn: record.urn };
    return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, redact(item)]));
  }
  return value;
}

/** A resource's own name as azure-native returns it: `<type>Name` for most types (vmName, publicIpAddressName aside). */
function azureName(type: string, inputs: Record<string, unknown>): unknown {
  const kind = type.slice(type.lastIndexOf(":") + 1);
  return inputs[`${kind[0]!.toLowerCase()}${kind.slice(1)}Name`] ?? inputs.vmName ?? inputs.publicIpAddressName;
}

/** Outputs the providers compute that programs pass on to other resources. */
const COMPUTED: Record<string, (name: string) => Record<string, unknown>> = {
  "aws:ec2/eip:Eip": (name) => ({ allocationId: `eipalloc-${name}` }),
  "digitalocean:index/reservedIp:ReservedIp": () => ({ ipAddress: "192.0.2.10" }),
};

const mocks: pulumi.runtime.Mocks = {
  newResource: (args) => {
    const name = (args.type.startsWith("azure-native:") ? azureName(args.type, args.inputs) : args.inputs.name) ?? args.name;
    return { id: `${args.name}-id`, state: { ...args.inputs, name, ...COMPUTED[args.type]?.(args.name) } };
  },
  call: (args) => args.inputs,
};

interface Request {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getParent(): string;
  getDependenciesList(): string[];
  getProtect(): boolean;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}
type Monitor = { registerResource(request: Request, callback: (error: unknown, response?: { getUrn(): string }) => void): void };

export interface StackProgram {
  environment: string;
  /** Builds the stack's resources; runs inside the stack, as a Pulumi program does. */
  program: () => void | Promise<void>;
}

export interface RecordOptions {
  tenant?: string;
  /** In preview, outputs the mocks leave out stay unknown, as in `pulumi preview`. */
  preview?: boolean;
}

async function recordStack(tenant: string, cloud: Cloud, { environment, program }: StackProgram, preview: boolean): Promise<PlannedStack> {
  const stack = `${tenant}-${environment}`;
  await pulumi.runtime.setMocks(mocks, "botinfra", stack, preview);
  const resources: PlannedResource[] = [];
  const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    const resource: PlannedResource = {
      urn: "",
      type: request.getType(),
      name: request.getName(),
      custom: request.getCustom(),
      ...(request.getParent() ? { parent: request.getParent() } : {}),
      dependencies: request.getDependenciesList(),
      protect: request.getProtect(),
      inputs: redact(request.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
    };
    resources.push(resource);
    register(request, (error, response) => {
      if (response) resource.urn = response.getUrn();
      callback(error, response);
    });
  };
  try {
    await pulumi.runtime.runInPulumiStack(async () => {
      await program();
      return {};
    });
  } finally {
    await pulumi.runtime.disconnect();
  }
  const failed = resources.filter((resource) => resource.urn === "");
  if (failed.length > 0) throw new Error(`test program: ${failed.map((resource) => resource.name).join(", ")} failed to register`);
  return { stack, environment, resources, outputs: { tenant, environment, stack, cloud, hosts: [], loadBalancers: [], routes: [] } };
}

/** Runs each stack's program in turn and returns the plan of them all. */
export async function recordPlan(cloud: Cloud, stacks: StackProgram[], options: RecordOptions = {}): Promise<Plan> {
  const tenant = options.tenant ?? "acme";
  const planned: PlannedStack[] = [];
  for (const stack of stacks) planned.push(await recordStack(tenant, cloud, stack, options.preview ?? false));
  return { tenant, cloud, stacks: planned };
}
