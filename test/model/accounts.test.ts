/**
 * Tenants sharing one DigitalOcean account: their VPC ranges never overlap (allocation skips the
 * others', written overlaps are refused naming both), and a shared admin key is uploaded by one of them.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { accountRangesFor, keysUploadedElsewhere } from "../../model/accounts.js";
import { mustParseCidr, overlaps } from "../../model/cidr.js";
import { SpecError } from "../../model/errors.js";
import { loadTenant } from "../../spec-files/load.js";
import { buildPlatform } from "../../model/platform.js";
import type { TenantSpec } from "../../model/spec.js";
import { thrownBy } from "../support/errors.js";
import { sampleSpec, toYaml, VALID_SSH_KEY } from "../support/specs.js";

/** A DigitalOcean tenant of `account` with the given environments' ranges (undefined: allocated). */
function tenant(name: string, ranges: (string | undefined)[], account?: string, cloud: TenantSpec["cloud"] = "digitalocean"): TenantSpec {
  const spec = cloud === "digitalocean" ? sampleSpec("hooli") : sampleSpec();
  spec.tenant = name;
  if (account === undefined) delete spec.account;
  else spec.account = account;
  const template = Object.values(spec.environments)[0]!;
  spec.environments = Object.fromEntries(ranges.map((cidr, index) => [`env${"abcdefgh"[index]}`, { ...template, ...(cidr === undefined ? { cidr: undefined } : { cidr }) }]));
  for (const environment of Object.values(spec.environments)) if (environment.cidr === undefined) delete environment.cidr;
  return spec;
}

function plannedRanges(spec: TenantSpec, others: TenantSpec[]): string[] {
  const built = buildPlatform(spec, { accountRanges: accountRangesFor(spec, others) });
  if (!built.platform) throw new Error(JSON.stringify(built.issues));
  return built.platform.environments.map((environment) => environment.cidr);
}

describe("tenants of one account", () => {
  it("allocate ranges clear of each other, whatever the others write or leave to allocation", () => {
    const slot = fc.option(fc.integer({ min: 20, max: 40 }).map((second) => `10.${second}.0.0/16`), { nil: undefined });
    fc.assert(
      fc.property(fc.array(fc.array(slot, { minLength: 1, maxLength: 3 }), { minLength: 2, maxLength: 4 }), (layouts) => {
        const specs = layouts.map((ranges, index) => tenant(`t${index}`, ranges));
        const written = specs.flatMap((spec) => Object.values(spec.environments).flatMap((environment) => (environment.cidr ? [environment.cidr] : [])));
        // Written ranges that collide are the user's to fix (tested below); allocation must avoid everything else.
        fc.pre(new Set(written).size === written.length);
        const all = specs.flatMap((spec) => plannedRanges(spec, specs.filter((other) => other !== spec)).map((cidr) => mustParseCidr(cidr)));
        all.forEach((a, i) => all.slice(i + 1).forEach((b) => expect(overlaps(a, b)).toBe(false)));
      }),
      { numRuns: 60 },
    );
  });

  it("give a tenant the ranges it would get alone when the others are on another account or cloud", () => {
    const alone = plannedRanges(tenant("beta", [undefined, undefined]), []);
    expect(alone).toEqual(["10.20.0.0/16", "10.21.0.0/16"]);
    expect(plannedRanges(tenant("beta", [undefined, undefined]), [tenant("alpha", [undefined], "other-team"), tenant("gamma", ["10.20.0.0/16"], undefined, "azure")])).toEqual(alone);
    expect(plannedRanges(tenant("beta", [undefined, undefined]), [tenant("alpha", [undefined]), tenant("gamma", ["10.21.0.0/16"])])).toEqual(["10.22.0.0/16", "10.23.0.0/16"]);
  });

  it("refuse a written range another tenant of the account writes too, naming the field, the tenant and the account", () => {
    const beta = tenant("beta", ["10.20.0.0/16"], "ops");
    const built = buildPlatform(beta, { accountRanges: accountRangesFor(beta, [tenant("alpha", ["10.20.0.0/16"], "ops")]) });
    expect(built.issues).toEqual([
      { path: ["environments", "enva", "cidr"], message: 'found "10.20.0.0/16", which overlaps tenant alpha\'s environment enva (10.20.0.0/16) on the same account "ops"; allowed: a range no other tenant of the account uses' },
    ]);
  });

  it("upload a shared admin key once: the first tenant by name owns it, the others only name it", () => {
    const alpha = tenant("alpha", [undefined]);
    const beta = tenant("beta", [undefined]);
    const body = VALID_SSH_KEY.split(" ")[1]!;
    beta.admin.sshPublicKeys = [VALID_SSH_KEY.replace("ops@acme", "someone@beta"), alpha.admin.sshPublicKeys[0]!];
    alpha.admin.sshPublicKeys = [VALID_SSH_KEY];
    expect(keysUploadedElsewhere(alpha, [beta])).toEqual({});
    expect(keysUploadedElsewhere(beta, [alpha])).toEqual({ [body]: "alpha" });
    expect(keysUploadedElsewhere(beta, [tenant("alpha", [undefined], "other-team")])).toEqual({});
  });

  it("give a shared key to the first tenant by name, however the others are listed, and never to a later one", () => {
    const [alpha, beta, gamma, delta] = ["alpha", "beta", "gamma", "delta"].map((name) => tenant(name, [undefined]));
    const body = VALID_SSH_KEY.split(" ")[1]!;
    const broken = "ssh-ed25519 not-base64 x";
    for (const spec of [alpha!, beta!, gamma!, delta!]) spec.admin.sshPublicKeys = [VALID_SSH_KEY, broken];
    expect(keysUploadedElsewhere(gamma!, [delta!, beta!, alpha!])).toEqual({ [body]: "alpha" });
    expect(keysUploadedElsewhere(gamma!, [beta!, delta!])).toEqual({ [body]: "beta" });
    expect(keysUploadedElsewhere(alpha!, [delta!, beta!, gamma!])).toEqual({});
  });

  it("upload every key on a cloud that holds keys per server, not per account", () => {
    const alpha = tenant("alpha", [undefined], undefined, "azure");
    const beta = tenant("beta", [undefined], undefined, "azure");
    expect(beta.admin.sshPublicKeys).toEqual(alpha.admin.sshPublicKeys);
    expect(keysUploadedElsewhere(beta, [alpha])).toEqual({});
  });
});

describe("the loader", () => {
  it("reads the folder's other tenants, so that validation refuses two tenants of one account with overlapping ranges", () => {
    const folder = mkdtempSync(join(tmpdir(), "botinfra-accounts-"));
    writeFileSync(join(folder, "alpha.yaml"), toYaml(tenant("alpha", ["10.30.0.0/16"])));
    writeFileSync(join(folder, "beta.yaml"), toYaml(tenant("beta", ["10.30.0.0/16", undefined])));
    writeFileSync(join(folder, "broken.yaml"), "tenant: [");
    for (const name of ["alpha", "beta"]) {
      const error = thrownBy(SpecError, () => loadTenant({ name, tenantsDir: folder }));
      expect(error.issues.map((issue) => issue.path.join("."))).toEqual(["environments.enva.cidr"]);
    }
    writeFileSync(join(folder, "beta.yaml"), toYaml(tenant("beta", [undefined, undefined])));
    expect(loadTenant({ name: "beta", tenantsDir: folder }).platform.environments.map((environment) => environment.cidr)).toEqual(["10.20.0.0/16", "10.21.0.0/16"]);
    writeFileSync(join(folder, "beta.yaml"), toYaml(tenant("beta", [undefined, undefined], "another-team")));
    expect(loadTenant({ name: "beta", tenantsDir: folder }).platform.environments.map((environment) => environment.cidr)).toEqual(["10.20.0.0/16", "10.21.0.0/16"]);
  });
});
