/**
 * Live servers for the real-tool tests, all on 127.0.0.1: free ports, waiting for a listener, the
 * proxy's nginx.conf rendered by the nginx_proxy role itself, and nginx run in the foreground.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { connect, createServer as createTcpServer } from "node:net";
import { join } from "node:path";
import { stringify } from "yaml";
import { parseRendered, runIn } from "./ansible.js";

export const NGINX = "/usr/sbin/nginx";
export const TIMEOUT_MS = 5_000;

/** Runs one role's tasks on the rendered inventory's host, locally, with the given overrides. */
export const ROLE_PLAYBOOK = (role: string, tasksFrom = "main.yml") => `---
- name: Run the ${role} role's ${tasksFrom} locally
  hosts: all
  connection: local
  gather_facts: false
  tasks:
    - name: Run ${tasksFrom}
      ansible.builtin.include_role:
        name: ${role}
        tasks_from: ${tasksFrom}
`;

/** A task of a rendered role, by name, exactly as its tasks file has it (blocks searched too). */
export function roleTask(project: string, role: string, file: string, name: string): Record<string, unknown> {
  const search = (tasks: Record<string, unknown>[]): Record<string, unknown> | undefined => {
    for (const task of tasks) {
      if (task.name === name) return task;
      const inner = Array.isArray(task.block) ? search(task.block as Record<string, unknown>[]) : undefined;
      if (inner) return inner;
    }
    return undefined;
  };
  const task = search(parseRendered(readFileSync(join(project, "roles", role, "tasks", file), "utf8")) as Record<string, unknown>[]);
  if (!task) throw new Error(`the ${role} role's ${file} has no task "${name}"`);
  return task;
}

/**
 * Writes tasks into the rendered role's tasks folder as `fileName`, so that they run with the role's
 * defaults, vars and templates (include_role tasks_from); returns the file name.
 */
export function writeRoleTasks(project: string, role: string, fileName: string, tasks: Record<string, unknown>[]): string {
  writeFileSync(join(project, "roles", role, "tasks", fileName), stringify(tasks));
  return fileName;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createTcpServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function waitForPort(port: number, deadline = Date.now() + TIMEOUT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve();
    });
    socket.once("error", () => {
      socket.destroy();
      if (Date.now() > deadline) reject(new Error(`nothing listens on 127.0.0.1:${port}`));
      else setTimeout(() => waitForPort(port, deadline).then(resolve, reject), 50);
    });
  });
}

/**
 * Runs a role's tasks through ansible-playbook in the rendered project, for one host, locally, with
 * the overrides as extra vars (written to `dir`); throws with Ansible's output when it fails.
 */
export async function runRole(project: string, dir: string, host: string, role: string, overrides: Record<string, unknown>, options: { tasksFrom?: string; env?: Record<string, string> } = {}) {
  const tasksFrom = options.tasksFrom ?? "main.yml";
  const playbook = join(dir, `${role}-${tasksFrom}`);
  const vars = join(dir, `${role}-overrides.json`);
  writeFileSync(playbook, ROLE_PLAYBOOK(role, tasksFrom));
  writeFileSync(vars, JSON.stringify(overrides));
  return runPlaybook(project, playbook, host, vars, options.env);
}

/** Runs a playbook of the rendered project (or any path) locally on one host with extra vars from a file. */
export async function runPlaybook(project: string, playbook: string, host: string, varsFile: string, env: Record<string, string> = {}) {
  return runIn(project, "ansible-playbook", ["-i", "inventory", playbook, "--limit", host, "-c", "local", "-e", `@${varsFile}`, "-e", "ansible_become=false"], env);
}

/** The nginx_proxy role's variables that put a test nginx in `dir`, on 127.0.0.1, with the given ports. */
export function localNginxVars(dir: string, httpPort: number, httpsPort: number) {
  return {
    nginx_proxy_manage_service: false,
    nginx_proxy_conf_path: join(dir, "nginx.conf"),
    nginx_proxy_pid_file: join(dir, "nginx.pid"),
    nginx_proxy_error_log: join(dir, "error.log"),
    nginx_proxy_access_log: join(dir, "access.log"),
    nginx_proxy_temp_dir: dir,
    nginx_proxy_listen_address: "127.0.0.1",
    nginx_proxy_http_port: httpPort,
    nginx_proxy_https_port: httpsPort,
    // The role's reload, for an nginx this test runs (none yet while the first configuration is rendered).
    nginx_proxy_reload_command: ["/bin/sh", "-c", `[ ! -s ${join(dir, "nginx.pid")} ] || exec ${NGINX} ${nginxArgs(dir).join(" ")} -s reload`],
  };
}

/** nginx's arguments for a configuration in `dir`: the prefix, the start-up log and the file. */
export function nginxArgs(dir: string): string[] {
  return ["-p", `${dir}/`, "-e", join(dir, "startup.log"), "-c", join(dir, "nginx.conf")];
}

/** Starts nginx in the foreground; resolves once it listens on `port`, rejects if it exits first. */
export function startNginx(dir: string, port: number): Promise<ChildProcess> {
  const child = spawn(NGINX, [...nginxArgs(dir), "-g", "daemon off;"], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return Promise.race([
    waitForPort(port).then(() => child),
    new Promise<ChildProcess>((_, reject) => child.once("exit", (code) => reject(new Error(`nginx exited with ${code}: ${stderr}`)))),
  ]);
}

/** Ends a process this test started: `signal` (SIGTERM by default), then SIGKILL if it lingers. */
export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill(signal);
  });
}
