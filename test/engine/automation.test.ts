/**
 * The process boundary: engine/automation.ts runs the real Automation API, which runs the stand-in
 * `pulumi` first on PATH. What the SDK gives the CLI (commands, flags, working directory, environment)
 * is asserted from the fake's record; what the CLI answers (events, outputs, errors) comes back through
 * the SDK as it would from the real CLI.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { connectEngine, type EngineSettings } from "../../engine/automation.js";
import { describeFailure, EngineFailure } from "../../engine/failures.js";
import type { EngineEventLike } from "../../engine/progress.js";
import { PACKAGE_ROOT } from "../../cli/package-info.js";
import { fakePulumi, type FakePulumi } from "../support/fake-pulumi.js";

let fake: FakePulumi;
let settings: EngineSettings;

/** The SDK reads process.env for the CLI's environment and PATH: the sandbox's becomes this process's. */
function useEnvironment(env: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (!(key in env)) Reflect.deleteProperty(process.env, key);
  Object.assign(process.env, env);
}

beforeEach(() => {
  fake = fakePulumi();
  useEnvironment(fake.env());
  settings = {
    workDir: PACKAGE_ROOT,
    envVars: { PULUMI_BACKEND_URL: `file://${fake.stateDir}`, PULUMI_SKIP_UPDATE_CHECK: "true" },
    secretsProvider: "passphrase",
    installCli: false,
  };
});

const CONFIG = { "botinfra:tenant": { value: "acme" }, "botinfra:environment": { value: "tools" }, "azure-native:location": { value: "westeurope" } };

async function failureOf(work: Promise<unknown>): Promise<EngineFailure> {
  try {
    await work;
  } catch (error) {
    if (error instanceof EngineFailure) return error;
    throw error;
  }
  throw new Error("expected an EngineFailure");
}

describe("the Automation API against a stand-in pulumi", () => {
  it("creates the stack on first use with the passphrase provider, sets its config and runs up in the package root", async () => {
    const engine = await connectEngine(settings);
    expect(engine.cliVersion).toBe("3.248.0");
    const stack = await engine.openStack("acme-tools", CONFIG);
    const events: EngineEventLike[] = [];
    const changes = await stack.run("up", { parallel: 4, onEvent: (event) => events.push(event) });

    const commands = fake.commands();
    expect(commands.slice(0, 5)).toEqual([
      "version",
      "stack select --stack acme-tools --non-interactive",
      "stack init acme-tools --secrets-provider passphrase --non-interactive",
      "config set-all --stack acme-tools --plaintext botinfra:tenant=acme --plaintext botinfra:environment=tools --plaintext azure-native:location=westeurope --non-interactive",
      expect.stringMatching(/^up --yes --skip-preview --parallel 4 --exec-kind auto\.local --event-log tcp:\/\/127\.0\.0\.1:\d+ --stack acme-tools --non-interactive$/) as string,
    ]);
    const up = fake.calls()[4]!;
    expect(up.cwd).toBe(PACKAGE_ROOT);
    expect(up.env).toMatchObject({
      PULUMI_BACKEND_URL: `file://${fake.stateDir}`,
      PULUMI_AUTOMATION_API: "true",
      PULUMI_CONFIG_PASSPHRASE: "correct horse battery staple",
    });
    // The events came back over the SDK's gRPC server, every one of the recorded stream.
    const recorded = readFileSync(join(PACKAGE_ROOT, "test/support/fake-pulumi/recorded-events/up.jsonl"), "utf8").trim().split("\n");
    expect(events).toHaveLength(recorded.length);
    expect(events.filter((event) => event.resourcePreEvent).map((event) => event.resourcePreEvent!.metadata.urn)).toContain(
      "urn:pulumi:acme-tools::botinfra::botinfra:azure:Environment$azure-native:network:VirtualNetwork::acme-tools-net",
    );
    expect(changes).toEqual({ create: 6 });
    expect(fake.stack("acme-tools")?.config["botinfra:tenant"]).toEqual({ value: "acme", secret: false });
  });

  it("selects an existing stack without creating it again", async () => {
    const engine = await connectEngine(settings);
    await engine.openStack("acme-tools", CONFIG);
    const before = fake.calls().length;
    await engine.openStack("acme-tools", CONFIG);
    expect(fake.commands().slice(before)).toEqual([
      "stack select --stack acme-tools --non-interactive",
      expect.stringMatching(/^config set-all --stack acme-tools /) as string,
    ]);
  });

  it("runs preview, refresh and destroy with the flags the CLI needs", async () => {
    const engine = await connectEngine(settings);
    const stack = await engine.openStack("acme-tools", CONFIG);
    const onEvent = () => undefined;
    expect(await stack.run("preview", { onEvent })).toEqual({ create: 6 });
    expect(await stack.run("refresh", { onEvent })).toEqual({ same: 6 });
    expect(await stack.run("destroy", { onEvent })).toEqual({ delete: 6 });
    const operations = fake.commands().filter((command) => /^(preview|refresh|destroy) /.test(command));
    expect(operations.map((command) => command.replace(/tcp:\/\/127\.0\.0\.1:\d+/, "tcp://…"))).toEqual([
      "preview --exec-kind auto.local --event-log tcp://… --stack acme-tools --non-interactive",
      "refresh --skip-preview --yes --event-log tcp://… --exec-kind auto.local --stack acme-tools --non-interactive",
      "destroy --yes --skip-preview --event-log tcp://… --exec-kind auto.local --stack acme-tools --non-interactive",
    ]);
  });

  it("reads outputs with their secret marks", async () => {
    fake.setOutputs("acme-tools", { stack: "acme-tools", hosts: [] });
    const engine = await connectEngine(settings);
    const stack = await engine.openStack("acme-tools", CONFIG);
    await stack.run("up", { onEvent: () => undefined });
    expect(await (await engine.openStack("acme-tools")).outputs()).toEqual({ stack: { value: "acme-tools", secret: false }, hosts: { value: [], secret: false } });
  });

  it("does not create a stack it was only asked to select", async () => {
    const engine = await connectEngine(settings);
    const failure = await failureOf(engine.openStack("acme-production"));
    expect(failure.kind).toBe("stack-not-found");
    expect(fake.commands()).not.toContainEqual(expect.stringMatching(/^stack init/));
  });

  it("reports a stack locked by another update as locked, and the update does not start", async () => {
    const engine = await connectEngine(settings);
    const stack = await engine.openStack("acme-tools", CONFIG);
    // Another process's lock, as the DIY backend writes it.
    const { mkdirSync, writeFileSync } = await import("node:fs");
    const locks = join(fake.stateDir, ".pulumi/locks/organization/botinfra/acme-tools");
    mkdirSync(locks, { recursive: true });
    writeFileSync(join(locks, "other.json"), JSON.stringify({ pid: 77, username: "ci", hostname: "runner-3", timestamp: "2026-01-01T00:00:00Z" }));
    const failure = await failureOf(stack.run("up", { onEvent: () => undefined }));
    expect(failure.kind).toBe("locked");
    expect(describeFailure(failure).message).toContain("stack acme-tools is locked by another update (ci@runner-3 (pid 77) at 2026-01-01T00:00:00Z); nothing was changed");
    expect(fake.stack("acme-tools")?.history).toEqual([]);
  });

  it("keeps secret config values out of a failed command's error, although the SDK's own message holds the command line", async () => {
    const engine = await connectEngine(settings);
    const stack = await engine.openStack("acme-tools", CONFIG);
    process.env.FAKE_PULUMI_FAIL_CONFIG = "1";
    const failure = await failureOf(engine.openStack("acme-tools", { "botinfra:dbPassword": { value: "hunter2-secret", secret: true } }));
    expect(stack.name).toBe("acme-tools");
    expect(failure.kind).toBe("command");
    // The CLI's own words, not the SDK's message, which starts with the command line and its --secret value.
    expect(failure.output).toBe("error: could not save the stack's configuration");
    expect(describeFailure(failure, ["hunter2-secret"]).message).not.toContain("hunter2-secret");
  });

  it("reports a missing CLI as missing", async () => {
    process.env.PATH = "/nonexistent";
    const failure = await failureOf(connectEngine(settings));
    expect(failure.kind).toBe("cli-missing");
    expect(describeFailure(failure).exitCode).toBe(3);
  });

  it("reports a CLI the SDK refuses", async () => {
    process.env.FAKE_PULUMI_VERSION = "v3.1.0";
    const failure = await failureOf(connectEngine(settings));
    expect(failure.kind).toBe("cli-version");
    expect(failure.output).toContain("your current CLI version is v3.1.0");
  });

  it("maps the CLI's own passphrase error when a stack is created without one", async () => {
    delete process.env.PULUMI_CONFIG_PASSPHRASE;
    const engine = await connectEngine(settings);
    const failure = await failureOf(engine.openStack("acme-tools", CONFIG));
    expect(describeFailure(failure)).toMatchObject({ exitCode: 3, message: expect.stringContaining("PULUMI_CONFIG_PASSPHRASE_FILE") as string });
  });

  it("cancels on abort: the CLI gets one SIGINT and releases the lock", async () => {
    process.env.FAKE_PULUMI_HOLD_UNTIL = join(fake.home, "never");
    const engine = await connectEngine(settings);
    const stack = await engine.openStack("acme-tools", CONFIG);
    const controller = new AbortController();
    const running = stack.run("up", { signal: controller.signal, onEvent: () => undefined });
    await waitFor(() => fake.locks("acme-tools").length > 0);
    const started = Date.now();
    controller.abort();
    const failure = await failureOf(running);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(failure.kind).toBe("command");
    expect(fake.signals()).toEqual([{ signal: "SIGINT", during: "up", stack: "acme-tools", count: 1 }]);
    expect(fake.locks("acme-tools")).toEqual([]);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 50) {
    if (waited > 10_000) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
