/** Choosing where addresses come from: the plan, an --outputs file, or an injected deployed-stack source. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveOutputs, type StackOutputsSource } from "../../cli/stack-outputs.js";
import { NotReadyError } from "../../model/errors.js";
import { loadTenant } from "../../model/load.js";
import { plannedOutputs, type StackOutputs } from "../../model/outputs.js";
import { REPO_ROOT } from "../support/cli.js";

const acme = loadTenant({ name: "acme", tenantsDir: join(REPO_ROOT, "stacks", "tenants") }).platform;
const environments = acme.environments;

/** A source that knows the given stacks as deployed (with a public address on each proxy) and records its calls. */
function sourceOf(deployed: string[]) {
  const asked: string[] = [];
  const source: StackOutputsSource = async (stack) => {
    asked.push(stack);
    const environment = environments.find((candidate) => candidate.stack === stack)!;
    if (!deployed.includes(stack)) return undefined;
    const outputs: StackOutputs = plannedOutputs(acme, environment);
    outputs.hosts = outputs.hosts.map((host) => (host.group === "proxy" ? { ...host, publicIp: "198.51.100.7" } : host));
    return outputs;
  };
  return { source, asked };
}

describe("resolveOutputs", () => {
  it("renders from the plan by default when the stacks cannot be read on this machine, but not with --from stack", async () => {
    const source: StackOutputsSource = async () => {
      throw new NotReadyError("the Pulumi CLI was not found on PATH");
    };
    const { from, outputs } = await resolveOutputs(acme, environments, { source });
    expect(from).toBe("plan");
    expect(outputs.get("tools")).toEqual(plannedOutputs(acme, environments[2]!));
    await expect(resolveOutputs(acme, environments, { source, from: "stack" })).rejects.toThrow("the Pulumi CLI was not found on PATH");
  });

  it("defaults to the deployed stacks when every one is deployed, asking for each stack by name", async () => {
    const { source, asked } = sourceOf(environments.map((environment) => environment.stack));
    const { from, outputs } = await resolveOutputs(acme, environments, { source });
    expect(from).toBe("stack");
    expect(asked.sort()).toEqual(["acme-development", "acme-production", "acme-tools"]);
    expect(outputs.get("production")!.hosts[0]!.publicIp).toBe("198.51.100.7");
  });

  it("falls back to the plan by default when a stack is not deployed, but refuses that with --from stack", async () => {
    const { source } = sourceOf(["acme-production"]);
    expect((await resolveOutputs(acme, environments, { source })).from).toBe("plan");
    await expect(resolveOutputs(acme, environments, { source, from: "stack" })).rejects.toThrow(
      "--from stack: stack acme-development, acme-tools has not been deployed; run botinfra up first, or render --from plan",
    );
  });

  it("uses the plan with --from plan without asking the source", async () => {
    const { source, asked } = sourceOf(environments.map((environment) => environment.stack));
    expect((await resolveOutputs(acme, environments, { source, from: "plan" })).from).toBe("plan");
    expect(asked).toEqual([]);
  });
});
