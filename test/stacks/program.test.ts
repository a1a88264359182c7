/** The Pulumi program as the Pulumi CLI runs it: stack configuration in, the same resources and outputs as `plan`. */
import * as pulumi from "@pulumi/pulumi";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { azureMocks } from "../../components/azure/mocks.js";
import { evaluateStack, planOffline } from "../../engine/offline.js";
import { UserError } from "../../model/errors.js";
import { configKey, PROJECT_NAME } from "../../stacks/config.js";
import program from "../../stacks/index.js";
import { loadStackTarget } from "../../stacks/program.js";
import { REPO_ROOT } from "../support/cli.js";
import { samplePlatforms, TENANTS_DIR } from "../support/plan.js";

const acme = samplePlatforms().find((platform) => platform.tenant === "acme")!;

describe("the program's configuration", () => {
  it("names a tenant of the project's tenants folder and one of its environments", () => {
    const { platform, environment } = loadStackTarget({ stack: "acme-tools", tenant: "acme", environment: "tools" }, REPO_ROOT);
    expect([platform.tenant, environment.name]).toEqual(["acme", "tools"]);
  });

  it("may name the tenant's file instead", () => {
    const { environment } = loadStackTarget({ stack: "acme-tools", tenant: "acme", environment: "tools", tenantFile: `${TENANTS_DIR}/acme.yaml` }, "/nonexistent");
    expect(environment.stack).toBe("acme-tools");
  });

  it.each([
    [{ stack: "acme-staging", tenant: "acme", environment: "staging" }, /botinfra:environment: tenant acme .* has no environment "staging"; allowed: production, development, tools/],
    [{ stack: "acme-development", tenant: "acme", environment: "production" }, /stack acme-development is configured for acme's production, whose stack is acme-production/],
    [{ stack: "globex-tools", tenant: "globex", environment: "tools", tenantFile: `${TENANTS_DIR}/acme.yaml` }, /botinfra:tenant is "globex", but .*acme.yaml holds tenant "acme"/],
    [{ stack: "nobody-tools", tenant: "nobody", environment: "tools" }, /nobody.yaml: does not exist/],
  ])("refuses %j with one message", (settings, message) => {
    expect(() => loadStackTarget(settings, REPO_ROOT)).toThrow(UserError);
    expect(() => loadStackTarget(settings, REPO_ROOT)).toThrow(message);
  });
});

describe("stacks/index.ts under the mock runtime", () => {
  it("builds from its stack's configuration what plan shows, and exports the same outputs", async () => {
    const development = acme.environments.find((environment) => environment.name === "development")!;
    pulumi.runtime.setAllConfig({ [configKey("tenant")]: "acme", [configKey("environment")]: "development" });
    const viaConfig = await evaluateStack(development.stack, azureMocks(), program);
    const [planned] = (await planOffline(acme, [development])).stacks;
    // The planner drops aliases (engine/offline.ts), which changes the order of registrations, not what is registered.
    const byUrn = (resources: { urn: string }[]) => [...resources].sort((a, b) => a.urn.localeCompare(b.urn));
    expect(byUrn(viaConfig.resources)).toEqual(byUrn(planned!.resources));
    expect(viaConfig.outputs).toEqual(planned!.outputs);
  });

  it("turns a configuration mistake into one message without a stack trace (a RunError)", async () => {
    pulumi.runtime.setAllConfig({ [configKey("tenant")]: "acme", [configKey("environment")]: "staging" });
    const failure = evaluateStack("acme-staging", azureMocks(), program);
    await expect(failure).rejects.toThrow(pulumi.RunError);
    await expect(failure).rejects.toThrow(/has no environment "staging"/);
  });
});

describe("the Pulumi project", () => {
  const project = parse(readFileSync(`${REPO_ROOT}Pulumi.yaml`, "utf8")) as { name: string; main: string; stackConfigDir: string };

  it("runs the compiled program and keeps stack configuration in stacks/", () => {
    expect(project).toMatchObject({ name: PROJECT_NAME, main: "dist/stacks/index.js", stackConfigDir: "stacks" });
  });

  it.each(acme.environments.map((environment) => [environment.stack, environment.name]))("has the stack configuration file of %s", (stack, environment) => {
    const file = `${REPO_ROOT}stacks/Pulumi.${stack}.yaml`;
    expect(existsSync(file)).toBe(true);
    expect(parse(readFileSync(file, "utf8"))).toEqual({ config: { [configKey("tenant")]: "acme", [configKey("environment")]: environment } });
  });
});
