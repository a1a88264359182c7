/**
 * `botinfra check --tenant` with a planner: the command as the lead wires it to `botinfra plan`'s
 * planner (--all runs the real planner on worker threads: test/cli/fleet.test.ts). The planner here is
 * the design plan (the real components where a cloud has them); the test covers the command's side of
 * the wiring.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { checkCommand } from "../../cli/commands/check.js";
import type { Planner } from "../../cli/deps.js";
import type { LoadedTenant } from "../../model/tenant-text.js";
import type { Report } from "../../policies/offline.js";
import { planOffline } from "../../engine/offline.js";

const calls: [string, string | undefined][] = [];
const planner: Planner = (tenant: LoadedTenant, { environment }) => {
  calls.push([tenant.spec.tenant, environment]);
  const { platform } = tenant;
  const environments = platform.environments.filter((candidate) => environment === undefined || candidate.name === environment);
  return planOffline(platform, environments);
};

async function run(args: Record<string, unknown>): Promise<{ stdout: string; exitCode: number | undefined }> {
  let stdout = "";
  const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  process.exitCode = undefined;
  try {
    const handler = checkCommand({ planner }).handler as (argv: Record<string, unknown>) => Promise<void>;
    await handler({ json: true, "tenants-dir": "stacks/tenants", _: ["check"], $0: "botinfra", ...args });
    return { stdout, exitCode: process.exitCode as number | undefined };
  } finally {
    write.mockRestore();
    process.exitCode = undefined;
  }
}

afterEach(() => {
  vi.restoreAllMocks();
  calls.length = 0;
});

describe("botinfra check with a planner", () => {
  it("plans and checks one tenant, passing --env on to the planner", async () => {
    const { stdout, exitCode } = await run({ tenant: "acme", env: "production" });
    expect(calls).toEqual([["acme", "production"]]);
    const report = JSON.parse(stdout) as Report;
    expect(report.stacks.map((stack) => stack.stack)).toEqual(["acme-production"]);
    expect(report.summary).toEqual({ mandatory: 0, advisory: 0, passed: true });
    expect(exitCode).toBeUndefined();
  });
});
