/**
 * GitLab CI: one .gitlab-ci.yml. Merge requests validate, check (a Code Quality report artifact) and
 * preview the stacks they touch, the preview posted as a note; the default branch deploys them
 * (production by a manual job in a `production` tier environment), one deployment per stack at a time
 * (resource_group); scheduled pipelines look for drift.
 *
 * GitLab decides which jobs exist before any runs, so every stack has its jobs and each first asks
 * `affected.txt` (written by the affected job) whether the change touches it, and stops there if not.
 */
import { CLOUD_PROFILES } from "../../model/clouds.js";
import { CLOUDS, type Cloud } from "../../model/spec.js";
import { commonVariables, jobId, NODE_IMAGE, renderedFile, SCRIPTS, stackVariables, tenantsOf, type PipelineOptions, type PipelineStack, type RenderedFile } from "./stacks.js";

type Job = Record<string, unknown>;

const MERGE_REQUEST = '$CI_PIPELINE_SOURCE == "merge_request_event"';
const SCHEDULE = '$CI_PIPELINE_SOURCE == "schedule"';
const DEFAULT_BRANCH = '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && ($CI_PIPELINE_SOURCE == "push" || $CI_PIPELINE_SOURCE == "web")';
const PULUMI_TEMPLATE = ".botinfra-pulumi";

const TENANT_GATE = 'cut -d " " -f 1 affected.txt | grep -qxF "$BOTINFRA_TENANT" || { echo "$BOTINFRA_TENANT: not touched by this change"; exit 0; }';
const STACK_GATE = 'grep -qxF "$BOTINFRA_TENANT $BOTINFRA_ENV" affected.txt || { echo "$BOTINFRA_TENANT $BOTINFRA_ENV: not touched by this change"; exit 0; }';

/** GitLab's deployment tiers, by which group-level protected environments are set (Premium). */
const TIERS: [RegExp, string][] = [
  [/^stag/, "staging"],
  [/^(test|qa)/, "testing"],
  [/^dev/, "development"],
];

function deploymentTier(stack: PipelineStack): string {
  if (stack.production) return "production";
  return TIERS.find(([pattern]) => pattern.test(stack.environment))?.[1] ?? "other";
}

/**
 * What a stack's jobs add for its cloud, from the cloud's profile: with OIDC, GitLab signs an ID token for
 * the cloud's audience into the variable the provider reads; fixed variables choose the login method. A
 * cloud whose credentials are CI/CD variables alone needs none.
 */
function cloudTemplate(cloud: Cloud): Job | undefined {
  const { oidc, variables } = CLOUD_PROFILES[cloud].ci;
  const template: Job = {
    ...(oidc ? { id_tokens: { [oidc.tokenVariable]: { aud: oidc.audience } } } : {}),
    ...(Object.keys(variables).length > 0 ? { variables } : {}),
  };
  return Object.keys(template).length > 0 ? template : undefined;
}
const templateName = (cloud: Cloud) => `.botinfra-${cloud}`;
const CLOUD_TEMPLATES: Record<string, Job> = Object.fromEntries(
  CLOUDS.flatMap((cloud) => {
    const template = cloudTemplate(cloud);
    return template ? [[templateName(cloud), template]] : [];
  }),
);
const cloudTemplateNames = (cloud: Cloud) => (templateName(cloud) in CLOUD_TEMPLATES ? [templateName(cloud)] : []);

/** Where a provider reads the ID token from a file, the job writes it there first (when the job has one). */
const TOKEN_FILES = CLOUDS.flatMap((cloud) => {
  const oidc = CLOUD_PROFILES[cloud].ci.oidc;
  if (!oidc?.tokenFileVariable) return [];
  const [token, file] = [oidc.tokenVariable, oidc.tokenFileVariable];
  return [`if [ -n "\${${token}:-}" ]; then export ${file}="$(mktemp)"; printf "%s" "$${token}" > "$${file}"; fi`];
});

/** The preview as a merge request note, when a token that may post one is set (BOTINFRA_NOTE_TOKEN, scope api). */
const POST_NOTE = [
  'if [ -n "${BOTINFRA_NOTE_TOKEN:-}" ]; then',
  "  { printf '#### botinfra preview: %s %s\\n\\n```\\n' \"$BOTINFRA_TENANT\" \"$BOTINFRA_ENV\"; cat botinfra-output.txt; printf '```\\n'; } > botinfra-note.md",
  '  curl --fail --silent --show-error --request POST --header "PRIVATE-TOKEN: $BOTINFRA_NOTE_TOKEN" --data-urlencode "body@botinfra-note.md" "$CI_API_V4_URL/projects/$CI_PROJECT_ID/merge_requests/$CI_MERGE_REQUEST_IID/notes" > /dev/null',
  "fi",
].join("\n");

/** What every job of a kind does; a stack's job adds its variables, its needs and its cloud's template. */
const TEMPLATES: Record<string, Job> = {
  [PULUMI_TEMPLATE]: { before_script: ["$BOTINFRA_INSTALL", SCRIPTS.installPulumi, 'export PATH="$HOME/.pulumi/bin:$PATH"', ...TOKEN_FILES] },
  ...CLOUD_TEMPLATES,
  ".botinfra-check": {
    stage: "check",
    rules: [{ if: MERGE_REQUEST }],
    needs: ["affected"],
    script: [TENANT_GATE, '$BOTINFRA check --tenant "$BOTINFRA_TENANT" --format codequality > botinfra-codequality.json'],
    // GitLab shows a Code Quality report in the merge request; it has no place for SARIF.
    artifacts: { when: "always", reports: { codequality: "botinfra-codequality.json" }, expire_in: "1 month" },
  },
  ".botinfra-preview": {
    extends: PULUMI_TEMPLATE,
    stage: "preview",
    rules: [{ if: MERGE_REQUEST }],
    // The output is kept in a file for the note; the job's result is the preview's.
    script: [STACK_GATE, "status=0", `${SCRIPTS.preview} > botinfra-output.txt 2>&1 || status=$?`, "cat botinfra-output.txt", POST_NOTE, 'exit "$status"'],
  },
  ".botinfra-deploy": {
    extends: PULUMI_TEMPLATE,
    stage: "deploy",
    script: [STACK_GATE, SCRIPTS.up, ...SCRIPTS.configure],
  },
  ".botinfra-drift": { extends: PULUMI_TEMPLATE, stage: "drift", rules: [{ if: SCHEDULE }], needs: [], script: [SCRIPTS.drift] },
};

function jobs(stacks: PipelineStack[]): Record<string, Job> {
  const all: Record<string, Job> = {
    validate: { stage: "validate", rules: [{ if: MERGE_REQUEST }], script: [SCRIPTS.validate] },
    affected: {
      stage: "affected",
      rules: [{ if: MERGE_REQUEST }, { if: DEFAULT_BRANCH }],
      script: [
        // A merge request compares with where it left its target branch; a push with the commit before it.
        'BASE="${CI_MERGE_REQUEST_DIFF_BASE_SHA:-$CI_COMMIT_BEFORE_SHA}"',
        SCRIPTS.affectedArgs,
        '$BOTINFRA affected "$@" > affected.txt',
        "cat affected.txt",
      ],
      artifacts: { paths: ["affected.txt"], expire_in: "1 week" },
    },
  };
  for (const { tenant } of tenantsOf(stacks)) all[jobId("check", tenant)] = { extends: ".botinfra-check", variables: stackVariables({ tenant }) };
  const stackJob = (kind: string, stack: PipelineStack, extra: Job = {}): Job => ({
    extends: [`.botinfra-${kind}`, ...cloudTemplateNames(stack.cloud)],
    variables: stackVariables(stack),
    ...extra,
  });
  for (const stack of stacks) all[jobId("preview", stack.stack)] = stackJob("preview", stack, { needs: ["affected", jobId("check", stack.tenant)] });
  for (const stack of stacks) {
    all[jobId("deploy", stack.stack)] = stackJob("deploy", stack, {
      // Production waits for a person to run it; allow_failure keeps an untouched tenant's production from blocking the pipeline.
      rules: [stack.production ? { if: DEFAULT_BRANCH, when: "manual", allow_failure: true } : { if: DEFAULT_BRANCH }],
      needs: ["affected", ...stack.after.map((other) => jobId("deploy", other))],
      environment: { name: `${stack.environment}/${stack.tenant}`, deployment_tier: deploymentTier(stack) },
      resource_group: `botinfra-${stack.stack}`,
    });
  }
  for (const stack of stacks) all[jobId("drift", stack.stack)] = stackJob("drift", stack);
  return all;
}

export function renderGitlab(stacks: PipelineStack[], options: PipelineOptions): RenderedFile[] {
  const body = {
    workflow: { rules: [{ if: MERGE_REQUEST }, { if: SCHEDULE }, { if: DEFAULT_BRANCH }] },
    stages: ["validate", "affected", "check", "preview", "deploy", "drift"],
    // The whole history, so that affected finds the base commit.
    variables: { GIT_DEPTH: "0", ...commonVariables(options) },
    default: { image: NODE_IMAGE, before_script: ["$BOTINFRA_INSTALL"] },
    ...TEMPLATES,
    ...jobs(stacks),
  };
  return [renderedFile(".gitlab-ci.yml", body)];
}
