/**
 * The proxy role, proven live: its nginx.conf is rendered by Ansible itself (a local run of the role's
 * template task with the rendered inventory), checked with `nginx -t`, and served by the Debian nginx
 * on 127.0.0.1 in front of stub upstreams that stand in for the tiers' load balancers. Only listen
 * ports, upstream addresses and file locations are overridden, through the role's variables.
 */
import { execFileSync, type ChildProcess } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Environment, Platform } from "../../model/platform.js";
import { parseRendered, plannedFor, renderToTemp, requireTool, samplePlatforms } from "../support/ansible.js";
import { freePort, localNginxVars, NGINX, nginxArgs, runRole, startNginx, stopProcess, TIMEOUT_MS } from "../support/live.js";

interface Upstream {
  name: string;
  environment: string;
  tier: string;
  servers: string[];
}

interface Proxy {
  platform: Platform;
  environment: Environment;
  dir: string;
  conf: string;
  httpPort: number;
  httpsPort: number;
  nginx?: ChildProcess;
}

const cases = samplePlatforms().flatMap((platform) =>
  platform.environments.filter((environment) => environment.routes.length > 0).map((environment) => ({ platform, environment })),
);
const proxies = new Map<string, Proxy>();
const stubs: Server[] = [];
/** Upgraded sockets are no longer the HTTP server's to close: afterAll ends them. */
const upgraded = new Set<Socket>();
let certificate = "";

/** A tier's load balancer stand-in: says who it is and what it was sent; echoes on an upgraded socket. */
function startStub(identity: string): Promise<number> {
  const server = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ upstream: identity, host: req.headers.host, proto: req.headers["x-forwarded-proto"], path: req.url }));
  });
  server.on("upgrade", (req, socket: Socket) => {
    upgraded.add(socket);
    socket.on("close", () => upgraded.delete(socket));
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: ${String(req.headers.upgrade)}\r\nConnection: Upgrade\r\n\r\n`);
    socket.on("data", (data: Buffer) => socket.write(`${identity}:${data.toString()}`));
  });
  stubs.push(server);
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
}

type Answer = { status: number; headers: IncomingHttpHeaders; body: string } | { error: string };

/** One request to 127.0.0.1 with the given Host (and, over TLS, SNI); an error instead of a response is an answer too. */
function ask(port: number, options: { host: string; tls: boolean; sni?: string; path?: string }): Promise<Answer> {
  return new Promise((resolve) => {
    const common = { host: "127.0.0.1", port, path: options.path ?? "/", headers: { host: options.host }, agent: false, timeout: TIMEOUT_MS };
    const req = options.tls
      ? httpsRequest({ ...common, servername: options.sni ?? options.host, ca: certificate })
      : httpRequest(common);
    req.on("response", (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", (error: NodeJS.ErrnoException) => resolve({ error: `${error.code ?? ""} ${error.message}`.trim() }));
    req.end();
  });
}

async function prepare(platform: Platform, environment: Environment, project: string, work: string): Promise<Proxy> {
  const dir = join(work, `${platform.tenant}-${environment.name}`);
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  const rendered = parseRendered(readFileSync(join(project, "inventory", "group_vars", `proxy_${environment.name}.yml`), "utf8")) as {
    nginx_proxy_upstreams: Upstream[];
  };
  const upstreams = await Promise.all(
    rendered.nginx_proxy_upstreams.map(async (upstream) => ({ ...upstream, servers: [`127.0.0.1:${await startStub(`${upstream.environment}/${upstream.tier}`)}`] })),
  );
  const proxy: Proxy = { platform, environment, dir, conf: join(dir, "nginx.conf"), httpPort: await freePort(), httpsPort: await freePort() };
  const overrides = {
    ...localNginxVars(dir, proxy.httpPort, proxy.httpsPort),
    nginx_proxy_tls_certificate: join(work, "cert.pem"),
    nginx_proxy_tls_certificate_key: join(work, "key.pem"),
    nginx_proxy_upstreams: upstreams,
  };
  const result = await runRole(project, dir, environment.proxy.hosts[0]!.name, "nginx_proxy", overrides, { tasksFrom: "config.yml" });
  if (result.exitCode !== 0) throw new Error(`rendering ${environment.name}'s nginx.conf through Ansible failed (${result.exitCode}):\n${result.stdout}\n${result.stderr}`);
  return proxy;
}

beforeAll(async () => {
  requireTool("ansible-playbook");
  requireTool("openssl");
  requireTool(NGINX);
  const work = mkdtempSync(join(tmpdir(), "botinfra-nginx-"));
  chmodSync(work, 0o755);
  const names = [...new Set(cases.flatMap(({ platform, environment }) => [platform.domain, `*.${platform.domain}`, environment.publicHost, ...environment.routes.map((route) => route.host)]))];
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=botinfra test",
    "-keyout", join(work, "key.pem"), "-out", join(work, "cert.pem"), "-addext", `subjectAltName=${names.map((name) => `DNS:${name}`).join(",")}`,
  ], { stdio: "ignore", timeout: 30_000 });
  certificate = readFileSync(join(work, "cert.pem"), "utf8");
  const projects = new Map(samplePlatforms().map((platform) => [platform.tenant, renderToTemp(platform, plannedFor(platform))]));
  const prepared = await Promise.all(cases.map(({ platform, environment }) => prepare(platform, environment, projects.get(platform.tenant)!, work)));
  for (const proxy of prepared) proxies.set(`${proxy.platform.tenant}/${proxy.environment.name}`, proxy);
  await Promise.all(prepared.map(async (proxy) => (proxy.nginx = await startNginx(proxy.dir, proxy.httpsPort))));
});

afterAll(async () => {
  await Promise.all([...proxies.values()].flatMap((proxy) => (proxy.nginx ? [stopProcess(proxy.nginx)] : [])));
  for (const socket of upgraded) socket.destroy();
  await Promise.all(
    stubs.map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
});

describe.each(cases.map(({ platform, environment }) => [`${platform.tenant}/${environment.name}`] as [string]))("the %s proxy", (key) => {
  const proxy = () => proxies.get(key)!;

  it("is rendered by Ansible, passes nginx -t, and keeps long-lived sockets open", () => {
    const { conf, dir } = proxy();
    const check = (() => {
      try {
        return execFileSync(NGINX, ["-t", ...nginxArgs(dir)], { encoding: "utf8", stdio: "pipe", timeout: TIMEOUT_MS });
      } catch (error) {
        throw new Error(`nginx -t failed: ${String((error as { stderr?: string }).stderr)}`);
      }
    })();
    expect(check).toBe("");
    const text = readFileSync(conf, "utf8");
    expect(text).toContain("proxy_read_timeout 3600s;");
    expect(text).toContain("proxy_set_header Upgrade $http_upgrade;");
    expect(text).toContain("ssl_reject_handshake on;");
    // 10,000 idle WebSockets per proxy, even on one CPU (one worker): two connections each, and room to spare.
    const workerConnections = Number(/worker_connections (\d+);/.exec(text)?.[1]);
    expect(workerConnections).toBeGreaterThanOrEqual(2 * 10_000 * 1.5);
    expect(Number(/worker_rlimit_nofile (\d+);/.exec(text)?.[1])).toBeGreaterThanOrEqual(2 * workerConnections);
  });

  it("routes each of its host names, by SNI and Host, to the right environment's tier over TLS", async () => {
    const { environment, httpsPort } = proxy();
    for (const route of environment.routes) {
      const answer = await ask(httpsPort, { host: route.host, tls: true, path: "/hello?x=1" });
      expect(answer, route.host).toMatchObject({ status: 200 });
      expect(JSON.parse((answer as { body: string }).body)).toEqual({ upstream: `${environment.name}/${route.tier}`, host: route.host, proto: "https", path: "/hello?x=1" });
      expect((answer as { headers: IncomingHttpHeaders }).headers["strict-transport-security"]).toMatch(/max-age=\d+/);
    }
  });

  it("redirects plain HTTP to HTTPS for its host names", async () => {
    const { environment, httpPort } = proxy();
    for (const route of environment.routes) {
      const answer = await ask(httpPort, { host: route.host, tls: false, path: "/a/b" });
      expect(answer, route.host).toMatchObject({ status: 301, headers: { location: `https://${route.host}/a/b` } });
    }
  });

  it("refuses unknown host names, and other environments', with no answer", async () => {
    const { platform, environment, httpPort, httpsPort } = proxy();
    const known = environment.routes[0]!.host;
    const others = platform.environments.filter((other) => other !== environment).flatMap((other) => other.routes.map((route) => route.host));
    for (const host of ["unknown.example.org", ...others]) {
      const sni = await ask(httpsPort, { host, tls: true });
      expect(sni, `SNI ${host}`).toHaveProperty("error");
      expect((sni as { error: string }).error, `SNI ${host}`).toMatch(/unrecognized name/i);
      expect(await ask(httpsPort, { host, sni: known, tls: true }), `Host ${host} after SNI ${known}`).toEqual({ error: "ECONNRESET socket hang up" });
      expect(await ask(httpPort, { host, tls: false }), `plain Host ${host}`).toEqual({ error: "ECONNRESET socket hang up" });
    }
  });

  it("passes a WebSocket upgrade through to the tier and back", async () => {
    const { environment, httpsPort } = proxy();
    const route = environment.routes[0]!;
    const echoed = await new Promise<string>((resolve, reject) => {
      const req = httpsRequest({
        host: "127.0.0.1",
        port: httpsPort,
        servername: route.host,
        ca: certificate,
        agent: false,
        timeout: TIMEOUT_MS,
        headers: { host: route.host, connection: "Upgrade", upgrade: "websocket" },
      });
      req.on("upgrade", (res, socket) => {
        expect(res.statusCode).toBe(101);
        socket.once("data", (data: Buffer) => {
          socket.destroy();
          resolve(data.toString());
        });
        socket.write("ping");
      });
      req.on("response", (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
      req.on("timeout", () => req.destroy(new Error("timed out")));
      req.on("error", reject);
      req.end();
    });
    expect(echoed).toBe(`${environment.name}/${route.tier}:ping`);
  });
});
