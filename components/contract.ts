/**
 * What every cloud implements, as types only. A cloud is one folder, `components/<cloud>/`, whose
 * `index.ts` exports one CloudModule; `components/registry.ts` maps each cloud to a lazy import of it.
 * The rules (peers, ports, names, addresses, protect) come from the model; a cloud only translates.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { StackOutputs } from "../model/outputs.js";
import type { Environment, Platform } from "../model/platform.js";

export interface RootComponentArgs {
  platform: Platform;
  environment: Environment;
}

/**
 * One stack's root (one tenant's environment): it builds the environment's network, its reverse proxy
 * and its tiers, and exposes the stack outputs every consumer reads.
 */
export interface RootComponent extends pulumi.ComponentResource {
  /** Filled from the resources' own outputs (addresses as the cloud reports them), not copied from the model. */
  readonly outputs: pulumi.Output<StackOutputs>;
}

export type RootComponentConstructor = new (name: string, args: RootComponentArgs, opts?: pulumi.ComponentResourceOptions) => RootComponent;

/** The environment variables a check reads. */
export type Env = Readonly<Record<string, string | undefined>>;

/** How readiness checks look at files (credentials caches, passphrase files): the real file system or a test's. */
export interface FileProbe {
  home: string;
  /** The file's text, or undefined when it does not exist or cannot be read. */
  readText(path: string): string | undefined;
  /** The file's permission bits (0o600...), or undefined when it does not exist. */
  mode(path: string): number | undefined;
}

/** One stack config value, as `pulumi config set [--secret]` stores it. */
export interface ConfigEntry {
  value: string;
  secret?: boolean;
}

/** What the cloud's provider will authenticate with, as a phrase for the progress line. */
export type CredentialSource = string;

/**
 * Everything botinfra needs of a cloud. Loading the module itself loads no cloud SDK: only
 * `loadRootComponent` does, when a stack of that cloud is built.
 */
export interface CloudModule {
  /** The root component; imports the cloud's SDK. */
  loadRootComponent(): Promise<RootComponentConstructor>;
  /** The cloud's answers under the mock runtime (the offline plan): what it reports after creating each resource. */
  mocks(): pulumi.runtime.Mocks;
  /** Config every stack of this cloud gets beyond botinfra's own keys (the provider's region, ...). */
  stackConfig(platform: Platform, environment: Environment): Record<string, ConfigEntry>;
  /**
   * Config the offline plan sets in place of what a real run looks up once and pins in the stack
   * (AWS's zone names, an image id). Empty where the cloud pins nothing.
   */
  offlineConfig(platform: Platform, environment: Environment): Record<string, string>;
  /** What the provider will authenticate with; a NotReadyError naming the variables when nothing is there. */
  credentials(env: Env, files: FileProbe): CredentialSource;
}
