/**
 * Which stacks a change touches, decided from the resolved platform models before and after it and the
 * files it changed. Pure: the git reading is in git.ts, so every rule here is tested without a repository.
 */
import { selectEnvironments, ALL_ENVIRONMENTS } from "../environments.js";
import type { Environment, Platform } from "../../model/platform.js";
import { CLOUDS, type Cloud } from "../../model/spec.js";

export interface AffectedStack {
  tenant: string;
  environment: string;
  stack: string;
  cloud: Cloud;
  production: boolean;
  /** Why: each a sentence naming the file or the field that changed. */
  reasons: string[];
}

export interface RemovedStack {
  tenant: string;
  environment: string;
  stack: string;
  reason: string;
}

export interface AffectedReport {
  /** The commit compared with, or undefined with --all. */
  base?: string;
  /** In deployment order: tenants by name, each one's non-production environments first, production last. */
  affected: AffectedStack[];
  /** Stacks whose environment or tenant the change deleted: botinfra never destroys them on its own. */
  removed: RemovedStack[];
}

/** A tenant spec as read at one side of the change: its model, or why it has none. */
export type TenantState = { platform: Platform } | { invalid: string };

export interface ChangeInput {
  base: string;
  /** Tenants at the base commit and in the working tree, by name. */
  before: ReadonlyMap<string, TenantState>;
  after: ReadonlyMap<string, Platform>;
  /** Paths the change touched, relative to the repository's root, with `/`. */
  changedFiles: readonly string[];
  /** The tenants folder, relative to the repository's root, with `/` (no trailing one). */
  tenantsDir: string;
}

/** Code every tenant's stacks are built from; under components/, a cloud's folder touches only that cloud. */
const SHARED_FOLDERS = ["components/", "model/", "spec-files/", "ansible/", "ansible-templates/", "policies/"];
const SHARED_FILES = ["Pulumi.yaml", "package.json", "package-lock.json"];
/** The Pulumi program itself: stacks/*.ts (the specs and stack settings beside it are not code). */
const PROGRAM_FILE = /^stacks\/[^/]+\.ts$/;
const STACK_SETTINGS = /^stacks\/Pulumi\.([a-z0-9-]+)\.yaml$/;

/** What a changed file touches: every stack (of one cloud), one stack's settings, or nothing by itself. */
export type FileScope = { kind: "all"; cloud?: Cloud } | { kind: "stack"; stack: string } | { kind: "none" };

export function fileScope(path: string): FileScope {
  if (SHARED_FILES.includes(path) || PROGRAM_FILE.test(path)) return { kind: "all" };
  const folder = SHARED_FOLDERS.find((prefix) => path.startsWith(prefix));
  if (folder !== undefined) {
    const cloud = folder === "components/" ? CLOUDS.find((candidate) => path.startsWith(`components/${candidate}/`)) : undefined;
    return cloud === undefined ? { kind: "all" } : { kind: "all", cloud };
  }
  const settings = STACK_SETTINGS.exec(path);
  return settings ? { kind: "stack", stack: settings[1]! } : { kind: "none" };
}

/** What an environment's stack is built from: the environment and the tenant-wide fields every stack reads. */
function resolvedEnvironment(platform: Platform, environment: Environment): string {
  const { environments: _environments, ...tenantWide } = platform;
  return JSON.stringify({ ...tenantWide, environment });
}

/** Every environment in `--env all` order: non-production first, production last. */
function deploymentOrder(platform: Platform): Environment[] {
  return selectEnvironments(platform, ALL_ENVIRONMENTS, { allowAll: true });
}

function specReasons(file: string, before: TenantState | undefined, platform: Platform, environment: Environment): string[] {
  if (before === undefined) return [`${file}: tenant ${platform.tenant} is new`];
  if ("invalid" in before) return [`${file}: tenant ${platform.tenant} had no valid spec at the base (${before.invalid})`];
  const previous = before.platform.environments.find((candidate) => candidate.name === environment.name);
  if (!previous) return [`${file}: environment ${environment.name} is new`];
  return resolvedEnvironment(before.platform, previous) === resolvedEnvironment(platform, environment) ? [] : [`${file}: environment ${environment.name} changed`];
}

/** The stacks the change touches and the ones it removed. */
export function affectedStacks(input: ChangeInput): AffectedReport {
  const scoped = input.changedFiles.map((path) => ({ path, scope: fileScope(path) }));
  const affected: AffectedStack[] = [];
  for (const [name, platform] of [...input.after].sort(([a], [b]) => a.localeCompare(b))) {
    const file = `${input.tenantsDir}/${name}.yaml`;
    for (const environment of deploymentOrder(platform)) {
      const reasons = [
        ...specReasons(file, input.before.get(name), platform, environment),
        ...scoped
          .filter(({ scope }) => (scope.kind === "all" && (scope.cloud === undefined || scope.cloud === platform.cloud)) || (scope.kind === "stack" && scope.stack === environment.stack))
          .map(({ path }) => `${path} changed`),
      ];
      if (reasons.length > 0) {
        affected.push({ tenant: name, environment: environment.name, stack: environment.stack, cloud: platform.cloud, production: environment.production, reasons });
      }
    }
  }
  return { base: input.base, affected, removed: removedStacks(input) };
}

function removedStacks({ before, after, tenantsDir }: ChangeInput): RemovedStack[] {
  const removed: RemovedStack[] = [];
  for (const [name, state] of [...before].sort(([a], [b]) => a.localeCompare(b))) {
    if (!("platform" in state)) continue;
    const now = after.get(name);
    for (const environment of deploymentOrder(state.platform)) {
      if (now?.environments.some((candidate) => candidate.name === environment.name)) continue;
      const reason = now ? `${tenantsDir}/${name}.yaml: environment ${environment.name} was removed` : `${tenantsDir}/${name}.yaml was removed`;
      removed.push({ tenant: name, environment: environment.name, stack: environment.stack, reason });
    }
  }
  return removed;
}

/** Every stack, for a first run or a run with nothing to compare with (--all). */
export function everyStack(after: ReadonlyMap<string, Platform>): AffectedReport {
  const affected = [...after]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([name, platform]) =>
      deploymentOrder(platform).map((environment) => ({
        tenant: name,
        environment: environment.name,
        stack: environment.stack,
        cloud: platform.cloud,
        production: environment.production,
        reasons: ["every stack (--all)"],
      })),
    );
  return { affected, removed: [] };
}
