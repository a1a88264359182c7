/**
 * The AWS sample tenant end to end (the built CLI): plan shows the AWS graph offline, check passes
 * botinfra's pack and fails an AWS spec that breaks a rule, render writes the Ansible project, and
 * check runs another CrossGuard pack (Pulumi's AwsGuard) offline.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../../policies/offline.js";
import { runCli } from "../support/cli.js";
import { sampleSpec, toYaml } from "../support/specs.js";

const dir = mkdtempSync(join(tmpdir(), "botinfra-aws-"));
const AWSGUARD = "policy-packs/awsguard";

describe("botinfra on the AWS sample tenant", () => {
  it("plans the AWS graph offline, with pinned zones and placeholder addresses", async () => {
    const { exitCode, stdout } = await runCli(["plan", "--tenant", "initech", "--json"]);
    expect(exitCode).toBe(0);
    const plan = JSON.parse(stdout) as { cloud: string; stacks: { stack: string; resources: { type: string; inputs: Record<string, unknown> }[] }[] };
    expect(plan.cloud).toBe("aws");
    expect(plan.stacks.map((stack) => stack.stack)).toEqual(["initech-production", "initech-staging"]);
    const subnets = plan.stacks[0]!.resources.filter((resource) => resource.type === "aws:ec2/subnet:Subnet");
    expect(new Set(subnets.map((subnet) => subnet.inputs.availabilityZone))).toEqual(new Set(["eu-west-1a", "eu-west-1b"]));
  });

  it("passes botinfra's pack with no violation at all", async () => {
    const { exitCode, stdout } = await runCli(["check", "--tenant", "initech", "--json"]);
    expect(exitCode).toBe(0);
    const report = JSON.parse(stdout) as Report;
    expect(report.violations).toEqual([]);
  });

  it("fails an AWS spec whose production tier runs on one server, naming the rule", async () => {
    const spec = sampleSpec("initech");
    spec.environments.production!.tiers.brain!.count = 1;
    const file = join(dir, "single.yaml");
    writeFileSync(file, toYaml(spec));
    const { exitCode, stdout } = await runCli(["check", "--tenant-file", file, "--json"]);
    expect(exitCode).toBe(1);
    const report = JSON.parse(stdout) as Report;
    // One server is too few, and it is in one zone only.
    expect(report.violations.map((violation) => [violation.policy, violation.level, violation.resource?.name, violation.message])).toEqual([
      ["production-tiers-highly-available", "mandatory", "initech-production-brain-1", expect.stringContaining('tier "brain" of production runs on 1 server')],
      ["production-tiers-highly-available", "mandatory", "initech-production-brain-1", expect.stringContaining("are all in eu-west-1a")],
    ]);
  });

  it("renders the Ansible project", async () => {
    const out = join(dir, "render");
    const { exitCode, stderr } = await runCli(["render", "--tenant", "initech", "--out", out]);
    expect(exitCode, stderr).toBe(0);
  });
});

describe("botinfra check --policy-pack", () => {
  it("runs Pulumi's AwsGuard offline against the AWS sample: only its volume finding is left, advisory", async () => {
    const { exitCode, stdout } = await runCli(["check", "--tenant", "initech", "--policy-pack", AWSGUARD, "--json"]);
    expect(exitCode).toBe(0);
    const report = JSON.parse(stdout) as Report;
    expect(report.pack.name).toBe("pulumi-awsguard");
    expect(report.policies.length).toBeGreaterThan(20);
    expect(new Set(report.violations.map((violation) => `${violation.policy} ${violation.level}`))).toEqual(new Set(["ec2-volume-inuse advisory"]));
    expect(report.violations).toHaveLength(9 + 4);
  });

  it("applies --policy-config to the pack's own policies and fails on a mandatory finding", async () => {
    const config = join(dir, "strict.json");
    writeFileSync(config, JSON.stringify({ all: "mandatory" }));
    const { exitCode, stdout } = await runCli(["check", "--tenant", "initech", "--env", "staging", "--policy-pack", AWSGUARD, "--policy-config", config]);
    expect(exitCode).toBe(1);
    expect(stdout).toMatch(/mandatory {2}ec2-volume-inuse {2}initech-staging {2}initech-staging-proxy-1/);
    expect(stdout).toMatch(/initech: 4 mandatory, 0 advisory violations: failed/);
  });

  it("refuses a folder that is no policy pack, naming what is missing", async () => {
    const { exitCode, stderr } = await runCli(["check", "--tenant", "initech", "--policy-pack", "stacks"]);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/--policy-pack: stacks has no PulumiPolicy.yaml; allowed: a CrossGuard policy pack folder/);
  });
});
