/**
 * Runs an operation over a tenant's environments: checks the machine first, then goes environment by
 * environment (production last), prints each resource operation as it happens, stops at the first
 * failure and ends with a summary. Ctrl-C cancels cleanly.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline/promises";
import type { Engine, OutputEntry, PolicyOptions, PreviewOptions, StackHandle } from "../engine/automation.js";
import { describeFailure, EngineFailure } from "../engine/failures.js";
import {
  confirmationFor,
  isYes,
  parseParallel,
  secretValues,
  stackConfig,
  type Confirmation,
  type Operation,
} from "../engine/lifecycle.js";
import { ALL_ENVIRONMENTS, selectEnvironments } from "./environments.js";
import { diagnosticText, formatRecord, jsonLine, ProgressTracker, type ChangeCounts, type ProgressRecord, type StackResult } from "../engine/progress.js";
import type { CloudModule, ConfigEntry } from "../components/contract.js";
import { cloudModule } from "../components/registry.js";
import { checkPassphrase } from "../engine/readiness.js";
import { EXIT_NOT_READY, NotReadyError, UserError } from "../model/errors.js";
import { loadTenant, tenantFileFor } from "../spec-files/load.js";
import { movedSubnets, type SubnetOutput } from "../model/outputs.js";
import { PROXY_GROUP, type Environment, type Platform } from "../model/platform.js";
import { tenantPolicyConfig } from "../policies/tenant-config.js";
import { connect, createStateFolder, engineSettings, localFiles, type EngineOptions } from "./engine-context.js";
import type { GlobalArgs } from "./globals.js";
import { progress, style } from "./output.js";
import { PACKAGE_ROOT } from "./package-info.js";
import { tenantRefFrom, type TenantArgs } from "./tenant-options.js";

export type LifecycleArgs = GlobalArgs &
  TenantArgs & {
    env?: string;
    yes?: boolean;
    confirm?: string;
    parallel?: number;
    "backend-url"?: string;
    "secrets-provider": string;
    "install-pulumi": boolean;
    "credentials-check"?: boolean;
    policy?: boolean;
    refresh?: boolean;
    "expect-no-changes"?: boolean;
  };

const OPERATION_NOUNS: Record<Operation, string> = { up: "update", preview: "preview", refresh: "refresh", destroy: "destroy" };

/** 128 + SIGINT, as shells report a command stopped by Ctrl-C. */
export const EXIT_CANCELLED = 130;

export function engineOptions(argv: LifecycleArgs): EngineOptions {
  return { backendUrl: argv["backend-url"], secretsProvider: argv["secrets-provider"], installCli: argv["install-pulumi"] };
}

/** Someone can answer a question. */
function atTerminal(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

/** Run from a terminal, even with some output redirected: its Ctrl-C reaches the CLI's `pulumi` too. */
function underTerminal(): boolean {
  return Boolean(process.stdin.isTTY || process.stdout.isTTY || process.stderr.isTTY);
}

/**
 * Ctrl-C. The first one cancels: Pulumi stops the running update cleanly and releases the stack's lock,
 * and no further environment starts. The second quits at once.
 *
 * At a terminal, Ctrl-C reaches the whole foreground process group, so the CLI already has its SIGINT;
 * a second one from us would make Pulumi terminate instead of cancel. Only where the signal reached
 * botinfra alone (CI runners, `kill`, any SIGTERM) is it passed on through the AbortSignal.
 */
class Cancellation {
  private readonly controller = new AbortController();
  requested = false;
  running?: { stack: string; operation: Operation };
  private readonly onSignal = (signal: NodeJS.Signals) => this.handle(signal);

  constructor(private readonly cliHasTerminalSignal: boolean) {
    process.on("SIGINT", this.onSignal);
    process.on("SIGTERM", this.onSignal);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  dispose(): void {
    process.off("SIGINT", this.onSignal);
    process.off("SIGTERM", this.onSignal);
  }

  private handle(signal: NodeJS.Signals): void {
    const running = this.running;
    if (this.requested) {
      const stuck = running ? ` Pulumi may still be stopping ${running.stack}; if it stays locked, release it with \`pulumi cancel --stack ${running.stack}\`.` : "";
      process.stderr.write(`\nSecond ${signal === "SIGINT" ? "Ctrl-C" : signal}: quitting now without waiting.${stuck}\n`);
      process.exit(EXIT_CANCELLED);
    }
    this.requested = true;
    const what = running
      ? `Pulumi is stopping the ${OPERATION_NOUNS[running.operation]} of ${running.stack} cleanly and will leave the stack unlocked; no further environment starts.`
      : "no further environment starts.";
    process.stderr.write(`\nCancelling: ${what} Press Ctrl-C again to quit at once (Pulumi is then cut short: the stack may stay locked).\n`);
    if (signal !== "SIGINT" || !this.cliHasTerminalSignal) this.controller.abort();
  }
}

async function ask(question: string): Promise<string> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await prompt.question(question);
  } finally {
    prompt.close();
  }
}

/** Whether the person at the terminal agreed; no questions when the confirmation is "none". */
async function confirmed(confirmation: Confirmation): Promise<boolean> {
  switch (confirmation.kind) {
    case "none":
      return true;
    case "yes-no":
      return isYes(await ask(confirmation.question));
    case "type-name":
      return (await ask(confirmation.question)).trim() === confirmation.expected;
  }
}

function emitter(json: boolean): (record: ProgressRecord) => void {
  return (record) => {
    if (json) {
      process.stdout.write(`${jsonLine(record)}\n`);
      return;
    }
    const lines = formatRecord(record, style);
    if (lines.length === 0) return;
    if (record.type === "summary") process.stdout.write(`\n${lines.join("\n")}\n`);
    else progress(lines.join("\n"));
  };
}

interface StackOutcome {
  stack: string;
  environment: string;
  result: StackResult;
  changes: ChangeCounts;
  message?: string;
  exitCode?: number;
}

/** Runs `operation` on the tenant's environments; resolves with the exit code. */
export async function runOperation(operation: Operation, argv: LifecycleArgs): Promise<number> {
  const ref = tenantRefFrom(argv);
  const { platform } = loadTenant(ref);
  if (operation === "destroy" && (argv.env === undefined || argv.env === ALL_ENVIRONMENTS)) {
    throw new UserError(`destroy: --env is required and names one environment (${platform.environments.map((e) => e.name).join(", ")}); destroy goes one environment at a time`);
  }
  const environments = selectEnvironments(platform, argv.env ?? ALL_ENVIRONMENTS, { allowAll: true });
  const parallel = parseParallel(argv.parallel);
  const interactive = atTerminal();
  // Refusals that need no engine come before anything starts.
  const command = argv.env === undefined ? operation : `${operation} --env ${argv.env}`;
  const confirmations = new Map(
    environments.map((environment) => [
      environment.name,
      confirmationFor({ operation, command, environment, tenant: platform.tenant, yes: argv.yes ?? false, confirm: argv.confirm, interactive }),
    ]),
  );
  const cloud = await cloudModule(platform.cloud);
  const { backend, credentials, engine } = await readyMachine(argv, cloud);
  const tenantFile = "file" in ref ? ref.file : tenantFileFor(ref.name, ref.tenantsDir);
  const configs = new Map(environments.map((environment) => [environment.name, stackConfig(platform, environment, tenantFile, cloud)]));
  const secrets = [...configs.values()].flatMap(secretValues);

  const emit = emitter(argv.json);
  if (!argv.json) progress(`${platform.tenant} on ${platform.cloud} ${platform.region}: state in ${backend.url}; credentials: ${credentials}`);

  const cancellation = new Cancellation(underTerminal());
  const outcomes: StackOutcome[] = [];
  const policy = argv.policy !== false && (operation === "up" || operation === "preview") ? enginePolicy(platform) : undefined;
  try {
    for (const [index, environment] of environments.entries()) {
      const stoppedBy = outcomes.find((outcome) => outcome.result !== "succeeded");
      if (stoppedBy || cancellation.requested) {
        const message = stoppedBy ? `stopped: ${stoppedBy.stack} ${stoppedBy.result}` : "cancelled before it started";
        outcomes.push({ stack: environment.stack, environment: environment.name, result: "not run", changes: {}, message });
        continue;
      }
      emit({ type: "stack-start", operation, stack: environment.stack, environment: environment.name, index: index + 1, count: environments.length });
      const started = Date.now();
      const outcome = await runOnStack({
        engine,
        operation,
        environment,
        config: operation === "up" || operation === "preview" ? configs.get(environment.name) : undefined,
        confirmation: confirmations.get(environment.name)!,
        parallel,
        cancellation,
        emit,
        secrets,
        ...(policy ? { policy } : {}),
        previewOptions: { refresh: argv.refresh === true, expectNoChanges: argv["expect-no-changes"] === true },
      });
      outcomes.push(outcome);
      const { exitCode: _exitCode, ...reported } = outcome;
      emit({ type: "stack-end", operation, ...reported, durationMs: Date.now() - started });
      if (outcome.result === "failed") process.stderr.write(`${style.red("error:")} ${outcome.message}\n`);
    }
  } finally {
    cancellation.dispose();
    policy?.dispose();
  }

  const result = cancellation.requested ? "cancelled" : outcomes.some((o) => o.result === "failed") ? "failed" : outcomes.some((o) => o.result === "declined") ? "declined" : "succeeded";
  emit({
    type: "summary",
    operation,
    tenant: platform.tenant,
    result,
    stacks: outcomes.map(({ stack, environment, result, changes, message }) => ({ stack, environment, result, changes, ...(message ? { message: firstLine(message) } : {}) })),
  });
  if (result === "cancelled") {
    const interrupted = outcomes.find((o) => o.result === "cancelled");
    process.stderr.write(
      interrupted
        ? `Cancelled. Pulumi stopped ${interrupted.stack} cleanly and released its lock; resources it was changing may be incomplete: \`botinfra refresh\` reads their real state, and \`botinfra ${operation === "destroy" ? "destroy" : "up"}\` finishes the job.\n`
        : "Cancelled between environments: nothing was left half-done.\n",
    );
    return EXIT_CANCELLED;
  }
  return outcomes.find((o) => o.exitCode !== undefined)?.exitCode ?? 0;
}

/**
 * Everything the machine lacks (the passphrase, the cloud's credentials, the Pulumi CLI), found before
 * anything starts and reported together, so that one round of fixes is enough.
 */
async function readyMachine(argv: LifecycleArgs, cloud: CloudModule) {
  const options = engineOptions(argv);
  const { settings, backend } = engineSettings(options);
  const missing: string[] = [];
  const check = async <T>(step: () => T | Promise<T>): Promise<T | undefined> => {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof UserError) || error.exitCode !== EXIT_NOT_READY) throw error;
      missing.push(error.message);
      return undefined;
    }
  };
  await check(() => checkPassphrase(options.secretsProvider, process.env, localFiles()));
  const credentials = argv["credentials-check"] === false ? "not checked (--no-credentials-check)" : await check(() => cloud.credentials(process.env, localFiles()));
  const engine = await check(() => connect(settings));
  if (missing.length === 1) throw new NotReadyError(missing[0]!);
  if (missing.length > 1) throw new NotReadyError(`this machine is not ready (${missing.length} problems):\n${missing.map((message) => `  - ${message}`).join("\n")}`);
  createStateFolder(backend);
  return { backend, credentials: credentials!, engine: engine! };
}

/**
 * botinfra's policy pack for the engine to enforce, with the tenant's management and environment
 * ranges in a config file of its own (removed after the run): what `botinfra check` applies offline.
 */
export function enginePolicy(platform: Platform): PolicyOptions & { dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), "botinfra-policy-"));
  const config = join(dir, `${platform.tenant}-policy.json`);
  writeFileSync(config, `${JSON.stringify(tenantPolicyConfig(platform), null, 2)}\n`);
  return { packs: [join(PACKAGE_ROOT, "policies")], configs: [config], dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

interface StackRun {
  engine: Engine;
  /** For up and preview: the policy pack the engine enforces. */
  policy?: PolicyOptions;
  operation: Operation;
  environment: Environment;
  config?: Record<string, ConfigEntry>;
  confirmation: Confirmation;
  parallel?: number;
  cancellation: Cancellation;
  emit: (record: ProgressRecord) => void;
  secrets: string[];
  /** preview --refresh / --expect-no-changes. */
  previewOptions?: PreviewOptions;
}

async function runOnStack(run: StackRun): Promise<StackOutcome> {
  const { environment, cancellation, operation } = run;
  const base = { stack: environment.stack, environment: environment.name };
  const engineErrors: string[] = [];
  const record = (progressRecord: ProgressRecord) => {
    if (progressRecord.type === "diagnostic" && progressRecord.severity === "error") engineErrors.push(diagnosticText(progressRecord.message, progressRecord.urn));
    run.emit(progressRecord);
  };
  const step = async (stack: StackHandle, op: Operation): Promise<ChangeCounts> => {
    if (cancellation.requested) throw new Cancelled();
    const tracker = new ProgressTracker(stack.name);
    cancellation.running = { stack: stack.name, operation: op };
    try {
      const policy = run.policy && (op === "up" || op === "preview") ? { policy: run.policy } : {};
      const preview = op === "preview" && run.previewOptions ? { preview: run.previewOptions } : {};
      return await stack.run(op, { parallel: run.parallel, signal: cancellation.signal, ...policy, ...preview, onEvent: (event) => tracker.onEvent(event).forEach(record) });
    } finally {
      cancellation.running = undefined;
    }
  };
  try {
    const stack = await run.engine.openStack(environment.stack, run.config);
    if (operation === "up" || operation === "preview") refuseMovedSubnets(environment, await stack.outputs());
    // Without --yes at a terminal, `up` shows what it would do before asking.
    if (operation === "up" && run.confirmation.kind !== "none") await step(stack, "preview");
    if (!(await confirmed(run.confirmation))) return { ...base, result: "declined", changes: {}, message: "not confirmed; nothing was changed", exitCode: 1 };
    return { ...base, result: "succeeded", changes: await step(stack, operation) };
  } catch (error) {
    if (cancellation.requested) return { ...base, result: "cancelled", changes: {} };
    if (!(error instanceof EngineFailure)) throw error;
    const { message, exitCode } = describeFailure(error, run.secrets, engineErrors);
    return { ...base, result: "failed", changes: {}, message, exitCode };
  }
}

/** A plan that would move a deployed subnet stops before the engine runs, naming each tier and both ranges. */
function refuseMovedSubnets(environment: Environment, deployed: Record<string, OutputEntry>) {
  const subnets = deployed.subnets?.value;
  const moves = movedSubnets(environment, Array.isArray(subnets) ? { subnets: subnets as SubnetOutput[] } : {});
  if (moves.length === 0) return;
  const lines = moves.map((move) => `  ${move.group === PROXY_GROUP ? "the proxy" : `tier ${move.group}`}: deployed in ${move.deployed}, the spec now plans ${move.planned}`);
  throw new UserError(
    `${environment.stack}: the spec would move deployed subnets, which the cloud refuses for subnets in use:\n${lines.join("\n")}\n` +
      `Pin each tier's range in the spec (environments.${environment.name}.tiers.<tier>.cidr), as \`botinfra tenants pin\` does, or move the tier's servers out first.`,
  );
}

class Cancelled extends Error {}

function firstLine(text: string): string {
  return text.split("\n")[0]!;
}
