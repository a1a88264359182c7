/** The spec's software and TLS fields: what each tier runs and where certificates come from, and the refusals. */
import { describe, expect, it } from "vitest";
import { parseTenantText } from "../../model/tenant-text.js";
import type { Platform } from "../../model/platform.js";
import { LETS_ENCRYPT_DIRECTORY } from "../../model/software.js";
import type { TenantSpec } from "../../model/spec.js";
import { sampleSpec, specRefusal, toYaml } from "../support/specs.js";

type Spec = TenantSpec & Record<string, unknown>;

function platformOf(mutate: (spec: Spec) => void): Platform {
  const spec = sampleSpec() as Spec;
  mutate(spec);
  return parseTenantText(toYaml(spec), "t.yaml").platform;
}

const errorsOf = (mutate: (spec: Spec) => void): string => specRefusal(mutate);

const tier = (spec: TenantSpec, name: string, environment = "production") => spec.environments[environment]!.tiers[name]! as Record<string, unknown>;
const software = (platform: Platform, name: string, environment = "production") =>
  platform.environments.find((candidate) => candidate.name === environment)!.tiers.find((candidate) => candidate.name === name)!.software;

describe("what each tier runs", () => {
  it("runs node_app with no code by default on a tier that is not stateful", () => {
    const platform = platformOf((spec) => delete tier(spec, "nlp").app);
    expect(software(platform, "nlp")).toEqual({ role: "node_app", overlayRole: false, app: { script: "index.js", env: {}, secrets: [] } });
  });

  it("takes a git repository and ref, or a tarball and its checksum, with the script, env and secret names", () => {
    const platform = platformOf((spec) => {
      tier(spec, "front").app = { repo: "https://git.example.com/bots/front.git", ref: "v1.2.0", script: "dist/server.js", env: { LOG_LEVEL: "info" }, secrets: ["BOT_TOKEN"] };
      tier(spec, "api").app = { tarball: "https://releases.example.com/api-1.0.0.tgz", sha256: "a".repeat(64) };
    });
    expect(software(platform, "front")!.app).toEqual({
      source: { kind: "git", repo: "https://git.example.com/bots/front.git", ref: "v1.2.0" },
      script: "dist/server.js",
      env: { LOG_LEVEL: "info" },
      secrets: ["BOT_TOKEN"],
    });
    expect(software(platform, "api")!.app!.source).toEqual({ kind: "tarball", url: "https://releases.example.com/api-1.0.0.tgz", sha256: "a".repeat(64) });
  });

  it("takes none, postgresql, or a role of the tenant overlay", () => {
    const platform = platformOf((spec) => {
      tier(spec, "nlp").role = "none";
      tier(spec, "ml").role = "gpu_worker";
    });
    expect(software(platform, "nlp")).toEqual({ role: "none", overlayRole: false });
    expect(software(platform, "ml")).toEqual({ role: "gpu_worker", overlayRole: true });
  });

  it.each<[string, (spec: Spec) => void, RegExp]>([
    ["a role name that is not one", (s) => (tier(s, "nlp").role = "Node App"), /tiers\.nlp\.role: found "Node App"; allowed: node_app, postgresql, none, or the name of a role/],
    ["a role botinfra applies itself", (s) => (tier(s, "nlp").role = "debian_base"), /tiers\.nlp\.role: found "debian_base", a role botinfra applies itself/],
    ["an app on another role", (s) => Object.assign(tier(s, "nlp"), { role: "none", app: { repo: "/srv/git/x.git" } }), /tiers\.nlp\.app: is only for the node_app role; this tier's role is none/],
    ["both a repo and a tarball", (s) => (tier(s, "nlp").app = { repo: "/srv/git/x.git", tarball: "https://x.example.com/a.tgz", sha256: "a".repeat(64) }), /tiers\.nlp\.app: has both repo and tarball/],
    ["a tarball without its checksum", (s) => (tier(s, "nlp").app = { tarball: "https://x.example.com/a.tgz" }), /tiers\.nlp\.app\.sha256: is required with tarball/],
    ["a repo that is an option", (s) => (tier(s, "nlp").app = { repo: "--upload-pack=touch /tmp/x" }), /tiers\.nlp\.app\.repo: found "--upload-pack=touch \/tmp\/x"; allowed: a git repository/],
    ["a repo with a shell word", (s) => (tier(s, "nlp").app = { repo: "https://x.example.com/a.git;reboot" }), /tiers\.nlp\.app\.repo: found/],
    ["a ref that is an option", (s) => (tier(s, "nlp").app = { repo: "/srv/git/x.git", ref: "-f" }), /tiers\.nlp\.app\.ref: found "-f"; allowed: a git branch/],
    ["a script outside the release", (s) => (tier(s, "nlp").app = { repo: "/srv/git/x.git", script: "../../etc/passwd" }), /tiers\.nlp\.app\.script: found "\.\.\/\.\.\/etc\/passwd"; allowed: the entry script, a relative path/],
    ["an env value of two lines", (s) => (tier(s, "nlp").app = { env: { A: "one\nExecStart=/bin/sh" } }), /tiers\.nlp\.app\.env\.A: found "one\\nExecStart=\/bin\/sh"; allowed: a one-line value/],
    ["an env name in lowercase", (s) => (tier(s, "nlp").app = { env: { home: "x" } }), /tiers\.nlp\.app\.env\.home: found "home"; allowed: environment variable names/],
    ["a secret also in env", (s) => (tier(s, "nlp").app = { env: { TOKEN: "x" }, secrets: ["TOKEN"] }), /tiers\.nlp\.app\.secrets: names TOKEN, which env sets in clear too/],
    ["PORT in env", (s) => (tier(s, "nlp").app = { env: { PORT: "1" } }), /tiers\.nlp\.app\.env: sets PORT, which botinfra sets/],
  ])("refuses %s, naming the field", (_, mutate, expected) => {
    expect(errorsOf(mutate)).toMatch(expected);
  });
});

describe("certificates", () => {
  it("is the self-signed fallback with no tls, ACME for the tenant, and an environment's own setting over it", () => {
    expect(platformOf((spec) => delete spec.tls).environments.map((environment) => environment.tls.kind)).toEqual(["self-signed", "self-signed", "self-signed"]);
    const platform = platformOf((spec) => {
      spec.tls = { acme: { email: "ops@acme.example.com" } };
      spec.environments.tools!.tls = { certificate: "tools.crt", key: "tools.key" };
    });
    expect(platform.environments.map((environment) => environment.tls)).toEqual([
      { kind: "acme", email: "ops@acme.example.com", directory: LETS_ENCRYPT_DIRECTORY },
      { kind: "acme", email: "ops@acme.example.com", directory: LETS_ENCRYPT_DIRECTORY },
      { kind: "files", certificate: "tools.crt", key: "tools.key" },
    ]);
  });

  it.each<[string, (spec: Spec) => void, RegExp]>([
    ["both ACME and files", (s) => (s.tls = { acme: { email: "ops@acme.example.com" }, certificate: "a.crt", key: "a.key" }), /^t\.yaml:\d+:\d+: tls: has both acme and certificate\/key/m],
    ["a certificate without its key", (s) => (s.environments.tools!.tls = { certificate: "a.crt" }), /environments\.tools\.tls\.key: is required with the other/],
    ["an e-mail that is not one", (s) => (s.tls = { acme: { email: "ops at acme" } }), /tls\.acme\.email: found "ops at acme"; allowed: the e-mail address/],
    ["a plain-HTTP ACME directory", (s) => (s.tls = { acme: { email: "ops@acme.example.com", directory: "http://ca.example.com/dir" } }), /tls\.acme\.directory: found "http:\/\/ca\.example\.com\/dir"; allowed: an https:\/\/ ACME directory URL/],
    ["an empty tls", (s) => (s.tls = {}), /^t\.yaml:\d+:\d+: tls: is empty; allowed: acme, or certificate and key$/],
  ])("refuses %s, naming the field", (_, mutate, expected) => {
    expect(errorsOf(mutate)).toMatch(expected);
  });
});
