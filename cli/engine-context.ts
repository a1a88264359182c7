/**
 * What every command that reaches Pulumi needs first: the state backend, a passphrase for the stacks'
 * secrets and a Pulumi CLI, each checked with a clear message before anything runs.
 */
import { mkdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import type { Engine, EngineSettings } from "../engine/automation.js";
import { describeFailure, EngineFailure } from "../engine/failures.js";
import { checkPassphrase, resolveBackend, type Backend, type Env, type FileProbe } from "../engine/readiness.js";
import { UserError } from "../model/errors.js";
import { readUserFile } from "../spec-files/user-file.js";
import { PACKAGE_ROOT } from "./package-info.js";

export interface EngineOptions {
  backendUrl?: string;
  secretsProvider: string;
  installCli: boolean;
}

export function localFiles(): FileProbe {
  return {
    home: homedir(),
    readText: (path) => {
      try {
        return readUserFile(path, "file", (why) => new Error(why));
      } catch {
        return undefined;
      }
    },
    mode: (path) => {
      try {
        return statSync(path).mode;
      } catch {
        return undefined;
      }
    },
  };
}

/** The backend and how to run the engine, checking nothing on the machine yet and creating nothing. */
export function engineSettings(options: EngineOptions, env: Env = process.env): { settings: EngineSettings; backend: Backend } {
  const backend = resolveBackend(options.backendUrl, env, homedir());
  return {
    backend,
    settings: {
      workDir: PACKAGE_ROOT,
      // The CLI's update check would only add a network call and a warning to every command.
      envVars: { PULUMI_BACKEND_URL: backend.url, PULUMI_SKIP_UPDATE_CHECK: "true" },
      secretsProvider: options.secretsProvider,
      installCli: options.installCli,
    },
  };
}

/** A local backend's folder, created for its owner alone: the state holds every resource's details. */
export function createStateFolder(backend: Backend): void {
  if (backend.localDir === undefined) return;
  try {
    mkdirSync(backend.localDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new UserError(`${backend.origin}: cannot create the state folder ${backend.localDir} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/** Checks the backend and the passphrase, creates a local backend's folder, and says how to run the engine. */
export function prepareEngine(options: EngineOptions, env: Env = process.env): { settings: EngineSettings; backend: Backend } {
  const prepared = engineSettings(options, env);
  checkPassphrase(options.secretsProvider, env, localFiles());
  createStateFolder(prepared.backend);
  return prepared;
}

/** A failure at the engine boundary as the one message and exit code the user gets. */
export function failureError(failure: EngineFailure, secrets: readonly string[] = []): UserError {
  const { message, exitCode } = describeFailure(failure, secrets);
  return new UserError(message, exitCode);
}

/** Starts the engine (finds or installs the CLI); the Pulumi SDK is loaded here, not before. */
export async function connect(settings: EngineSettings): Promise<Engine> {
  const { connectEngine } = await import("../engine/automation.js");
  try {
    return await connectEngine(settings);
  } catch (error) {
    throw error instanceof EngineFailure ? failureError(error) : error;
  }
}
