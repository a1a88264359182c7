/**
 * GitHub Actions: three workflows. Pull requests validate, check (SARIF to code scanning) and preview the
 * stacks they touch; pushes to the default branch deploy them (non-production first, production behind the
 * `production` environment's required reviewers), one run per stack at a time; a schedule looks for drift.
 */
import { ACTIONS, commonVariables, jobId, NODE_VERSION, renderedFile, SCRIPTS, stackVariables, tenantsOf, type PipelineOptions, type PipelineStack, type RenderedFile } from "./stacks.js";
import { CLOUD_PROFILES } from "../../model/clouds.js";
import type { Cloud } from "../../model/spec.js";

type Job = Record<string, unknown>;
type Step = Record<string, unknown>;

const RUNNER = "ubuntu-latest";
const CHECK_SARIF = '$BOTINFRA check --tenant "$BOTINFRA_TENANT" --format sarif > botinfra-check.sarif';
const WORKFLOWS = ".github/workflows";
const READ = { contents: "read" };

function setupSteps({ history = false } = {}): Step[] {
  return [
    { name: `Check out (actions/checkout ${ACTIONS.checkout.version})`, uses: ACTIONS.checkout.uses, with: { "persist-credentials": false, ...(history ? { "fetch-depth": 0 } : {}) } },
    { name: `Node.js (actions/setup-node ${ACTIONS.setupNode.version})`, uses: ACTIONS.setupNode.uses, with: { "node-version": NODE_VERSION, cache: "npm" } },
    { name: "Install botinfra", run: "$BOTINFRA_INSTALL" },
  ];
}

/** The state backend and the stacks' passphrase: a remote backend is required (botinfra refuses the local default in CI). */
const PULUMI_ENV = {
  PULUMI_BACKEND_URL: "${{ secrets.PULUMI_BACKEND_URL }}",
  PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
  PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
};

/**
 * The cloud's credentials, from its profile. Jobs in a GitHub environment read that environment's secrets
 * first (the deploying identity); the others read the repository's (a read-only identity for previews and drift).
 */
function cloudEnv(cloud: Cloud): Record<string, string> {
  const { secrets, variables } = CLOUD_PROFILES[cloud].ci;
  return { ...variables, ...Object.fromEntries(secrets.map((name) => [name, `\${{ secrets.${name} }}`])) };
}

function pulumiSteps(cloud: Cloud): Step[] {
  const action = CLOUD_PROFILES[cloud].ci.oidc?.githubAction;
  const login: Step[] = action ? [{ name: `${action.title} (${action.uses.split("@")[0]!} ${action.version})`, uses: action.uses, with: action.with }] : [];
  return [...setupSteps(), { name: "Pulumi CLI ${{ env.PULUMI_VERSION }}", run: `${SCRIPTS.installPulumi}\necho "$HOME/.pulumi/bin" >> "$GITHUB_PATH"` }, ...login];
}

function pulumiJob(stack: PipelineStack, name: string): Job {
  return {
    name,
    "runs-on": RUNNER,
    permissions: CLOUD_PROFILES[stack.cloud].ci.oidc ? { ...READ, "id-token": "write" } : READ,
    env: stackVariables(stack),
  };
}

/** A step running botinfra with the secrets it needs: only its own environment holds them, not `npm ci`'s. */
function botinfraStep(stack: PipelineStack, name: string, run: string, extra: Record<string, string> = {}): Step {
  return { name, env: { ...PULUMI_ENV, ...cloudEnv(stack.cloud), ...extra }, run };
}

/** The tenant or stack names are from specs, but only ever [a-z0-9-]: safe inside a quoted expression string. */
const touched = (list: "tenants" | "stacks", name: string) => `contains(fromJSON(needs.affected.outputs.affected).${list}, '${name}')`;

function affectedJob(base: string, history: string): Job {
  return {
    name: "affected stacks",
    "runs-on": RUNNER,
    permissions: READ,
    outputs: { affected: "${{ steps.affected.outputs.affected }}" },
    steps: [
      ...setupSteps({ history: true }),
      {
        id: "affected",
        name: `botinfra affected (${history})`,
        env: { BASE: base },
        run: [SCRIPTS.affectedArgs, '$BOTINFRA affected "$@" --json > affected.json', "{ echo 'affected<<BOTINFRA_EOF'; cat affected.json; echo 'BOTINFRA_EOF'; } >> \"$GITHUB_OUTPUT\""].join("\n"),
      },
    ],
  };
}

/** Runs `command`, shows its output in the log and in the job's summary, and keeps its exit code. */
function summarized(title: string, command: string): string {
  return [
    "status=0",
    `${command} 2>&1 | tee botinfra-output.txt || status=$?`,
    `{ echo "### ${title}: $BOTINFRA_TENANT $BOTINFRA_ENV"; echo '\`\`\`'; cat botinfra-output.txt; echo '\`\`\`'; } >> "$GITHUB_STEP_SUMMARY"`,
    'exit "$status"',
  ].join("\n");
}

function pullRequest(stacks: PipelineStack[]): Record<string, Job> {
  const jobs: Record<string, Job> = {
    validate: { name: "validate specs", "runs-on": RUNNER, permissions: READ, steps: [...setupSteps(), { name: "botinfra tenants validate", run: SCRIPTS.validate }] },
    affected: { needs: "validate", ...affectedJob("${{ github.event.pull_request.base.sha }}", "since the base branch") },
  };
  for (const { tenant } of tenantsOf(stacks)) {
    jobs[jobId("check", tenant)] = {
      name: `check ${tenant}`,
      needs: "affected",
      if: touched("tenants", tenant),
      "runs-on": RUNNER,
      permissions: { ...READ, "security-events": "write" },
      env: stackVariables({ tenant }),
      steps: [
        ...setupSteps(),
        { name: "botinfra check (exit 1 on a mandatory violation)", run: CHECK_SARIF },
        {
          name: `Upload to code scanning (github/codeql-action/upload-sarif ${ACTIONS.uploadSarif.version})`,
          if: "${{ !cancelled() }}",
          uses: ACTIONS.uploadSarif.uses,
          with: { sarif_file: "botinfra-check.sarif", category: `botinfra-${tenant}` },
        },
      ],
    };
  }
  for (const stack of stacks) {
    jobs[jobId("preview", stack.stack)] = {
      ...pulumiJob(stack, `preview ${stack.stack}`),
      needs: ["affected", jobId("check", stack.tenant)],
      if: touched("stacks", stack.stack),
      steps: [...pulumiSteps(stack.cloud), botinfraStep(stack, "botinfra preview (fails on a mandatory policy violation)", summarized("botinfra preview", SCRIPTS.preview))],
    };
  }
  return jobs;
}

function deploy(stacks: PipelineStack[]): Record<string, Job> {
  const jobs: Record<string, Job> = { affected: affectedJob("${{ github.event.before }}", "since the previous push; every stack when run by hand") };
  for (const stack of stacks) {
    const earlier = stack.after.map((other) => jobId("deploy", other));
    jobs[jobId("deploy", stack.stack)] = {
      ...pulumiJob(stack, `deploy ${stack.stack}`),
      needs: ["affected", ...earlier],
      // Production waits for the tenant's other stacks, which may have been skipped (untouched) but must not have failed.
      if: earlier.length > 0 ? `\${{ !failure() && !cancelled() && ${touched("stacks", stack.stack)} }}` : touched("stacks", stack.stack),
      environment: stack.environment,
      concurrency: { group: `botinfra-${stack.stack}`, "cancel-in-progress": false },
      steps: [
        ...pulumiSteps(stack.cloud),
        botinfraStep(stack, "botinfra up", summarized("botinfra up", SCRIPTS.up)),
        botinfraStep(stack, "botinfra configure", SCRIPTS.configure.join("\n"), { BOTINFRA_SSH_PRIVATE_KEY: "${{ secrets.BOTINFRA_SSH_PRIVATE_KEY }}" }),
      ],
    };
  }
  return jobs;
}

function drift(stacks: PipelineStack[]): Record<string, Job> {
  return Object.fromEntries(
    stacks.map((stack) => [
      jobId("drift", stack.stack),
      {
        ...pulumiJob(stack, `drift ${stack.stack}`),
        concurrency: { group: `botinfra-drift-${stack.stack}`, "cancel-in-progress": false },
        steps: [...pulumiSteps(stack.cloud), botinfraStep(stack, "botinfra preview --refresh --expect-no-changes (fails naming what drifted)", summarized("botinfra drift", SCRIPTS.drift))],
      },
    ]),
  );
}

/** Jobs read top-down: what and when, where, with what rights, then how. */
const JOB_KEYS = ["name", "needs", "if", "runs-on", "environment", "concurrency", "permissions", "outputs", "env", "steps"];

function ordered(jobs: Record<string, Job>): Record<string, Job> {
  const rank = (key: string) => (JOB_KEYS.includes(key) ? JOB_KEYS.indexOf(key) : JOB_KEYS.length);
  return Object.fromEntries(Object.entries(jobs).map(([id, job]) => [id, Object.fromEntries(Object.entries(job).sort(([a], [b]) => rank(a) - rank(b)))]));
}

export function renderGithub(stacks: PipelineStack[], options: PipelineOptions): RenderedFile[] {
  // `permissions: {}` first: a job gets only what it asks for.
  const file = (name: string, title: string, on: unknown, jobs: Record<string, Job>, extra: Record<string, unknown> = {}) => {
    const body = { name: title, on, permissions: {}, ...extra, defaults: { run: { shell: "bash" } }, env: commonVariables(options), jobs: ordered(jobs) };
    return renderedFile(`${WORKFLOWS}/${name}`, body);
  };
  return [
    file("botinfra-pull-request.yml", "botinfra pull request", { pull_request: { branches: [options.defaultBranch] } }, pullRequest(stacks), {
      concurrency: { group: "botinfra-pr-${{ github.event.pull_request.number }}", "cancel-in-progress": true },
    }),
    file("botinfra-deploy.yml", "botinfra deploy", { push: { branches: [options.defaultBranch] }, workflow_dispatch: {} }, deploy(stacks)),
    file("botinfra-drift.yml", "botinfra drift", { schedule: [{ cron: options.driftSchedule }], workflow_dispatch: {} }, drift(stacks)),
  ];
}
