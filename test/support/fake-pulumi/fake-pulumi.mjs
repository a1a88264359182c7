// A stand-in for the `pulumi` CLI, for tests of the process boundary: the real Automation API runs it
// as it would run the CLI, so the commands, flags and environment it gives are what the tests assert.
//
// It records each invocation (argv, cwd, PULUMI_* variables) as a JSON line in $FAKE_PULUMI_LOG, keeps
// stacks where a DIY file backend would (under the folder of PULUMI_BACKEND_URL, with lock files while
// an update runs), and for up/preview/refresh/destroy replays a recorded engine event stream from
// recorded-events/. Those streams are written in the engine's apitype JSON shape (sequence, timestamp,
// one payload key) as documented by the research on the 3.248 SDK; they were not captured from a real CLI.
//
// It reports v3.248.0, like a current CLI. For a CLI newer than 3.205 the 3.248 SDK passes
// `--event-log tcp://127.0.0.1:<port>` and serves pulumirpc.Events; the real CLI then streams each event
// as JSON in an EventRequest over StreamEvents, and so does this fake. (The JSON-lines file the SDK tails
// is only used for CLIs up to 3.205: faking that route would test what no current user runs.)
//
// Test knobs:
//   FAKE_PULUMI_LOG          file to append invocations to
//   FAKE_PULUMI_VERSION      what `pulumi version` prints (default v3.248.0)
//   FAKE_PULUMI_HOLD_UNTIL   an operation holds its lock and waits until this file exists; a SIGINT
//                            meanwhile cancels it as the CLI does (lock released, exit 255), and a
//                            second one within 300 ms terminates it (lock left behind)
//   FAKE_PULUMI_FAIL_STACK   `up` of this stack replays a failed update and exits 255
//   FAKE_PULUMI_OUTPUTS_DIR  `up` of stack S sets S's outputs to <dir>/S.json
//   FAKE_PULUMI_FAIL_CONFIG  `config set-all` fails (the SDK then puts the whole command line in its error)
//   FAKE_PULUMI_UNCHANGED_STACK  `preview` of this stack proposes no change (preview-unchanged.jsonl)
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { hostname, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const env = process.env;

const record = (entry) => {
  if (env.FAKE_PULUMI_LOG) appendFileSync(env.FAKE_PULUMI_LOG, `${JSON.stringify(entry)}\n`);
};
record({ argv, cwd: process.cwd(), pid: process.pid, env: Object.fromEntries(Object.entries(env).filter(([key]) => key.startsWith("PULUMI_"))) });

const flag = (name) => {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : undefined;
};
const fail = (message) => {
  process.stderr.write(`${message}\n`);
  process.exit(255);
};

const PASSPHRASE_MISSING =
  'error: constructing secrets manager of type "passphrase": passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables';

function backendDir() {
  const url = env.PULUMI_BACKEND_URL ?? "";
  if (!url.startsWith("file://")) fail(`error: the fake pulumi keeps state only in file:// backends, not "${url}"`);
  return url.slice("file://".length);
}

function projectName() {
  const settings = readFileSync(join(process.cwd(), "Pulumi.yaml"), "utf8");
  return /^name:\s*(\S+)/m.exec(settings)?.[1] ?? fail("error: no Pulumi.yaml project name in the working directory");
}

const stackFile = (stack) => join(backendDir(), ".pulumi", "stacks", projectName(), `${stack}.json`);
const lockDir = (stack) => join(backendDir(), ".pulumi", "locks", "organization", projectName(), stack);

function readStack(stack) {
  const file = stackFile(stack);
  if (!existsSync(file)) fail(`error: no stack named '${stack}' found`);
  return JSON.parse(readFileSync(file, "utf8"));
}

function writeStack(stack, state) {
  mkdirSync(dirname(stackFile(stack)), { recursive: true });
  writeFileSync(stackFile(stack), JSON.stringify(state, null, 2));
}

function needPassphrase(state) {
  if (state.secretsProvider === "passphrase" && env.PULUMI_CONFIG_PASSPHRASE === undefined && !env.PULUMI_CONFIG_PASSPHRASE_FILE) fail(PASSPHRASE_MISSING);
}

/** The DIY backend's lock: refused while another process holds one, as pkg/backend/diy/lock.go words it. */
function lock(stack) {
  const dir = lockDir(stack);
  const held = existsSync(dir) ? readdirSync(dir) : [];
  if (held.length > 0) {
    const holders = held.map((file) => {
      const content = JSON.parse(readFileSync(join(dir, file), "utf8"));
      return `\n  ${env.PULUMI_BACKEND_URL}/.pulumi/locks/organization/${projectName()}/${stack}/${file}: created by ${content.username}@${content.hostname} (pid ${content.pid}) at ${content.timestamp}`;
    });
    fail(`error: the stack is currently locked by ${held.length} lock(s). Either wait for the other process(es) to end or delete the lock file with \`pulumi cancel\`.${holders.join("")}`);
  }
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${process.pid}.json`);
  writeFileSync(file, JSON.stringify({ pid: process.pid, username: userInfo().username, hostname: hostname(), timestamp: new Date().toISOString() }));
  return () => rmSync(file, { force: true });
}

function recordedEvents(name, stack, state) {
  const config = state.config ?? {};
  const fill = { stack, project: projectName(), tenant: config["botinfra:tenant"]?.value ?? "", environment: config["botinfra:environment"]?.value ?? "" };
  return readFileSync(join(here, "recorded-events", `${name}.jsonl`), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line.replace(/\{\{(\w+)\}\}/g, (_, key) => fill[key])));
}

/** Streams the events to the Automation API's pulumirpc.Events server, one JSON event per EventRequest. */
async function sendEvents(events) {
  const target = flag("--event-log");
  if (!target) return;
  if (!target.startsWith("tcp://")) fail(`error: the fake pulumi streams events over gRPC only, got --event-log ${target}`);
  const require = createRequire(import.meta.url);
  const grpc = require("@grpc/grpc-js");
  const { EventsClient } = require("@pulumi/pulumi/proto/events_grpc_pb.js");
  const { EventRequest } = require("@pulumi/pulumi/proto/events_pb.js");
  const client = new EventsClient(target.slice("tcp://".length), grpc.credentials.createInsecure());
  try {
    await new Promise((resolve, reject) => {
      const call = client.streamEvents((error) => (error ? reject(error) : resolve()));
      for (const event of events) {
        const request = new EventRequest();
        request.setEvent(JSON.stringify(event));
        call.write(request);
      }
      call.end();
    });
  } finally {
    client.close();
  }
}

const TITLES = { up: "Updating", preview: "Previewing update", refresh: "Refreshing", destroy: "Destroying" };

async function operation(kind) {
  const stack = flag("--stack");
  const state = readStack(stack);
  needPassphrase(state);
  const holdUntil = env.FAKE_PULUMI_HOLD_UNTIL;
  let unlock = () => {};
  if (holdUntil) {
    // As the CLI does: the first SIGINT cancels (the lock is released), a second one terminates at once.
    let interrupts = 0;
    process.on("SIGINT", () => {
      interrupts += 1;
      record({ signal: "SIGINT", during: kind, stack, count: interrupts });
      if (interrupts > 1) {
        process.stdout.write("^C received; terminating\n");
        process.exit(255);
      }
      process.stdout.write("^C received; cancelling. If you would like to terminate immediately, press ^C again.\n");
      setTimeout(() => {
        unlock();
        fail("error: update canceled");
      }, 300);
    });
  }
  // Like the DIY backend, preview takes no lock; the others do.
  if (kind !== "preview") unlock = lock(stack);
  process.stdout.write(`${TITLES[kind]} (${stack})\n\n`);
  while (holdUntil && !existsSync(holdUntil)) await new Promise((resolve) => setTimeout(resolve, 50));
  const failed = kind === "up" && env.FAKE_PULUMI_FAIL_STACK === stack;
  const unchanged = kind === "preview" && env.FAKE_PULUMI_UNCHANGED_STACK === stack;
  const events = recordedEvents(failed ? "up-failed" : unchanged ? "preview-unchanged" : kind, stack, state);
  await sendEvents(events);
  const summary = events.find((event) => event.summaryEvent).summaryEvent;
  // As the CLI does for `preview --expect-no-changes` (NoChangesExpectedError): any operation but "same" is a change.
  const changed = Object.entries(summary.resourceChanges).some(([op, count]) => op !== "same" && count > 0);
  if (kind === "preview" && argv.includes("--expect-no-changes") && changed) fail("error: no changes were expected but changes were proposed");
  if (kind !== "preview") {
    state.history.unshift({
      version: state.history.length + 1,
      kind: kind === "up" ? "update" : kind,
      startTime: new Date().toISOString(),
      endTime: new Date().toISOString(),
      message: "",
      environment: { "exec.kind": flag("--exec-kind") ?? "cli" },
      config: {},
      result: failed ? "failed" : "succeeded",
      resourceChanges: summary.resourceChanges,
    });
  }
  if (kind === "up" && !failed) {
    const outputs = join(env.FAKE_PULUMI_OUTPUTS_DIR ?? "", `${stack}.json`);
    state.outputs = env.FAKE_PULUMI_OUTPUTS_DIR && existsSync(outputs) ? JSON.parse(readFileSync(outputs, "utf8")) : {};
  }
  if (kind === "destroy") state.outputs = {};
  writeStack(stack, state);
  unlock();
  if (failed) fail("error: update failed");
  process.stdout.write(`\nResources:\n    ${JSON.stringify(summary.resourceChanges)}\n\nDuration: ${summary.durationSeconds}s\n`);
}

async function main() {
  const [command, sub] = argv;
  if (command === "version") {
    process.stdout.write(`${env.FAKE_PULUMI_VERSION ?? "v3.248.0"}\n`);
    return;
  }
  if (command === "stack" && sub === "select") {
    readStack(flag("--stack"));
    return;
  }
  if (command === "stack" && sub === "init") {
    const stack = argv[2];
    if (existsSync(stackFile(stack))) fail(`error: stack '${stack}' already exists`);
    const secretsProvider = flag("--secrets-provider") ?? "passphrase";
    needPassphrase({ secretsProvider });
    writeStack(stack, { secretsProvider, config: {}, outputs: {}, history: [] });
    process.stdout.write(`Created stack '${stack}'\n`);
    return;
  }
  if (command === "config" && sub === "set-all") {
    if (env.FAKE_PULUMI_FAIL_CONFIG) fail("error: could not save the stack's configuration");
    const stack = flag("--stack");
    const state = readStack(stack);
    argv.forEach((arg, index) => {
      if (arg !== "--plaintext" && arg !== "--secret") return;
      const [key, ...value] = argv[index + 1].split("=");
      state.config[key] = { value: value.join("="), secret: arg === "--secret" };
    });
    writeStack(stack, state);
    return;
  }
  if (command === "stack" && sub === "output") {
    const state = readStack(flag("--stack"));
    if (argv.includes("--show-secrets")) needPassphrase(state);
    process.stdout.write(`${JSON.stringify(state.outputs, null, 4)}\n`);
    return;
  }
  if (command === "stack" && sub === "history") {
    const state = readStack(flag("--stack"));
    const size = Number(flag("--page-size") ?? state.history.length);
    process.stdout.write(`${JSON.stringify(state.history.slice(0, size), null, 4)}\n`);
    return;
  }
  if (command in TITLES) {
    await operation(command);
    return;
  }
  fail(`error: the fake pulumi does not implement: pulumi ${argv.join(" ")}`);
}

main().catch((error) => fail(`error: the fake pulumi crashed: ${error?.stack ?? error}`));
