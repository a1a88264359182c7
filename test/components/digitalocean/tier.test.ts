/** botinfra:digitalocean:Tier's refusals: a model error is caught before any resource is made. */
import { describe, expect, it } from "vitest";
import { DigitalOceanEnvironment } from "../../../components/digitalocean/environment.js";
import { digitalOceanMocks } from "../../../components/digitalocean/mocks.js";
import { DigitalOceanTier } from "../../../components/digitalocean/tier.js";
import type { ServerGroup } from "../../../model/platform.js";
import { environmentOf, registered, samplePlatforms } from "../../support/plan.js";

const platform = samplePlatforms().find((candidate) => candidate.tenant === "hooli")!;
const production = environmentOf(platform, "production");
const api = production.tiers.find((tier) => tier.name === "api")!;

describe("Tier refusals (hooli production api)", () => {
  const build = (group: ServerGroup) =>
    registered(
      production,
      async () => {
        const shared = new DigitalOceanEnvironment(production.name, { platform, environment: production });
        new DigitalOceanTier(group.name, { platform, environment: production, group, shared });
      },
      { mocks: digitalOceanMocks() },
    );

  it("refuses a stateless tier without a balancer, or with a public one", async () => {
    const message = "internal: the model gives tier api no internal load balancer";
    await expect(build({ ...api, loadBalancer: undefined })).rejects.toThrow(message);
    await expect(build({ ...api, loadBalancer: { ...api.loadBalancer!, public: true } })).rejects.toThrow(message);
  });
});
