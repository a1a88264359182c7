/**
 * A sandbox for the stand-in `pulumi` (test/support/fake-pulumi/): a home of its own (so the default
 * backend, ~/.botinfra/state, is a temporary folder), the fake first on PATH, and readers for what it
 * recorded: every invocation, and the stacks it keeps where a DIY file backend keeps them.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

export const FAKE_PULUMI_BIN = fileURLToPath(new URL("./fake-pulumi/bin", import.meta.url));

export interface FakeCall {
  argv: string[];
  cwd: string;
  pid: number;
  env: Record<string, string>;
}

export interface FakeStack {
  secretsProvider: string;
  config: Record<string, { value: string; secret: boolean }>;
  outputs: Record<string, unknown>;
  history: { kind: string; result: string; resourceChanges: Record<string, number> }[];
}

export interface FakePulumi {
  home: string;
  log: string;
  /** The default state folder: ~/.botinfra/state under the sandbox's home. */
  stateDir: string;
  /** The environment to run botinfra (or the SDK) with; `extra` is added, undefined values removed. */
  env(extra?: Record<string, string | undefined>): Record<string, string>;
  calls(): FakeCall[];
  /** The `pulumi <args>` invocations, as one string each (`stack select --stack acme-tools --non-interactive`). */
  commands(): string[];
  /** The SIGINTs an operation received, in order (`count` 2 means the CLI terminated). */
  signals(): { signal: string; during: string; stack: string; count: number }[];
  stack(name: string): FakeStack | undefined;
  locks(name: string): string[];
  /** Gives `up` of a stack these outputs. */
  setOutputs(stack: string, outputs: unknown): void;
}

/** Azure service-principal variables: enough for the credentials check, meaningless anywhere else. */
export const FAKE_AZURE_CREDENTIALS = {
  ARM_CLIENT_ID: "00000000-0000-0000-0000-000000000001",
  ARM_CLIENT_SECRET: "not-a-secret",
  ARM_TENANT_ID: "00000000-0000-0000-0000-000000000002",
  ARM_SUBSCRIPTION_ID: "00000000-0000-0000-0000-000000000003",
};

/** The environment the tests started with: what a sandbox adds to, whatever a test did to process.env since. */
const STARTING_ENV = { ...process.env };

export function fakePulumi(): FakePulumi {
  const home = mkdtempSync(join(tmpdir(), "botinfra-fake-pulumi-"));
  const log = join(home, "calls.jsonl");
  const outputsDir = join(home, "outputs");
  const stateDir = join(home, ".botinfra", "state");
  const lines = () => (existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>) : []);
  const calls = () => lines().filter((line) => Array.isArray(line.argv)) as unknown as FakeCall[];
  return {
    home,
    log,
    stateDir,
    env(extra = {}) {
      const merged: Record<string, string | undefined> = {
        ...STARTING_ENV,
        HOME: home,
        PATH: `${FAKE_PULUMI_BIN}${delimiter}${STARTING_ENV.PATH ?? ""}`,
        FAKE_PULUMI_LOG: log,
        FAKE_PULUMI_OUTPUTS_DIR: outputsDir,
        PULUMI_CONFIG_PASSPHRASE: "correct horse battery staple",
        PULUMI_BACKEND_URL: undefined,
        CI: undefined,
        PULUMI_CONFIG_PASSPHRASE_FILE: undefined,
        ...FAKE_AZURE_CREDENTIALS,
        ...extra,
      };
      return Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined));
    },
    calls,
    commands: () => calls().map((call) => call.argv.join(" ")),
    signals: () => lines().filter((line) => line.signal !== undefined) as unknown as { signal: string; during: string; stack: string; count: number }[],
    stack(name) {
      const file = join(stateDir, ".pulumi", "stacks", "botinfra", `${name}.json`);
      return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as FakeStack) : undefined;
    },
    locks(name) {
      const dir = join(stateDir, ".pulumi", "locks", "organization", "botinfra", name);
      return existsSync(dir) ? readdirSync(dir) : [];
    },
    setOutputs(stack, outputs) {
      mkdirSync(outputsDir, { recursive: true });
      writeFileSync(join(outputsDir, `${stack}.json`), JSON.stringify(outputs));
    },
  };
}
