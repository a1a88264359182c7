/**
 * The engine boundary: the only module that talks to the Pulumi Automation API, and through it to the
 * user's `pulumi` CLI. It opens `<tenant>-<env>` stacks of the workDir program (Pulumi.yaml at the package
 * root), sets their config, runs an operation with its events, reads outputs, and turns the SDK's errors
 * into EngineFailures. Every decision (which stacks, what config, what to say) is made above it.
 *
 * The SDK is imported inside functions: `botinfra --help` and commands that never reach Pulumi load none of it.
 */
import type { EngineEvent, LocalWorkspaceOptions, PulumiCommand, Stack } from "@pulumi/pulumi/automation/index.js";
import { EngineFailure } from "./failures.js";
import type { ConfigEntry } from "../components/contract.js";
import type { Operation } from "./lifecycle.js";
import type { ChangeCounts, EngineEventLike } from "./progress.js";

const sdk = () => import("@pulumi/pulumi/automation/index.js");

export interface EngineSettings {
  /** The folder holding Pulumi.yaml: the package root. */
  workDir: string;
  /** Added to the CLI's environment on every stack command: PULUMI_BACKEND_URL and the like. */
  envVars: Record<string, string>;
  /** Used when a stack is created (`stack init --secrets-provider`). */
  secretsProvider: string;
  /** Install the CLI (PulumiCommand.install) when none is on PATH. */
  installCli: boolean;
}

export interface RunOptions {
  parallel?: number;
  /** Aborting it sends the CLI one SIGINT: Pulumi then cancels cleanly and releases the stack's lock. */
  signal?: AbortSignal;
  /** Policy packs the engine enforces (up and preview), with their config files. */
  policy?: PolicyOptions;
  /** For preview only. */
  preview?: PreviewOptions;
  onEvent(event: EngineEventLike): void;
}

export interface PreviewOptions {
  /** Read the cloud's real state before diffing (`--refresh`). */
  refresh: boolean;
  /** Fail when the preview proposes any change (`--expect-no-changes`): drift detection. */
  expectNoChanges: boolean;
}

export interface PolicyOptions {
  packs: string[];
  configs: string[];
}

export interface OutputEntry {
  value: unknown;
  secret: boolean;
}

export interface StackHandle {
  readonly name: string;
  /** Runs the operation; resolves with the changes the engine counted. */
  run(operation: Operation, options: RunOptions): Promise<ChangeCounts>;
  outputs(): Promise<Record<string, OutputEntry>>;
}

export interface Engine {
  readonly cliVersion: string;
  /**
   * With config: creates the stack on first use, selects it otherwise, and sets the config.
   * Without: selects an existing stack (EngineFailure "stack-not-found" when there is none).
   */
  openStack(name: string, config?: Record<string, ConfigEntry>): Promise<StackHandle>;
}

/** The SDK's event type must carry everything progress reads; this line fails to compile when it stops doing so. */
const asProgressEvent = (event: EngineEvent): EngineEventLike => event;

export async function connectEngine(settings: EngineSettings): Promise<Engine> {
  const automation = await sdk();
  const failureOf = (error: unknown, stack?: string): EngineFailure => toFailure(automation, error, stack);

  let command: PulumiCommand;
  try {
    command = await automation.PulumiCommand.get();
  } catch (error) {
    const failure = failureOf(error);
    if (failure.kind !== "cli-missing" || !settings.installCli) throw failure;
    try {
      command = await automation.PulumiCommand.install();
    } catch (installError) {
      throw new EngineFailure("cli-install", installError instanceof Error ? installError.message : String(installError));
    }
  }

  const options: LocalWorkspaceOptions = { pulumiCommand: command, envVars: settings.envVars, secretsProvider: settings.secretsProvider };
  return {
    cliVersion: String(command.version ?? "unknown"),
    async openStack(name, config) {
      const args = { stackName: name, workDir: settings.workDir };
      try {
        const stack = config
          ? await automation.LocalWorkspace.createOrSelectStack(args, options)
          : await automation.LocalWorkspace.selectStack(args, options);
        if (config) await stack.setAllConfig(config);
        return stackHandle(stack, failureOf);
      } catch (error) {
        throw failureOf(error, name);
      }
    },
  };
}

function stackHandle(stack: Stack, failureOf: (error: unknown, stack?: string) => EngineFailure): StackHandle {
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw failureOf(error, stack.name);
    }
  };
  return {
    name: stack.name,
    run: (operation, { parallel, signal, policy, preview, onEvent }) =>
      guard(async () => {
        const options = { onEvent: (event: EngineEvent) => onEvent(asProgressEvent(event)), ...(parallel ? { parallel } : {}), ...(signal ? { signal } : {}) };
        const withPolicy = { ...options, ...(policy ? { policyPacks: policy.packs, policyPackConfigs: policy.configs } : {}) };
        switch (operation) {
          case "up":
            return (await stack.up(withPolicy)).summary?.resourceChanges ?? {};
          case "preview":
            return (await stack.preview({ ...withPolicy, ...(preview?.refresh ? { refresh: true } : {}), ...(preview?.expectNoChanges ? { expectNoChanges: true } : {}) })).changeSummary;
          case "refresh":
            return (await stack.refresh(options)).summary?.resourceChanges ?? {};
          case "destroy":
            return (await stack.destroy(options)).summary?.resourceChanges ?? {};
        }
      }),
    outputs: () => guard(() => stack.outputs()),
  };
}

/** What the SDK keeps of a failed command (a private field: the research on 3.248 shows its shape). */
interface FailedCommand {
  commandResult?: { stderr?: string; err?: { code?: string; stderr?: unknown } };
}

const VERSION_PROBLEMS = /^(Minimum version requirement failed|Major version mismatch|Failed to parse Pulumi CLI version)/;

function toFailure(automation: Awaited<ReturnType<typeof sdk>>, error: unknown, stack?: string): EngineFailure {
  if (error instanceof EngineFailure) return error;
  if (error instanceof automation.CommandError) {
    const result = (error as unknown as FailedCommand).commandResult;
    // The CLI's own stderr; the SDK's stderr field is execa's message, which starts with the whole command line.
    const output = typeof result?.err?.stderr === "string" && result.err.stderr !== "" ? result.err.stderr : (result?.stderr ?? error.message);
    if (result?.err?.code === "ENOENT") return new EngineFailure("cli-missing", output);
    if (error instanceof automation.ConcurrentUpdateError) return new EngineFailure("locked", output, stack);
    if (error instanceof automation.StackNotFoundError) return new EngineFailure("stack-not-found", output, stack);
    return new EngineFailure("command", output, stack);
  }
  if (error instanceof Error && VERSION_PROBLEMS.test(error.message)) return new EngineFailure("cli-version", error.message);
  throw error;
}
