/**
 * The lifecycle commands as users run them: the built CLI, with the stand-in `pulumi` first on PATH
 * (see test/support/fake-pulumi/). Each test has its own home, so its state backend and its record of
 * CLI calls are its own, and the tests run side by side.
 */
import { execa } from "execa";
import { chmodSync, existsSync, mkdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseTenantText } from "../../model/tenant-text.js";
import { plannedOutputs } from "../../model/outputs.js";
import { CLI, REPO_ROOT, runCli } from "../support/cli.js";
import { FAKE_PULUMI_BIN, fakePulumi, type FakePulumi } from "../support/fake-pulumi.js";
import { sampleSpec, toYaml } from "../support/specs.js";

const TENANT_FILE = `${REPO_ROOT}stacks/tenants/acme.yaml`;

function run(fake: FakePulumi, args: string[], extra: Record<string, string | undefined> = {}) {
  return runCli(args, { env: fake.env(extra), extendEnv: false });
}

/** The operations the fake ran, as `up acme-tools`. */
function operations(fake: FakePulumi): string[] {
  return fake
    .calls()
    .filter((call) => ["up", "preview", "refresh", "destroy"].includes(call.argv[0]!))
    .map((call) => `${call.argv[0]} ${call.argv[call.argv.indexOf("--stack") + 1]}`);
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 50) {
    if (waited > 20_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.concurrent("botinfra up", () => {
  it("refuses a plan that would move a deployed subnet, naming the tier and both ranges, and runs nothing", async () => {
    const fake = fakePulumi();
    const spec = sampleSpec();
    const deployed = parseTenantText(toYaml(spec), "acme.yaml").platform.environments.find((environment) => environment.name === "development")!;
    fake.setOutputs("acme-development", plannedOutputs(parseTenantText(toYaml(spec), "acme.yaml").platform, deployed));
    expect((await run(fake, ["up", "--tenant", "acme", "--env", "development", "--yes"])).exitCode).toBe(0);
    // Removing the first tier would move api from 10.21.2.0/24 to 10.21.1.0/24.
    delete (spec.environments.development!.tiers as Record<string, unknown>).front;
    spec.environments.development!.tiers.api!.from = [];
    const file = join(fake.home, "acme.yaml");
    writeFileSync(file, toYaml(spec));
    const before = fake.calls().length;
    for (const operation of [["preview"], ["up", "--yes"]]) {
      const result = await run(fake, [...operation, "--tenant-file", file, "--env", "development"]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain("acme-development: the spec would move deployed subnets, which the cloud refuses for subnets in use:\n  tier api: deployed in 10.21.2.0/24, the spec now plans 10.21.1.0/24\n");
      expect(result.stderr).toContain("botinfra tenants pin");
    }
    expect(operations(fake).slice(1)).toEqual([]);
    expect(fake.calls().length).toBeGreaterThan(before);
  });

  it("provisions every environment, production last, with one line per resource operation and a summary", async () => {
    const fake = fakePulumi();
    const result = await run(fake, ["up", "--tenant", "acme", "--yes"]);
    expect(result.exitCode).toBe(0);
    expect(operations(fake)).toEqual(["up acme-development", "up acme-tools", "up acme-production"]);
    expect(result.stderr).toContain(`acme on azure westeurope: state in file://${fake.stateDir}; credentials: a service principal with a client secret (ARM_CLIENT_SECRET)`);
    expect(result.stderr).toContain("Updating acme-tools (tools, 2 of 3)");
    expect(result.stderr).toMatch(/^ {2}\+ created {2}azure-native:network:VirtualNetwork {2}acme-production-net {2}\d+\.\ds$/m);
    expect(result.stderr).toContain("  warning: acme-development-proxy-fw: security rule ssh allows 22 from 203.0.113.0/24 only");
    expect(result.stdout).toBe(
      ["", "up acme: succeeded", "  acme-development  succeeded      6 created", "  acme-tools        succeeded      6 created", "  acme-production   succeeded      6 created"].join("\n"),
    );
  });

  it("creates each stack with the passphrase provider in the default backend, and sets its config from the spec", async () => {
    const fake = fakePulumi();
    expect((await run(fake, ["up", "--tenant", "acme", "--env", "development", "--yes", "--parallel", "3"])).exitCode).toBe(0);
    const commands = fake.commands().filter((command) => command !== "version");
    expect(commands.slice(0, 6)).toEqual([
      "stack select --stack acme-development --non-interactive",
      "stack init acme-development --secrets-provider passphrase --non-interactive",
      `config set-all --stack acme-development --plaintext botinfra:tenant=acme --plaintext botinfra:environment=development --plaintext botinfra:tenantFile=${TENANT_FILE} --plaintext azure-native:location=westeurope --non-interactive`,
      // The deployed subnets, which the plan must not move (the SDK reads outputs twice: masked, then with secrets).
      "stack output --json --stack acme-development --non-interactive",
      "stack output --json --show-secrets --stack acme-development --non-interactive",
      expect.stringMatching(
        new RegExp(
          `^up --yes --skip-preview --policy-pack ${REPO_ROOT}policies --policy-pack-config \\S+/acme-policy\\.json --parallel 3 --exec-kind auto\\.local --event-log tcp://127\\.0\\.0\\.1:\\d+ --stack acme-development --non-interactive$`,
        ),
      ) as string,
    ]);
    const up = fake.calls().find((call) => call.argv[0] === "up")!;
    expect(up.cwd).toBe(REPO_ROOT.replace(/\/$/, ""));
    expect(up.env.PULUMI_BACKEND_URL).toBe(`file://${fake.stateDir}`);
    expect(fake.stack("acme-development")).toMatchObject({ secretsProvider: "passphrase", history: [{ kind: "update", result: "succeeded" }] });
  });

  it("leaves the policy pack out with --no-policy, and out of refresh", async () => {
    const fake = fakePulumi();
    expect((await run(fake, ["preview", "--tenant", "acme", "--env", "tools", "--no-policy"])).exitCode).toBe(0);
    expect((await run(fake, ["refresh", "--tenant", "acme", "--env", "tools"])).exitCode).toBe(0);
    const engineRuns = fake.commands().filter((command) => /^(preview|refresh) /.test(command));
    expect(engineRuns).toHaveLength(2);
    for (const command of engineRuns) expect(command).not.toContain("--policy-pack");
  });

  it("uses --backend-url over PULUMI_BACKEND_URL", async () => {
    const fake = fakePulumi();
    const other = `${fake.home}/team-state`;
    const result = await run(fake, ["preview", "--tenant", "acme", "--env", "tools", "--backend-url", `file://${other}`], { PULUMI_BACKEND_URL: "s3://not-this-one" });
    expect(result.exitCode).toBe(0);
    expect(fake.calls().find((call) => call.argv[0] === "preview")!.env.PULUMI_BACKEND_URL).toBe(`file://${other}`);
  });

  it("emits JSON lines with --json, ending with the summary", async () => {
    const fake = fakePulumi();
    const result = await run(fake, ["up", "--tenant", "acme", "--env", "tools", "--yes", "--json"]);
    expect(result.exitCode).toBe(0);
    const records = result.stdout.split("\n").map((line) => JSON.parse(line) as { type: string; [key: string]: unknown });
    expect(records.map((record) => record.type)).toEqual(["stack-start", "resource", "resource", "resource", "resource", "diagnostic", "resource", "stack-end", "summary"]);
    expect(records[3]).toMatchObject({ type: "resource", stack: "acme-tools", op: "create", resourceType: "azure-native:resources:ResourceGroup", name: "acme-tools", status: "done" });
    expect(records.at(-1)).toEqual({
      type: "summary",
      operation: "up",
      tenant: "acme",
      result: "succeeded",
      stacks: [{ stack: "acme-tools", environment: "tools", result: "succeeded", changes: { create: 6 } }],
    });
  });

  it("stops at the first failure: production is never touched, and the summary says why", async () => {
    const fake = fakePulumi();
    const result = await run(fake, ["up", "--tenant", "acme", "--yes"], { FAKE_PULUMI_FAIL_STACK: "acme-tools" });
    expect(result.exitCode).toBe(1);
    expect(operations(fake)).toEqual(["up acme-development", "up acme-tools"]);
    expect(fake.stack("acme-production")).toBeUndefined();
    expect(result.stderr).toContain("  + create FAILED  azure-native:network:VirtualNetwork  acme-tools-net");
    expect(result.stderr).toContain(
      'error: acme-tools failed: acme-tools-net: Status=400 Code="InvalidAddressPrefix" Message="Address prefix 10.21.0.0/16 overlaps an existing network."',
    );
    expect(result.stdout).toContain("up acme: failed");
    expect(result.stdout).toMatch(/acme-production +not run +stopped: acme-tools failed/);
  });

  it("refuses to start while another update holds the stack, and changes nothing", async () => {
    const fake = fakePulumi();
    const release = join(fake.home, "release");
    const first = execa("node", [CLI, "up", "--tenant", "acme", "--env", "tools", "--yes"], { cwd: REPO_ROOT, env: fake.env({ FAKE_PULUMI_HOLD_UNTIL: release, NO_COLOR: "1" }), extendEnv: false, reject: false });
    await waitFor(() => fake.locks("acme-tools").length > 0, "the first update's lock");
    const second = await run(fake, ["up", "--tenant", "acme", "--env", "tools", "--yes"]);
    expect(second.exitCode).toBe(1);
    expect(second.stderr).toMatch(/error: stack acme-tools is locked by another update \(.+@.+ \(pid \d+\) at .+\); nothing was changed\./);
    // The second update was refused before it recorded anything.
    expect(fake.stack("acme-tools")!.history).toEqual([]);
    writeFileSync(release, "");
    expect((await first).exitCode).toBe(0);
    expect(fake.stack("acme-tools")!.history).toHaveLength(1);
    expect(fake.locks("acme-tools")).toEqual([]);
  });

  it("cancels on Ctrl-C: Pulumi gets one SIGINT, the stack is left unlocked, nothing else starts", async () => {
    const fake = fakePulumi();
    const cli = execa("node", [CLI, "up", "--tenant", "acme", "--yes"], { cwd: REPO_ROOT, env: fake.env({ FAKE_PULUMI_HOLD_UNTIL: join(fake.home, "never"), NO_COLOR: "1" }), extendEnv: false, reject: false });
    await waitFor(() => fake.locks("acme-development").length > 0, "the update to start");
    const signalled = Date.now();
    cli.kill("SIGINT");
    const result = await cli;
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(result.exitCode).toBe(130);
    expect(result.stderr).toContain("Cancelling: Pulumi is stopping the update of acme-development cleanly and will leave the stack unlocked");
    expect(result.stderr).toContain("Press Ctrl-C again to quit at once");
    expect(result.stdout).toContain("up acme: cancelled");
    expect(fake.signals()).toEqual([{ signal: "SIGINT", during: "up", stack: "acme-development", count: 1 }]);
    expect(fake.locks("acme-development")).toEqual([]);
    expect(operations(fake)).toEqual(["up acme-development"]);
  });

  it("asks for --yes where nobody can confirm, before anything starts (exit 2)", async () => {
    const fake = fakePulumi();
    const result = await run(fake, ["up", "--tenant", "acme"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("error: up: acme-development: up changes real infrastructure; run botinfra preview to see the changes, then add --yes");
    expect(fake.calls()).toEqual([]);
    const named = await run(fake, ["up", "--tenant", "acme", "-e", "tools"]);
    expect(named.stderr).toContain("error: up --env tools: acme-tools: up changes real infrastructure");
  });
});

/**
 * The CLI at a terminal: `script` gives it a pseudo-terminal, so that it asks its questions and Ctrl-C
 * (a \x03 typed into the terminal) reaches every process in the foreground group, the CLI's `pulumi` too.
 */
function atTerminal(fake: FakePulumi, args: string[], extra: Record<string, string> = {}) {
  const command = ["node", CLI, ...args].map((word) => `'${word}'`).join(" ");
  const subprocess = execa("script", ["-qec", command, "/dev/null"], { cwd: REPO_ROOT, env: fake.env({ NO_COLOR: "1", ...extra }), extendEnv: false, reject: false });
  let screen = "";
  subprocess.stdout?.on("data", (chunk: Buffer) => (screen += chunk.toString()));
  return {
    subprocess,
    screen: () => screen,
    type: async (text: string, after: () => boolean, what: string) => {
      await waitFor(after, what);
      subprocess.stdin?.write(text);
    },
  };
}

describe.concurrent("botinfra at a terminal", () => {
  it("up shows each environment's changes and applies them only after a yes", async () => {
    const fake = fakePulumi();
    const terminal = atTerminal(fake, ["up", "--tenant", "acme", "--env", "tools"]);
    await terminal.type("y\r", () => terminal.screen().includes("[y/N]"), "the question");
    const result = await terminal.subprocess;
    expect(result.exitCode).toBe(0);
    expect(terminal.screen()).toContain("  + create  azure-native:network:VirtualNetwork  acme-tools-net");
    expect(terminal.screen()).toContain("Apply these changes to acme-tools? [y/N]");
    expect(operations(fake)).toEqual(["preview acme-tools", "up acme-tools"]);
  });

  it("up changes nothing when the answer is not yes (exit 1)", async () => {
    const fake = fakePulumi();
    const terminal = atTerminal(fake, ["up", "--tenant", "acme"]);
    await terminal.type("n\r", () => terminal.screen().includes("[y/N]"), "the question");
    const result = await terminal.subprocess;
    expect(result.exitCode).toBe(1);
    expect(terminal.screen()).toMatch(/acme-development +not confirmed +not confirmed; nothing was changed/);
    expect(operations(fake)).toEqual(["preview acme-development"]);
  });

  it("destroying production asks for the tenant's name, and anything else destroys nothing", async () => {
    const fake = fakePulumi();
    await run(fake, ["up", "--tenant", "acme", "--env", "production", "--yes"]);
    const wrong = atTerminal(fake, ["destroy", "--tenant", "acme", "--env", "production", "--yes"]);
    await wrong.type("acne\r", () => wrong.screen().includes("Type the tenant's name to go on:"), "the question");
    expect((await wrong.subprocess).exitCode).toBe(1);
    expect(operations(fake)).toEqual(["up acme-production"]);
    const right = atTerminal(fake, ["destroy", "--tenant", "acme", "--env", "production", "--yes"]);
    await right.type("acme\r", () => right.screen().includes("Type the tenant's name to go on:"), "the question");
    expect((await right.subprocess).exitCode).toBe(0);
    expect(operations(fake)).toEqual(["up acme-production", "destroy acme-production"]);
  });

  it("Ctrl-C reaches Pulumi once, from the terminal, so it cancels instead of terminating", async () => {
    const fake = fakePulumi();
    const terminal = atTerminal(fake, ["up", "--tenant", "acme", "--yes"], { FAKE_PULUMI_HOLD_UNTIL: join(fake.home, "never") });
    await terminal.type("\x03", () => fake.locks("acme-development").length > 0, "the update to start");
    const result = await terminal.subprocess;
    expect(result.exitCode).toBe(130);
    expect(fake.signals()).toEqual([{ signal: "SIGINT", during: "up", stack: "acme-development", count: 1 }]);
    expect(fake.locks("acme-development")).toEqual([]);
    expect(operations(fake)).toEqual(["up acme-development"]);
  });
});

describe.concurrent("an environment that is not ready", () => {
  it("names both passphrase variables and never calls the CLI (exit 3)", async () => {
    const fake = fakePulumi();
    const result = await run(fake, ["up", "--tenant", "acme", "--yes"], { PULUMI_CONFIG_PASSPHRASE: undefined });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/^error: no passphrase for the stacks' secrets: set PULUMI_CONFIG_PASSPHRASE to it, or PULUMI_CONFIG_PASSPHRASE_FILE to a file holding it/);
    expect(fake.commands().filter((command) => command !== "version")).toEqual([]);
  });

  it("reports everything missing at once: passphrase, credentials and the CLI (exit 3)", async () => {
    const fake = fakePulumi();
    const result = await run(fake, ["up", "--tenant", "acme", "--yes"], {
      PULUMI_CONFIG_PASSPHRASE: undefined,
      ARM_CLIENT_SECRET: undefined,
      ARM_CLIENT_ID: undefined,
      PATH: dirname(process.execPath),
    });
    expect(result.exitCode).toBe(3);
    const lines = result.stderr.split("\n");
    expect(lines[0]).toBe("error: this machine is not ready (3 problems):");
    expect(lines[1]).toMatch(/^ {2}- no passphrase for the stacks' secrets/);
    expect(lines[2]).toMatch(/^ {2}- no Azure credentials/);
    expect(lines[3]).toMatch(/^ {2}- the Pulumi CLI \(pulumi\) is not installed or not on PATH/);
    expect(fake.calls()).toEqual([]);
  });

  it("creates the state folder for its owner alone, and refuses a passphrase file others can read (exit 3)", async () => {
    const fake = fakePulumi();
    const passphrase = join(fake.home, "passphrase");
    writeFileSync(passphrase, "pw\n", { mode: 0o644 });
    const refused = await run(fake, ["preview", "--tenant", "acme", "--env", "tools"], { PULUMI_CONFIG_PASSPHRASE: undefined, PULUMI_CONFIG_PASSPHRASE_FILE: passphrase });
    expect(refused.exitCode).toBe(3);
    expect(refused.stderr).toContain(`error: PULUMI_CONFIG_PASSPHRASE_FILE: ${passphrase} can be read or written by other users (mode 0644); allowed: a file only its owner can use: chmod 600 ${passphrase}`);
    expect(existsSync(fake.stateDir)).toBe(false);
    chmodSync(passphrase, 0o600);
    const result = await run(fake, ["preview", "--tenant", "acme", "--env", "tools"], { PULUMI_CONFIG_PASSPHRASE: undefined, PULUMI_CONFIG_PASSPHRASE_FILE: passphrase });
    expect(result.exitCode).toBe(0);
    expect(statSync(fake.stateDir).mode & 0o777).toBe(0o700);
    expect(statSync(dirname(fake.stateDir)).mode & 0o777).toBe(0o700);
  });

  it("names the cloud's credential variables before anything starts (exit 3)", async () => {
    const fake = fakePulumi();
    const result = await run(fake, ["preview", "--tenant", "acme"], { ARM_CLIENT_SECRET: undefined, ARM_CLIENT_ID: undefined });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("error: no Azure credentials: run `az login`, or set ARM_CLIENT_ID, ARM_CLIENT_SECRET, ARM_TENANT_ID and ARM_SUBSCRIPTION_ID");
    expect(fake.commands().filter((command) => command !== "version")).toEqual([]);
  });

  it("goes on without the credentials check when told to", async () => {
    const fake = fakePulumi();
    const result = await run(fake, ["preview", "--tenant", "acme", "--env", "tools", "--no-credentials-check"], { ARM_CLIENT_SECRET: undefined });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("credentials: not checked (--no-credentials-check)");
  });

  it("says how to install a missing Pulumi CLI (exit 3)", async () => {
    const fake = fakePulumi();
    const result = await run(fake, ["preview", "--tenant", "acme"], { PATH: dirname(process.execPath) });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("error: the Pulumi CLI (pulumi) is not installed or not on PATH");
    expect(result.stderr).toContain("https://www.pulumi.com/docs/install/");
    expect(result.stderr).toContain("--install-pulumi");
  });

  it("takes a CLI that PulumiCommand.install() finds under ~/.pulumi/versions with --install-pulumi", async () => {
    const fake = fakePulumi();
    // install() first looks in its install root and downloads only when no CLI is there: here one is.
    const versions = join(fake.home, ".pulumi", "versions");
    mkdirSync(versions, { recursive: true });
    symlinkSync(dirname(FAKE_PULUMI_BIN), join(versions, "3.248.0"));
    const without = await run(fake, ["preview", "--tenant", "acme", "--env", "tools"], { PATH: dirname(process.execPath) });
    expect(without.exitCode).toBe(3);
    const result = await run(fake, ["preview", "--tenant", "acme", "--env", "tools", "--install-pulumi"], { PATH: dirname(process.execPath) });
    expect(result.exitCode).toBe(0);
    expect(operations(fake)).toEqual(["preview acme-tools"]);
  });

  it("refuses a bad --env or --parallel with exit 2", async () => {
    const fake = fakePulumi();
    const env = await run(fake, ["up", "--tenant", "acme", "--env", "staging", "--yes"]);
    expect(env.exitCode).toBe(2);
    expect(env.stderr).toContain('--env: found "staging"; allowed: all, production, development, tools');
    const parallel = await run(fake, ["preview", "--tenant", "acme", "--parallel", "0"]);
    expect(parallel.exitCode).toBe(2);
    expect(fake.calls()).toEqual([]);
  });
});

describe.concurrent("botinfra preview, refresh, destroy, outputs", () => {
  it("previews every environment, production last, without a lock or --yes", async () => {
    const fake = fakePulumi();
    const result = await run(fake, ["preview", "--tenant", "acme"]);
    expect(result.exitCode).toBe(0);
    expect(operations(fake)).toEqual(["preview acme-development", "preview acme-tools", "preview acme-production"]);
    expect(result.stderr).toContain("  + create  azure-native:network:NetworkSecurityGroup  acme-production-proxy-fw\n");
    expect(result.stdout).toContain("  acme-production   succeeded      6 to create");
  });

  it("drift detection: preview --refresh --expect-no-changes fails naming the drifted stack and its changes, and passes when nothing changed", async () => {
    const fake = fakePulumi();
    const drifted = await run(fake, ["preview", "--tenant", "acme", "--env", "tools", "--refresh", "--expect-no-changes"]);
    expect(drifted.exitCode).toBe(1);
    const preview = fake.calls().find((call) => call.argv[0] === "preview")!.argv.join(" ");
    expect(preview).toContain("--expect-no-changes");
    expect(preview).toContain("--refresh");
    expect(drifted.stderr).toContain("  + create  azure-native:network:NetworkSecurityGroup  acme-tools-proxy-fw\n");
    expect(drifted.stderr).toContain("error: acme-tools has drifted: the preview proposes changes where none were expected");
    expect(drifted.stdout).toContain("acme-tools  FAILED         acme-tools has drifted");
    const unchanged = await run(fake, ["preview", "--tenant", "acme", "--env", "tools", "--refresh", "--expect-no-changes"], { FAKE_PULUMI_UNCHANGED_STACK: "acme-tools" });
    expect(unchanged.exitCode, unchanged.stderr).toBe(0);
    const plain = fakePulumi();
    expect((await run(plain, ["preview", "--tenant", "acme", "--env", "tools"])).exitCode).toBe(0);
    expect(plain.calls().find((call) => call.argv[0] === "preview")!.argv).not.toContain("--expect-no-changes");
  });

  it("in CI (CI=true), refuses to keep state in the runner's home, before anything starts (exit 3)", async () => {
    const fake = fakePulumi();
    const result = await run(fake, ["preview", "--tenant", "acme", "--env", "tools"], { CI: "true" });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("error: no state backend in CI (CI is set)");
    expect(result.stderr).toContain("Set PULUMI_BACKEND_URL");
    expect(fake.calls()).toEqual([]);
    const remote = await run(fake, ["preview", "--tenant", "acme", "--env", "tools", "--backend-url", `file://${fake.stateDir}`], { CI: "true" });
    expect(remote.exitCode, remote.stderr).toBe(0);
  });

  it("refreshes existing stacks without creating or reconfiguring them", async () => {
    const fake = fakePulumi();
    await run(fake, ["up", "--tenant", "acme", "--env", "tools", "--yes"]);
    const before = fake.calls().length;
    const result = await run(fake, ["refresh", "--tenant", "acme", "--env", "tools"]);
    expect(result.exitCode).toBe(0);
    const commands = fake.commands().slice(before).filter((command) => command !== "version");
    expect(commands[0]).toBe("stack select --stack acme-tools --non-interactive");
    expect(commands[1]).toMatch(/^refresh --skip-preview --yes --event-log tcp:\/\/127\.0\.0\.1:\d+ --exec-kind auto\.local --stack acme-tools --non-interactive$/);
    expect(result.stdout).toContain("acme-tools  succeeded      6 unchanged");
  });

  it("destroys a non-production environment with --yes, and says so when it was never deployed", async () => {
    const fake = fakePulumi();
    const missing = await run(fake, ["destroy", "--tenant", "acme", "--env", "development", "--yes"]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain("error: stack acme-development does not exist in this backend");
    await run(fake, ["up", "--tenant", "acme", "--env", "development", "--yes"]);
    const result = await run(fake, ["destroy", "--tenant", "acme", "--env", "development", "--yes"]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("  - deleted  azure-native:resources:ResourceGroup  acme-development");
    expect(result.stdout).toContain("acme-development  succeeded      6 deleted");
  });

  it("destroys production only with --yes and the tenant's name; protection is never lifted", async () => {
    const fake = fakePulumi();
    await run(fake, ["up", "--tenant", "acme", "--env", "production", "--yes"]);
    const refused = await run(fake, ["destroy", "--tenant", "acme", "--env", "production", "--yes"]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain("add --confirm acme to confirm it where nobody can type");
    const wrongName = await run(fake, ["destroy", "--tenant", "acme", "--env", "production", "--yes", "--confirm", "globex"]);
    expect(wrongName.exitCode).toBe(2);
    const noYes = await run(fake, ["destroy", "--tenant", "acme", "--env", "production", "--confirm", "acme"]);
    expect(noYes.exitCode).toBe(2);
    expect(operations(fake)).toEqual(["up acme-production"]);

    const done = await run(fake, ["destroy", "--tenant", "acme", "--env", "production", "--yes", "--confirm", "acme"]);
    expect(done.exitCode).toBe(0);
    const destroy = fake.calls().find((call) => call.argv[0] === "destroy")!;
    expect(destroy.argv.join(" ")).toMatch(/^destroy --yes --skip-preview --event-log tcp:\/\/127\.0\.0\.1:\d+ --exec-kind auto\.local --stack acme-production --non-interactive$/);
  });

  it("refuses destroy without one named environment", async () => {
    const fake = fakePulumi();
    const all = await run(fake, ["destroy", "--tenant", "acme", "--env", "all", "--yes"]);
    expect(all.exitCode).toBe(2);
    expect(all.stderr).toContain("destroy: --env is required and names one environment (production, development, tools)");
    const none = await run(fake, ["destroy", "--tenant", "acme", "--yes"]);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain("add --env NAME");
  });

  it("prints deployed outputs, as the JSON render --outputs reads, and notes the environments not deployed", async () => {
    const fake = fakePulumi();
    const platform = parseTenantText(toYaml(sampleSpec()), "acme.yaml").platform;
    const development = platform.environments.find((environment) => environment.name === "development")!;
    const outputs = { ...plannedOutputs(platform, development), publicAddress: "203.0.113.10" };
    fake.setOutputs("acme-development", outputs);
    await run(fake, ["up", "--tenant", "acme", "--env", "development", "--yes"]);

    const json = await run(fake, ["outputs", "--tenant", "acme", "--json"]);
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ "acme-development": outputs });
    expect(json.stderr).toContain("acme-tools: not deployed (botinfra up --tenant acme --env tools)");

    const text = await run(fake, ["outputs", "--tenant", "acme", "--env", "development"]);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain("acme-development (development)\n  tenant: acme\n  environment: development\n");
    expect(text.stdout).toContain("  publicAddress: 203.0.113.10");

    const notDeployed = await run(fake, ["outputs", "--tenant", "acme", "--env", "tools"]);
    expect(notDeployed.exitCode).toBe(1);
    // Reading outputs needs no cloud credentials.
    expect((await run(fake, ["outputs", "--tenant", "acme", "--env", "development"], { ARM_CLIENT_SECRET: undefined })).exitCode).toBe(0);
  });
});
