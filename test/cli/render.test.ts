/** `botinfra render` and `botinfra configure`, run as a user would: the built CLI, plain output, real exit codes. */
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { loadTenant } from "../../spec-files/load.js";
import { plannedOutputs, type StackOutputs } from "../../model/outputs.js";
import { parseRendered } from "../support/ansible.js";
import { CLI, REPO_ROOT, runCli } from "../support/cli.js";
import { sampleSpec, toYaml } from "../support/specs.js";

const acme = loadTenant({ name: "acme", tenantsDir: join(REPO_ROOT, "stacks", "tenants") }).platform;

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "botinfra-render-"));
}

/** Every file under a folder with a hash of its bytes: equal digests mean byte-identical trees. */
function digest(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else result[relative(dir, path)] = createHash("sha256").update(readFileSync(path)).digest("hex");
    }
  };
  walk(dir);
  return result;
}

/** Outputs as a deployed stack gives them: with the public addresses the cloud assigned. */
function deployed(environmentName: string): StackOutputs {
  const environment = acme.environments.find((candidate) => candidate.name === environmentName)!;
  const outputs = plannedOutputs(acme, environment);
  outputs.hosts = outputs.hosts.map((host, index) => (host.group === "proxy" ? { ...host, publicIp: `198.51.100.${index + 1}` } : host));
  return outputs;
}

function writeJson(value: unknown): string {
  const file = join(tempDir(), "outputs.json");
  writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
  return file;
}

describe("botinfra render", () => {
  it("has help with examples", async () => {
    const result = await runCli(["render", "--help"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("Examples:");
    for (const option of ["--tenant", "--env", "--out", "--from", "--outputs", "--json"]) expect(result.stdout).toContain(option);
  });

  it("writes every environment's project, says where as JSON, and the same bytes on a second run", async () => {
    const out = join(tempDir(), "acme");
    const first = await runCli(["render", "--tenant", "acme", "--out", out, "--json"]);
    expect(first.exitCode).toBe(0);
    const result = JSON.parse(first.stdout) as { out: string; from: string; environments: string[]; files: string[] };
    expect(result).toMatchObject({ out, from: "plan", environments: ["production", "development", "tools"] });
    expect(result.files).toContain("inventory/hosts.yml");
    expect(Object.keys(digest(out)).sort()).toEqual([...result.files, ".botinfra-manifest.json"].sort());
    expect(first.stderr).toContain("rendered acme (production, development, tools) from the plan");
    expect(first.stderr).toContain("Run with --from stack once deployed");
    expect(first.stderr).not.toContain("\u001b[");
    const before = digest(out);
    const second = await runCli(["render", "--tenant", "acme", "--out", out, "--json"]);
    expect(second.exitCode).toBe(0);
    expect(digest(out)).toEqual(before);
    expect(readdirSync(join(out, ".."))).toEqual(["acme"]);
  });

  it("writes to out/<tenant> in the working folder by default, and prints a summary for people", async () => {
    const cwd = tempDir();
    const result = await runCli(["render", "--tenant", "acme", "--tenants-dir", join(REPO_ROOT, "stacks", "tenants"), "--env", "development"], { cwd });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Rendered acme \(development\) from the plan into out\/acme: \d+ files/);
    const inventory = parseRendered(readFileSync(join(cwd, "out", "acme", "inventory", "hosts.yml"), "utf8")) as { all: { children: { acme: { children: Record<string, unknown> } } } };
    expect(Object.keys(inventory.all.children.acme.children)).toEqual(["development", "proxy", "front", "api"]);
  });

  it("renders from a deployed stack's outputs file: one stack, or a map of stacks", async () => {
    const out = join(tempDir(), "acme");
    const single = await runCli(["render", "--tenant", "acme", "--env", "development", "--outputs", writeJson(deployed("development")), "--out", out, "--json"]);
    expect(single.exitCode).toBe(0);
    expect(JSON.parse(single.stdout)).toMatchObject({ from: "stack", environments: ["development"] });
    expect(single.stderr).not.toContain("warning");
    expect(readFileSync(join(out, "inventory", "hosts.yml"), "utf8")).toContain("ansible_host: !unsafe 198.51.100.1");
    expect(readFileSync(join(out, "inventory", "group_vars", "development.yml"), "utf8")).toContain("ProxyJump=botadmin@198.51.100.1");

    const map = Object.fromEntries(acme.environments.map((environment) => [environment.stack, deployed(environment.name)]));
    const all = await runCli(["render", "--tenant", "acme", "--outputs", writeJson(map), "--out", out, "--json"]);
    expect(all.exitCode).toBe(0);
    expect(JSON.parse(all.stdout)).toMatchObject({ from: "stack", environments: ["production", "development", "tools"] });
  });

  it.each([
    [["--env", "staging"], '--env: found "staging"; allowed: production, development, tools (the environments of tenant acme)'],
    [["--from", "plan", "--outputs", "x.json"], "--outputs goes with --from stack"],
    [["--from", "cloud"], "Invalid values"],
    [["--out", ""], "--out: is empty"],
  ])("refuses %j with one clear message and exit 2", async (args, message) => {
    const result = await runCli(["render", "--tenant", "acme", ...args]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("reads deployed stacks through the engine: --from stack needs the Pulumi CLI, the default falls back to the plan", async () => {
    const env = { PATH: "/usr/bin:/bin", PULUMI_CONFIG_PASSPHRASE: "test" };
    const explicit = await runCli(["render", "--tenant", "acme", "--from", "stack", "--out", join(tempDir(), "p")], { env });
    expect(explicit.exitCode).toBe(3);
    expect(explicit.stderr).toMatch(/Pulumi CLI/);
    const fallback = await runCli(["render", "--tenant", "acme", "--out", join(tempDir(), "p"), "--json"], { env });
    expect(fallback.exitCode).toBe(0);
    expect(JSON.parse(fallback.stdout)).toMatchObject({ from: "plan" });
    expect(fallback.stderr).toContain("deployed stacks cannot be read");
  });

  it("refuses an --out that is a file or a folder it did not render, and leaves it alone", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "file"), "x");
    const file = await runCli(["render", "--tenant", "acme", "--out", join(dir, "file")]);
    expect(file.exitCode).toBe(2);
    expect(file.stderr).toContain("file: is a file; allowed: a new or empty folder, or one botinfra rendered before");
    mkdirSync(join(dir, "work"));
    writeFileSync(join(dir, "work", "notes.md"), "mine");
    const folder = await runCli(["render", "--tenant", "acme", "--out", join(dir, "work")]);
    expect(folder.exitCode).toBe(2);
    expect(folder.stderr).toContain("work: holds files botinfra did not write (it has no .botinfra-manifest.json): notes.md.");
    expect(readdirSync(join(dir, "work"))).toEqual(["notes.md"]);
    expect(readdirSync(dir).sort()).toEqual(["file", "work"]);
    const forced = await runCli(["render", "--tenant", "acme", "--out", join(dir, "work"), "--force"]);
    expect(forced.exitCode).toBe(0);
    expect(readFileSync(join(dir, "work", "notes.md"), "utf8")).toBe("mine");
    expect(readdirSync(join(dir, "work"))).toContain("ansible.cfg");
  });

  it.each([
    ["missing", null, "does not exist"],
    ["not JSON", "{oops", "is not JSON"],
    ["a list", "[]", "is not a JSON object"],
    ["a bad shape", { "acme-development": { ...deployed("development"), hosts: "none" } }, '"acme-development": hosts: found "none"; allowed: a list of servers'],
    ["another stack", { "acme-tools": deployed("tools") }, "no outputs for stack acme-development; it has acme-tools"],
    [
      "an address with an ssh option",
      (() => { const o = deployed("development"); o.hosts[0]!.publicIp = "203.0.113.10 -oProxyCommand=sh"; return o; })(),
      'hosts[0].publicIp: found "203.0.113.10 -oProxyCommand=sh"; allowed: an IPv4 address such as 203.0.113.10',
    ],
    ["a mismatched spec", (() => { const o = deployed("development"); o.hosts.pop(); return o; })(), "no server acme-development-api-1"],
  ])("refuses an --outputs file that is %s, naming it, exit 2", async (_what, content, message) => {
    const file = content === null ? join(tempDir(), "absent.json") : writeJson(content);
    const result = await runCli(["render", "--tenant", "acme", "--env", "development", "--outputs", file, "--out", join(tempDir(), "acme")]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("botinfra render with the tenant overlay", () => {
  it("merges the overlay beside the spec, or the one the spec names, and never writes into it", async () => {
    const tenants = tempDir();
    cpSync(join(REPO_ROOT, "stacks", "tenants"), tenants, { recursive: true });
    const before = digest(tenants);
    const out = join(tempDir(), "acme");
    const result = await runCli(["render", "--tenant", "acme", "--tenants-dir", tenants, "--env", "tools", "--out", out]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain(`merging the tenant overlay ${join(tenants, "acme")} (`);
    expect(readFileSync(join(out, "roles", "docker_host", "tasks", "main.yml"), "utf8")).toBe(readFileSync(join(tenants, "acme", "roles", "docker_host", "tasks", "main.yml"), "utf8"));
    expect(readFileSync(join(out, "inventory", "group_vars", "proxy.yml"), "utf8")).toContain("nginx_proxy_client_max_body_size: !unsafe 20m");
    expect(digest(tenants)).toEqual(before);

    // An overlay elsewhere, named in the spec relative to it.
    const shared = join(tenants, "..", "overlays");
    cpSync(join(tenants, "acme"), join(shared, "acme-ops"), { recursive: true });
    writeFileSync(join(shared, "acme-ops", "group_vars", "proxy.yml"), "---\nnginx_proxy_client_max_body_size: 50m\n");
    const spec = join(tenants, "acme.yaml");
    writeFileSync(spec, `${readFileSync(spec, "utf8")}overlay: ../overlays/acme-ops\n`);
    const named = await runCli(["render", "--tenant", "acme", "--tenants-dir", tenants, "--env", "tools", "--out", out]);
    expect(named.exitCode, named.stderr).toBe(0);
    expect(readFileSync(join(out, "inventory", "group_vars", "proxy.yml"), "utf8")).toContain("nginx_proxy_client_max_body_size: !unsafe 50m");
  });

  it("refuses an overlay that overrides what botinfra derives from the plan, naming the file and the variable, exit 2", async () => {
    const tenants = tempDir();
    cpSync(join(REPO_ROOT, "stacks", "tenants"), tenants, { recursive: true });
    writeFileSync(join(tenants, "acme", "group_vars", "proxy.yml"), "---\nnginx_proxy_routes: []\n");
    const out = join(tempDir(), "acme");
    const result = await runCli(["render", "--tenant", "acme", "--tenants-dir", tenants, "--out", out]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`${join(tenants, "acme")}/group_vars/proxy.yml: nginx_proxy_routes: botinfra sets it from the spec and the plan`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(() => readdirSync(out)).toThrow();
  });
});

describe("botinfra configure", () => {
  it("has help with examples", async () => {
    const result = await runCli(["configure", "--help"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("Examples:");
    for (const option of ["--tier", "--check", "--env", "--rollback"]) expect(result.stdout).toContain(option);
  });

  it("renders, runs ansible-playbook on the chosen tier with live output, and passes its exit code through", async () => {
    // The planned servers do not exist, so Ansible reports them unreachable: exit 4 is Ansible's, passed on.
    const out = join(tempDir(), "acme");
    const result = await runCli(["configure", "--tenant", "acme", "--env", "development", "--tier", "api", "--check", "--out", out], { timeout: 60_000 });
    expect(result.stderr).toContain("running ansible-playbook playbooks/site.yml --limit api --check --diff");
    expect(result.stdout).toContain("PLAY [Configure the api tier of development]");
    expect(result.stdout).toMatch(/acme-development-api-1\s+: ok=0\s+changed=0\s+unreachable=1/);
    expect(result.stdout).not.toContain("acme-development-front-1");
    expect(result.exitCode).toBe(4);
    expect(readdirSync(out)).toContain("ansible.cfg");
  });

  it("with --json prints only the result on stdout, Ansible's output on stderr", async () => {
    const out = join(tempDir(), "acme");
    const result = await runCli(["configure", "--tenant", "acme", "--env", "development", "--tier", "front", "--out", out, "--json"], { timeout: 60_000 });
    expect(JSON.parse(result.stdout)).toMatchObject({ out, from: "plan", environments: ["development"], exitCode: 4 });
    expect(result.stderr).toContain("PLAY RECAP");
    expect(result.exitCode).toBe(4);
  });

  it("rolls back with --rollback: the rollback playbook on the chosen node_app tier", async () => {
    const out = join(tempDir(), "acme");
    const result = await runCli(["configure", "--tenant", "acme", "--env", "development", "--tier", "front", "--rollback", "--out", out], { timeout: 60_000 });
    expect(result.stderr).toContain("running ansible-playbook playbooks/rollback.yml --limit front");
    expect(result.stdout).toContain("PLAY [Roll the apps back to their previous release]");
    expect(result.stdout).toMatch(/acme-development-front-1\s+: ok=0\s+changed=0\s+unreachable=1/);
    expect(result.stdout).not.toContain("acme-development-api-1");
    expect(result.exitCode).toBe(4);
  });

  it("refuses --rollback on a tier that runs no node_app, naming the allowed ones", async () => {
    const result = await runCli(["configure", "--tenant", "acme", "--env", "development", "--tier", "proxy", "--rollback", "--out", join(tempDir(), "acme")]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--tier: "proxy" in development runs no node_app to roll back; allowed with --rollback: front, api');
  });

  it("refuses an unknown tier, naming the allowed ones, before rendering anything", async () => {
    const out = join(tempDir(), "acme");
    const result = await runCli(["configure", "--tenant", "acme", "--env", "development", "--tier", "db", "--out", out]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--tier: no tier "db" in development; allowed: proxy, front, api');
    expect(() => readdirSync(out)).toThrow();
  });

  it("says clearly when ansible-playbook is missing, exit 3, before rendering anything", async () => {
    const bin = tempDir();
    symlinkSync(process.execPath, join(bin, "node"));
    const out = join(tempDir(), "acme");
    const result = await execa(process.execPath, [CLI, "configure", "--tenant", "acme", "--env", "tools", "--out", out], {
      cwd: REPO_ROOT,
      reject: false,
      env: { PATH: bin, NO_COLOR: "1" },
    });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("ansible-playbook was not found on PATH: install Ansible");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it("without managementCidrs: render warns that nothing can reach the servers, configure refuses before rendering", async () => {
    const spec = sampleSpec();
    delete spec.managementCidrs;
    const dir = tempDir();
    writeFileSync(join(dir, "acme.yaml"), toYaml(spec));
    cpSync(join(REPO_ROOT, "stacks", "tenants", "acme"), join(dir, "acme"), { recursive: true });
    const rendered = await runCli(["render", "--tenant-file", join(dir, "acme.yaml"), "--out", join(dir, "rendered")]);
    expect(rendered.exitCode).toBe(0);
    expect(rendered.stderr).toContain("warning: tenant acme has no managementCidrs: no firewall admits SSH, so Ansible cannot reach its servers from anywhere.");
    const out = join(dir, "configured");
    const configured = await runCli(["configure", "--tenant-file", join(dir, "acme.yaml"), "--out", out]);
    expect(configured.exitCode).toBe(2);
    expect(configured.stderr).toContain("error: configure: tenant acme has no managementCidrs");
    expect(configured.stderr).toContain("README: Reaching the servers");
    expect(existsSync(out)).toBe(false);
  });
});
