/**
 * The AWS components' internal guards: a model they cannot build (which botinfra's model never gives
 * them) or an answer from AWS they do not expect stops the program with what is wrong, before anything
 * is half-built or built from undefined values.
 */
import type * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { AwsEnvironment } from "../../../components/aws/environment.js";
import { aws } from "../../../components/aws/index.js";
import { awsMocks, OFFLINE_IMAGES } from "../../../components/aws/mocks.js";
import type { Pins } from "../../../components/aws/pinned.js";
import { AwsPlatform } from "../../../components/aws/platform.js";
import { AwsTier } from "../../../components/aws/tier.js";
import type { Environment, ServerGroup } from "../../../model/platform.js";
import { environmentOf, registered, samplePlatforms } from "../../support/plan.js";

const platform = samplePlatforms().find((candidate) => candidate.tenant === "initech")!;
const staging = environmentOf(platform, "staging");
const tier = (name: string) => staging.tiers.find((candidate) => candidate.name === name)!;
const PINS: Pins = { zones: ["eu-west-1a", "eu-west-1b"], images: { ...OFFLINE_IMAGES } };

/** The message the program stops with, or "built" when it does not stop. */
async function stopOf(program: () => unknown, mocks: pulumi.runtime.Mocks = awsMocks()): Promise<string> {
  return registered(staging, async () => program(), { mocks, config: aws.offlineConfig(platform, staging) as Record<string, string> }).then(
    () => "built",
    (error: Error) => error.message,
  );
}

/** One tier built on a real environment (with `pins` pinned) from the group as changed. */
const tierOf = (group: ServerGroup, pins: Pins = PINS, environment: Environment = staging) =>
  stopOf(() => new AwsTier(group.name, { platform, environment, group, shared: new AwsEnvironment(environment.name, { platform, environment, pins }) }));

describe("the AWS components' internal guards", () => {
  const stops = new Map<string, string>();
  beforeAll(async () => {
    const chat = tier("chat");
    stops.set("no balancer", await tierOf({ ...chat, loadBalancer: undefined }));
    stops.set("public balancer", await tierOf({ ...chat, loadBalancer: { ...chat.loadBalancer!, public: true } }));
    stops.set("no subnet", await tierOf({ ...chat, subnet: undefined }));
    stops.set("no zone", await tierOf({ ...chat, hosts: chat.hosts.map((host) => ({ ...host, zone: undefined })) }));
    stops.set("no image", await tierOf(tier("brain"), { ...PINS, images: { amd64: OFFLINE_IMAGES.amd64 } }));
    stops.set("no security group", await tierOf({ ...chat, name: "ghost" }));
    stops.set("no edge subnet", await stopOf(() => new AwsEnvironment(staging.name, { platform, environment: { ...staging, proxy: { ...staging.proxy, subnet: undefined } }, pins: PINS })));
    // AWS's answer for a balancer without the addresses it was given.
    const mocks = awsMocks();
    const unaddressed: pulumi.runtime.Mocks = {
      ...mocks,
      newResource: async (args) => {
        const answer = await mocks.newResource(args);
        return args.type === "aws:lb/loadBalancer:LoadBalancer" ? { ...answer, state: { ...answer.state, subnetMappings: [] } } : answer;
      },
    };
    stops.set("balancer without address", await stopOf(() => new AwsPlatform(staging.stack, { platform, environment: staging }).outputs, unaddressed));
  }, 60_000);

  it("refuses a tier with neither an internal balancer nor state, and one with a public balancer", () => {
    expect(stops.get("no balancer")).toBe("internal: the model gives tier chat no internal load balancer");
    expect(stops.get("public balancer")).toBe("internal: the model gives tier chat no internal load balancer");
  });

  it("refuses a group without a subnet, a server without a zone, an environment without an edge subnet", () => {
    expect(stops.get("no subnet")).toBe("internal: the model gives chat no subnet on AWS");
    expect(stops.get("no zone")).toBe("internal: the model gives initech-staging-chat-1 no zone or private address on AWS");
    expect(stops.get("no edge subnet")).toBe("internal: the model gives staging's proxy no edge subnet on AWS");
  });

  it("refuses a server whose architecture has no pinned image, and a group the environment made no security group for", () => {
    expect(stops.get("no image")).toBe("internal: no arm64 image is pinned for t4g.small");
    expect(stops.get("no security group")).toBe("internal: the environment has no security group for ghost");
  });

  it("stops when AWS reports a balancer without its address in the first zone", () => {
    expect(stops.get("balancer without address")).toContain("internal: AWS reported load balancer initech-staging-chat-lb without its address in the first zone");
  });
});
