/**
 * A user's CrossGuard pack loaded as `botinfra check --policy-pack` loads it (test/fixtures/policy-pack),
 * then run offline; and every folder the loader refuses, with the reason it gives.
 *
 * @pulumi/policy serves one pack per process and exits on a second, and a mutation run keeps one
 * process for every test file: each load gets a copy of the pack beside its own copy of @pulumi/policy
 * (the other packages linked), so that it never meets botinfra's pack or an earlier load.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { isMainThread } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Plan, PlannedResource } from "../../engine/graph.js";
import { loadPolicyPack } from "../../policies/external-pack.js";
import { checkPlan } from "../../policies/offline.js";

/** The node_modules that holds @pulumi/policy, wherever it sits above the tests (a mutation run's sandbox has none of its own). */
const MODULES = dirname(dirname(dirname(createRequire(import.meta.url).resolve("@pulumi/policy/package.json"))));
const FIXTURE = fileURLToPath(new URL("../fixtures/policy-pack/", import.meta.url));

const made: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// A worker thread (the pool a mutation run uses) cannot change the working folder: there it is simulated for the loader.
beforeEach(() => {
  if (isMainThread) return;
  let folder = process.cwd();
  vi.spyOn(process, "chdir").mockImplementation((dir: string) => {
    folder = resolve(folder, dir);
  });
  vi.spyOn(process, "cwd").mockImplementation(() => folder);
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "botinfra-pack-"));
  made.push(dir);
  return dir;
}

/** node_modules with its own @pulumi/policy and every other package linked. */
function linkModules(root: string): void {
  const modules = join(root, "node_modules");
  mkdirSync(join(modules, "@pulumi"), { recursive: true });
  for (const name of readdirSync(MODULES)) if (name !== "@pulumi" && name !== ".bin") symlinkSync(join(MODULES, name), join(modules, name));
  for (const name of readdirSync(join(MODULES, "@pulumi"))) {
    if (name === "policy") cpSync(join(MODULES, "@pulumi", name), join(modules, "@pulumi", name), { recursive: true });
    else symlinkSync(join(MODULES, "@pulumi", name), join(modules, "@pulumi", name));
  }
}

/** The fixture pack (with `files` changed) in a folder of its own; with node_modules unless `bare`. */
function packFolder(files: Record<string, string | undefined> = {}, bare = false): string {
  const root = tempDir();
  if (!bare) linkModules(root);
  const pack = join(root, "pack");
  cpSync(FIXTURE, pack, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    if (text === undefined) rmSync(join(pack, file));
    else writeFileSync(join(pack, file), text);
  }
  return pack;
}

function resource(name: string, type = "test:index:Bucket"): PlannedResource {
  return { urn: `urn:pulumi:acme-production::botinfra::${type}::${name}`, type, name, custom: true, dependencies: [], protect: false, inputs: {} };
}

function plan(resources: PlannedResource[]): Plan {
  return { tenant: "acme", cloud: "aws", stacks: [{ stack: "acme-production", environment: "production", resources, outputs: {} as Plan["stacks"][number]["outputs"] }] };
}

describe("loading a policy pack folder", () => {
  it("reads the pack's name, version, level, policies and initial config, and leaves the working folder as it was", async () => {
    const cwd = process.cwd();
    const pack = await loadPolicyPack(packFolder());
    expect(process.cwd()).toBe(cwd);
    expect(pack).toMatchObject({ name: "fixture-pack", version: "2.0.1", level: "mandatory", baseConfig: [{ "one-bucket": "advisory" }] });
    expect(pack.policies.map((policy) => [policy.name, policy.severity])).toEqual([
      ["bucket-prefix", "low"],
      ["no-networks", undefined],
      ["one-bucket", "high"],
    ]);
  });

  it("runs the pack offline: its levels, its config defaults and a user's config over them", async () => {
    const loaded = loadPolicyPack(packFolder());
    const report = await checkPlan(plan([resource("acme-logs"), resource("logs"), resource("net", "test:index:Network")]), [], loaded);
    expect(report.pack).toEqual({ name: "fixture-pack", version: "2.0.1" });
    expect(report.policies).toEqual([
      { name: "bucket-prefix", description: "Buckets carry the team's prefix", severity: "low", enforcementLevel: "mandatory" },
      { name: "no-networks", description: "Networks come from the platform team", enforcementLevel: "mandatory" },
      { name: "one-bucket", description: "A stack has one bucket at most", severity: "high", enforcementLevel: "advisory" },
    ]);
    expect(report.violations).toEqual([
      {
        stack: "acme-production",
        environment: "production",
        policy: "bucket-prefix",
        level: "mandatory",
        severity: "low",
        resource: { urn: "urn:pulumi:acme-production::botinfra::test:index:Bucket::logs", type: "test:index:Bucket", name: "logs" },
        message: 'bucket "logs" does not start with "acme-"',
        description: "Buckets carry the team's prefix",
      },
      {
        stack: "acme-production",
        environment: "production",
        policy: "no-networks",
        level: "mandatory",
        resource: { urn: "urn:pulumi:acme-production::botinfra::test:index:Network::net", type: "test:index:Network", name: "net" },
        message: "Networks come from the platform team",
        description: "Networks come from the platform team",
      },
      { stack: "acme-production", environment: "production", policy: "one-bucket", level: "advisory", severity: "high", message: "2 buckets", description: "A stack has one bucket at most" },
    ]);
    expect(report.summary).toEqual({ mandatory: 2, advisory: 1, passed: false });
    expect(report.stacks).toEqual([{ stack: "acme-production", environment: "production", resources: 3 }]);

    const configured = await checkPlan(plan([resource("acme-logs"), resource("logs")]), [{ all: "advisory", "bucket-prefix": { prefix: "ac" }, "one-bucket": "disabled", "bucket-prefx": "mandatory" }], loaded);
    expect(configured.violations.map((violation) => [violation.policy, violation.level, violation.message])).toEqual([["bucket-prefix", "advisory", 'bucket "logs" does not start with "ac"']]);
    expect(configured.summary).toEqual({ mandatory: 0, advisory: 1, passed: true });
    expect(configured.policies.map((policy) => policy.enforcementLevel)).toEqual(["advisory", "advisory", "disabled"]);
    expect(configured.warnings).toEqual(['policy config names "bucket-prefx", which is no policy of this pack']);
  });

  it("takes the PolicyPack's defaults: advisory without a level, no base layer without an initial config", async () => {
    const source = readFileSync(join(FIXTURE, "pack.js"), "utf8").replace('enforcementLevel: "mandatory",', "").replace('{ "one-bucket": "advisory" },', "");
    const pack = await loadPolicyPack(packFolder({ "pack.js": source }));
    expect(pack).toMatchObject({ name: "fixture-pack", level: "advisory", baseConfig: [] });
  });

  it("leaves gRPC's server and @pulumi/policy's serve as they were: nothing listens, a later pack serves normally", async () => {
    const dir = packFolder();
    const grpc = createRequire(join(dir, "package.json"))("@grpc/grpc-js") as { Server: { prototype: Record<string, unknown> } };
    const server = createRequire(join(dir, "package.json"))("@pulumi/policy/server.js") as { serve: unknown };
    const before = [grpc.Server.prototype.addService, grpc.Server.prototype.bindAsync, server.serve];
    await loadPolicyPack(dir);
    expect([grpc.Server.prototype.addService, grpc.Server.prototype.bindAsync, server.serve]).toEqual(before);
  });

  it("takes index.js when package.json names no main", async () => {
    const dir = packFolder({ "package.json": JSON.stringify({ name: "fixture-pack", version: "2.0.1", type: "module" }) });
    cpSync(join(dir, "pack.js"), join(dir, "index.js"));
    expect((await loadPolicyPack(dir)).name).toBe("fixture-pack");
  });

  const refusals: [string, Record<string, string | undefined>, boolean, RegExp][] = [
    ["without PulumiPolicy.yaml", { "PulumiPolicy.yaml": undefined }, false, /has no PulumiPolicy\.yaml/],
    ["without package.json", { "package.json": undefined }, false, /has no package\.json/],
    ["with a package.json that is not JSON", { "package.json": "{ version: 1" }, false, /has a package\.json that is not valid JSON/],
    ["with a package.json without a version", { "package.json": '{"main": "pack.js"}' }, false, /has a package\.json without a version \(the engine refuses such a pack too\)/],
    ["with an empty version", { "package.json": '{"version": "", "main": "pack.js"}' }, false, /has a package\.json without a version/],
    ["with a TypeScript entry", { "package.json": '{"version": "1.0.0", "main": "index.ts"}', "index.ts": "export {};" }, false, /has no JavaScript entry at \S+index\.ts \(a TypeScript pack must be compiled first\)/],
    ["with a JSX entry", { "package.json": '{"version": "1.0.0", "main": "index.jsx"}', "index.jsx": "export {};" }, false, /has no JavaScript entry at \S+index\.jsx/],
    ["whose entry is missing", { "package.json": '{"version": "1.0.0", "main": "gone.js"}' }, false, /has no JavaScript entry at \S+gone\.js/],
    ["where @pulumi/policy is not installed", {}, true, /cannot load @pulumi\/policy \(run npm install in it\)/],
    ["whose entry builds no PolicyPack", { "pack.js": "export const nothing = 1;\n" }, false, /builds no PolicyPack/],
  ];

  it.each(refusals)("refuses a folder %s, naming the option, the folder and what a pack folder holds", async (_case, files, bare, reason) => {
    const dir = packFolder(files, bare);
    const error = await loadPolicyPack(dir, "--pack").then(
      () => undefined,
      (thrown: unknown) => thrown as Error,
    );
    expect(error?.name).toBe("UserError");
    expect(error?.message).toMatch(reason);
    expect(error?.message.startsWith(`--pack: ${dir} `)).toBe(true);
    expect(error?.message).toMatch(/; allowed: a CrossGuard policy pack folder \(PulumiPolicy\.yaml, and a package\.json with a version whose main, or index\.js, is the pack's JavaScript\)$/);
  });

  it("names --policy-pack in a refusal unless told another option", async () => {
    const dir = packFolder({ "PulumiPolicy.yaml": undefined });
    await expect(loadPolicyPack(dir)).rejects.toThrow(`--policy-pack: ${dir} has no PulumiPolicy.yaml; allowed: `);
  });

  it("lets an entry's own error through unchanged", async () => {
    await expect(loadPolicyPack(packFolder({ "pack.js": 'throw new Error("broken pack");\n' }))).rejects.toThrow(/^broken pack$/);
  });
});
