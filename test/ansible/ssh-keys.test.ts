/**
 * Key rotation, live: a spec change plus `configure` replaces the administrators' keys on a server. A
 * throwaway user (the spec's admin.username) gets a home in a temporary folder; the debian_base role's
 * own task "Authorize exactly the administrators' SSH keys" runs through ansible-playbook with a local
 * connection, with the administrators as the renderer renders them from the spec's admin.sshPublicKeys;
 * the real sshd, on 127.0.0.1 with a temporary host key and the role's rendered hardening
 * (sshd_config.j2) included, then decides who logs in. The spec holds key A, then key B only: after the
 * second run, A is refused and B logs in.
 *
 * What cannot run here, named: the role's "Create the administrators" task (it would make a home in
 * /home: the test's useradd makes the user, with its home in the temporary folder), and systemd's ssh
 * service (the test runs sshd itself, on its own port, with its own host key).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPlatform } from "../../model/platform.js";
import { plannedFor, renderToTemp, requireTool } from "../support/ansible.js";
import { freePort, roleTask, runRole, stopProcess, waitForPort, writeRoleTasks } from "../support/live.js";
import { sampleSpec } from "../support/specs.js";

const SSHD = "/usr/sbin/sshd";
const AUTHORIZE_TASK = "Authorize exactly the administrators' SSH keys";
const USER = `botinfra-keys-${process.pid}`;

let work = "";
let home = "";
let port = 0;
let userCreated = false;
let sshd: ChildProcess | undefined;
const keys = { A: "", B: "" };

/** Renders the sample tenant with these administrators' keys and runs the role's key task for one of its servers. */
async function configureKeys(publicKeys: string[]) {
  const spec = sampleSpec();
  spec.admin = { username: USER, sshPublicKeys: publicKeys };
  const built = buildPlatform(spec);
  if (!built.platform) throw new Error(JSON.stringify(built.issues));
  const platform = built.platform;
  const environment = platform.environments.find((candidate) => candidate.name === "development")!;
  const project = renderToTemp(platform, plannedFor(platform, [environment]));
  const tasksFile = writeRoleTasks(project, "debian_base", "test-keys.yml", [
    roleTask(project, "debian_base", "main.yml", AUTHORIZE_TASK),
    // The role's hardening template; its own task writes to /etc/ssh/sshd_config.d, this one into the test's folder.
    { name: "Render the SSH hardening", "ansible.builtin.template": { src: "sshd_config.j2", dest: join(work, "00-botinfra.conf"), mode: "0644" } },
  ]);
  const result = await runRole(project, join(project, ".."), environment.proxy.hosts[0]!.name, "debian_base", {}, { tasksFrom: tasksFile });
  if (result.exitCode !== 0) throw new Error(`the debian_base role's key task failed:\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** Logs in as the throwaway user with one private key only, trusting only the test's host key. */
function login(key: "A" | "B") {
  const result = spawnSync(requireTool("ssh"), [
    "-F", "/dev/null", "-i", join(work, `key${key}`), "-p", String(port),
    "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=yes",
    "-o", `UserKnownHostsFile=${join(work, "known_hosts")}`, "-o", "GlobalKnownHostsFile=/dev/null", "-o", "ConnectTimeout=5",
    `${USER}@127.0.0.1`, "echo", "logged in as", "$(id -un)",
  ], { encoding: "utf8", timeout: 30_000 });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr };
}

beforeAll(async () => {
  if (process.getuid?.() !== 0) throw new Error("this test adds a throwaway user and runs sshd: it needs root (CI runs as root)");
  for (const tool of ["ansible-playbook", "ssh", "ssh-keygen", "useradd", "userdel", SSHD]) requireTool(tool);
  work = mkdtempSync(join(tmpdir(), "botinfra-ssh-keys-"));
  chmodSync(work, 0o755);
  home = join(work, "home");
  for (const name of ["A", "B", "host"]) execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", `key ${name}`, "-f", join(work, `key${name}`)]);
  keys.A = readFileSync(join(work, "keyA.pub"), "utf8").trim();
  keys.B = readFileSync(join(work, "keyB.pub"), "utf8").trim();
  // "*": no password, yet not a locked account ("!"), which sshd refuses even with a key.
  execFileSync("useradd", ["--home-dir", home, "--create-home", "--shell", "/bin/sh", "--password", "*", USER]);
  userCreated = true;

  await configureKeys([keys.A]);
  port = await freePort();
  writeFileSync(join(work, "known_hosts"), `[127.0.0.1]:${port} ${readFileSync(join(work, "keyhost.pub"), "utf8")}`);
  const config = join(work, "sshd_config");
  writeFileSync(config, [
    // The role's hardening first, as Debian's sshd_config includes sshd_config.d first: the first value wins.
    `Include ${join(work, "00-botinfra.conf")}`,
    `ListenAddress 127.0.0.1:${port}`,
    `HostKey ${join(work, "keyhost")}`,
    `PidFile ${join(work, "sshd.pid")}`,
    "UsePAM no",
    "",
  ].join("\n"));
  const check = spawnSync(SSHD, ["-t", "-f", config], { encoding: "utf8" });
  if (check.status !== 0) throw new Error(`sshd -t refused the test's configuration (sshd needs /run/sshd: scripts/test-all.sh creates it):\n${check.stderr}`);
  sshd = spawn(SSHD, ["-D", "-e", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
  sshd.stderr!.resume();
  await waitForPort(port);
}, 120_000);

afterAll(async () => {
  if (sshd) await stopProcess(sshd);
  if (userCreated) execFileSync("userdel", ["--force", USER]);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("SSH key rotation: a spec change plus configure, against the real sshd", () => {
  it("writes exactly the spec's key into the administrator's authorized_keys", () => {
    expect(readFileSync(join(home, ".ssh", "authorized_keys"), "utf8")).toBe(`${keys.A}\n`);
    expect(readFileSync(join(work, "00-botinfra.conf"), "utf8")).toMatch(new RegExp(`^AllowUsers ${USER}$`, "m"));
  });

  it("lets the administrator in with key A, and not with key B", () => {
    expect(login("A")).toMatchObject({ status: 0, stdout: `logged in as ${USER}` });
    const refused = login("B");
    expect(refused.status).toBe(255);
    expect(refused.stderr).toContain("Permission denied (publickey)");
  });

  it("after the spec changes to key B only and the task runs again, refuses key A and lets key B in", async () => {
    const result = await configureKeys([keys.B]);
    expect(result.stdout).toMatch(/changed=1/);
    const refused = login("A");
    expect(refused.status).toBe(255);
    expect(refused.stderr).toContain("Permission denied (publickey)");
    expect(login("B")).toMatchObject({ status: 0, stdout: `logged in as ${USER}` });
    expect(readFileSync(join(home, ".ssh", "authorized_keys"), "utf8")).toBe(`${keys.B}\n`);
  });
});
