/** Every kind of bad input named by the foundation issue gets one message: file, line, field, found, allowed. */
import { describe, expect, it } from "vitest";
import { parseTenantText } from "../../model/tenant-text.js";
import type { TenantSpec } from "../../model/spec.js";
import { sampleSpec, specRefusal, toYaml } from "../support/specs.js";

const errorsOf = (mutate: (spec: TenantSpec & Record<string, unknown>) => void): string => specRefusal(mutate);

const production = (spec: TenantSpec) => spec.environments.production!;
const ECDSA_KEY =
  "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmKSENjQEezOmxkZMy7opKgwFB9nkt5YRrYMjNuG5N87uRgg6CLrbo5wAdT/y6v0mKV0U2w0WZ2YB/++Tpockg= ops@acme";

describe("tenant spec errors", () => {
  it.each<[string, (spec: TenantSpec & Record<string, unknown>) => void, RegExp]>([
    ["an unknown key", (s) => (s.colour = "blue"), /^t\.yaml:\d+:1: colour: unknown key; allowed here: tenant, cloud, region/m],
    ["an unknown tier key", (s) => Object.assign(production(s).tiers.api!, { replicas: 2 }), /environments\.production\.tiers\.api\.replicas: unknown key; allowed here: count, size, port, expose/],
    ["a wrong type", (s) => Object.assign(production(s).tiers.api!, { count: "three" }), /environments\.production\.tiers\.api\.count: found "three"; allowed: a whole number/],
    ["a fractional count", (s) => (production(s).tiers.api!.count = 1.5), /tiers\.api\.count: found 1\.5; allowed: a whole number/],
    ["a missing field", (s) => delete (s as Partial<TenantSpec>).domain, /domain: is required: a DNS domain/],
    ["a bad tenant name", (s) => (s.tenant = "Acme_Corp"), /tenant: found "Acme_Corp"; allowed: a tenant name/],
    ["a bad tier name", (s) => (production(s).tiers["Front-End"] = production(s).tiers.front!), /environments\.production\.tiers\.Front-End: found "Front-End"; allowed: tier names/],
    ["a bad environment name", (s) => (s.environments["QA"] = production(s)), /environments\.QA: found "QA"; allowed: environment names/],
    ["an unknown cloud", (s) => ((s as Record<string, unknown>).cloud = "gcp"), /cloud: found "gcp"; allowed: azure, aws, digitalocean/],
    ["a region of another cloud", (s) => (s.region = "eu-west-1"), /region: found "eu-west-1"; allowed: Azure region names, such as westeurope/],
    ["a size of another cloud", (s) => (production(s).tiers.ml!.size = "t3.large"), /tiers\.ml\.size: found "t3\.large"; allowed: Azure server sizes/],
    ["a malformed CIDR", (s) => (production(s).cidr = "10.20.0.0/33"), /environments\.production\.cidr: found "10\.20\.0\.0\/33": is not an IPv4 range/],
    ["a CIDR with host bits", (s) => (production(s).cidr = "10.20.1.0/16"), /has host bits set; the range is 10\.20\.0\.0\/16/],
    ["a public CIDR", (s) => (production(s).cidr = "8.8.0.0/16"), /environments\.production\.cidr: found "8\.8\.0\.0\/16"; allowed: a private range/],
    ["a CIDR too large", (s) => (production(s).cidr = "10.0.0.0/8"), /allowed: a range from \/16 to \/22/],
    ["a CIDR too small for its tiers", (s) => (production(s).cidr = "10.20.0.0/22"), /allowed: a range with room for 6 \/24 subnets/],
    ["overlapping CIDRs", (s) => (s.environments.development!.cidr = "10.20.128.0/17"), /environments\.development\.cidr: found "10\.20\.128\.0\/17", which overlaps environments\.production\.cidr/],
    ["a tier too big for its subnet", (s) => (production(s).tiers.api!.count = 300), /tiers\.api\.count: found 300, too many for one \/24 subnet; allowed: at most 244/],
    ["a duplicate expose", (s) => (production(s).tiers.nlp!.expose = "api"), /tiers\.nlp\.expose: makes the host name "api\.acme\.example\.com", already served by environments\.production\.tiers\.api/],
    ["an expose that takes another environment's host", (s) => (production(s).tiers.nlp!.expose = "development"), /already served by environments\.development \(its own host\)/],
    ["an invalid expose", (s) => (production(s).tiers.nlp!.expose = "Not A Host"), /tiers\.nlp\.expose: found "Not A Host"; allowed: "@"/],
    ["missing SSH keys", (s) => (s.admin.sshPublicKeys = []), /admin\.sshPublicKeys: found a list of 0; allowed: at least one OpenSSH public key/],
    ["a malformed SSH key", (s) => (s.admin.sshPublicKeys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJE5Eo5AGXTotl9 ops"]), /admin\.sshPublicKeys\[0\]: has a key body that is not base64/],
    ["an SSH key of an unknown type", (s) => (s.admin.sshPublicKeys = ["ssh-dss AAAAB3NzaC1kc3M= old"]), /admin\.sshPublicKeys\[0\]: has key type "ssh-dss"/],
    ["an admin name Azure refuses", (s) => (s.admin.username = "admin"), /admin\.username: found "admin", which Azure refuses for a server's admin user; allowed: a name not on Azure's list/],
    ["another admin name Azure refuses", (s) => (s.admin.username = "david"), /admin\.username: found "david", which Azure refuses/],
    ["a system user as admin", (s) => (s.admin.username = "root"), /admin\.username: found "root", a system user of Debian/],
    ["an ECDSA key on Azure", (s) => (s.admin.sshPublicKeys = [ECDSA_KEY]), /admin\.sshPublicKeys\[0\]: has key type "ecdsa-sha2-nistp256", which Azure does not accept; allowed on Azure: ssh-rsa, ssh-ed25519/],
    ["a caller that is not a tier", (s) => (production(s).tiers.db!.from = ["api", "web"]), /tiers\.db\.from\[1\]: found "web", which is not a tier of this environment; allowed: front, api, nlp, ml/],
    ["an exposed stateful tier", (s) => (production(s).tiers.db!.expose = "db"), /tiers\.db\.expose: is set on a stateful tier/],
    ["a disk on a stateless tier", (s) => (production(s).tiers.api!.disk = { sizeGb: 10 }), /tiers\.api\.disk: is set on a tier that is not stateful/],
    ["a tier range outside its environment", (s) => (production(s).tiers.api!.cidr = "10.21.2.0/24"), /tiers\.api\.cidr: found "10\.21\.2\.0\/24"; allowed: a \/24 inside the environment's range 10\.20\.0\.0\/16, not its first/],
    ["a tier range on the edge", (s) => (production(s).tiers.api!.cidr = "10.20.0.0/24"), /tiers\.api\.cidr: found "10\.20\.0\.0\/24"; allowed: a \/24 inside/],
    ["a tier range that is not a /24", (s) => (production(s).tiers.api!.cidr = "10.20.8.0/23"), /tiers\.api\.cidr: found "10\.20\.8\.0\/23"; allowed: a \/24/],
    ["two tiers on one range", (s) => ((production(s).tiers.api!.cidr = "10.20.9.0/24"), (production(s).tiers.nlp!.cidr = "10.20.9.0/24")), /tiers\.nlp\.cidr: found "10\.20\.9\.0\/24", which environments\.production\.tiers\.api\.cidr uses too/],
    ["SSH open to the internet", (s) => (s.managementCidrs = ["0.0.0.0/0"]), /managementCidrs\[0\]: found "0\.0\.0\.0\/0"; allowed: a range of \/16 or narrower/],
    ["the SSH port for a tier", (s) => (production(s).tiers.db!.port = 22), /tiers\.db\.port: found 22, the SSH port/],
    ["a tier named like an environment", (s) => (production(s).tiers.tools = production(s).tiers.db!), /tiers\.tools: is also an environment's name/],
    ["a reserved group name", (s) => (production(s).tiers.proxy = production(s).tiers.db!), /tiers\.proxy: is a reserved name/],
  ])("refuses %s", (_, mutate, expected) => {
    expect(errorsOf(mutate)).toMatch(expected);
  });

  it.each<[string, (spec: TenantSpec) => void, RegExp]>([
    ["environment", (s) => (s.environments["QA"] = production(s)), /environments\.QA: found "QA"/],
    ["tier", (s) => (production(s).tiers["Front-End"] = production(s).tiers.front!), /tiers\.Front-End: found "Front-End"/],
    ["variable", (s) => (production(s).tiers.api!.app = { repo: "https://git.example.com/bot.git", ref: "main", env: { "bad name": "x" } }), /app\.env\["bad name"\]: found "bad name"/],
  ])("refuses a bad %s name in one line, not once per check the key fails", (_, mutate, expected) => {
    const lines = errorsOf(mutate).split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(expected);
  });

  /** The sample moved to AWS under another tenant name: every size and the region made AWS's. */
  function onAws(spec: TenantSpec, tenant: string) {
    spec.cloud = "aws";
    spec.region = "eu-west-1";
    spec.tenant = tenant;
    spec.proxy = { size: "t3.small" };
    for (const environment of Object.values(spec.environments)) for (const tier of Object.values(environment.tiers)) tier.size = "t3.small";
  }

  it("refuses a tenant name longer than every cloud's names allow", () => {
    expect(errorsOf((spec) => onAws(spec, "acmecorporate"))).toMatch(/tenant: found "acmecorporate"; allowed: a tenant name of at most 12 characters/);
  });

  it("checks generated names against the tenant's cloud", () => {
    const message = errorsOf((spec) => {
      onAws(spec, "acmecorporat");
      spec.environments.production!.tiers.frontend = { count: 1, size: "t3.small", port: 3001 };
    });
    expect(message).toMatch(/environments\.production\.tiers\.frontend: makes the AWS load balancer name "acmecorporat-production-frontend-lb" \(35 characters\); AWS allows at most 32/);
  });

  it("reports a file that is not a mapping", () => {
    expect(() => parseTenantText("- a\n- b\n", "t.yaml")).toThrow(/t\.yaml: is not a tenant spec: expected a YAML mapping/);
  });

  it("reports duplicate keys with their line, at any depth", () => {
    expect(() => parseTenantText("tenant: a\ntenant: b\n", "t.yaml")).toThrow(/t\.yaml:2:1: repeats the key "tenant"; allowed: each key once per mapping/);
    expect(() => parseTenantText("environments:\n  - a: 1\n    b: 2\n    a: 3\n", "t.yaml")).toThrow(/t\.yaml:4:5: repeats the key "a"/);
  });

  it("reports running out of addresses as a spec error naming the first environment left without", () => {
    const spec = sampleSpec();
    const template = spec.environments.development!;
    spec.environments = Object.fromEntries(Array.from({ length: 300 }, (_, index) => [`e${index}`, { tiers: structuredClone(template.tiers) }]));
    // 10.20.0.0/16 to 10.255.0.0/16: 236 ranges, so e236 is the first without one.
    expect(errorsOf((s) => (s.environments = spec.environments))).toMatch(/environments\.e236: has no cidr, and 10\.0\.0\.0\/8 has no free \/16 left from 10\.20\.0\.0\/16/);
  });
});

describe("the sample tenant", () => {
  it("is valid and allocates nothing it does not say", () => {
    const { platform } = parseTenantText(toYaml(sampleSpec()), "acme.yaml");
    expect(platform.environments.map((e) => [e.name, e.cidr, e.cidrAllocated])).toEqual([
      ["production", "10.20.0.0/16", false],
      ["development", "10.21.0.0/16", false],
      ["tools", "10.22.0.0/16", false],
    ]);
  });

  it("allocates free ranges, after the written ones, in spec order", () => {
    const spec = sampleSpec();
    delete spec.environments.development!.cidr;
    delete spec.environments.tools!.cidr;
    const { platform } = parseTenantText(toYaml(spec), "acme.yaml");
    expect(platform.environments.map((e) => e.cidr)).toEqual(["10.20.0.0/16", "10.21.0.0/16", "10.22.0.0/16"]);
    spec.environments.production!.cidr = "10.21.0.0/16";
    const shifted = parseTenantText(toYaml(spec), "acme.yaml").platform;
    expect(shifted.environments.map((e) => e.cidr)).toEqual(["10.21.0.0/16", "10.20.0.0/16", "10.22.0.0/16"]);
  });
});
