/**
 * Records small Pulumi programs into the Plan shape `botinfra plan` prints, the way its planner does:
 * the program runs under the SDK's mock runtime and every RegisterResource request the engine would
 * receive (type, name, parent, dependencies, protect, inputs) is taken from the mock monitor.
 * For tests of the policy pack on hand-built resources of every cloud; it records them with the planner's own evaluateStack.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Plan, PlannedStack } from "../../engine/graph.js";
import { evaluateStack } from "../../engine/offline.js";
import type { Cloud } from "../../model/spec.js";

/** What the engine sends for a value not known until the resource exists. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

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
  const { resources } = await evaluateStack(stack, mocks, async () => {
    await program();
    return {};
  }, { preview });
  return { stack, environment, resources, outputs: { tenant, environment, stack, cloud, hosts: [], loadBalancers: [], subnets: [], routes: [] } };
}

/** Runs each stack's program in turn and returns the plan of them all. */
export async function recordPlan(cloud: Cloud, stacks: StackProgram[], options: RecordOptions = {}): Promise<Plan> {
  const tenant = options.tenant ?? "acme";
  const planned: PlannedStack[] = [];
  for (const stack of stacks) planned.push(await recordStack(tenant, cloud, stack, options.preview ?? false));
  return { tenant, cloud, stacks: planned };
}
