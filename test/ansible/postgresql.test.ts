/**
 * The postgresql role, run for real as far as a machine without systemd allows: the sample tenant's db
 * tier (acme production) is rendered by the real renderer; the role's own config tasks (botinfra.conf,
 * pg_hba.conf) run through ansible-playbook with a local connection into two temporary clusters; the
 * primary starts with that configuration, the role's own task creates the replication role, and the
 * role's own pg_basebackup task (read from standby.yml, run by Ansible as the postgres user) clones the
 * standby, which then streams from the primary.
 *
 * Both servers live in one network namespace of their own whose loopback carries the tier's planned
 * addresses, so pg_hba.conf is checked against the addresses it names: the primary sees the standby at
 * its own address (a local route gives that source to every connection to the primary's address), and a
 * connection made to another address on the loopback comes from that address (a proxy's, a management
 * one). The names resolve through a hosts file written from the rendered inventory (Azure's private DNS
 * answers them on the real servers).
 *
 * What cannot run here, named: systemd (the role's start, stop and restart of postgresql@15-main: the
 * test starts `postgres` itself, as the postgres user, in the foreground); Debian's pg_createcluster and
 * pg_dropcluster (the test runs initdb for the primary and writes the postgresql.conf that points at the
 * role's files, as pg_createcluster would; the standby's empty cluster, which standby.yml removes before
 * cloning, is never made); the data disk's mount (the clusters live in a temporary folder); and the two
 * servers share one network namespace, so the standby listens on another port than the rendered one.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Platform } from "../../model/platform.js";
import { parseRendered, plannedFor, renderToTemp, requireTool, runIn, samplePlatforms } from "../support/ansible.js";
import { ROLE_PLAYBOOK, roleTask, runRole, stopProcess, TIMEOUT_MS, writeRoleTasks } from "../support/live.js";

const platform = samplePlatforms().find((candidate) => candidate.tenant === "acme") as Platform;
const environment = platform.environments.find((candidate) => candidate.name === "production")!;
const tier = environment.tiers.find((candidate) => candidate.software?.role === "postgresql")!;
const PASSWORD = "replication 'secret' $with spaces";
const STANDBY_PORT_HERE = 5433;
const MANAGEMENT_ADDRESS = "203.0.113.10";

interface InventoryHost {
  name: string;
  address: string;
  dnsName: string;
}

interface Server {
  host: InventoryHost;
  etc: string;
  data: string;
  process?: ChildProcess;
}

let work = "";
let project = "";
let bin = "";
let postgresUser = { uid: 0, gid: 0 };
let namespace: ChildProcess | undefined;
let primary: Server;
let standby: Server;
let proxyAddress = "";

/** Debian's PostgreSQL binaries, whichever major version the package installed. */
function postgresBinaries(): string {
  const root = "/usr/lib/postgresql";
  let versions: string[] = [];
  try {
    versions = readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
  } catch {
    // no PostgreSQL at all
  }
  if (versions.length === 0) throw new Error(`${root}/*/bin is missing: install the Debian package postgresql (scripts/test-all.sh does)`);
  return join(root, versions[0]!, "bin");
}

/** The hosts of an inventory group, as rendered (hosts.yml), wherever the group sits in the tree. */
function inventoryGroup(group: string): InventoryHost[] {
  const find = (node: unknown): Record<string, Record<string, string>> | undefined => {
    if (node === null || typeof node !== "object") return undefined;
    for (const [key, value] of Object.entries(node)) {
      if (key === group) return (value as { hosts: Record<string, Record<string, string>> }).hosts;
      const found = find(value);
      if (found) return found;
    }
    return undefined;
  };
  const hosts = find(parseRendered(readFileSync(join(project, "inventory", "hosts.yml"), "utf8")));
  if (!hosts) throw new Error(`no group ${group} in the rendered inventory`);
  return Object.entries(hosts).map(([name, vars]) => ({ name, address: vars.botinfra_private_ip!, dnsName: vars.botinfra_dns_name! }));
}

/** Runs one of the role's own tasks, unchanged (its become to postgres included), for one host inside the namespace. */
async function runRoleTask(host: InventoryHost, file: string, name: string, overrides: Record<string, unknown>) {
  const tasksFile = writeRoleTasks(project, "postgresql", `test-${host.name}.yml`, [roleTask(project, "postgresql", file, name)]);
  const playbook = join(work, `${host.name}-playbook.yml`);
  const vars = join(work, `${host.name}-vars.json`);
  writeFileSync(playbook, ROLE_PLAYBOOK("postgresql", tasksFile));
  writeFileSync(vars, JSON.stringify(overrides));
  return runIn(project, "nsenter", [...inNamespace(), `--wd=${project}`, "ansible-playbook", "-i", "inventory", playbook, "--limit", host.name, "-c", "local", "-e", `@${vars}`], {
    BOTINFRA_SECRET_POSTGRESQL_REPLICATION_PASSWORD: PASSWORD,
  });
}

const inNamespace = () => ["-t", String(namespace!.pid), "-n", "-m"];
const asPostgres = () => [...inNamespace(), "-S", String(postgresUser.uid), "-G", String(postgresUser.gid)];

/**
 * A network and mount namespace of the test's own: the tier's and the outsiders' addresses on its loopback,
 * connections to the primary's address coming from the standby's, the hosts file, and an empty socket folder.
 */
function startNamespace(hostsFile: string): Promise<ChildProcess> {
  const addresses = [primary.host.address, standby.host.address, proxyAddress, MANAGEMENT_ADDRESS];
  const script = [
    "set -e",
    "ip link set lo up",
    ...addresses.map((address) => `ip addr add ${address}/32 dev lo`),
    `ip route replace local ${primary.host.address} dev lo table local proto kernel scope host src ${standby.host.address}`,
    `mount --bind ${hostsFile} /etc/hosts`,
    "mount -t tmpfs -o mode=2775 tmpfs /run/postgresql",
    "chown postgres:postgres /run/postgresql",
    "echo ready",
    "exec sleep infinity",
  ].join("\n");
  const child = spawn(requireTool("unshare"), ["-nm", "sh", "-c", script], { stdio: ["ignore", "pipe", "pipe"], env: { PATH: `/usr/sbin:/sbin:${process.env.PATH ?? ""}` } });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.once("data", () => resolve(child));
    child.once("exit", (code) => reject(new Error(`the network namespace did not start (${code}): ${stderr}`)));
  });
}

/** Starts a server's postgres in the foreground, as the postgres user, in the namespace; resolves once it accepts connections. */
function startPostgres(server: Server, extraArgs: string[] = []): Promise<void> {
  const child = spawn(requireTool("nsenter"), [...asPostgres(), join(bin, "postgres"), "-D", server.etc, ...extraArgs], { stdio: ["ignore", "ignore", "pipe"] });
  server.process = child;
  let log = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`postgres did not become ready:\n${log}`)), 4 * TIMEOUT_MS);
    child.stderr!.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      if (/database system is ready to accept/.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`postgres exited with ${code}:\n${log}`));
    });
  });
}

/** Ends a postgres this test started: SIGINT is its fast shutdown. */
function stopPostgres(server: Server | undefined): Promise<void> {
  return server?.process ? stopProcess(server.process, "SIGINT") : Promise.resolve();
}

/** psql as the postgres user over the local socket (peer, as the rendered pg_hba.conf allows), or with a connection string. */
async function psql(target: { port: number } | { conninfo: string }, sql: string) {
  const connection = "port" in target ? ["-p", String(target.port), "-d", "postgres"] : ["-d", target.conninfo];
  const result = await execa(requireTool("nsenter"), [...asPostgres(), join(bin, "psql"), "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", ...connection, "-c", sql], {
    reject: false,
    timeout: 30_000,
    env: { PGCONNECT_TIMEOUT: "5" },
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout).trim(), stderr: String(result.stderr) };
}

/** A connection made to `address` on the namespace's loopback: it comes from `address` too. */
const from = (address: string, user: string, options = "") => ({ conninfo: `host=${address} port=${tier.port} user=${user} password='${PASSWORD.replace(/'/g, "\\'")}' ${options}`.trim() });

/** Writes what pg_createcluster would: a postgresql.conf that reads the role's pg_hba.conf and conf.d, for a data folder. */
function writeClusterConf(server: Server) {
  writeFileSync(join(server.etc, "postgresql.conf"), [
    `data_directory = '${server.data}'`,
    `hba_file = '${join(server.etc, "pg_hba.conf")}'`,
    "unix_socket_directories = '/run/postgresql'",
    "include_dir = 'conf.d'",
    "",
  ].join("\n"));
}

function makeServer(host: InventoryHost): Server {
  const server = { host, etc: join(work, host.name, "etc"), data: join(work, host.name, "data") };
  mkdirSync(join(server.etc, "conf.d"), { recursive: true });
  for (const dir of [join(work, host.name), server.etc, join(server.etc, "conf.d")]) chownSync(dir, postgresUser.uid, postgresUser.gid);
  return server;
}

beforeAll(async () => {
  if (process.getuid?.() !== 0) throw new Error("this test runs PostgreSQL as the postgres user in a network namespace of its own: it needs root (CI runs as root)");
  for (const tool of ["ansible-playbook", "unshare", "nsenter", "ip", "sudo"]) requireTool(tool);
  bin = postgresBinaries();
  postgresUser = { uid: Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" })), gid: Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" })) };
  work = mkdtempSync(join(tmpdir(), "botinfra-postgresql-"));
  execFileSync("chmod", ["755", work]);
  project = renderToTemp(platform, plannedFor(platform, [environment]));
  const [first, second] = inventoryGroup(`${tier.name}_${environment.name}`);
  proxyAddress = inventoryGroup(`proxy_${environment.name}`)[0]!.address;
  primary = makeServer(first!);
  standby = makeServer(second!);

  // The role's own config tasks, for each server, into its configuration folder.
  for (const server of [primary, standby]) {
    const result = await runRole(project, work, server.host.name, "postgresql", { postgresql_manage_service: false, __postgresql_conf_dir: server.etc }, { tasksFrom: "config.yml" });
    if (result.exitCode !== 0) throw new Error(`the postgresql role's config.yml failed for ${server.host.name}:\n${result.stdout}\n${result.stderr}`);
    writeClusterConf(server);
  }
  execFileSync(join(bin, "initdb"), ["-D", primary.data, "-U", "postgres", "--auth-local=peer", "--auth-host=scram-sha-256"], { uid: postgresUser.uid, gid: postgresUser.gid, stdio: "ignore", timeout: 60_000 });

  const hostsFile = join(work, "hosts");
  writeFileSync(hostsFile, `127.0.0.1 localhost ${hostname()}\n${[primary, standby].map((server) => `${server.host.address} ${server.host.dnsName}`).join("\n")}\n`);
  namespace = await startNamespace(hostsFile);
  await startPostgres(primary);
}, 120_000);

afterAll(async () => {
  await stopPostgres(standby);
  await stopPostgres(primary);
  if (namespace && namespace.exitCode === null) namespace.kill("SIGKILL");
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the postgresql role: a primary and a hot standby, for real", () => {
  it("renders the tier's port and addresses into the configuration the primary runs with", () => {
    expect(readFileSync(join(primary.etc, "conf.d", "botinfra.conf"), "utf8")).toMatch(new RegExp(`^port = ${tier.port}$[\\s\\S]*^wal_level = replica$`, "m"));
    const hba = readFileSync(join(primary.etc, "pg_hba.conf"), "utf8");
    expect(hba).toMatch(new RegExp(`^host +replication +replicator +${tier.subnet!.cidr.replace(/\./g, "\\.")} +scram-sha-256$`, "m"));
    expect(hba).toMatch(new RegExp(`^host +all +all +${environment.cidr.replace(/\./g, "\\.")} +scram-sha-256$`, "m"));
  });

  it("creates the replication role with the role's own task, as the postgres user", async () => {
    const result = await runRoleTask(primary.host, "main.yml", "Create the replication role on the primary", {});
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/changed=1/);
    expect(result.stdout).not.toContain("secret");
    expect(await psql({ port: tier.port }, "SELECT rolreplication AND rolcanlogin FROM pg_roles WHERE rolname = 'replicator'")).toMatchObject({ exitCode: 0, stdout: "t" });
  });

  it("clones the standby with the role's own pg_basebackup task, and the standby streams from the primary", async () => {
    const task = roleTask(project, "postgresql", "standby.yml", "Copy the primary's data and follow it (pg_basebackup)");
    expect((task["ansible.builtin.command"] as { argv: string[] }).argv[0]).toBe("pg_basebackup");
    const result = await runRoleTask(standby.host, "standby.yml", task.name as string, { postgresql_data_dir: standby.data });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    // pg_basebackup --write-recovery-conf: the standby follows the primary by its name and the rendered port.
    expect(readFileSync(join(standby.data, "postgresql.auto.conf"), "utf8")).toContain(`host=''${primary.host.dnsName}'' port=${tier.port} `);
    expect(readdirSync(standby.data)).toContain("standby.signal");

    await startPostgres(standby, ["-p", String(STANDBY_PORT_HERE)]);
    const deadline = Date.now() + 4 * TIMEOUT_MS;
    let streaming = await psql({ port: tier.port }, "SELECT host(client_addr) || ' ' || state FROM pg_stat_replication");
    while (streaming.stdout !== `${standby.host.address} streaming` && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      streaming = await psql({ port: tier.port }, "SELECT host(client_addr) || ' ' || state FROM pg_stat_replication");
    }
    expect(streaming.stdout).toBe(`${standby.host.address} streaming`);
  });

  it("shows on the standby a row written on the primary", async () => {
    expect(await psql({ port: tier.port }, "CREATE TABLE messages (body text); INSERT INTO messages VALUES ('written on the primary')")).toMatchObject({ exitCode: 0 });
    const deadline = Date.now() + 4 * TIMEOUT_MS;
    let read = await psql({ port: STANDBY_PORT_HERE }, "SELECT body FROM messages");
    while (read.stdout !== "written on the primary" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      read = await psql({ port: STANDBY_PORT_HERE }, "SELECT body FROM messages");
    }
    expect(read).toMatchObject({ exitCode: 0, stdout: "written on the primary" });
  });

  it("keeps the standby read-only: in recovery, it refuses a write", async () => {
    expect(await psql({ port: STANDBY_PORT_HERE }, "SELECT pg_is_in_recovery()")).toMatchObject({ exitCode: 0, stdout: "t" });
    const write = await psql({ port: STANDBY_PORT_HERE }, "INSERT INTO messages VALUES ('written on the standby')");
    expect(write.exitCode).not.toBe(0);
    expect(write.stderr).toContain("cannot execute INSERT in a read-only transaction");
  });

  it("admits replication from the tier's subnet only, clients from the environment only, as pg_hba.conf is rendered", async () => {
    const replication = "replication=true dbname=replication";
    // From the standby's address (the tier's subnet): replication is admitted.
    expect(await psql(from(primary.host.address, "replicator", replication), "IDENTIFY_SYSTEM")).toMatchObject({ exitCode: 0 });
    // From a proxy (the environment, not the tier): a client may log in, replication is refused.
    expect(await psql(from(proxyAddress, "replicator", "dbname=postgres"), "SELECT inet_client_addr()")).toMatchObject({ exitCode: 0, stdout: proxyAddress });
    const proxyReplication = await psql(from(proxyAddress, "replicator", replication), "IDENTIFY_SYSTEM");
    expect(proxyReplication.exitCode).not.toBe(0);
    expect(proxyReplication.stderr).toContain(`no pg_hba.conf entry for replication connection from host "${proxyAddress}", user "replicator"`);
    // From the management range (outside the environment): nothing is admitted.
    const outsider = await psql(from(MANAGEMENT_ADDRESS, "replicator", "dbname=postgres"), "SELECT 1");
    expect(outsider.exitCode).not.toBe(0);
    expect(outsider.stderr).toContain(`no pg_hba.conf entry for host "${MANAGEMENT_ADDRESS}", user "replicator"`);
  });
});
