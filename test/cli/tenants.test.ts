import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { sampleSpec, toYaml } from "../support/specs.js";

function tenantFile(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), "botinfra-cli-"));
  const file = join(dir, "tenant.yaml");
  writeFileSync(file, content);
  return file;
}

describe("botinfra (built CLI)", () => {
  it("prints help with examples and exits 0", async () => {
    const result = await runCli(["--help"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("botinfra tenants <command>");
    expect(result.stdout).toContain("Examples:");
  });

  it("prints its version", async () => {
    const result = await runCli(["--version"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("refuses an unknown option with exit 2 and no stack trace", async () => {
    const result = await runCli(["tenants", "show", "--tenant", "acme", "--bogus"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("Unknown argument: bogus");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("refuses --tenant and --tenant-file together", async () => {
    const result = await runCli(["tenants", "show", "--tenant", "acme", "--tenant-file", "x.yaml"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/tenant and tenant-file are mutually exclusive/);
  });

  it("asks for a tenant when none is given", async () => {
    const result = await runCli(["tenants", "show"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("--tenant NAME");
  });
});

describe("botinfra tenants", () => {
  it("lists the sample tenants", async () => {
    const result = await runCli(["tenants", "list", "--json"]);
    expect(result.exitCode).toBe(0);
    const tenants = JSON.parse(result.stdout) as { tenant: string; cloud: string; valid: boolean; environments: string[] }[];
    expect(tenants.find((t) => t.tenant === "acme")).toMatchObject({
      cloud: "azure",
      valid: true,
      environments: ["production", "development", "tools"],
    });
  });

  it("shows the resolved model as readable text", async () => {
    const result = await runCli(["tenants", "show", "--tenant", "acme"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("production  stack acme-production  10.20.0.0/16");
    expect(result.stdout).toMatch(/api\.acme\.example\.com\s+→\s+api:8080/);
    expect(result.stdout).not.toContain("\u001b[");
  });

  it("shows the same model as JSON, byte for byte on every run", async () => {
    const first = await runCli(["tenants", "show", "--tenant", "acme", "--json"]);
    const second = await runCli(["tenants", "show", "--tenant", "acme", "--json"]);
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toBe(second.stdout);
    const platform = JSON.parse(first.stdout) as { tenant: string; environments: { stack: string }[] };
    expect(platform.environments.map((e) => e.stack)).toEqual(["acme-production", "acme-development", "acme-tools"]);
  });

  it("names an unknown tenant and the known ones", async () => {
    const result = await runCli(["tenants", "show", "--tenant", "nobody"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('no tenant "nobody"');
    expect(result.stderr).toContain("known tenants: acme");
  });

  it("validates every sample tenant", async () => {
    const result = await runCli(["tenants", "validate", "--all"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/valid\s+acme/);
  });

  it("reports an invalid spec with file, line, field, found and allowed, exit 2", async () => {
    const spec = sampleSpec();
    spec.environments.production!.tiers.api!.count = -1;
    const file = tenantFile(toYaml(spec));
    const result = await runCli(["tenants", "validate", "--tenant-file", file]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`${file}:\\d+:\\d+: environments\\.production\\.tiers\\.api\\.count: found -1; allowed: a whole number`));
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("refuses a tier role that neither botinfra nor the tenant overlay provides, as render would", async () => {
    const spec = sampleSpec();
    spec.environments.production!.tiers.ml!.role = "gpu_worker";
    const file = tenantFile(toYaml(spec));
    const result = await runCli(["tenants", "validate", "--tenant-file", file]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`environments.production.tiers.ml.role: "gpu_worker" is not botinfra's and ${join(dirname(file), "acme")} has no roles/gpu_worker/tasks/main.yml`);
    // The sample's tools runner takes docker_host from the overlay too.
    for (const role of ["gpu_worker", "docker_host"]) {
      mkdirSync(join(dirname(file), "acme", "roles", role, "tasks"), { recursive: true });
      writeFileSync(join(dirname(file), "acme", "roles", role, "tasks", "main.yml"), "---\n[]\n");
    }
    const provided = await runCli(["tenants", "validate", "--tenant-file", file]);
    expect(provided.stderr).toBe("");
    expect(provided.exitCode).toBe(0);
  });

  it("reports invalid specs as JSON for machines", async () => {
    const file = tenantFile("tenant: acme\ncloud: gcp\n");
    const result = await runCli(["tenants", "validate", "--tenant-file", file, "--json"]);
    expect(result.exitCode).toBe(2);
    const [report] = JSON.parse(result.stdout) as { valid: boolean; issues: { path: string[]; message: string; line: number }[] }[];
    expect(report!.valid).toBe(false);
    expect(report!.issues).toContainEqual(expect.objectContaining({ path: ["cloud"], line: 2 }));
  });

  it("reports a missing file and a file that is not YAML", async () => {
    const missing = await runCli(["tenants", "show", "--tenant-file", "/nonexistent/tenant.yaml"]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain("/nonexistent/tenant.yaml: does not exist");
    const garbage = await runCli(["tenants", "show", "--tenant-file", tenantFile("tenant: [unclosed\n")]);
    expect(garbage.exitCode).toBe(2);
    expect(garbage.stderr).toMatch(/tenant\.yaml:\d+:\d+: is not valid YAML/);
  });

  it("takes the tenants folder from BOTINFRA_TENANTS_DIR", async () => {
    const result = await runCli(["tenants", "list"], { env: { BOTINFRA_TENANTS_DIR: "/nonexistent" } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("no tenant files");
  });
});
