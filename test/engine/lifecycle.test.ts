import { aws as awsModule } from "../../components/aws/index.js";
import { azure } from "../../components/azure/index.js";
import { digitalocean as digitaloceanModule } from "../../components/digitalocean/index.js";
import { describe, expect, it } from "vitest";
import { confirmationFor, isYes, parseParallel, secretValues, stackConfig, type ConfirmationInput } from "../../engine/lifecycle.js";
import { selectEnvironments } from "../../cli/environments.js";
import { UserError } from "../../model/errors.js";
import { parseTenantText } from "../../model/tenant-text.js";
import type { Platform } from "../../model/platform.js";
import type { Cloud } from "../../model/spec.js";
import { thrownBy } from "../support/errors.js";
import { sampleSpec, toYaml } from "../support/specs.js";

const acme = parseTenantText(toYaml(sampleSpec()), "acme.yaml").platform;

function onCloud(cloud: Cloud, region: string, size: string): Platform {
  const spec = sampleSpec();
  spec.cloud = cloud;
  spec.region = region;
  spec.proxy = { size };
  for (const environment of Object.values(spec.environments)) for (const tier of Object.values(environment.tiers)) tier.size = size;
  return parseTenantText(toYaml(spec), `${cloud}.yaml`).platform;
}

const thrown = (run: () => unknown) => thrownBy(UserError, run);


describe("stackConfig", () => {
  const [development] = selectEnvironments(acme, "development", { allowAll: true });

  it("sets the tenant, the environment, the spec's path and Azure's location", () => {
    expect(stackConfig(acme, development!, "/specs/acme.yaml", azure)).toEqual({
      "botinfra:tenant": { value: "acme" },
      "botinfra:environment": { value: "development" },
      "botinfra:tenantFile": { value: "/specs/acme.yaml" },
      "azure-native:location": { value: "westeurope" },
    });
  });

  it("sets aws:region on AWS and no region key on DigitalOcean", () => {
    const aws = onCloud("aws", "eu-west-1", "t3.small");
    expect(stackConfig(aws, aws.environments[0]!, "/a.yaml", awsModule)).toMatchObject({ "aws:region": { value: "eu-west-1" } });
    const digitalocean = onCloud("digitalocean", "ams3", "s-1vcpu-2gb");
    expect(Object.keys(stackConfig(digitalocean, digitalocean.environments[0]!, "/a.yaml", digitaloceanModule)).sort()).toEqual([
      "botinfra:environment",
      "botinfra:tenant",
      "botinfra:tenantFile",
    ]);
  });

  it("lists only the values marked secret for redaction", () => {
    expect(secretValues({ a: { value: "plain" }, b: { value: "hush", secret: true }, c: { value: "", secret: true } })).toEqual(["hush"]);
    expect(secretValues(stackConfig(acme, development!, "/a.yaml", azure))).toEqual([]);
  });
});

describe("parseParallel", () => {
  it("passes a positive whole number and nothing when absent", () => {
    expect(parseParallel(4)).toBe(4);
    expect(parseParallel(undefined)).toBeUndefined();
  });

  it.each([0, -1, 2.5, Number.NaN])("refuses %s with exit 2", (value) => {
    const error = thrown(() => parseParallel(value));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/^--parallel: found .*; allowed: a whole number of at least 1/);
  });
});

describe("confirmationFor", () => {
  const [production] = selectEnvironments(acme, "production", { allowAll: true });
  const [development] = selectEnvironments(acme, "development", { allowAll: true });
  const input = (overrides: Partial<ConfirmationInput>): ConfirmationInput => ({
    operation: "up",
    command: "up",
    environment: development!,
    tenant: "acme",
    yes: false,
    interactive: false,
    ...overrides,
  });

  it("needs nothing for preview and refresh", () => {
    expect(confirmationFor(input({ operation: "preview" }))).toEqual({ kind: "none" });
    expect(confirmationFor(input({ operation: "refresh", environment: production! }))).toEqual({ kind: "none" });
  });

  it("lets --yes through up and a non-production destroy", () => {
    expect(confirmationFor(input({ yes: true }))).toEqual({ kind: "none" });
    expect(confirmationFor(input({ operation: "destroy", yes: true }))).toEqual({ kind: "none" });
  });

  it("asks at a terminal without --yes", () => {
    expect(confirmationFor(input({ interactive: true }))).toEqual({ kind: "yes-no", question: "Apply these changes to acme-development? [y/N] " });
    expect(confirmationFor(input({ operation: "destroy", interactive: true }))).toEqual({ kind: "yes-no", question: "Destroy every resource of acme-development? [y/N] " });
  });

  it("refuses without --yes where nobody can answer", () => {
    expect(thrown(() => confirmationFor(input({})))).toMatchObject({ exitCode: 2, message: expect.stringContaining("add --yes") as string });
    expect(thrown(() => confirmationFor(input({ operation: "destroy" })))).toMatchObject({ exitCode: 2, message: expect.stringContaining("add --yes") as string });
  });

  it("never destroys production without --yes, even at a terminal", () => {
    const error = thrown(() => confirmationFor(input({ operation: "destroy", environment: production!, interactive: true })));
    expect(error.message).toBe(
      "destroy --env production: acme-production is production; add --yes, and type the tenant's name when asked (or --confirm acme where nobody can type)",
    );
  });

  it("asks for the tenant's name at a terminal, or takes --confirm", () => {
    expect(confirmationFor(input({ operation: "destroy", environment: production!, yes: true, interactive: true }))).toMatchObject({ kind: "type-name", expected: "acme" });
    expect(confirmationFor(input({ operation: "destroy", environment: production!, yes: true, confirm: "acme" }))).toEqual({ kind: "none" });
    expect(thrown(() => confirmationFor(input({ operation: "destroy", environment: production!, yes: true })))).toMatchObject({
      message: "destroy --env production: acme-production is production; add --confirm acme to confirm it where nobody can type",
    });
  });

  it("refuses a --confirm that is not the tenant's name", () => {
    expect(thrown(() => confirmationFor(input({ operation: "destroy", environment: production!, yes: true, confirm: "acne" })))).toMatchObject({
      exitCode: 2,
      message: '--confirm: found "acne"; allowed: acme, the name of the tenant whose environment is destroyed',
    });
  });

  it("reads y and yes as yes, anything else as no", () => {
    expect(["y", "Y", "yes", " YES \n"].every(isYes)).toBe(true);
    expect(["", "n", "no", "yess", "sure"].some(isYes)).toBe(false);
  });
});
