/** `botinfra plan`, run as a user would: the built CLI, offline, plain output, real exit codes. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../../engine/graph.js";
import { runCli } from "../support/cli.js";
import { samplePlatforms } from "../support/plan.js";

const acme = samplePlatforms().find((platform) => platform.tenant === "acme")!;
const tracer = fileURLToPath(new URL("../support/trace-imports.mjs", import.meta.url));
const tempFile = (name: string, content = "") => {
  const file = join(mkdtempSync(join(tmpdir(), "botinfra-plan-")), name);
  writeFileSync(file, content);
  return file;
};

describe("botinfra plan --tenant acme", () => {
  let human: Awaited<ReturnType<typeof runCli>>;
  let json: Awaited<ReturnType<typeof runCli>>[];
  let imports: string[];

  beforeAll(async () => {
    const trace = tempFile("imports.txt");
    [human, ...json] = await Promise.all([
      runCli(["plan", "--tenant", "acme"], { env: { BOTINFRA_TRACE_IMPORTS: trace, NODE_OPTIONS: `--import=${tracer}` } }),
      runCli(["plan", "--tenant", "acme", "--json"]),
      runCli(["plan", "--tenant", "acme", "--json"]),
    ]);
    imports = readFileSync(trace, "utf8").split("\n").filter(Boolean);
  });

  it("shows every environment's components and resources, with counts per type and per tier", () => {
    expect(human.exitCode).toBe(0);
    for (const environment of acme.environments) {
      expect(human.stdout).toContain(`${environment.name}  stack ${environment.stack}`);
      for (const tier of environment.tiers) expect(human.stdout).toMatch(new RegExp(`Tier ${tier.name}  ${tier.count} × ${tier.size} in ${tier.subnet!.cidr}`));
    }
    expect(human.stdout).toMatch(/^\s+VirtualMachine\s+3\s+acme-production-api-1 \(protected\), acme-production-api-2 \(protected\), acme-production-api-3 \(protected\)$/m);
    expect(human.stdout).toMatch(/per type: .*VirtualMachine 14/);
    expect(human.stdout).toContain("per tier: proxy 11, front 8, api 10, nlp 8, ml 8, db 12");
    expect(human.stdout).toContain("acme-production (protected)");
  });

  it("says it planned offline and labels public addresses as placeholders", () => {
    expect(human.stdout).toContain("Planned offline");
    expect(human.stdout).toMatch(/served at acme\.example\.com → 198\.51\.100\.\d+ \(placeholder\)/);
    expect(human.stderr).toContain("planning acme offline: acme-production, acme-development, acme-tools");
    expect(human.stderr).toMatch(/\[3\/3\] acme-tools: \d+ registrations in \d+ ms/);
  });

  it("loads the Azure SDK and no other cloud's", () => {
    expect(imports.some((url) => url.includes("/node_modules/@pulumi/azure-native/"))).toBe(true);
    expect(imports.filter((url) => /\/node_modules\/@pulumi\/(aws|digitalocean)\//.test(url))).toEqual([]);
  });

  it("prints the plan as JSON, the same bytes every time", () => {
    expect(json.map((result) => result.exitCode)).toEqual([0, 0]);
    expect(json[1]!.stdout).toBe(json[0]!.stdout);
    const plan = JSON.parse(json[0]!.stdout) as Plan;
    expect([plan.tenant, plan.cloud]).toEqual(["acme", "azure"]);
    expect(plan.stacks.map((stack) => stack.stack)).toEqual(["acme-production", "acme-development", "acme-tools"]);
    for (const stack of plan.stacks) {
      // parent and ignoreChanges appear only where there is one (ignoreChanges: the servers' keys at creation).
      for (const resource of stack.resources) {
        expect(Object.keys(resource).filter((key) => key !== "parent" && key !== "ignoreChanges")).toEqual(["urn", "type", "name", "custom", "dependencies", "protect", "inputs"]);
      }
      const ignoring = stack.resources.filter((resource) => "ignoreChanges" in resource);
      expect(ignoring.length).toBeGreaterThan(0);
      for (const resource of ignoring) expect(resource).toMatchObject({ type: "azure-native:compute:VirtualMachine", ignoreChanges: ["osProfile.linuxConfiguration.ssh"] });
      expect(stack.outputs.stack).toBe(stack.stack);
    }
  });
});

describe("botinfra plan, other uses", () => {
  it("plans one environment with --env", async () => {
    const result = await runCli(["plan", "--tenant", "acme", "--env", "development", "--json"]);
    expect(result.exitCode).toBe(0);
    expect((JSON.parse(result.stdout) as Plan).stacks.map((stack) => stack.environment)).toEqual(["development"]);
  });

  it("refuses an unknown environment with exit 2, naming the known ones", async () => {
    const result = await runCli(["plan", "--tenant", "acme", "--env", "nope"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--env: found "nope"; allowed: production, development, tools (the environments of tenant acme)');
    expect(result.stdout).toBe("");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("has help with examples, for which it loads no Pulumi SDK", async () => {
    const trace = tempFile("imports.txt");
    const result = await runCli(["plan", "--help"], { env: { BOTINFRA_TRACE_IMPORTS: trace, NODE_OPTIONS: `--import=${tracer}` } });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("botinfra plan --tenant acme");
    expect(result.stdout).toContain("--env");
    expect(readFileSync(trace, "utf8").split("\n").filter((url) => url.includes("/node_modules/@pulumi/"))).toEqual([]);
  });
});
