/** What each tier runs, and the app and TLS settings refused at their exact field. */
import { describe, expect, it } from "vitest";
import { buildPlatform } from "../../model/platform.js";
import type { TenantSpec } from "../../model/spec.js";
import { sampleSpec, specRefusal } from "../support/specs.js";

const SHA = "a".repeat(64);
const development = (spec: TenantSpec) => spec.environments.development!;
const refusal = (mutate: (spec: TenantSpec) => void) => specRefusal(mutate).replace(/^t\.yaml:\d+:\d+: /gm, "");
const withApp = (app: object) => (spec: TenantSpec) => (development(spec).tiers.api!.app = app as never);

describe("tier software", () => {
  it("runs nothing of botinfra's on a stateful tier without a role", () => {
    const spec = sampleSpec();
    delete spec.environments.production!.tiers.db!.role;
    const db = buildPlatform(spec).platform!.environments.find((env) => env.name === "production")!.tiers.find((tier) => tier.name === "db")!;
    expect(db.software).toEqual({ role: "none", overlayRole: false });
  });

  it.each<[string, (spec: TenantSpec) => void, string]>([
    ["a role botinfra applies itself", (spec) => (development(spec).tiers.api!.role = "nginx_proxy"), 'environments.development.tiers.api.role: found "nginx_proxy", a role botinfra applies itself; allowed: node_app, postgresql, none or a role of the tenant overlay'],
    ["NODE_ENV in env", withApp({ env: { NODE_ENV: "dev" } }), "environments.development.tiers.api.app.env: sets NODE_ENV, which botinfra sets (the tier's port, production); allowed: any other name"],
    ["PORT as a secret", withApp({ secrets: ["PORT"] }), "environments.development.tiers.api.app.secrets: sets PORT, which botinfra sets (the tier's port, production); allowed: any other name"],
    ["a ref with a tarball", withApp({ tarball: "https://example.com/app.tgz", sha256: SHA, ref: "v1" }), "environments.development.tiers.api.app.ref: is only for a git repo; a tarball is one release"],
    ["a tarball without its checksum", withApp({ tarball: "https://example.com/app.tgz" }), "environments.development.tiers.api.app.sha256: is required with tarball: the SHA-256 the download must match"],
    ["a checksum without a tarball", withApp({ repo: "https://example.com/app.git", sha256: SHA }), "environments.development.tiers.api.app.sha256: is only for a tarball"],
    ["a ref without a repo", withApp({ ref: "v1" }), "environments.development.tiers.api.app.ref: needs repo: the git repository to take it from"],
    ["a key without its certificate", (spec) => (spec.tls = { key: "acme.key" }), "tls.certificate: is required with the other: a certificate and its key"],
    ["a certificate without its key", (spec) => (spec.tls = { certificate: "acme.crt" }), "tls.key: is required with the other: a certificate and its key"],
  ])("refuses %s at its field", (_, mutate, expected) => {
    expect(refusal(mutate)).toBe(expected);
  });
});
