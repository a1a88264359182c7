#!/usr/bin/env node
// Idle WebSockets through the rendered proxy: `npm run bench:websockets` (after `npm run build`).
// Renders the sample tenant's development proxy with the nginx_proxy role itself (ansible-playbook,
// local), starts that nginx and the sample bot (test/fixtures/echo-bot) on 127.0.0.1, opens
// BENCH_SOCKETS (10,000) WebSockets over TLS through the proxy, keeps them idle for BENCH_IDLE_SECONDS
// (60) while echoing on a sample of them every second, and reports nginx's memory per connection, the
// echo latency percentiles and every connection lost. Needs ansible-playbook, openssl and nginx.
// Only loopback addresses. File descriptor limits: each socket is one file here and in the bot, two
// in nginx; the bench re-runs itself with the soft limit raised to the hard one, and says what it got.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 10_000);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
const SAMPLE = Number(process.env.BENCH_SAMPLE ?? 100);
const OPEN_CONCURRENCY = 200;
const NGINX = "/usr/sbin/nginx";

/** Re-runs this script under `sh -c 'ulimit -n <hard>'` when the soft limit is too low for the sockets. */
function ensureFileLimit() {
  const limit = (flag) => spawnSync("sh", ["-c", `ulimit ${flag}`], { encoding: "utf8" }).stdout.trim();
  const soft = limit("-Sn");
  const hard = limit("-Hn");
  const needed = SOCKETS + 1000;
  if (process.env.BENCH_LIMIT_RAISED || soft === "unlimited" || Number(soft) >= needed) return { soft, hard };
  if (hard !== "unlimited" && Number(hard) < needed) console.error(`warning: the hard open-files limit is ${hard}, below the ${needed} this run needs`);
  const result = spawnSync("sh", ["-c", `ulimit -Sn ${hard} && exec "$0" "$@"`, process.execPath, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, BENCH_LIMIT_RAISED: "1" },
  });
  process.exit(result.status ?? 1);
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function waitForPort(port, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/`);
      socket.once("open", () => socket.terminate());
      socket.once("close", () => resolve());
      socket.once("error", () => (Date.now() > deadline ? reject(new Error(`nothing on ${port}`)) : setTimeout(attempt, 100)));
    };
    attempt();
  });
}

/** Resident memory (kB) of a process and all its descendants, from /proc. */
function treeRssKb(rootPid) {
  const parents = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, "utf8");
      parents.set(Number(entry), { ppid: Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]), rss: Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0) });
    } catch {
      // the process ended meanwhile
    }
  }
  let total = 0;
  const walk = (pid) => {
    total += parents.get(pid)?.rss ?? 0;
    for (const [child, info] of parents) if (info.ppid === pid) walk(child);
  };
  walk(rootPid);
  return total;
}

function percentile(sorted, p) {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  const limits = ensureFileLimit();
  const work = mkdtempSync(join(tmpdir(), "botinfra-bench-ws-"));
  const project = join(work, "project");
  const proxyDir = join(work, "proxy");
  mkdirSync(proxyDir);
  console.error(`rendering the sample tenant's development project into ${project}`);
  execFileSync(process.execPath, [join(ROOT, "dist", "cli", "main.js"), "render", "--tenant", "acme", "--env", "development", "--out", project], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });

  const host = "development.acme.example.com";
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj", `/CN=${host}`,
    "-keyout", join(work, "key.pem"), "-out", join(work, "cert.pem"), "-addext", `subjectAltName=DNS:${host}`], { stdio: "ignore" });
  const appPort = await freePort();
  const httpsPort = await freePort();
  const vars = {
    nginx_proxy_manage_service: false,
    nginx_proxy_conf_path: join(proxyDir, "nginx.conf"),
    nginx_proxy_pid_file: join(proxyDir, "nginx.pid"),
    nginx_proxy_error_log: join(proxyDir, "error.log"),
    nginx_proxy_access_log: "off",
    nginx_proxy_temp_dir: proxyDir,
    nginx_proxy_listen_address: "127.0.0.1",
    nginx_proxy_http_port: await freePort(),
    nginx_proxy_https_port: httpsPort,
    nginx_proxy_tls_certificate: join(work, "cert.pem"),
    nginx_proxy_tls_certificate_key: join(work, "key.pem"),
    nginx_proxy_upstreams: [{ name: "development_front", environment: "development", tier: "front", servers: [`127.0.0.1:${appPort}`] }],
    nginx_proxy_routes: [{ host, upstream: "development_front" }],
    nginx_proxy_reload_command: ["true"],
  };
  writeFileSync(join(work, "vars.json"), JSON.stringify(vars));
  writeFileSync(join(work, "render.yml"), "---\n- name: Render nginx.conf\n  hosts: all\n  connection: local\n  gather_facts: false\n  tasks:\n    - name: Render\n      ansible.builtin.include_role:\n        name: nginx_proxy\n        tasks_from: config.yml\n");
  execFileSync("ansible-playbook", ["-i", "inventory", join(work, "render.yml"), "--limit", "acme-development-proxy-1", "-e", `@${join(work, "vars.json")}`], {
    cwd: project, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, ANSIBLE_CONFIG: join(project, "ansible.cfg") },
  });
  const conf = readFileSync(join(proxyDir, "nginx.conf"), "utf8");
  const workerConnections = Number(/worker_connections (\d+);/.exec(conf)[1]);
  const rlimit = Number(/worker_rlimit_nofile (\d+);/.exec(conf)[1]);

  const app = spawn(process.execPath, [join(ROOT, "test", "fixtures", "echo-bot", "index.js")], { env: { PORT: String(appPort), HOST: "127.0.0.1" }, stdio: "ignore" });
  const nginx = spawn(NGINX, ["-p", `${proxyDir}/`, "-e", join(proxyDir, "startup.log"), "-c", join(proxyDir, "nginx.conf"), "-g", "daemon off;"], { stdio: "ignore" });
  const stop = () => {
    for (const child of [app, nginx]) child.kill("SIGTERM");
  };
  process.on("exit", stop);
  await waitForPort(appPort);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const baselineKb = treeRssKb(nginx.pid);

  const options = { headers: { host }, servername: host, ca: readFileSync(join(work, "cert.pem")), handshakeTimeout: 30_000 };
  const sockets = [];
  let lost = 0;
  let failedToOpen = 0;
  const openOne = () =>
    new Promise((resolve) => {
      const socket = new WebSocket(`wss://127.0.0.1:${httpsPort}/chat`, options);
      socket.once("open", () => {
        socket.once("close", () => (lost += 1));
        sockets.push(socket);
        resolve();
      });
      socket.once("error", () => {
        failedToOpen += 1;
        resolve();
      });
    });
  const opening = Date.now();
  for (let next = 0; next < SOCKETS; ) {
    const batch = Math.min(OPEN_CONCURRENCY, SOCKETS - next);
    await Promise.all(Array.from({ length: batch }, openOne));
    next += batch;
    if (next % 2000 === 0) console.error(`${next} of ${SOCKETS} opened (${failedToOpen} failed)`);
  }
  const openSeconds = (Date.now() - opening) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const openKb = treeRssKb(nginx.pid);

  console.error(`${sockets.length} open; idle for ${IDLE_SECONDS} s, echoing on ${SAMPLE} of them every second`);
  const latencies = [];
  let echoFailures = 0;
  const echo = (socket, index) =>
    new Promise((resolve) => {
      if (socket.readyState !== WebSocket.OPEN) {
        echoFailures += 1;
        return resolve();
      }
      const start = process.hrtime.bigint();
      const timer = setTimeout(() => {
        echoFailures += 1;
        resolve();
      }, 5000);
      socket.once("message", () => {
        clearTimeout(timer);
        latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
        resolve();
      });
      socket.send(`ping ${index}`);
    });
  for (let second = 0; second < IDLE_SECONDS; second += 1) {
    const tick = Date.now();
    const sample = Array.from({ length: Math.min(SAMPLE, sockets.length) }, (_, i) => sockets[(second * SAMPLE + i * 97) % sockets.length]);
    await Promise.all(sample.map(echo));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (Date.now() - tick))));
  }
  const idleKb = treeRssKb(nginx.pid);
  const stillOpen = sockets.filter((socket) => socket.readyState === WebSocket.OPEN).length;
  for (const socket of sockets) socket.terminate();
  stop();

  latencies.sort((a, b) => a - b);
  const workers = spawnSync("nproc", { encoding: "utf8" }).stdout.trim();
  const report = {
    sockets: SOCKETS,
    opened: sockets.length,
    failedToOpen,
    openSeconds,
    idleSeconds: IDLE_SECONDS,
    stillOpenAfterIdle: stillOpen,
    lostDuringRun: lost,
    echoes: latencies.length,
    echoFailures,
    echoLatencyMs: { p50: percentile(latencies, 50), p90: percentile(latencies, 90), p99: percentile(latencies, 99), max: latencies.at(-1) },
    nginxRssKb: { baseline: baselineKb, open: openKb, afterIdle: idleKb },
    nginxKbPerConnection: Number(((idleKb - baselineKb) / Math.max(1, sockets.length)).toFixed(1)),
    limits: { openFilesSoft: limits.soft, openFilesHard: limits.hard, workerConnections, workerRlimitNofile: rlimit, workers: Number(workers), socketsPerWorkerCapacity: Math.floor(workerConnections / 2) },
  };
  console.log(JSON.stringify(report, null, 2));
  const nginxLog = readFileSync(join(proxyDir, "error.log"), "utf8").split("\n").filter((line) => /\[(alert|crit|emerg|error)\]/.test(line));
  if (nginxLog.length > 0) console.error(`nginx reported:\n${nginxLog.slice(0, 5).join("\n")}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
