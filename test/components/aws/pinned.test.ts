/** Zones and images are looked up once and pinned: a stack without them stops with the values and the commands that pin them. */
import { describe, expect, it } from "vitest";
import { aws } from "../../../components/aws/index.js";
import { awsMocks, OFFLINE_IMAGES } from "../../../components/aws/mocks.js";
import { AwsPlatform } from "../../../components/aws/platform.js";
import { environmentOf, registered, samplePlatforms } from "../../support/plan.js";

const platform = samplePlatforms().find((candidate) => candidate.tenant === "initech")!;
const staging = environmentOf(platform, "staging");
const run = (config: Record<string, string>) =>
  registered(staging, async () => new AwsPlatform(staging.stack, { platform, environment: staging }).outputs, { mocks: awsMocks(), config: { "aws:region": platform.region, ...config } });
const offline = aws.offlineConfig(platform, staging);

describe("pinned zones and images", () => {
  it("stops without botinfra:zones, naming the zones the lookup found and the commands that pin them", async () => {
    await expect(run({ "botinfra:images": offline["botinfra:images"]! })).rejects.toThrow(
      /botinfra:zones is not pinned in stack initech-staging's config, so nothing was built[\s\S]*pulumi config set --path 'botinfra:zones\[0\]' offline-zone-a\n\s+pulumi config set --path 'botinfra:zones\[1\]' offline-zone-b/,
    );
  });

  it("stops without an image for an architecture the environment uses, naming Debian's newest", async () => {
    await expect(run({ "botinfra:zones": offline["botinfra:zones"]!, "botinfra:images": JSON.stringify({ amd64: OFFLINE_IMAGES.amd64 }) })).rejects.toThrow(
      `pulumi config set --path 'botinfra:images.arm64' ${OFFLINE_IMAGES.arm64}    # debian-12-arm64-offline-plan`,
    );
  });

  it("refuses a zones value that is not two zone names", async () => {
    await expect(run({ ...offline, "botinfra:zones": JSON.stringify(["eu-west-1a"]) })).rejects.toThrow(/botinfra:zones must list 2 availability zone names/);
  });

  it("builds nothing while anything is unpinned", async () => {
    const resources = await run({}).catch(() => undefined);
    expect(resources).toBeUndefined();
    await expect(run({})).rejects.toThrow(/botinfra:zones and botinfra:images.amd64 and botinfra:images.arm64 are not pinned/);
  });

  it("builds with both pinned", async () => {
    const resources = await run(offline);
    expect(resources.all.filter((resource) => resource.type === "aws:ec2/instance:Instance")).toHaveLength(4);
  });
});
