/** Zones and images are looked up once and pinned: a stack without them stops with the values and the commands that pin them. */
import type * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/aws/provider.js";
import { beforeAll, describe, expect, it } from "vitest";
import { aws } from "../../../components/aws/index.js";
import { awsMocks, OFFLINE_IMAGES } from "../../../components/aws/mocks.js";
import { architecturesOf } from "../../../components/aws/pinned.js";
import { AwsPlatform } from "../../../components/aws/platform.js";
import type { Environment, Platform } from "../../../model/platform.js";
import { environmentOf, registered, samplePlatforms } from "../../support/plan.js";
import { debianImageQuery } from "../../support/aws-images.js";
import { platformOf, sampleSpec } from "../../support/specs.js";

const platform = samplePlatforms().find((candidate) => candidate.tenant === "initech")!;
const staging = environmentOf(platform, "staging");
const run = (config: Record<string, string>) =>
  registered(staging, async () => new AwsPlatform(staging.stack, { platform, environment: staging }).outputs, { mocks: awsMocks(), config: { "aws:region": platform.region, ...config } });
const offline = aws.offlineConfig(platform, staging);
/** The message the stack stops with (none when it builds). */
const refusal = (config: Record<string, string>) =>
  run(config).then(
    () => undefined,
    (error: Error) => error.message,
  );

/** Initech with every server of one size. */
function initechOf(size: string): Platform {
  const spec = sampleSpec("initech");
  spec.proxy = { size };
  for (const environment of Object.values(spec.environments)) for (const tier of Object.values(environment.tiers)) tier.size = size;
  return platformOf(spec);
}

const PIN_ZONES = "pulumi config set --path 'botinfra:zones[0]' offline-zone-a\n  pulumi config set --path 'botinfra:zones[1]' offline-zone-b";
const PIN_AMD64 = `pulumi config set --path 'botinfra:images.amd64' ${OFFLINE_IMAGES.amd64}    # debian-12-amd64-offline-plan`;
const PIN_ARM64 = `pulumi config set --path 'botinfra:images.arm64' ${OFFLINE_IMAGES.arm64}    # debian-12-arm64-offline-plan`;
const AGAIN = "once (these are the values AWS reports now), then run again:\n  ";

describe("pinned zones and images", () => {
  it("stops without botinfra:zones, naming the zones the lookup found and the commands that pin them", async () => {
    expect(await refusal({ "botinfra:images": offline["botinfra:images"]! })).toBe(
      `botinfra:zones is not pinned in stack initech-staging's config, so nothing was built; pin it ${AGAIN}${PIN_ZONES}`,
    );
  });

  it("stops without an image for an architecture the environment uses, naming Debian's newest", async () => {
    expect(await refusal({ "botinfra:zones": offline["botinfra:zones"]!, "botinfra:images": JSON.stringify({ amd64: OFFLINE_IMAGES.amd64 }) })).toBe(
      `botinfra:images.arm64 is not pinned in stack initech-staging's config, so nothing was built; pin it ${AGAIN}${PIN_ARM64}`,
    );
  });

  it("refuses a zones value that is not two zone names", async () => {
    for (const zones of [["eu-west-1a"], ["eu-west-1a", ""], [["eu-west-1a"], "eu-west-1b"], ["eu-west-1a", 1]]) {
      expect(await refusal({ ...offline, "botinfra:zones": JSON.stringify(zones) }), JSON.stringify(zones)).toBe(
        'botinfra:zones must list 2 availability zone names, such as ["eu-west-1a", "eu-west-1b"]',
      );
    }
  });

  it("refuses an image that is not an AMI id, or only holds one", async () => {
    for (const arm64 of ["debian-12-arm64", "xami-0123456789abcdef0", "ami-0123456789abcdef0 ", "ami-0123456789abcdef0\n--x", "ami-0123456"]) {
      expect(await refusal({ ...offline, "botinfra:images": JSON.stringify({ amd64: OFFLINE_IMAGES.amd64, arm64 }) }), arm64).toBe(
        "botinfra:images.arm64 must be an AMI id such as ami-0123456789abcdef0",
      );
    }
  });

  it("builds nothing while anything is unpinned", async () => {
    const resources = await run({}).catch(() => undefined);
    expect(resources).toBeUndefined();
    expect(await refusal({})).toBe(
      `botinfra:zones and botinfra:images.amd64 and botinfra:images.arm64 are not pinned in stack initech-staging's config, so nothing was built; pin them ${AGAIN}${PIN_ZONES}\n  ${PIN_AMD64}\n  ${PIN_ARM64}`,
    );
  });

  it("builds with both pinned", async () => {
    const resources = await run(offline);
    expect(resources.all.filter((resource) => resource.type === "aws:ec2/instance:Instance")).toHaveLength(4);
  });

  it("sets the stack's region", () => {
    expect(aws.stackConfig(platform, staging)).toEqual({ "aws:region": { value: "eu-west-1" } });
  });

  it("plans offline in the region's first two zones, with the offline images", () => {
    expect(aws.offlineConfig(platform, staging)).toEqual({
      "aws:region": "eu-west-1",
      "botinfra:zones": '["eu-west-1a","eu-west-1b"]',
      "botinfra:images": '{"amd64":"ami-00000000000000001","arm64":"ami-00000000000000002"}',
    });
  });
});

describe("the lookups of what is unpinned", () => {
  const calls: pulumi.runtime.MockCallArgs[] = [];
  let amd64Only: unknown;
  beforeAll(async () => {
    // The stack's root is given an AWS provider (a region of its own): the lookups must run in it.
    const mocks = awsMocks();
    const recording: pulumi.runtime.Mocks = {
      newResource: (args) => (args.type === "pulumi:providers:aws" ? { id: "provider-id", state: args.inputs } : mocks.newResource(args)),
      call: (args) => {
        calls.push(args);
        return mocks.call(args);
      },
    };
    const program = async () => {
      const provider = new Provider("eu-west-1", { region: "eu-west-1" });
      return new AwsPlatform(staging.stack, { platform, environment: staging }, { providers: [provider] }).outputs;
    };
    await registered(staging, program, { mocks: recording, config: { "aws:region": platform.region } }).catch(() => undefined);
    const amd64 = initechOf("t3.small");
    const environment: Environment = environmentOf(amd64, "staging");
    amd64Only = await registered(environment, async () => new AwsPlatform(environment.stack, { platform: amd64, environment }).outputs, { mocks: awsMocks(), config: { "aws:region": amd64.region } }).catch(
      (error: unknown) => error,
    );
  }, 30_000);

  it("asks for the region's available zones, not local or wavelength zones", () => {
    expect(calls.filter((call) => call.token === "aws:index/getAvailabilityZones:getAvailabilityZones").map((call) => call.inputs)).toEqual([
      { state: "available", filters: [{ name: "zone-type", values: ["availability-zone"] }] },
    ]);
  });

  it("asks for the newest dated Debian 12 release per architecture, published by Debian's own account", () => {
    const images = calls.filter((call) => call.token === "aws:ec2/getAmi:getAmi").map((call) => call.inputs);
    expect(images).toEqual([debianImageQuery("amd64", "x86_64"), debianImageQuery("arm64", "arm64")]);
  });

  it("runs every lookup in the provider the stack's root is given", () => {
    expect(calls).toHaveLength(3);
    for (const call of calls) expect(call.provider, call.token).toMatch(/pulumi:providers:aws::eu-west-1::provider-id$/);
  });

  it("asks only for the images of the architectures the environment's sizes need", () => {
    expect((amd64Only as Error).message).toBe(
      `botinfra:zones and botinfra:images.amd64 are not pinned in stack initech-staging's config, so nothing was built; pin them ${AGAIN}${PIN_ZONES}\n  ${PIN_AMD64}`,
    );
    expect(architecturesOf(environmentOf(initechOf("t4g.small"), "production"))).toEqual(["arm64"]);
    expect(architecturesOf(environmentOf(initechOf("t3.small"), "production"))).toEqual(["amd64"]);
    expect(architecturesOf(environmentOf(platform, "production"))).toEqual(["amd64", "arm64"]);
  });
});
