/** Choosing where addresses come from: the plan, an --outputs file, or an injected deployed-stack source. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readOutputsFile, resolveOutputs, type StackOutputsSource } from "../../cli/stack-outputs.js";
import { NotReadyError } from "../../model/errors.js";
import { loadTenant } from "../../spec-files/load.js";
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

describe("outputs from outside are checked value by value", () => {
  const production = environments[0]!;
  const withProxyIp = (publicIp: unknown) => {
    const outputs = plannedOutputs(acme, production) as unknown as { hosts: Record<string, unknown>[] };
    outputs.hosts[0] = { ...outputs.hosts[0], publicIp };
    return outputs;
  };
  const fileWith = (value: unknown) => {
    const file = join(mkdtempSync(join(tmpdir(), "botinfra-outputs-")), "outputs.json");
    writeFileSync(file, JSON.stringify({ [production.stack]: value }));
    return file;
  };

  it.each([
    ["an ssh option after an address", "203.0.113.10 -oProxyCommand=sh"],
    ["a newline", "203.0.113.10\nevil: 1"],
    ["a template", "{{ lookup('pipe', 'id') }}"],
    ["an octet too large", "203.0.113.256"],
    ["leading zeros", "203.0.113.010"],
    ["a host name where an address goes", "proxy.example.com"],
  ])("refuses %s in an address, naming the file and the field", (_, address) => {
    const file = fileWith(withProxyIp(address));
    expect(() => readOutputsFile(file)).toThrow(
      new RegExp(`^--outputs .*outputs\\.json: "acme-production": hosts\\[0\\]\\.publicIp: found .*; allowed: an IPv4 address such as 203\\.0\\.113\\.10$`),
    );
  });

  it("refuses a DNS name that is not one, and accepts an address or a name as the public address", () => {
    const outputs = withProxyIp("198.51.100.7") as unknown as Record<string, unknown> & { loadBalancers: Record<string, unknown>[] };
    expect(readOutputsFile(fileWith({ ...outputs, publicAddress: "lb-1.eu-west-1.elb.amazonaws.com" })).get(production.stack)!.publicAddress).toBe("lb-1.eu-west-1.elb.amazonaws.com");
    expect(() => readOutputsFile(fileWith({ ...outputs, publicAddress: "x y" }))).toThrow(/publicAddress: found "x y"; allowed: an IPv4 address such as 203\.0\.113\.10, or a DNS name/);
    outputs.loadBalancers[0] = { ...outputs.loadBalancers[0], dnsName: "proxy;reboot" };
    expect(() => readOutputsFile(fileWith(outputs))).toThrow(/loadBalancers\[0\]\.dnsName: found "proxy;reboot"; allowed: a DNS name/);
  });

  it("checks a deployed stack's outputs the same way", async () => {
    const source: StackOutputsSource = async (stack) => (stack === production.stack ? (withProxyIp("203.0.113.10 -oProxyCommand=sh") as unknown as StackOutputs) : undefined);
    await expect(resolveOutputs(acme, [production], { source, from: "stack" })).rejects.toThrow(
      /^stack acme-production: its outputs: hosts\[0\]\.publicIp: found "203\.0\.113\.10 -oProxyCommand=sh"; allowed: an IPv4 address/,
    );
  });
});
