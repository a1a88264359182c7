/**
 * `botinfra check` end to end (the built CLI): plans recorded from programs under the mock runtime,
 * written as `botinfra plan --json` writes them, then checked: the sample tenant passes, an insecure
 * variant fails naming the violation, in text, JSON and SARIF.
 */
import * as network from "@pulumi/azure-native/network/index.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../../engine/graph.js";
import { planOffline } from "../../engine/offline.js";
import { buildPlatform } from "../../model/platform.js";
import type { Report } from "../../policies/offline.js";
import { runCli } from "../support/cli.js";
import { sampleSpec, toYaml } from "../support/specs.js";
import { recordPlan } from "../support/plan-recorder.js";
import { tags } from "../support/policy-check.js";

const dir = mkdtempSync(join(tmpdir(), "botinfra-check-"));
const write = (name: string, content: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return file;
};

let securePlan: string;
let insecurePlan: string;

beforeAll(async () => {
  const { platform } = buildPlatform(sampleSpec());
  const secure = await planOffline(platform!, platform!.environments);
  securePlan = write("acme.json", secure);
  // The same tenant with an NSG that opens SSH to the internet on the api tier of production.
  const debug = await recordPlan("azure", [
    {
      environment: "production",
      program: () => {
        new network.NetworkSecurityGroup("acme-production-debug-fw", {
          resourceGroupName: "acme-production",
          securityRules: [{ name: "debug-ssh", priority: 90, access: "Allow", direction: "Inbound", protocol: "Tcp", sourceAddressPrefix: "*", destinationPortRange: "22" }],
          tags: tags("production", "api"),
        });
      },
    },
  ]);
  const [production, ...others] = secure.stacks;
  const insecure: Plan = { ...secure, stacks: [{ ...production!, resources: [...production!.resources, ...debug.stacks[0]!.resources] }, ...others] };
  insecurePlan = write("acme-insecure.json", insecure);
});

describe("botinfra check --plan", () => {
  it("passes the sample tenant: no violation, exit 0", async () => {
    const result = await runCli(["check", "--plan", securePlan]);
    expect(result.stderr).toMatch(/^checking acme: 3 stacks, \d+ resources$/);
    expect(result.stdout).toMatch(/^acme {2}azure {2}3 stacks, \d+ resources {2}policy pack botinfra 0\.1\.0\nacme: 0 mandatory, 0 advisory violations: passed$/);
    expect(result.exitCode).toBe(0);
  });

  it("fails an insecure plan with exit 1, naming level, policy, stack, resource and the fix", async () => {
    const result = await runCli(["check", "--plan", insecurePlan]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      "mandatory  ssh-from-management-only  acme-production  acme-production-debug-fw (azure-native:network:NetworkSecurityGroup)\n" +
        '           network security group "acme-production-debug-fw": rule "debug-ssh" opens SSH to *. Allow SSH only from the management ranges (203.0.113.0/24).\n',
    );
    expect(result.stdout).toContain("mandatory  public-ingress-proxy-only  acme-production  acme-production-debug-fw");
    expect(result.stdout).toMatch(/\nacme: 2 mandatory, 0 advisory violations: failed$/);
  });

  it("prints the report as JSON, the same on every run", async () => {
    const first = await runCli(["check", "--plan", insecurePlan, "--json"]);
    const second = await runCli(["check", "--plan", insecurePlan, "--format", "json"]);
    expect(first.exitCode).toBe(1);
    expect(first.stdout).toBe(second.stdout);
    const report = JSON.parse(first.stdout) as Report;
    expect(report.summary).toEqual({ mandatory: 2, advisory: 0, passed: false });
    expect(report.violations[0]).toMatchObject({
      stack: "acme-production",
      environment: "production",
      policy: "ssh-from-management-only",
      level: "mandatory",
      severity: "critical",
      resource: { type: "azure-native:network:NetworkSecurityGroup", name: "acme-production-debug-fw", tier: "api" },
    });
  });

  it("checks one environment with --env", async () => {
    const result = await runCli(["check", "--plan", insecurePlan, "--env", "development", "--json"]);
    expect(result.exitCode).toBe(0);
    expect((JSON.parse(result.stdout) as Report).stacks.map((stack) => stack.stack)).toEqual(["acme-development"]);
    const unknown = await runCli(["check", "--plan", insecurePlan, "--env", "staging"]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('--env: found "staging"; allowed: production, development, tools (the environments of tenant acme)');
  });

  it("writes SARIF 2.1.0 that points each violation at its tier in the tenant spec", async () => {
    const result = await runCli(["check", "--plan", insecurePlan, "--format", "sarif"]);
    expect(result.exitCode).toBe(1);
    const sarif = JSON.parse(result.stdout) as {
      version: string;
      $schema: string;
      runs: { tool: { driver: { name: string; rules: { id: string; defaultConfiguration: { level: string } }[] } }; results: Record<string, unknown>[] }[];
    };
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.$schema).toBe("https://json.schemastore.org/sarif-2.1.0.json");
    const [run] = sarif.runs;
    expect(run!.tool.driver.name).toBe("botinfra");
    expect(run!.tool.driver.rules.find((rule) => rule.id === "required-tags")?.defaultConfiguration.level).toBe("warning");
    expect(run!.results[0]).toEqual({
      ruleId: "ssh-from-management-only",
      ruleIndex: run!.tool.driver.rules.findIndex((rule) => rule.id === "ssh-from-management-only"),
      level: "error",
      message: { text: expect.stringContaining('rule "debug-ssh" opens SSH to *') },
      locations: [
        {
          // stacks/tenants/acme.yaml: environments.production.tiers.api is on line 18.
          physicalLocation: { artifactLocation: { uri: "stacks/tenants/acme.yaml" }, region: { startLine: 18 } },
          logicalLocations: [{ name: "acme-production-debug-fw", fullyQualifiedName: expect.stringContaining("::acme-production-debug-fw"), kind: "resource" }],
        },
      ],
      properties: { tenant: "acme", stack: "acme-production", environment: "production" },
    });
  });

  it("writes a GitLab Code Quality report, each violation at its tier's line, with a stable fingerprint", async () => {
    const result = await runCli(["check", "--plan", insecurePlan, "--format", "codequality"]);
    expect(result.exitCode).toBe(1);
    const findings = JSON.parse(result.stdout) as { check_name: string; severity: string; fingerprint: string; description: string; location: unknown }[];
    expect(findings[0]).toEqual({
      description: expect.stringMatching(/^ssh-from-management-only \(mandatory\): .*rule "debug-ssh" opens SSH to \*.*\[acme-production, acme-production-debug-fw\]$/),
      check_name: "ssh-from-management-only",
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
      severity: "critical",
      location: { path: "stacks/tenants/acme.yaml", lines: { begin: 18 } },
    });
    expect(new Set(findings.map((finding) => finding.fingerprint)).size).toBe(findings.length);
    expect((await runCli(["check", "--plan", insecurePlan, "--format", "codequality"])).stdout).toBe(result.stdout);
  });

  it("applies a policy config file over the tenant's", async () => {
    const config = write("strict.json", { all: "advisory" });
    const result = await runCli(["check", "--plan", insecurePlan, "--policy-config", config, "--json"]);
    expect(result.exitCode).toBe(0);
    expect((JSON.parse(result.stdout) as Report).summary).toEqual({ mandatory: 0, advisory: 2, passed: true });
  });
});

describe("botinfra check: bad input, exit 2", () => {
  it.each([
    [["--plan", "/nonexistent/plan.json"], "/nonexistent/plan.json: does not exist"],
    [["--plan", "NOTJSON"], /plan\.json: is not valid JSON .*allowed: the output of botinfra plan --json/],
    [["--plan", "BADSHAPE"], /bad\.json: stacks\[0\]\.resources: .*allowed: the output of botinfra plan --json/],
    [["--plan", "SECURE", "--tenant", "globex"], /--tenant: found "globex", but .*acme\.json is a plan of tenant acme/],
    [["--plan", "SECURE", "--tenants-dir", "/nonexistent"], /acme\.json: is a plan of tenant acme, which has no spec in \/nonexistent: give its spec with --tenant-file PATH/],
    [["--plan", "SECURE", "--policy-config", "BADCONFIG"], /policy-config\.json: all: found enforcement level "strict"; allowed: advisory, mandatory, remediate, disabled/],
    [["--plan", "SECURE", "--format", "xml"], /Invalid values:\n\s+Argument: format, Given: "xml", Choices: "text", "json", "sarif", "codequality"/],
  ])("%j", async (args, message) => {
    const files: Record<string, string> = {
      NOTJSON: write("not-a-plan.json", "{"),
      BADSHAPE: write("bad.json", { tenant: "acme", cloud: "azure", stacks: [{ stack: "s", environment: "e", outputs: {} }] }),
      SECURE: securePlan,
      BADCONFIG: write("policy-config.json", { all: "strict" }),
    };
    const result = await runCli(["check", ...args.map((arg) => files[arg] ?? arg)]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe("");
  });

  it("plans and checks every sample tenant with the real components: no mandatory violation (exit 0)", async () => {
    const one = await runCli(["check", "--tenant", "acme"]);
    expect(one.stderr).toContain("planning acme");
    expect(one.exitCode).toBe(0);
    expect(one.stdout).toMatch(/acme: 0 mandatory/);
    const all = await runCli(["check", "--all", "--json"]);
    expect(all.exitCode).toBe(0);
  });

  it("fails a spec whose production tier has a single server, naming the policy and the tier (exit 1)", async () => {
    const spec = sampleSpec();
    spec.environments.production!.tiers.db!.count = 1;
    const file = join(mkdtempSync(join(tmpdir(), "botinfra-check-")), "acme.yaml");
    writeFileSync(file, toYaml(spec));
    const result = await runCli(["check", "--tenant-file", file, "--env", "production"]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/mandatory\s+production-tiers-highly-available/);
    expect(result.stdout).toMatch(/\bdb\b/);
  });

  it("still names a bad tenant before anything else", async () => {
    const result = await runCli(["check", "--tenant", "nobody"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('no tenant "nobody"');
  });
});
