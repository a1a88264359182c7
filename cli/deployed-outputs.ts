/**
 * Deployed stacks' outputs: what `botinfra outputs` prints, and what other commands (the Ansible
 * renderer's `render --from stack`) read through readStackOutputs / deployedStackOutputs.
 */
import { stringify } from "yaml";
import type { Engine, OutputEntry } from "../engine/automation.js";
import { EngineFailure } from "../engine/failures.js";
import { ALL_ENVIRONMENTS, selectEnvironments } from "./environments.js";
import { UserError } from "../model/errors.js";
import { loadTenant, type TenantRef } from "../spec-files/load.js";
import type { StackOutputs } from "../model/outputs.js";
import type { Environment } from "../model/platform.js";
import { connect, failureError, prepareEngine, type EngineOptions } from "./engine-context.js";
import { engineOptions, type LifecycleArgs } from "./lifecycle-run.js";
import { printJson, printLines, style } from "./output.js";
import { tenantRefFrom } from "./tenant-options.js";

/** How outputs marked secret are shown: never their value. */
export const SECRET_MASK = "[secret]";

/** The outputs of a stack, or undefined when it has not been deployed (no such stack, or no outputs yet). */
async function outputsOf(engine: Engine, stackName: string): Promise<Record<string, OutputEntry> | undefined> {
  try {
    const outputs = await (await engine.openStack(stackName)).outputs();
    return Object.keys(outputs).length > 0 ? outputs : undefined;
  } catch (error) {
    if (error instanceof EngineFailure && error.kind === "stack-not-found") return undefined;
    throw error instanceof EngineFailure ? failureError(error) : error;
  }
}

export function outputValues(outputs: Record<string, OutputEntry>, maskSecrets: boolean): Record<string, unknown> {
  return Object.fromEntries(Object.entries(outputs).map(([key, entry]) => [key, maskSecrets && entry.secret ? SECRET_MASK : entry.value]));
}

/** The stack's outputs as the StackOutputs contract; a stack deployed by another program is refused by name. */
function asStackOutputs(stackName: string, values: Record<string, unknown>): StackOutputs {
  if (values.stack !== stackName || !Array.isArray(values.hosts) || !Array.isArray(values.loadBalancers)) {
    throw new UserError(`stack ${stackName}: its outputs are not botinfra's (no stack, hosts and loadBalancers outputs); was it deployed by another program?`);
  }
  return values as unknown as StackOutputs;
}

/** One engine per set of options: a render that reads several stacks starts the CLI once. */
const engines = new Map<string, Promise<Engine>>();

function engineFor(options: EngineOptions): Promise<Engine> {
  const key = JSON.stringify(options);
  let engine = engines.get(key);
  if (!engine) {
    engine = connect(prepareEngine(options).settings);
    engines.set(key, engine);
  }
  return engine;
}

const DEFAULT_ENGINE_OPTIONS: EngineOptions = { secretsProvider: "passphrase", installCli: false };

/**
 * A deployed stack's outputs by stack name (`<tenant>-<env>`), from the backend PULUMI_BACKEND_URL (or
 * `options.backendUrl`) names; undefined when the stack has not been deployed. Fits `StackOutputsSource`.
 */
export async function deployedStackOutputs(stackName: string, options: Partial<EngineOptions> = {}): Promise<StackOutputs | undefined> {
  const outputs = await outputsOf(await engineFor({ ...DEFAULT_ENGINE_OPTIONS, ...options }), stackName);
  return outputs && asStackOutputs(stackName, outputValues(outputs, false));
}

/** The deployed outputs of one environment of a tenant; undefined when it has not been deployed. */
export async function readStackOutputs(tenantRef: TenantRef, env: string, options: Partial<EngineOptions> = {}): Promise<StackOutputs | undefined> {
  const [environment] = selectEnvironments(loadTenant(tenantRef).platform, env, { allowAll: true });
  return deployedStackOutputs(environment!.stack, options);
}

/** `botinfra outputs`: every selected environment's outputs; resolves with the exit code. */
export async function showOutputs(argv: LifecycleArgs): Promise<number> {
  const { platform } = loadTenant(tenantRefFrom(argv));
  const environments = selectEnvironments(platform, argv.env ?? ALL_ENVIRONMENTS, { allowAll: true });
  const engine = await connect(prepareEngine(engineOptions(argv)).settings);
  const deployed = new Map<string, Record<string, unknown>>();
  const notDeployed: Environment[] = [];
  for (const environment of environments) {
    const outputs = await outputsOf(engine, environment.stack);
    if (outputs) deployed.set(environment.stack, outputValues(outputs, true));
    else notDeployed.push(environment);
  }
  const hint = (environment: Environment) => `${environment.stack}: not deployed (botinfra up --tenant ${platform.tenant} --env ${environment.name})`;
  if (argv.json) {
    // The same shape `render --outputs FILE` reads: {"<stack>": outputs}.
    printJson(Object.fromEntries(deployed));
    for (const environment of notDeployed) process.stderr.write(`${hint(environment)}\n`);
  } else {
    for (const environment of environments) {
      const values = deployed.get(environment.stack);
      if (!values) {
        printLines([style.dim(hint(environment))]);
        continue;
      }
      printLines([style.bold(`${environment.stack} (${environment.name})`), ...stringify(values).trimEnd().split("\n").map((line) => `  ${line}`)]);
    }
  }
  // Asking for one environment that is not there is a failure; listing all of them is not.
  return argv.env !== undefined && argv.env !== ALL_ENVIRONMENTS && notDeployed.length > 0 ? 1 : 0;
}
