/** The pack's facts against the installed SDKs, its files, its config, and the tenant config wiring. */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { UserError } from "../../model/errors.js";
import { buildPlatform } from "../../model/platform.js";
import { parsePolicyConfigText, reconcilePolicyConfig } from "../../policies/config.js";
import { PACK_DIR } from "../../policies/files.js";
import { PACK_ENFORCEMENT_LEVEL, policies } from "../../policies/pack.js";
import { NAME_PROPERTIES, STATEFUL, TAGGABLE } from "../../policies/rules/governance.js";
import { AWS, AZURE, DIGITALOCEAN } from "../../policies/rules/types.js";
import { tenantPolicyConfig } from "../../policies/tenant-config.js";
import { REPO_ROOT } from "../support/cli.js";
import { sampleSpec } from "../support/specs.js";

const require = createRequire(import.meta.url);

/** `aws:ec2/securityGroup:SecurityGroup` → @pulumi/aws/ec2/securityGroup; likewise for the other two packages. */
function sdkFile(type: string): string {
  const [provider, module, name] = type.split(":") as [string, string, string];
  const file = module.includes("/") ? module.replace(/^index\//, "") : `${module}/${name[0]!.toLowerCase()}${name.slice(1)}`;
  return join(dirname(require.resolve(`@pulumi/${provider}/package.json`)), file);
}

/** The property names of a resource's Args interface, from its type file. */
function argumentsOf(type: string): string[] {
  const text = readFileSync(`${sdkFile(type)}.d.ts`, "utf8");
  const body = /export interface \w+Args \{([\s\S]*?)\n\}/.exec(text)?.[1] ?? "";
  return [...body.matchAll(/^ {4}(\w+)\??:/gm)].map((match) => match[1]!);
}

const TYPES = [...Object.values(AZURE), ...Object.values(AWS), ...Object.values(DIGITALOCEAN)];

describe("resource types", () => {
  it.each(TYPES)("%s is the token of an installed SDK class", (type) => {
    const source = readFileSync(`${sdkFile(type)}.js`, "utf8");
    expect(source).toContain(`__pulumiType = '${type}'`);
  });

  it("lists as taggable exactly the types whose arguments take tags of their own", () => {
    // A DigitalOcean firewall's `tags` name the droplets it guards, not the firewall.
    const ownTags = (type: string) => argumentsOf(type).includes("tags") && type !== DIGITALOCEAN.firewall;
    for (const type of TYPES) expect([type, ownTags(type)]).toEqual([type, TAGGABLE.has(type)]);
  });

  it("reads each cloud name from an argument the type has", () => {
    for (const [type, { property, inTags }] of Object.entries(NAME_PROPERTIES)) {
      expect([type, argumentsOf(type)]).toEqual([type, expect.arrayContaining([inTags ? "tags" : property])]);
    }
  });

  it("protects only types that exist", () => {
    for (const type of STATEFUL) expect(TYPES).toContain(type);
  });
});

describe("the pack's files", () => {
  const packageJson = JSON.parse(readFileSync(join(PACK_DIR, "package.json"), "utf8")) as Record<string, string>;

  it("version the pack with botinfra and point the engine at the compiled entry", () => {
    const root = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string; files: string[] };
    expect(packageJson.version).toBe(root.version);
    // ESM like the rest of botinfra: tsc compiles policies/ by this file's type.
    expect(packageJson.type).toBe("module");
    expect(packageJson.main).toBe("../dist/policies/index.js");
    expect(root.files).toEqual(expect.arrayContaining(["policies/PulumiPolicy.yaml", "policies/package.json", "policies/config.json"]));
    expect(readFileSync(join(PACK_DIR, "PulumiPolicy.yaml"), "utf8")).toMatch(/^runtime: nodejs$/m);
  });

  it("build the PolicyPack only in the entry, which no module imports", () => {
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? (["node_modules", "dist", ".git", "test"].includes(entry.name) ? [] : sources(join(dir, entry.name))) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
      );
    const files = sources(REPO_ROOT).map((file) => [file.slice(REPO_ROOT.length), readFileSync(file, "utf8")] as const);
    expect(files.filter(([, text]) => text.includes("new PolicyPack(")).map(([file]) => file)).toEqual(["policies/index.ts"]);
    const importsEntry = (file: string, text: string) => (file.startsWith("policies/") ? /from "\.\/index\.js"/ : /policies\/index\.js"/).test(text);
    expect(files.filter(([file, text]) => importsEntry(file, text)).map(([file]) => file)).toEqual([]);
  });

  it("set every policy's level in config.json, mandatory for the security rules", () => {
    const config = JSON.parse(readFileSync(join(PACK_DIR, "config.json"), "utf8")) as Record<string, { enforcementLevel: string }>;
    expect(Object.keys(config)).toEqual(policies.map((policy) => policy.name));
    const advisory = Object.entries(config).filter(([, entry]) => entry.enforcementLevel !== "mandatory").map(([name]) => name);
    expect(advisory).toEqual(["digitalocean-production-redundancy", "required-tags"]);
  });

  it("give every policy a description and valid defaults", () => {
    for (const policy of policies) expect(policy.description.length).toBeGreaterThan(20);
    expect(() => reconcilePolicyConfig(policies, PACK_ENFORCEMENT_LEVEL, [])).not.toThrow();
  });
});

describe("policy config files", () => {
  it("accept the engine's format", () => {
    expect(parsePolicyConfigText('{"all": "mandatory", "required-tags": {"enforcementLevel": "advisory", "requiredTags": ["owner"]}}', "p.json")).toEqual({
      all: "mandatory",
      "required-tags": { enforcementLevel: "advisory", requiredTags: ["owner"] },
    });
  });

  it.each([
    ["not json", "p.json: is not valid JSON"],
    ["[]", "p.json: found a list of 0; allowed: a JSON object mapping policy names"],
    ['{"all": "strict"}', 'p.json: all: found enforcement level "strict"; allowed: advisory, mandatory, remediate, disabled'],
    ['{"required-tags": {"enforcementLevel": 3}}', "p.json: required-tags: found enforcement level 3"],
    ['{"required-tags": 3}', "p.json: required-tags: found 3; allowed: an enforcement level"],
  ])("refuse %s, naming the file and the entry", (text, message) => {
    expect(() => parsePolicyConfigText(text, "p.json")).toThrow(UserError);
    expect(() => parsePolicyConfigText(text, "p.json")).toThrow(message);
  });
});

describe("a tenant's policy config", () => {
  it("gives the pack the management ranges, every environment's range, edge and exposed tiers", () => {
    const { platform } = buildPlatform(sampleSpec());
    expect(tenantPolicyConfig(platform!)).toEqual({
      "ssh-from-management-only": { managementCidrs: ["203.0.113.0/24"] },
      "private-tiers-closed-to-edge": {
        edgeRanges: { production: "10.20.0.0/24", development: "10.21.0.0/24", tools: "10.22.0.0/24" },
        exposedTiers: { production: ["front", "api"], development: ["front", "api"], tools: ["gitlab"] },
      },
      "environment-networks-disjoint": { environmentRanges: { production: "10.20.0.0/16", development: "10.21.0.0/16", tools: "10.22.0.0/16" } },
    });
  });

  it("has no management ranges when the tenant allows no SSH from outside", () => {
    const spec = sampleSpec();
    delete spec.managementCidrs;
    expect(tenantPolicyConfig(buildPlatform(spec).platform!)["ssh-from-management-only"]).toEqual({ managementCidrs: [] });
  });
});
