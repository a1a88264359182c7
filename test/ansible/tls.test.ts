/**
 * The proxy's certificates and TLS, proven live on 127.0.0.1 with Debian's tools:
 * - Mozilla's "intermediate" profile, with openssl s_client against the rendered nginx: static RSA,
 *   CBC with SHA-1, CAMELLIA, ARIA, TLS 1.0 and 1.1 are refused; TLS 1.2 ECDHE-GCM and TLS 1.3 accepted;
 * - ACME: Debian's pebble (the ACME test server, with pebble-challtestsrv as its DNS) issues the
 *   certificate the rendered proxy role asks for with certbot over HTTP-01 through nginx's port 80;
 *   nginx then serves it for the route's host name, and a renewal reloads nginx with a new one;
 * - with several proxies, a challenge that reaches a proxy without the token is answered by its peer.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { get as httpsGet } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as tlsConnect, type PeerCertificate } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPlatform } from "../../model/platform.js";
import { plannedFor, renderToTemp, requireTool } from "../support/ansible.js";
import { freePort, localNginxVars, runRole, startNginx, stopProcess, TIMEOUT_MS, waitForPort } from "../support/live.js";
import { sampleSpec } from "../support/specs.js";

const spec = sampleSpec();
spec.tls = { acme: { email: "ops@acme.example.com" } };
const built = buildPlatform(spec);
if (!built.platform) throw new Error(JSON.stringify(built.issues));
const platform = built.platform;
const environment = platform.environments.find((candidate) => candidate.name === "development")!;
const proxyHost = environment.proxy.hosts[0]!.name;
const hostName = environment.routes[0]!.host;

let work = "";
let project = "";
let pebbleCa = "";
const ports = { pebble: 0, pebbleManagement: 0, dns: 0, challengeManagement: 0, http: 0, https: 0, peerHttp: 0, peerHttps: 0, upstream: 0 };
const children: ChildProcess[] = [];
let acmeVars: Record<string, unknown> = {};
let certbotDirs: string[] = [];

function openssl(args: string[]) {
  execFileSync("openssl", args, { stdio: "ignore", timeout: 30_000 });
}

function selfSigned(name: string, subjectAltName: string) {
  openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", `/CN=${name}`, "-keyout", join(work, `${name}.key`), "-out", join(work, `${name}.pem`), "-addext", `subjectAltName=${subjectAltName}`]);
}

function startChild(command: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(command, args, { stdio: "ignore", env: { ...process.env, ...env } });
  children.push(child);
  return child;
}

/** The certificate the proxy serves for a host name (SNI), and whether it chains to the given CA. */
function servedCertificate(port: number, servername: string, ca?: string): Promise<{ certificate: PeerCertificate; authorized: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: "127.0.0.1", port, servername, ...(ca ? { ca } : {}), rejectUnauthorized: false, timeout: TIMEOUT_MS }, () => {
      resolve({ certificate: socket.getPeerCertificate(), authorized: socket.authorized });
      socket.end();
    });
    socket.once("error", reject);
  });
}

function fetchPebble(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    httpsGet({ host: "127.0.0.1", port: ports.pebbleManagement, path, ca: pebbleCa, servername: "localhost", timeout: TIMEOUT_MS }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve(body));
    }).once("error", reject);
  });
}

function httpGet(port: number, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, headers: { host }, agent: false, timeout: TIMEOUT_MS }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.once("error", reject);
    req.end();
  });
}

/** openssl s_client against the proxy; true when the handshake succeeded with these options. */
function handshake(options: string[]): { accepted: boolean; output: string } {
  const result = spawnSync("openssl", ["s_client", "-connect", `127.0.0.1:${ports.https}`, "-servername", hostName, ...options], { input: "", encoding: "utf8", timeout: 15_000 });
  const output = `${result.stdout}${result.stderr}`;
  return { accepted: result.status === 0 && /Cipher is (?!\(NONE\))/.test(output), output };
}

beforeAll(async () => {
  for (const tool of ["ansible-playbook", "openssl", "certbot", "pebble", "pebble-challtestsrv"]) requireTool(tool);
  work = mkdtempSync(join(tmpdir(), "botinfra-tls-"));
  chmodSync(work, 0o755);
  for (const key of Object.keys(ports) as (keyof typeof ports)[]) ports[key] = await freePort();
  selfSigned("pebble", "DNS:localhost,IP:127.0.0.1");
  selfSigned("fallback", `DNS:${hostName}`);
  pebbleCa = readFileSync(join(work, "pebble.pem"), "utf8");

  startChild("pebble-challtestsrv", [
    "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "", "-dns01", `127.0.0.1:${ports.dns}`,
    "-http01", "", "-https01", "", "-tlsalpn01", "", "-management", `127.0.0.1:${ports.challengeManagement}`,
  ]);
  writeFileSync(join(work, "pebble.json"), JSON.stringify({
    pebble: {
      listenAddress: `127.0.0.1:${ports.pebble}`,
      managementListenAddress: `127.0.0.1:${ports.pebbleManagement}`,
      certificate: join(work, "pebble.pem"),
      privateKey: join(work, "pebble.key"),
      httpPort: ports.http,
      tlsPort: await freePort(),
      ocspResponderURL: "",
      externalAccountBindingRequired: false,
    },
  }));
  startChild("pebble", ["-config", join(work, "pebble.json"), "-dnsserver", `127.0.0.1:${ports.dns}`], { PEBBLE_VA_NOSLEEP: "1", PEBBLE_WFE_NONCEREJECT: "0" });

  // The tier behind the proxy: any answer will do, the certificate is what is tested.
  const upstream = startChild(process.execPath, ["-e", `require("node:http").createServer((q, s) => s.end("tier")).listen(${ports.upstream}, "127.0.0.1")`]);
  void upstream;

  project = renderToTemp(platform, plannedFor(platform, [environment]));
  const proxyDir = join(work, "proxy");
  mkdirSync(proxyDir);
  certbotDirs = ["config", "work", "logs"].map((name) => join(work, "certbot", name));
  acmeVars = {
    ...localNginxVars(proxyDir, ports.http, ports.https),
    nginx_proxy_tls_certificate: join(work, "fallback.pem"),
    nginx_proxy_tls_certificate_key: join(work, "fallback.key"),
    nginx_proxy_upstreams: [{ name: `${environment.name}_${environment.routes[0]!.tier}`, environment: environment.name, tier: environment.routes[0]!.tier, servers: [`127.0.0.1:${ports.upstream}`] }],
    nginx_proxy_routes: [{ host: hostName, upstream: `${environment.name}_${environment.routes[0]!.tier}` }],
    nginx_proxy_acme_directory: `https://127.0.0.1:${ports.pebble}/dir`,
    nginx_proxy_acme_webroot: join(work, "acme"),
    nginx_proxy_acme_config_dir: certbotDirs[0],
    nginx_proxy_acme_work_dir: certbotDirs[1],
    nginx_proxy_acme_logs_dir: certbotDirs[2],
    nginx_proxy_acme_environment: { REQUESTS_CA_BUNDLE: join(work, "pebble.pem") },
  };
  const first = await runRole(project, proxyDir, proxyHost, "nginx_proxy", acmeVars, { tasksFrom: "config.yml" });
  if (first.exitCode !== 0) throw new Error(`rendering nginx.conf failed:\n${first.stdout}\n${first.stderr}`);
  expect(first.stdout).toContain("serves the fallback certificate");
  children.push(await startNginx(proxyDir, ports.https));
  await Promise.all([waitForPort(ports.pebble), waitForPort(ports.dns).catch(() => undefined), waitForPort(ports.upstream)]);
}, 120_000);

afterAll(async () => {
  await Promise.all(children.map((child) => stopProcess(child)));
});

describe("the proxy's TLS follows Mozilla's intermediate profile (openssl s_client against the live nginx)", () => {
  it.each([
    ["static RSA key exchange", ["-tls1_2", "-cipher", "AES128-GCM-SHA256:@SECLEVEL=0"]],
    ["CBC with SHA-1", ["-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA:@SECLEVEL=0"]],
    ["CAMELLIA", ["-tls1_2", "-cipher", "CAMELLIA:@SECLEVEL=0"]],
    ["ARIA", ["-tls1_2", "-cipher", "ARIA:@SECLEVEL=0"]],
    ["TLS 1.1", ["-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"]],
    ["TLS 1.0", ["-tls1", "-cipher", "DEFAULT:@SECLEVEL=0"]],
  ])("refuses %s", (_what, options) => {
    expect(handshake(options).accepted).toBe(false);
  });

  it.each([
    ["TLS 1.2 with ECDHE and AES-GCM", ["-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"], "ECDHE-RSA-AES128-GCM-SHA256"],
    ["TLS 1.2 with ECDHE and ChaCha20-Poly1305", ["-tls1_2", "-cipher", "ECDHE-RSA-CHACHA20-POLY1305"], "ECDHE-RSA-CHACHA20-POLY1305"],
    ["TLS 1.3", ["-tls1_3"], "TLS_AES_256_GCM_SHA384"],
  ])("accepts %s", (_what, options, cipher) => {
    const result = handshake(options);
    expect(result.accepted, result.output).toBe(true);
    expect(result.output).toContain(`Cipher is ${cipher}`);
  });

  it("lists exactly TLS 1.2 and 1.3 and the ECDHE AEAD suites (the live refusals above would not see TLS 1.0 listed: no suite of it is left)", () => {
    const conf = readFileSync(join(work, "proxy", "nginx.conf"), "utf8");
    expect(conf.match(/^\s*ssl_protocols .*$/gm)?.map((line) => line.trim())).toEqual(["ssl_protocols TLSv1.2 TLSv1.3;"]);
    expect(conf.match(/^\s*ssl_ciphers .*$/gm)?.map((line) => line.trim())).toEqual([
      "ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;",
    ]);
    expect(conf).toContain("ssl_prefer_server_ciphers off;");
  });

  it("offers HTTP/2 and sends HSTS for two years", async () => {
    const result = handshake(["-alpn", "h2,http/1.1"]);
    expect(result.output).toContain("ALPN protocol: h2");
    const conf = readFileSync(join(work, "proxy", "nginx.conf"), "utf8");
    expect(conf).toContain('add_header Strict-Transport-Security "max-age=63072000" always;');
  });
});

describe("ACME with pebble: the rendered proxy role obtains, serves and renews a real certificate", () => {
  let issuedSerial = "";

  it("obtains a certificate for the route's host name over HTTP-01 through nginx, and nginx serves it", async () => {
    const result = await runRole(project, join(work, "proxy"), proxyHost, "nginx_proxy", acmeVars);
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(/Obtain the certificate for every public host name[^\n]*\*+\nchanged:/);
    const root = await fetchPebble("/roots/0");
    const served = await servedCertificate(ports.https, hostName, root);
    expect(served.certificate.subjectaltname).toContain(`DNS:${hostName}`);
    expect(served.certificate.issuer.CN).toMatch(/^Pebble Intermediate CA/);
    expect(served.authorized).toBe(true);
    issuedSerial = served.certificate.serialNumber;
    expect(readFileSync(join(work, "proxy", "nginx.conf"), "utf8")).toContain(join(certbotDirs[0]!, "live", "botinfra", "fullchain.pem"));
  });

  it("keeps the certificate on the next configure while it is not due", async () => {
    const result = await runRole(project, join(work, "proxy"), proxyHost, "nginx_proxy", acmeVars);
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/changed=0/);
    expect((await servedCertificate(ports.https, hostName)).certificate.serialNumber).toBe(issuedSerial);
  });

  it("renews with certbot's renewal (as its timer runs it), and the deploy hook reloads nginx with the new certificate", async () => {
    const renewal = spawnSync("certbot", [
      "renew", "--force-renewal", "--no-random-sleep-on-renew", "--non-interactive",
      `--config-dir=${certbotDirs[0]}`, `--work-dir=${certbotDirs[1]}`, `--logs-dir=${certbotDirs[2]}`,
    ], { encoding: "utf8", timeout: 60_000, env: { ...process.env, REQUESTS_CA_BUNDLE: join(work, "pebble.pem") } });
    expect(renewal.status, `${renewal.stdout}${renewal.stderr}`).toBe(0);
    const deadline = Date.now() + TIMEOUT_MS;
    let serial = issuedSerial;
    while (serial === issuedSerial && Date.now() < deadline) {
      serial = (await servedCertificate(ports.https, hostName)).certificate.serialNumber;
      if (serial === issuedSerial) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(serial).not.toBe(issuedSerial);
  });
});

describe("ACME challenges with several proxies", () => {
  it("answers a token another proxy holds by asking that peer, and never relays a peer's question again", async () => {
    const peerDir = join(work, "peer");
    mkdirSync(peerDir);
    const result = await runRole(project, peerDir, proxyHost, "nginx_proxy", {
      ...acmeVars,
      ...localNginxVars(peerDir, ports.peerHttp, ports.peerHttps),
      nginx_proxy_acme_webroot: join(work, "peer-acme"),
      nginx_proxy_acme_peers: [`127.0.0.1:${ports.http}`],
    }, { tasksFrom: "config.yml" });
    expect(result.exitCode, result.stdout).toBe(0);
    children.push(await startNginx(peerDir, ports.peerHttps));
    const tokens = join(work, "acme", ".well-known", "acme-challenge");
    mkdirSync(tokens, { recursive: true });
    writeFileSync(join(tokens, "token-on-the-other-proxy"), "token-on-the-other-proxy.thumbprint");

    expect(await httpGet(ports.peerHttp, "/.well-known/acme-challenge/token-on-the-other-proxy", hostName)).toEqual({ status: 200, body: "token-on-the-other-proxy.thumbprint" });
    expect((await httpGet(ports.peerHttp, "/.well-known/acme-challenge/no-such-token", hostName)).status).toBe(404);
    expect((await httpGet(ports.peerHttp, "/anything", hostName)).status).toBe(301);
  });
});
