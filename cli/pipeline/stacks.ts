/**
 * What both CI providers' pipelines are made of: the stacks in deployment order, the pinned tools and
 * the shell lines every job runs (each cloud's credentials are its profile's, `model/clouds.ts`). Pure.
 *
 * Nothing a spec says becomes a script: scripts are fixed text that read the tenant and environment from
 * variables, and the only spec values in a rendered file are tenant and environment names (checked again
 * here against the model's patterns) in job names, variables and conditions.
 */
import { stringify } from "yaml";
import { ALL_ENVIRONMENTS, selectEnvironments } from "../environments.js";
import type { Platform } from "../../model/platform.js";
import { GROUP_NAME, TENANT_NAME, type Cloud } from "../../model/spec.js";

/** The first line of every file botinfra renders: it may replace such a file, never another. */
export const RENDERED_HEADER = "# Rendered by `botinfra pipeline`: edit the tenant specs or botinfra's options and render again, not this file.";

export interface PipelineOptions {
  /** The tenants folder, relative to the repository's root, with `/`. */
  tenantsDir: string;
  defaultBranch: string;
  /** The Pulumi CLI version the project is tested with (its @pulumi/pulumi SDK version). */
  pulumiVersion: string;
  /** Cron schedule of drift detection (GitHub; GitLab's schedules are set in its UI). */
  driftSchedule: string;
}

export interface RenderedFile {
  path: string;
  content: string;
}

export interface PipelineStack {
  tenant: string;
  environment: string;
  stack: string;
  cloud: Cloud;
  production: boolean;
  /** The tenant's stacks that must be deployed before this one: every non-production one, for production. */
  after: string[];
}

/** The stacks of every tenant: tenants by name, each one's in `up --env all` order. */
export function pipelineStacks(platforms: readonly Platform[]): PipelineStack[] {
  return [...platforms]
    .sort((a, b) => a.tenant.localeCompare(b.tenant))
    .flatMap((platform) => {
      if (!TENANT_NAME.test(platform.tenant)) throw new Error(`internal: tenant name ${JSON.stringify(platform.tenant)} is not safe in a pipeline`);
      const environments = selectEnvironments(platform, ALL_ENVIRONMENTS, { allowAll: true });
      const earlier = environments.filter((environment) => !environment.production).map((environment) => environment.stack);
      return environments.map((environment) => {
        if (!GROUP_NAME.test(environment.name)) throw new Error(`internal: environment name ${JSON.stringify(environment.name)} is not safe in a pipeline`);
        return {
          tenant: platform.tenant,
          environment: environment.name,
          stack: environment.stack,
          cloud: platform.cloud,
          production: environment.production,
          after: environment.production ? earlier : [],
        };
      });
    });
}

export function tenantsOf(stacks: readonly PipelineStack[]): { tenant: string; cloud: Cloud }[] {
  return [...new Map(stacks.map((stack) => [stack.tenant, { tenant: stack.tenant, cloud: stack.cloud }])).values()];
}

export const NODE_VERSION = "20.19";
export const NODE_IMAGE = `node:${NODE_VERSION}-bookworm`;

/** Every third-party action by full commit SHA; the version it is, in the step's name. */
export const ACTIONS = {
  checkout: { uses: "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683", version: "v4.2.2" },
  setupNode: { uses: "actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020", version: "v4.4.0" },
  uploadSarif: { uses: "github/codeql-action/upload-sarif@5d4e8d1aca955e8d8589aabd499c5cae939e33c7", version: "v4.31.9" },
} as const;

/** The variables every job has: how botinfra is installed and called, where the specs are, which Pulumi CLI. */
export function commonVariables(options: PipelineOptions): Record<string, string> {
  return {
    // In a botinfra checkout `npm ci` also builds the CLI (prepare); in a repository that depends on botinfra it installs it.
    BOTINFRA_INSTALL: "npm ci",
    BOTINFRA: "npx --no -- botinfra",
    BOTINFRA_TENANTS_DIR: options.tenantsDir,
    PULUMI_VERSION: options.pulumiVersion,
  };
}

/** The shell lines jobs run, the same on both providers; they read the tenant and environment from variables. */
export const SCRIPTS = {
  /** Pulumi's installer at the pinned version, into ~/.pulumi/bin. */
  installPulumi: 'curl -fsSL https://get.pulumi.com | sh -s -- --version "$PULUMI_VERSION"',
  /**
   * `configure`: Ansible (with community.general) and an SSH agent holding the key the servers accept. It
   * needs the proxies' SSH, open only to managementCidrs: without the key it says so and stops, after `up`.
   */
  configure: [
    'if [ -z "${BOTINFRA_SSH_PRIVATE_KEY:-}" ]; then echo "botinfra configure skipped: BOTINFRA_SSH_PRIVATE_KEY is not set (see the README, CI)"; exit 0; fi',
    'sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo',
    "$sudo apt-get update -q && $sudo apt-get install -y -q ansible openssh-client",
    'eval "$(ssh-agent -s)"',
    'printf \'%s\\n\' "$BOTINFRA_SSH_PRIVATE_KEY" | ssh-add -',
    '$BOTINFRA configure --tenant "$BOTINFRA_TENANT" --env "$BOTINFRA_ENV" --from stack',
  ],
  /** The arguments of `botinfra affected` for a base that may be missing (first push, manual run, rewritten history): then every stack. */
  affectedArgs: 'if [ -n "${BASE:-}" ] && git cat-file -e "$BASE^{commit}" 2>/dev/null; then set -- --base "$BASE"; else set -- --all; fi',
  up: '$BOTINFRA up --tenant "$BOTINFRA_TENANT" --env "$BOTINFRA_ENV" --yes',
  preview: '$BOTINFRA preview --tenant "$BOTINFRA_TENANT" --env "$BOTINFRA_ENV"',
  drift: '$BOTINFRA preview --tenant "$BOTINFRA_TENANT" --env "$BOTINFRA_ENV" --refresh --expect-no-changes',
  validate: "$BOTINFRA tenants validate --all",
} as const;

/** A rendered file: botinfra's header line, then the YAML with long lines kept whole and no anchors (each job reads as it runs). */
export function renderedFile(path: string, body: unknown): RenderedFile {
  return { path, content: `${RENDERED_HEADER}\n${stringify(body, { lineWidth: 0, aliasDuplicateObjects: false })}` };
}

/** The variables of a job about one tenant, or one of its stacks. */
export function stackVariables(stack: { tenant: string; environment?: string }): Record<string, string> {
  return { BOTINFRA_TENANT: stack.tenant, ...(stack.environment === undefined ? {} : { BOTINFRA_ENV: stack.environment }) };
}

/** Job ids: the names joined by `-`, which both providers accept. */
export const jobId = (...parts: string[]) => parts.join("-");
