/**
 * The node_app role, run for real as far as a machine without systemd allows: its release steps
 * (fetch from a local git repository, npm ci, switch `current`) run through ansible-playbook with a
 * local connection into a temporary prefix; the sample bot (test/fixtures/echo-bot) is then started
 * with the exact command, folder and environment file of the rendered unit, and answers through the
 * rendered nginx on 127.0.0.1 over TLS and WebSocket. A second release is deployed, then rolled back
 * with the rendered playbooks/rollback.yml (what `configure --rollback` runs); every answer names the
 * release that served it. What cannot run here: systemd itself (the restart the role's handler asks
 * for is done by hand, the same command again); the unit file is checked with `systemd-analyze verify`.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, cpSync, mkdtempSync, readFileSync, readlinkSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { PLAYBOOK_ROLLBACK } from "../../ansible/render.js";
import type { Platform } from "../../model/platform.js";
import { plannedFor, renderToTemp, requireTool, samplePlatforms } from "../support/ansible.js";
import { REPO_ROOT } from "../support/cli.js";
import { freePort, localNginxVars, runPlaybook, runRole, startNginx, stopProcess, TIMEOUT_MS, waitForPort } from "../support/live.js";

const platform = samplePlatforms().find((candidate) => candidate.tenant === "acme") as Platform;
const environment = platform.environments.find((candidate) => candidate.name === "development")!;
const route = environment.routes[0]!;
const tier = environment.tiers.find((candidate) => candidate.name === route.tier)!;
const host = tier.hosts[0]!.name;
const SECRET = 'token "with" quotes\\ and $dollar';

let work = "";
let project = "";
let appDir = "";
let unitDir = "";
let appPort = 0;
let httpsPort = 0;
let certificate = "";
let app: ChildProcess | undefined;
let nginx: ChildProcess | undefined;

function git(args: string[], cwd: string) {
  execFileSync("git", ["-c", "user.name=botinfra test", "-c", "user.email=test@example.com", ...args], { cwd, stdio: "ignore", timeout: 30_000 });
}

/** The sample bot in a git repository: v1, v2 (a new version), v3 (no entry script: a broken release). */
function makeRepository(): string {
  const repo = join(work, "echo-bot.git");
  cpSync(join(REPO_ROOT, "test", "fixtures", "echo-bot"), repo, { recursive: true });
  git(["init", "-q", "-b", "main"], repo);
  git(["add", "-A"], repo);
  git(["commit", "-q", "-m", "v1"], repo);
  git(["tag", "v1"], repo);
  const manifest = join(repo, "package.json");
  writeFileSync(manifest, readFileSync(manifest, "utf8").replace('"version": "1.0.0"', '"version": "2.0.0"'));
  git(["commit", "-q", "-am", "v2"], repo);
  git(["tag", "v2"], repo);
  git(["rm", "-q", "index.js"], repo);
  git(["commit", "-q", "-m", "v3 without its entry script"], repo);
  git(["tag", "v3"], repo);
  return repo;
}

function appVars(repo: string, version: string) {
  return {
    node_app_manage_service: false,
    node_app_user: userInfo().username,
    node_app_dir: appDir,
    node_app_unit_dir: unitDir,
    node_app_repo: repo,
    node_app_version: version,
    node_app_port: appPort,
    node_app_env: { HOST: "127.0.0.1", GREETING: 'say "hi"' },
    node_app_secret_names: ["BOT_TOKEN"],
    // Debian's node is /usr/bin/node; CI's may be elsewhere: the unit runs whichever the role is given.
    node_app_node: process.execPath,
    node_app_npm: requireTool("npm"),
  };
}

async function deploy(version: string, repo: string) {
  return runRole(project, work, host, "node_app", appVars(repo, version), { env: { BOTINFRA_SECRET_BOT_TOKEN: SECRET } });
}

interface Unit {
  workingDirectory: string;
  environmentFile: string;
  execStart: string[];
  text: string;
}

function readUnit(): Unit {
  const text = readFileSync(join(unitDir, `node-app-${tier.name}.service`), "utf8");
  const value = (key: string) => {
    const line = text.split("\n").find((candidate) => candidate.startsWith(`${key}=`));
    if (!line) throw new Error(`the unit has no ${key}=`);
    return line.slice(key.length + 1);
  };
  return { workingDirectory: value("WorkingDirectory"), environmentFile: value("EnvironmentFile"), execStart: value("ExecStart").split(" "), text };
}

/** Reads an environment file as systemd does for the forms the role writes: NAME="value" with \\ escapes. */
function readEnvironmentFile(path: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const match = /^([A-Z_][A-Z0-9_]*)="((?:[^"\\]|\\.)*)"$/.exec(line);
    if (match) variables[match[1]!] = match[2]!.replace(/\\(.)/g, "$1");
    else if (line !== "" && !line.startsWith("#")) throw new Error(`unexpected line in ${path}: ${line}`);
  }
  return variables;
}

/** Starts the app the way its unit does: the unit's command, in its folder, with its environment file only. */
async function startApp(): Promise<void> {
  if (app) await stopProcess(app);
  const unit = readUnit();
  const child = spawn(unit.execStart[0]!, unit.execStart.slice(1), {
    cwd: unit.workingDirectory,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...readEnvironmentFile(unit.environmentFile) },
    stdio: "ignore",
  });
  app = child;
  await Promise.race([waitForPort(appPort), new Promise((_, reject) => child.once("exit", (code) => reject(new Error(`the app exited with ${code}`))))]);
}

/** One WebSocket message through the proxy over TLS, by the route's host name; resolves with the app's answer. */
function echoThroughProxy(text: string): Promise<{ release: string; echo: string }> {
  return new Promise((resolve, reject) => {
    // ws hands TLS options such as servername on to https.request; its types only list some of them.
    const options: WebSocket.ClientOptions & { servername: string } = { headers: { host: route.host }, servername: route.host, ca: certificate, handshakeTimeout: TIMEOUT_MS };
    const socket = new WebSocket(`wss://127.0.0.1:${httpsPort}/chat`, options);
    socket.once("open", () => socket.send(text));
    socket.once("message", (data: Buffer) => {
      socket.close();
      resolve(JSON.parse(data.toString()) as { release: string; echo: string });
    });
    socket.once("error", reject);
  });
}

const release = (link: string) => realpathSync(join(appDir, link));

beforeAll(async () => {
  for (const tool of ["ansible-playbook", "git", "npm", "openssl"]) requireTool(tool);
  work = mkdtempSync(join(tmpdir(), "botinfra-node-app-"));
  chmodSync(work, 0o755);
  appDir = join(work, "srv", tier.name);
  unitDir = join(work, "units");
  execFileSync("mkdir", ["-p", appDir, unitDir]);
  appPort = await freePort();
  httpsPort = await freePort();
  project = renderToTemp(platform, plannedFor(platform, [environment]));
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=botinfra test",
    "-keyout", join(work, "key.pem"), "-out", join(work, "cert.pem"), "-addext", `subjectAltName=DNS:${route.host}`,
  ], { stdio: "ignore", timeout: 30_000 });
  certificate = readFileSync(join(work, "cert.pem"), "utf8");
  const proxyDir = join(work, "proxy");
  execFileSync("mkdir", ["-p", proxyDir]);
  const rendered = await runRole(project, proxyDir, environment.proxy.hosts[0]!.name, "nginx_proxy", {
    ...localNginxVars(proxyDir, await freePort(), httpsPort),
    nginx_proxy_tls_certificate: join(work, "cert.pem"),
    nginx_proxy_tls_certificate_key: join(work, "key.pem"),
    nginx_proxy_upstreams: [{ name: `${environment.name}_${tier.name}`, environment: environment.name, tier: tier.name, servers: [`127.0.0.1:${appPort}`] }],
    nginx_proxy_routes: [{ host: route.host, upstream: `${environment.name}_${tier.name}` }],
  }, { tasksFrom: "config.yml" });
  if (rendered.exitCode !== 0) throw new Error(`rendering nginx.conf failed:\n${rendered.stdout}\n${rendered.stderr}`);
  nginx = await startNginx(proxyDir, httpsPort);
});

afterAll(async () => {
  if (app) await stopProcess(app);
  if (nginx) await stopProcess(nginx);
});

describe("the node_app role, deployed and rolled back for real", () => {
  let repo = "";
  let first = "";

  it("deploys the first release from git, installs it, switches current, and the app answers through nginx", async () => {
    repo = makeRepository();
    const result = await deploy("v1", repo);
    expect(result.exitCode, result.stdout).toBe(0);
    first = release("current");
    expect(readFileSync(join(first, ".botinfra-installed"), "utf8")).toBe("installed\n");
    expect(first.startsWith(join(appDir, "releases"))).toBe(true);
    expect(result.stdout).toMatch(/Install the release's dependencies as its lock file says\] \*+\nchanged:/);

    const unit = readUnit();
    expect(unit.workingDirectory).toBe(join(appDir, "current"));
    expect(unit.execStart).toEqual([process.execPath, join(appDir, "current", "index.js")]);
    const environmentFile = readEnvironmentFile(unit.environmentFile);
    expect(environmentFile).toEqual({ BOT_TOKEN: SECRET, GREETING: 'say "hi"', HOST: "127.0.0.1", NODE_ENV: "production", PORT: String(appPort) });
    expect(statSync(unit.environmentFile).mode & 0o777).toBe(0o600);
    // The secret is in the environment file only: never in Ansible's output.
    expect(result.stdout).not.toContain('"with" quotes');
    expect(result.stdout).not.toContain("$dollar");

    await startApp();
    expect(await echoThroughProxy("hello")).toEqual({ release: "1.0.0", echo: "hello" });
  });

  it("is idempotent: deploying the same release again changes nothing", async () => {
    const result = await deploy("v1", repo);
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/changed=0/);
    expect(release("current")).toBe(first);
  });

  it("deploys a second release beside the first, keeps the first as previous, and the app then answers from it", async () => {
    const result = await deploy("v2", repo);
    expect(result.exitCode, result.stdout).toBe(0);
    expect(release("current")).not.toBe(first);
    expect(release("previous")).toBe(first);
    await startApp();
    expect(await echoThroughProxy("after deploy")).toEqual({ release: "2.0.0", echo: "after deploy" });
  });

  it("leaves the running release in place when a deploy fails (a release without its entry script)", async () => {
    const running = release("current");
    const result = await deploy("v3", repo);
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toContain("The release has no index.js");
    expect(release("current")).toBe(running);
    expect(await echoThroughProxy("still up")).toEqual({ release: "2.0.0", echo: "still up" });
  });

  it("rolls back with the rendered rollback playbook, and the app answers from the first release again", async () => {
    const second = release("current");
    const vars = join(work, "rollback.json");
    writeFileSync(vars, JSON.stringify(appVars(repo, "v2")));
    const result = await runPlaybook(project, PLAYBOOK_ROLLBACK, host, vars);
    expect(result.exitCode, result.stdout).toBe(0);
    expect(release("current")).toBe(first);
    expect(release("previous")).toBe(second);
    expect(readlinkSync(join(appDir, "current"))).toBe(first);
    await startApp();
    expect(await echoThroughProxy("after rollback")).toEqual({ release: "1.0.0", echo: "after rollback" });
  });

  it("writes a unit that systemd-analyze verify accepts without a warning", () => {
    const unit = join(unitDir, `node-app-${tier.name}.service`);
    const result = spawnSync(requireTool("systemd-analyze"), ["verify", unit], { encoding: "utf8", timeout: 30_000 });
    // verify exits 0 on unknown keys and only warns on stderr: any output is a failure here.
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({ status: 0, stdout: "", stderr: "" });
  });
});
