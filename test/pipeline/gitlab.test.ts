/**
 * The rendered .gitlab-ci.yml, proven by gitlab-ci-local: GitLab's schema, the jobs each kind of pipeline
 * gets, and the merge request jobs (validate, affected, check) run for real with the shell executor in a
 * repository holding this project, a second tenant and a change to one environment of the first.
 */
import { execa } from "execa";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderGitlab } from "../../cli/pipeline/gitlab.js";
import { pipelineStacks } from "../../cli/pipeline/stacks.js";
import { CLI, REPO_ROOT } from "../support/cli.js";
import { projectRepo, type GitRepo } from "../support/git-repo.js";
import { changeRequestJobs, stackJobs, type TenantEnvironments } from "../support/pipeline-jobs.js";
import { sampleSpec, toYaml } from "../support/specs.js";
import { OPTIONS, threeClouds } from "./tenants.js";

const GITLAB_CI_LOCAL = join(REPO_ROOT, "node_modules", "gitlab-ci-local", "dist", "index.js");
const home = mkdtempSync(join(tmpdir(), "botinfra-gcl-home-"));

let repo: GitRepo;
let base: string;

async function gitlabCiLocal(args: string[], variables: Record<string, string>) {
  const settings = Object.entries(variables).flatMap(([name, value]) => ["--variable", `${name}=${value}`]);
  const result = await execa("node", [GITLAB_CI_LOCAL, "--home", home, "--no-color", "--ignore-predefined-vars", "CI_PIPELINE_SOURCE,CI_COMMIT_BRANCH", ...settings, ...args], {
    cwd: repo.dir,
    reject: false,
    env: { NO_COLOR: "1" },
  });
  return { exitCode: result.exitCode, stdout: String(result.stdout), output: `${String(result.stdout)}\n${String(result.stderr)}` };
}

const MERGE_REQUEST = { CI_PIPELINE_SOURCE: "merge_request_event" };
/** The stacks of the checked-out branch: acme and globex (the sample's three environments each), and initech's production (it joins in the merge request). */
const REPOSITORY: TenantEnvironments = { acme: ["development", "tools", "production"], globex: ["development", "tools", "production"], initech: ["production"] };
/** `--list` prints a table: the first column of each row after the header is a job's name. */
const listed = (output: string) => {
  const lines = output.split("\n");
  const header = lines.findIndex((line) => line.startsWith("name "));
  return lines
    .slice(header + 1)
    .filter((line) => /^\S/.test(line))
    .map((line) => line.split(/\s+/)[0]!);
};

beforeAll(async () => {
  repo = await projectRepo();
  // The repository holds acme and globex only; initech joins in the merge request below.
  for (const sample of ["hooli", "initech"]) rmSync(join(repo.dir, "stacks", "tenants", `${sample}.yaml`));
  // A copy of acme, whose tools runner takes its role from acme's overlay: it names that folder.
  repo.write("stacks/tenants/globex.yaml", toYaml({ ...sampleSpec(), tenant: "globex", domain: "globex.example.com", overlay: "acme" }));
  await execa("node", [CLI, "pipeline", "--provider", "gitlab"], { cwd: repo.dir });
  base = await repo.commit("the platform repository, with its pipeline");
  await repo.git("checkout", "--quiet", "-b", "grow-development");
  repo.write("stacks/tenants/acme.yaml", readFileSync(join(repo.dir, "stacks/tenants/acme.yaml"), "utf8").replace("front: { count: 1, size: Standard_B1s", "front: { count: 2, size: Standard_B1s"));
  // A new tenant whose production tier has a single server: the policy pack's mandatory high availability fails it.
  const fragile = sampleSpec();
  repo.write("stacks/tenants/initech.yaml", toYaml({ ...fragile, tenant: "initech", domain: "initech.example.com", environments: { production: { tiers: { api: { count: 1, size: "Standard_B2s", port: 8080 } } } } }));
  // Adding a tenant is a merge request with its spec and the pipeline rendered again.
  await execa("node", [CLI, "pipeline", "--provider", "gitlab"], { cwd: repo.dir });
  await repo.commit("acme: a second front server in development; initech joins");
}, 120_000);

describe("botinfra pipeline --provider gitlab, under gitlab-ci-local", () => {
  it("passes GitLab's schema; a merge request gets validate, affected, a check per tenant and a preview per stack", async () => {
    const { exitCode, stdout, output } = await gitlabCiLocal(["--list"], MERGE_REQUEST);
    expect(exitCode, output).toBe(0);
    expect(output).toContain("json schema validated");
    expect(listed(stdout)).toEqual(changeRequestJobs(REPOSITORY));
  });

  it("the schema check fails on a broken pipeline (so passing it means something)", async () => {
    repo.write("broken.gitlab-ci.yml", readFileSync(join(repo.dir, ".gitlab-ci.yml"), "utf8").replace("resource_group: botinfra-acme-production", "resource_group: [botinfra-acme-production]"));
    const { exitCode, output } = await gitlabCiLocal(["--list", "--file", "broken.gitlab-ci.yml"], MERGE_REQUEST);
    expect(exitCode).not.toBe(0);
    expect(output).toMatch(/resource_group/);
  });

  it("a push to the default branch deploys: non-production first, production by hand after them, one deployment per stack", async () => {
    const { exitCode, stdout, output } = await gitlabCiLocal(["--list"], { CI_PIPELINE_SOURCE: "push", CI_COMMIT_BRANCH: "main" });
    expect(exitCode, output).toBe(0);
    expect(listed(stdout)).toEqual(["affected", ...stackJobs("deploy", REPOSITORY)]);
    // --preview prints the pipeline with every `extends` merged, as GitLab runs it.
    const jobs = parse((await gitlabCiLocal(["--preview"], {})).stdout) as Record<string, Record<string, unknown>>;
    const production = jobs["deploy-acme-production"]!;
    expect(production.rules).toEqual([{ if: expect.stringContaining("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"), when: "manual", allow_failure: true }]);
    expect((production.needs as { job: string }[]).map((need) => need.job)).toEqual(["affected", "deploy-acme-development", "deploy-acme-tools"]);
    expect(production.environment).toEqual({ name: "production/acme", deployment_tier: "production" });
    expect(production.resource_group).toBe("botinfra-acme-production");
    expect(production.id_tokens).toEqual({ ARM_OIDC_TOKEN: { aud: "api://AzureADTokenExchange" } });
    expect(production.variables).toMatchObject({ BOTINFRA_TENANT: "acme", BOTINFRA_ENV: "production", ARM_USE_OIDC: "true" });
    const development = jobs["deploy-acme-development"]!;
    expect(development.rules).toEqual([{ if: expect.stringContaining("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH") }]);
    expect(development.environment).toEqual({ name: "development/acme", deployment_tier: "development" });
    const groups = Object.entries(jobs).filter(([name]) => name.startsWith("deploy-")).map(([, job]) => job.resource_group);
    expect(new Set(groups).size).toBe(groups.length);
    expect((production.script as string[]).join("\n")).toMatch(/\$BOTINFRA up [^\n]*--yes[\s\S]*\$BOTINFRA configure/);
  });

  it("a schedule runs drift detection on every stack, and nothing else", async () => {
    const { exitCode, stdout, output } = await gitlabCiLocal(["--list"], { CI_PIPELINE_SOURCE: "schedule" });
    expect(exitCode, output).toBe(0);
    expect(listed(stdout)).toEqual(stackJobs("drift", REPOSITORY));
  });

  it("runs the merge request's validate, affected and check jobs for real: only the touched tenant is checked", async () => {
    const { exitCode, output } = await gitlabCiLocal(["--force-shell-executor", "validate", "affected", "check-acme", "check-globex"], {
      ...MERGE_REQUEST,
      CI_MERGE_REQUEST_DIFF_BASE_SHA: base,
      // npm ci has run already: dist/ and node_modules/ are linked in.
      BOTINFRA_INSTALL: "true",
      BOTINFRA: "node dist/cli/main.js",
    });
    expect(exitCode, output).toBe(0);
    for (const job of ["validate", "affected", "check-acme", "check-globex"]) expect(output).toMatch(new RegExp(`PASS\\s+${job}\\b`));
    expect(output).toContain("valid    acme (stacks/tenants/acme.yaml)");
    expect(output).toContain("acme-development: stacks/tenants/acme.yaml: environment development changed");
    expect(readFileSync(join(repo.dir, "affected.txt"), "utf8")).toBe("acme development\ninitech production\n");
    expect(output).toContain("globex: not touched by this change");
    // The sample tenant passes every mandatory policy: its report holds the advisories, if any.
    const report = JSON.parse(readFileSync(join(repo.dir, "botinfra-codequality.json"), "utf8")) as { severity: string }[];
    expect(Array.isArray(report)).toBe(true);
    expect(report.filter((finding) => finding.severity === "critical")).toEqual([]);
    expect(existsSync(join(repo.dir, "botinfra-output.txt"))).toBe(false);

    const violating = await gitlabCiLocal(["--force-shell-executor", "check-initech"], { ...MERGE_REQUEST, BOTINFRA_INSTALL: "true", BOTINFRA: "node dist/cli/main.js" });
    expect(violating.exitCode).not.toBe(0);
    expect(violating.output).toMatch(/FAIL\s+check-initech/);
    const findings = JSON.parse(readFileSync(join(repo.dir, "botinfra-codequality.json"), "utf8")) as { check_name: string; severity: string; location: { path: string } }[];
    expect(findings).toContainEqual(expect.objectContaining({ check_name: "production-tiers-highly-available", severity: "critical", location: expect.objectContaining({ path: "stacks/tenants/initech.yaml" }) }));
  }, 180_000);
});

describe("the rendered .gitlab-ci.yml, per cloud", () => {
  const [file] = renderGitlab(pipelineStacks(threeClouds()), OPTIONS);
  const pipeline = parse(file!.content) as Record<string, { extends?: string | string[]; script?: string[]; id_tokens?: unknown; variables?: Record<string, string> }>;

  it("Azure and AWS jobs take an OIDC ID token for their cloud's audience; DigitalOcean's take none (its token is a CI variable)", () => {
    expect(pipeline["deploy-acme-production"]!.extends).toEqual([".botinfra-deploy", ".botinfra-azure"]);
    expect(pipeline["preview-globex-staging"]!.extends).toEqual([".botinfra-preview", ".botinfra-aws"]);
    expect(pipeline["drift-initech-production"]!.extends).toEqual([".botinfra-drift"]);
    expect(pipeline[".botinfra-azure"]).toEqual({ id_tokens: { ARM_OIDC_TOKEN: { aud: "api://AzureADTokenExchange" } }, variables: { ARM_USE_OIDC: "true" } });
    expect(pipeline[".botinfra-aws"]).toEqual({ id_tokens: { AWS_ID_TOKEN: { aud: "sts.amazonaws.com" } } });
    expect((pipeline[".botinfra-pulumi"] as { before_script: string[] }).before_script.join("\n")).toContain('printf "%s" "$AWS_ID_TOKEN" > "$AWS_WEB_IDENTITY_TOKEN_FILE"');
  });

  it("environments get GitLab's deployment tiers; scripts are fixed text that read the stack from variables", () => {
    const tiers = Object.fromEntries(
      Object.entries(pipeline)
        .filter(([name]) => name.startsWith("deploy-"))
        .map(([name, job]) => [name, (job as { environment: { deployment_tier: string } }).environment.deployment_tier]),
    );
    expect(tiers).toMatchObject({ "deploy-acme-development": "development", "deploy-acme-tools": "other", "deploy-globex-staging": "staging", "deploy-initech-production": "production" });
    for (const [name, job] of Object.entries(pipeline)) {
      // A stack's job only names its templates: its scripts are theirs.
      if (/^(check|preview|deploy|drift)-/.test(name)) expect(job.script, name).toBeUndefined();
      for (const line of job.script ?? []) expect(line).not.toMatch(/acme|globex|initech/);
    }
    expect(file!.content).toContain("PULUMI_VERSION: 3.248.0");
  });
});
