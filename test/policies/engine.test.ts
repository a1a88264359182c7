/**
 * `botinfra check` against the engine's way of running the pack (@pulumi/policy 1.21): the built pack
 * under Pulumi's own policy-pack runner, driven over gRPC as the engine drives it, reports exactly what
 * checkPlan reports; values not known during a preview give the engine's advisory; levels and settings
 * follow the engine's config rules.
 */
import * as network from "@pulumi/azure-native/network/index.js";
import type { EnforcementLevel, PolicyPackConfig } from "@pulumi/policy";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../../engine/graph.js";
import { UserError } from "../../model/errors.js";
import { reconcilePolicyConfig } from "../../policies/config.js";
import { PACK_DIR } from "../../policies/files.js";
import { analyzeRequest, analyzeStackRequest, checkPlan, configureRequest, toViolation, type AnalyzeResponse, type Violation } from "../../policies/offline.js";
import { PACK_ENFORCEMENT_LEVEL, PACK_NAME, policies } from "../../policies/pack.js";
import { recordPlan, UNKNOWN } from "../support/plan-recorder.js";
import { startPack, type PackProcess } from "../support/pack-process.js";
import { check, found, TENANT_CONFIG, tags } from "../support/policy-check.js";

const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];

/** A preview of a stack whose proxy rule takes its source from an address the cloud has not assigned yet. */
function insecureAzurePlan(): Promise<Plan> {
  return recordPlan(
    "azure",
    [
      {
        environment: "production",
        program: () => {
          const ip = new network.PublicIPAddress("office-ip", { resourceGroupName: "acme-production", tags: tags("production") }, { protect: true });
          const rule = { priority: 100, access: "Allow", direction: "Inbound", protocol: "Tcp", sourcePortRange: "*", destinationAddressPrefix: "*" };
          new network.NetworkSecurityGroup("acme-production-proxy-fw", {
            resourceGroupName: "acme-production",
            securityRules: [{ ...rule, name: "office", sourceAddressPrefix: ip.ipAddress, destinationPortRange: "443" }],
            tags: tags("production", "proxy"),
          });
          new network.NetworkSecurityGroup("acme-production-api-fw", {
            resourceGroupName: "acme-production",
            securityRules: [{ ...rule, name: "open", sourceAddressPrefix: "*", destinationPortRange: "*" }],
            tags: { tenant: "acme", environment: "production", tier: "api" },
          });
        },
      },
    ],
    { preview: true },
  );
}

describe("the pack under Pulumi's policy-pack runner", () => {
  let pack: PackProcess;
  beforeAll(async () => {
    pack = await startPack();
  });
  afterAll(() => pack?.stop());

  it("announces botinfra's pack, its policies and config.json as its initial config", async () => {
    const info = await pack.getAnalyzerInfo();
    expect(info.getName()).toBe(PACK_NAME);
    expect(info.getVersion()).toBe((JSON.parse(readFileSync(`${PACK_DIR}package.json`, "utf8")) as { version: string }).version);
    expect(info.getPoliciesList().map((policy) => policy.getName())).toEqual(policies.map((policy) => policy.name));
    const initial: Record<string, unknown> = {};
    info.getInitialconfigMap().forEach((value, key) => {
      initial[key] = { enforcementLevel: LEVELS[value.getEnforcementlevel()], ...value.getProperties()?.toJavaScript() };
    });
    expect(initial).toEqual(JSON.parse(readFileSync(`${PACK_DIR}config.json`, "utf8")));
  });

  it("reports what botinfra check reports for the same plan, unknown values included", async () => {
    const plan = await insecureAzurePlan();
    const [stack] = plan.stacks;
    const viaEngine: Violation[] = [];
    const initial = JSON.parse(readFileSync(`${PACK_DIR}config.json`, "utf8")) as PolicyPackConfig;
    await pack.configure(configureRequest(reconcilePolicyConfig(policies, PACK_ENFORCEMENT_LEVEL, [initial, TENANT_CONFIG])));
    for (const resource of stack!.resources) {
      const response = (await pack.analyze(analyzeRequest(resource))) as AnalyzeResponse;
      for (const diagnostic of response.getDiagnosticsList()) viaEngine.push(toViolation(stack!, diagnostic, diagnostic.getUrn() || resource.urn));
    }
    const response = (await pack.analyzeStack(analyzeStackRequest(stack!.resources))) as AnalyzeResponse;
    for (const diagnostic of response.getDiagnosticsList()) viaEngine.push(toViolation(stack!, diagnostic, diagnostic.getUrn()));

    const report = await checkPlan(plan, [TENANT_CONFIG]);
    expect(report.violations).toEqual(viaEngine);
    // The proxy's rules wait for the address, so they register last. A stack policy keeps what it
    // reported before it read the unknown value, as under the engine.
    expect(report.violations.map((violation) => [violation.level, violation.policy, violation.resource?.name])).toEqual([
      ["mandatory", "public-ingress-web-ports-only", "acme-production-api-fw"],
      ["mandatory", "ssh-from-management-only", "acme-production-api-fw"],
      ["advisory", "required-tags", "acme-production-api-fw"],
      ["advisory", "public-ingress-web-ports-only", "acme-production-proxy-fw"],
      ["advisory", "ssh-from-management-only", "acme-production-proxy-fw"],
      ["mandatory", "public-ingress-proxy-only", "acme-production-api-fw"],
      ["advisory", "public-ingress-proxy-only", undefined],
    ]);
    expect(pack.stderr()).toBe("");
  });
});

describe("values not known during a preview", () => {
  it("are recorded as the engine's unknown marker", async () => {
    const plan = await insecureAzurePlan();
    const proxy = plan.stacks[0]!.resources.find((resource) => resource.name === "acme-production-proxy-fw")!;
    expect(proxy.inputs.securityRules).toEqual([expect.objectContaining({ sourceAddressPrefix: UNKNOWN })]);
  });

  it("make a rule that reads them an advisory that it can't run, as the engine reports it", async () => {
    const report = await checkPlan(await insecureAzurePlan(), [TENANT_CONFIG]);
    const cannotRun = report.violations.filter((violation) => violation.resource?.name === "acme-production-proxy-fw" || violation.resource === undefined);
    const unknown = "during preview: string value at .securityRules.0.sourceAddressPrefix can't be known during preview";
    expect(cannotRun.map((violation) => [violation.level, violation.message])).toEqual([
      ["advisory", `can't run policy 'public-ingress-web-ports-only' from policy pack 'botinfra@v0.1.0' ${unknown}`],
      ["advisory", `can't run policy 'ssh-from-management-only' from policy pack 'botinfra@v0.1.0' ${unknown}`],
      ["advisory", `can't run policy 'public-ingress-proxy-only' from policy pack 'botinfra@v0.1.0' ${unknown}`],
    ]);
  });
});

describe("enforcement levels and settings, as the engine applies them", () => {
  const untagged = () => void new network.NetworkSecurityGroup("untagged-fw", { resourceGroupName: "acme-production", tags: { tenant: "acme" } });

  it("takes levels from config.json, then from later config: `all` first, then each policy's", async () => {
    expect(found(await check("azure", untagged), "required-tags")).toHaveLength(1);
    const levels = async (config: PolicyPackConfig[]) => (await check("azure", untagged, { config })).violations.map((violation) => violation.level);
    expect(await levels([])).toEqual(["advisory"]);
    expect(await levels([{ all: "mandatory" }])).toEqual(["mandatory"]);
    expect(await levels([{ all: "mandatory", "required-tags": "advisory" }])).toEqual(["advisory"]);
    expect(await levels([{ "required-tags": { enforcementLevel: "remediate" } }])).toEqual(["mandatory"]);
    expect(await levels([{ "required-tags": "disabled" }])).toEqual([]);
    expect(await levels([{ all: "disabled" }, { "required-tags": "mandatory" }])).toEqual(["mandatory"]);
  });

  it("hands a policy its settings, merged over its defaults", async () => {
    const report = await check("azure", untagged, { config: [{ "required-tags": { requiredTags: ["tenant", "owner"] } }] });
    expect(found(report, "required-tags")).toEqual([["untagged-fw", expect.stringContaining("lacks the tag owner:")]]);
  });

  it("refuses settings the policy's schema does not allow, naming them", async () => {
    const bad = check("azure", untagged, { config: [{ "ssh-from-management-only": { managementCidrs: "203.0.113.0/24" } }] });
    await expect(bad).rejects.toThrow(UserError);
    await expect(bad).rejects.toThrow('policy config: ssh-from-management-only: managementCidrs: found "203.0.113.0/24"; allowed: array');
  });

  it("warns about config for policies the pack does not have, which the engine ignores", async () => {
    const report = await check("azure", untagged, { config: [{ "requried-tags": "mandatory" }] });
    expect(report.warnings).toEqual(['policy config names "requried-tags", which is no policy of this pack']);
  });
});

describe("the pinned policy SDK", () => {
  it("is the version whose internal analyzer handlers checkPlan drives", () => {
    const require = createRequire(import.meta.url);
    const { version } = require("@pulumi/policy/package.json") as { version: string };
    expect(version.replace(/^v/, "")).toBe("1.21.0");
  });
});
