/**
 * plan, check and render over many tenants (--all, repeated --tenant) as the built CLI runs them on
 * worker threads: results in tenant order, one JSON document, a bad tenant reported without hiding
 * the others, and the worst exit code.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { sampleSpec, toYaml } from "../support/specs.js";

/** Tenants with one small environment each; bravo's spec is invalid. */
const GOOD = ["alpha", "charlie", "delta"];
const NAMES = ["alpha", "bravo", "charlie", "delta"];
let dir: string;

function spec(name: string) {
  const sample = sampleSpec();
  return { ...sample, tenant: name, domain: `${name}.example.com`, environments: { development: sample.environments.development } };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "botinfra-fleet-"));
  for (const name of GOOD) writeFileSync(join(dir, `${name}.yaml`), toYaml(spec(name)));
  writeFileSync(join(dir, "bravo.yaml"), toYaml({ ...spec("bravo"), cloud: "mars" }));
  // alpha's overlay, beside its spec: a fleet render merges it as a single one does.
  mkdirSync(join(dir, "alpha", "group_vars"), { recursive: true });
  writeFileSync(join(dir, "alpha", "group_vars", "proxy.yml"), "---\nnginx_proxy_client_max_body_size: 20m\n");
});

const fleet = (args: string[]) => runCli([...args, "--tenants-dir", dir]);

interface Entry {
  tenant: string;
  error?: { message: string; exitCode: number };
}

function expectBravoFailed(entries: Entry[], stderr: string) {
  expect(entries.map((entry) => entry.tenant)).toEqual(NAMES);
  const bravo = entries[1]!;
  expect(bravo.error?.exitCode).toBe(2);
  expect(bravo.error?.message).toContain("bravo.yaml");
  expect(bravo.error?.message).toContain("cloud");
  expect(entries.filter((entry) => entry.error)).toEqual([bravo]);
  expect(stderr).toMatch(/error: bravo: .*bravo\.yaml/);
}

describe("fleet commands", () => {
  it("plan --all --json: one array in name order, the bad tenant as an error entry, exit 2", async () => {
    const { exitCode, stdout, stderr } = await fleet(["plan", "--all", "--json", "--jobs", "2"]);
    expect(exitCode).toBe(2);
    const entries = JSON.parse(stdout) as (Entry & { stacks?: { stack: string }[] })[];
    expectBravoFailed(entries, stderr);
    expect(entries[3]!.stacks!.map((stack) => stack.stack)).toEqual(["delta-development"]);
    // No progress line when stderr is no terminal.
    expect(stderr).not.toContain("\r");
  });

  it("plan with repeated --tenant: in the order given, each plan what plan --tenant prints", async () => {
    const [both, alone] = await Promise.all([fleet(["plan", "--tenant", "delta", "--tenant", "alpha", "--json"]), fleet(["plan", "--tenant", "alpha", "--json"])]);
    expect(both.exitCode).toBe(0);
    const plans = JSON.parse(both.stdout) as Entry[];
    expect(plans.map((plan) => plan.tenant)).toEqual(["delta", "alpha"]);
    expect(plans[1]).toEqual(JSON.parse(alone.stdout));
  });

  it("check --all --json: a report per good tenant, the bad one as an error entry, exit 2", async () => {
    const { exitCode, stdout, stderr } = await fleet(["check", "--all", "--json"]);
    expect(exitCode).toBe(2);
    const entries = JSON.parse(stdout) as (Entry & { summary?: { passed: boolean } })[];
    expectBravoFailed(entries, stderr);
    expect(entries.filter((entry) => !entry.error).map((entry) => entry.summary?.passed)).toEqual([true, true, true]);
  });

  it("check --all in text: every good tenant's report, the bad one on stderr", async () => {
    const { exitCode, stdout, stderr } = await fleet(["check", "--all", "--jobs", "1"]);
    expect(exitCode).toBe(2);
    expect(stdout.match(/^(\w+): 0 mandatory, 0 advisory violations: passed$/gm)).toEqual(GOOD.map((name) => `${name}: 0 mandatory, 0 advisory violations: passed`));
    expect(stderr).toContain("checked 3 of 4 tenants");
    expect(stderr).toContain("failed: bravo");
  });

  it("render --all: one project per good tenant under --out, in name order, exit 2", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "botinfra-fleet-out-")), "projects");
    const { exitCode, stdout, stderr } = await fleet(["render", "--all", "--out", out, "--from", "plan", "--json"]);
    expect(exitCode).toBe(2);
    const entries = JSON.parse(stdout) as (Entry & { out?: string; files?: string[] })[];
    expectBravoFailed(entries, stderr);
    for (const name of GOOD) {
      const entry = entries.find((candidate) => candidate.tenant === name)!;
      expect(entry.out).toBe(join(out, name));
      expect(entry.files).toContain("ansible.cfg");
      expect(existsSync(join(out, name, "ansible.cfg"))).toBe(true);
    }
    expect(existsSync(join(out, "bravo"))).toBe(false);
    expect(readFileSync(join(out, "alpha", "inventory", "group_vars", "proxy.yml"), "utf8")).toContain("nginx_proxy_client_max_body_size: !unsafe 20m");
    expect(existsSync(join(out, "charlie", "inventory", "group_vars", "proxy.yml"))).toBe(false);
  });

  it.each([["0"], ["abc"], ["1.5"], ["65"]])("--jobs %s is refused with exit 2, naming --jobs", async (jobs) => {
    const { exitCode, stderr, stdout } = await fleet(["plan", "--all", "--jobs", jobs]);
    expect(exitCode).toBe(2);
    expect(stderr).toContain(`--jobs: found "${jobs}"; allowed: a whole number from 1 to 64`);
    expect(stdout).toBe("");
  });

  it("refuses a tenant named twice, and --outputs with several tenants", async () => {
    const twice = await fleet(["plan", "--tenant", "alpha", "--tenant", "alpha"]);
    expect(twice.exitCode).toBe(2);
    expect(twice.stderr).toContain('--tenant: "alpha" is given twice');
    const outputs = await fleet(["render", "--all", "--outputs", "outputs.json"]);
    expect(outputs.exitCode).toBe(2);
    expect(outputs.stderr).toContain("--outputs: holds one tenant's stacks");
  });

  it("commands for one tenant refuse a repeated --tenant", async () => {
    const { exitCode, stderr } = await fleet(["tenants", "show", "--tenant", "alpha", "--tenant", "delta"]);
    expect(exitCode).toBe(2);
    expect(stderr).toContain("--tenant: given 2 times");
  });

  it("a spec that breaks the loader itself (a YAML alias bomb) is reported, and every other tenant still is", async () => {
    const bombDir = mkdtempSync(join(tmpdir(), "botinfra-fleet-bomb-"));
    writeFileSync(join(bombDir, "alpha.yaml"), toYaml(spec("alpha")));
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...["b", "c", "d", "e", "f"].map((name, i) => `${name}: &${name} [${Array(10).fill(`*${"abcde"[i]}`).join(", ")}]`)];
    writeFileSync(join(bombDir, "bomb.yaml"), `${levels.join("\n")}\n`);
    const inDir = (args: string[]) => runCli([...args, "--tenants-dir", bombDir]);
    const [listed, validated, checked] = await Promise.all([inDir(["tenants", "list", "--json"]), inDir(["tenants", "validate", "--all", "--json"]), inDir(["check", "--all", "--json"])]);
    for (const result of [listed, validated, checked]) expect(result.stderr).not.toMatch(/^\s+at /m);
    expect((JSON.parse(listed.stdout) as { tenant: string; valid: boolean }[]).map(({ tenant, valid }) => [tenant, valid])).toEqual([["alpha", true], ["bomb", false]]);
    expect((JSON.parse(validated.stdout) as { tenant: string; valid: boolean }[]).map(({ tenant, valid }) => [tenant, valid])).toEqual([["alpha", true], ["bomb", false]]);
    expect(listed.exitCode).not.toBe(0);
    expect(validated.exitCode).not.toBe(0);
    const reports = JSON.parse(checked.stdout) as (Entry & { summary?: { passed: boolean } })[];
    expect(reports.map((entry) => [entry.tenant, entry.summary?.passed ?? entry.error?.exitCode])).toEqual([["alpha", true], ["bomb", expect.any(Number)]]);
    expect(checked.exitCode).not.toBe(0);
    expect(checked.stderr).toContain("bomb");
  });
});
