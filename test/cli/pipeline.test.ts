/** `botinfra pipeline` as users run it: where files go, what it never overwrites, and bad options. */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "../support/cli.js";

/** A repository folder holding the sample tenants. */
function repository(): string {
  const dir = mkdtempSync(join(tmpdir(), "botinfra-pipeline-"));
  cpSync(join(REPO_ROOT, "stacks", "tenants"), join(dir, "stacks", "tenants"), { recursive: true });
  return dir;
}

const WORKFLOWS = ["botinfra-pull-request.yml", "botinfra-deploy.yml", "botinfra-drift.yml"];
const read = (dir: string) => Object.fromEntries(WORKFLOWS.map((name) => [name, readFileSync(join(dir, ".github", "workflows", name), "utf8")]));

describe.concurrent("botinfra pipeline", () => {
  it("writes GitHub's workflows under the repository, the same bytes every time, and lists them", async () => {
    const dir = repository();
    const first = await runCli(["pipeline", "--provider", "github"], { cwd: dir });
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout.split("\n").filter(Boolean)).toEqual(WORKFLOWS.map((name) => `.github/workflows/${name}`));
    // The shipped samples: acme (3 environments), hooli and initech (2 each).
    expect(first.stderr).toContain("3 tenants, 7 stacks");
    const bytes = read(dir);
    const again = await runCli(["pipeline", "--provider", "github", "--json"], { cwd: dir });
    expect(again.exitCode).toBe(0);
    expect(read(dir)).toEqual(bytes);
    const listed = JSON.parse(again.stdout) as { provider: string; files: string[]; stacks: { tenant: string }[] };
    expect(listed).toMatchObject({ provider: "github", files: WORKFLOWS.map((name) => `.github/workflows/${name}`) });
    expect(listed.stacks).toHaveLength(7);
    expect(listed.stacks.filter((stack) => stack.tenant === "acme")).toEqual([
      { tenant: "acme", environment: "development", stack: "acme-development", cloud: "azure", production: false },
      { tenant: "acme", environment: "tools", stack: "acme-tools", cloud: "azure", production: false },
      { tenant: "acme", environment: "production", stack: "acme-production", cloud: "azure", production: true },
    ]);
    expect(readdirSync(join(dir, ".github", "workflows")).sort()).toEqual([...WORKFLOWS].sort());
    expect(Object.values(bytes).join("")).not.toContain(dir);
  });

  it("writes .gitlab-ci.yml with --out, the tenants folder relative to it", async () => {
    const dir = repository();
    const result = await runCli(["pipeline", "--provider", "gitlab", "--out", dir, "--tenants-dir", join(dir, "stacks", "tenants")]);
    expect(result.exitCode, result.stderr).toBe(0);
    const content = readFileSync(join(dir, ".gitlab-ci.yml"), "utf8");
    expect(content).toContain("BOTINFRA_TENANTS_DIR: stacks/tenants\n");
    expect(content).not.toContain(dir);
  });

  it("never replaces a file botinfra did not write, and leaves nothing half-written", async () => {
    const dir = repository();
    mkdirSync(join(dir, ".github", "workflows"), { recursive: true });
    writeFileSync(join(dir, ".github", "workflows", "botinfra-deploy.yml"), "name: ours\n");
    const result = await runCli(["pipeline", "--provider", "github"], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("error: .github/workflows/botinfra-deploy.yml exists and was not rendered by botinfra; allowed: a new file");
    expect(readdirSync(join(dir, ".github", "workflows"))).toEqual(["botinfra-deploy.yml"]);
    expect(readFileSync(join(dir, ".github", "workflows", "botinfra-deploy.yml"), "utf8")).toBe("name: ours\n");
  });

  it("renders the named tenants only", async () => {
    const dir = repository();
    cpSync(join(dir, "stacks", "tenants", "acme.yaml"), join(dir, "stacks", "tenants", "globex.yaml"));
    writeFileSync(join(dir, "stacks", "tenants", "globex.yaml"), readFileSync(join(dir, "stacks", "tenants", "globex.yaml"), "utf8").replace("tenant: acme", "tenant: globex"));
    const all = await runCli(["pipeline", "--provider", "gitlab", "--json"], { cwd: dir });
    expect(JSON.parse(all.stdout).stacks).toHaveLength(10);
    const one = await runCli(["pipeline", "--provider", "gitlab", "--tenant", "globex", "--json"], { cwd: dir });
    expect((JSON.parse(one.stdout) as { stacks: { tenant: string }[] }).stacks.map((stack) => stack.tenant)).toEqual(["globex", "globex", "globex"]);
  });

  it.each([
    [["--provider", "jenkins"], "Invalid values"],
    [[], "say which CI: --provider github or --provider gitlab"],
    [["--provider", "github", "--default-branch", "main\nname: x"], '--default-branch: found "main\nname: x"; allowed: a branch name'],
    [["--provider", "github", "--drift-schedule", "@daily; rm -rf /"], "--drift-schedule: found"],
    [["--provider", "github", "--tenant", "nobody"], '--tenant: no tenant "nobody"'],
    [["--provider", "github", "--out", "elsewhere"], "--tenants-dir: stacks/tenants is not inside --out"],
  ])("refuses %j (exit 2), writing nothing", async (args, message) => {
    const dir = repository();
    const result = await runCli(["pipeline", ...args], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(message);
    expect(existsSync(join(dir, ".github"))).toBe(false);
    expect(existsSync(join(dir, "elsewhere"))).toBe(false);
  });

  it("--help shows examples", async () => {
    for (const command of ["pipeline", "affected"]) {
      const result = await runCli([command, "--help"]);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain("Examples:");
    }
  });
});
