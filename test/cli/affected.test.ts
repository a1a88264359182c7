/** `botinfra affected` on real git histories: which stacks a change touches, and why. */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fileScope } from "../../cli/pipeline/affected.js";
import type { TenantSpec } from "../../model/spec.js";
import { runCli } from "../support/cli.js";
import { gitRepo, type GitRepo } from "../support/git-repo.js";
import { sampleSpec, toYaml } from "../support/specs.js";

const acme = sampleSpec();
const globex: TenantSpec = {
  ...acme,
  tenant: "globex",
  cloud: "aws",
  region: "eu-west-1",
  domain: "globex.example.com",
  proxy: { size: "t3.small" },
  environments: { production: { tiers: { web: { count: 2, size: "t3.small", port: 3000, expose: "@" } } }, staging: { tiers: { web: { count: 1, size: "t3.small", port: 3000, expose: "@" } } } },
};

/** A platform repository: two tenants (Azure and AWS), a component per cloud, the model, the program. */
async function platformRepo(): Promise<{ repo: GitRepo; base: string }> {
  const repo = await gitRepo();
  repo.write("stacks/tenants/acme.yaml", toYaml(acme));
  repo.write("stacks/tenants/globex.yaml", toYaml(globex));
  repo.write("stacks/program.ts", "export {};\n");
  repo.write("components/azure/tier.ts", "export {};\n");
  repo.write("components/aws/tier.ts", "export {};\n");
  repo.write("model/platform.ts", "export {};\n");
  repo.write("README.md", "platform\n");
  return { repo, base: await repo.commit("two tenants") };
}

async function affected(repo: GitRepo, args: string[]) {
  const result = await runCli(["affected", ...args], { cwd: repo.dir });
  return { ...result, lines: result.stdout.split("\n").filter(Boolean) };
}

interface Report {
  base: string;
  stacks: string[];
  tenants: string[];
  affected: { stack: string; production: boolean; cloud: string; reasons: string[] }[];
  removed: { stack: string; reason: string }[];
}
const json = (stdout: string) => JSON.parse(stdout) as Report;

describe.concurrent("botinfra affected", () => {
  it("a spec change touches only the environments whose resolved platform changed", async () => {
    const { repo, base } = await platformRepo();
    const grown = structuredClone(acme);
    grown.environments.development!.tiers.api!.count = 2;
    repo.write("stacks/tenants/acme.yaml", toYaml(grown));
    await repo.commit("acme: two api servers in development");
    const text = await affected(repo, ["--base", "HEAD~1"]);
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.lines).toEqual(["acme development"]);
    expect(text.stderr).toContain("acme-development: stacks/tenants/acme.yaml: environment development changed");
    const report = json((await affected(repo, ["--base", base, "--json"])).stdout);
    expect(report.base).toBe(base);
    expect(report.stacks).toEqual(["acme-development"]);
    expect(report.tenants).toEqual(["acme"]);
    expect(report.affected).toEqual([
      { tenant: "acme", environment: "development", stack: "acme-development", cloud: "azure", production: false, reasons: ["stacks/tenants/acme.yaml: environment development changed"] },
    ]);
  });

  it("a branch is compared with where it left the base: what the base did since is not the branch's change", async () => {
    const { repo, base } = await platformRepo();
    await repo.git("checkout", "--quiet", "-b", "feature");
    const grown = structuredClone(acme);
    grown.environments.tools!.tiers.runner!.count = 3;
    repo.write("stacks/tenants/acme.yaml", toYaml(grown));
    await repo.commit("acme: a third runner");
    await repo.git("checkout", "--quiet", "main");
    repo.write("components/aws/tier.ts", "export const changed = true;\n");
    await repo.commit("meanwhile on main: aws tiers");
    await repo.git("checkout", "--quiet", "feature");
    const report = json((await affected(repo, ["--base", "main", "--json"])).stdout);
    expect(report.stacks).toEqual(["acme-tools"]);
    expect(report.base).toBe(base);
  });

  it("a tenant-wide field touches every environment of that tenant, production last", async () => {
    const { repo } = await platformRepo();
    repo.write("stacks/tenants/acme.yaml", toYaml({ ...acme, managementCidrs: ["198.51.100.0/24"] }));
    const result = await affected(repo, ["--base", "HEAD"]);
    expect(result.lines).toEqual(["acme development", "acme tools", "acme production"]);
  });

  it("a change that resolves to the same platform (a comment, the order of keys) touches nothing", async () => {
    const { repo } = await platformRepo();
    repo.write("stacks/tenants/acme.yaml", `# reviewed by ops\n${toYaml(Object.fromEntries(Object.entries(acme).reverse()))}`);
    repo.write("README.md", "platform, documented\n");
    await repo.commit("comments only");
    const result = await affected(repo, ["--base", "HEAD~1"]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.lines).toEqual([]);
    expect(result.stderr).toContain("no stack is touched by the changes since");
    expect(json((await affected(repo, ["--base", "HEAD~1", "--json"])).stdout)).toMatchObject({ affected: [], removed: [], stacks: [] });
  });

  it("a component change touches every stack of its cloud; the model and the program touch every stack", async () => {
    const { repo } = await platformRepo();
    repo.write("components/aws/tier.ts", "export const changed = true;\n");
    await repo.commit("aws tiers");
    const aws = json((await affected(repo, ["--base", "HEAD~1", "--json"])).stdout);
    expect(aws.stacks).toEqual(["globex-staging", "globex-production"]);
    expect(aws.affected[0]!.reasons).toEqual(["components/aws/tier.ts changed"]);
    repo.write("components/azure/tier.ts", "export const changed = true;\n");
    await repo.commit("azure tiers");
    expect((await affected(repo, ["--base", "HEAD~1"])).lines).toEqual(["acme development", "acme tools", "acme production"]);
    repo.write("model/platform.ts", "export const changed = true;\n");
    await repo.commit("model");
    expect((await affected(repo, ["--base", "HEAD~1"])).lines).toEqual(["acme development", "acme tools", "acme production", "globex staging", "globex production"]);
    repo.write("stacks/program.ts", "export const changed = true;\n");
    expect((await affected(repo, ["--base", "HEAD"])).lines).toHaveLength(5);
  });

  it("counts uncommitted and untracked changes, and a stack's settings file touches that stack", async () => {
    const { repo } = await platformRepo();
    repo.write("stacks/Pulumi.globex-staging.yaml", "config: {}\n");
    const result = await affected(repo, ["--base", "HEAD"]);
    expect(result.lines).toEqual(["globex staging"]);
    expect(result.stderr).toContain("globex-staging: stacks/Pulumi.globex-staging.yaml changed");
  });

  it("a new tenant touches all its environments; a deleted tenant or environment is reported as removed, never destroyed", async () => {
    const { repo } = await platformRepo();
    repo.write("stacks/tenants/initech.yaml", toYaml({ ...acme, tenant: "initech", domain: "initech.example.com" }));
    await repo.git("rm", "--quiet", "stacks/tenants/globex.yaml");
    const { tools: _tools, ...withoutTools } = acme.environments;
    repo.write("stacks/tenants/acme.yaml", toYaml({ ...acme, environments: withoutTools }));
    await repo.commit("initech joins, globex leaves, acme drops tools");
    const report = json((await affected(repo, ["--base", "HEAD~1", "--json"])).stdout);
    expect(report.stacks).toEqual(["initech-development", "initech-tools", "initech-production"]);
    expect(report.affected[0]!.reasons).toEqual(["stacks/tenants/initech.yaml: tenant initech is new"]);
    expect(report.removed).toEqual([
      { tenant: "acme", environment: "tools", stack: "acme-tools", reason: "stacks/tenants/acme.yaml: environment tools was removed" },
      { tenant: "globex", environment: "staging", stack: "globex-staging", reason: "stacks/tenants/globex.yaml was removed" },
      { tenant: "globex", environment: "production", stack: "globex-production", reason: "stacks/tenants/globex.yaml was removed" },
    ]);
    const text = await affected(repo, ["--base", "HEAD~1"]);
    expect(text.stderr).toContain("removed: globex-production (stacks/tenants/globex.yaml was removed); botinfra does not destroy it");
  });

  it("--all lists every stack, for a first run or a run with nothing to compare with", async () => {
    const { repo } = await platformRepo();
    expect((await affected(repo, ["--all"])).lines).toEqual(["acme development", "acme tools", "acme production", "globex staging", "globex production"]);
  });

  it("refuses an unknown --base, one that looks like an option, or none (exit 2)", async () => {
    const { repo } = await platformRepo();
    for (const ref of ["no-such-branch", "--output=/tmp/x", "HEAD~5"]) {
      const result = await affected(repo, [`--base=${ref}`]);
      expect(result.exitCode, ref).toBe(2);
      expect(result.stderr).toContain(`error: --base: found "${ref}"; allowed: a commit of this repository`);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    const none = await affected(repo, []);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain("--base REF (or --all");
  });

  it("outside a git repository, or with an invalid spec in the working tree, says so (exit 2)", async () => {
    const { repo } = await platformRepo();
    repo.write("stacks/tenants/acme.yaml", toYaml({ ...acme, cloud: "mainframe" }));
    const invalid = await affected(repo, ["--base", "HEAD"]);
    expect(invalid.exitCode).toBe(2);
    expect(invalid.stderr).toContain("stacks/tenants/acme.yaml");
    expect(invalid.stderr).toContain("cloud");
    repo.write("stacks/tenants/acme.yaml", toYaml(acme));
    rmSync(join(repo.dir, ".git"), { recursive: true });
    const outside = await affected(repo, ["--base", "HEAD"]);
    expect(outside.exitCode).toBe(2);
    expect(outside.stderr).toContain("is not inside a git repository");
  });
});

describe("what a changed file touches", () => {
  it.each([
    ["components/azure/tier.ts", { kind: "all", cloud: "azure" }],
    ["components/digitalocean/droplet.ts", { kind: "all", cloud: "digitalocean" }],
    ["components/contract.ts", { kind: "all" }],
    ["model/platform.ts", { kind: "all" }],
    ["spec-files/load.ts", { kind: "all" }],
    ["ansible-templates/roles/nodejs/tasks/main.yml", { kind: "all" }],
    ["ansible/render.ts", { kind: "all" }],
    ["policies/rules/ingress.ts", { kind: "all" }],
    ["stacks/program.ts", { kind: "all" }],
    ["Pulumi.yaml", { kind: "all" }],
    ["package-lock.json", { kind: "all" }],
    ["stacks/Pulumi.acme-production.yaml", { kind: "stack", stack: "acme-production" }],
    ["stacks/tenants/acme.yaml", { kind: "none" }],
    ["README.md", { kind: "none" }],
    ["test/model/spec.test.ts", { kind: "none" }],
    ["docs/model/x.md", { kind: "none" }],
  ])("%s", (path, scope) => {
    expect(fileScope(path)).toEqual(scope);
  });
});
