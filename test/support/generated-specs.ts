/** Generated tenant specs for the model's property tests: valid ones of every cloud and shape. */
import fc from "fast-check";
import { buildPlatform, type Platform } from "../../model/platform.js";
import type { Cloud, TenantSpec } from "../../model/spec.js";
import { VALID_SSH_KEY } from "./specs.js";

const SAMPLE_VALUES: Record<Cloud, { region: string; size: string }> = {
  azure: { region: "westeurope", size: "Standard_B2s" },
  aws: { region: "eu-west-1", size: "t3.small" },
  digitalocean: { region: "ams3", size: "s-1vcpu-2gb" },
};

const groupName = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/).filter((name) => !["all", "ungrouped", "proxy"].includes(name));

/** Valid specs: distinct names, explicit ranges from a pool of distinct /16s or none, counts up to a subnet's capacity. */
export const validSpec: fc.Arbitrary<TenantSpec> = fc
  .record({
    // AWS keeps names starting with "aws" for itself, and security group names starting with "sg-" (tenant
    // "sg" makes "sg-<env>-proxy-fw"): tenants so named are refused there (tests of their own).
    tenant: fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/).filter((name) => !name.startsWith("aws") && name !== "sg"),
    cloud: fc.constantFrom<Cloud>("azure", "aws", "digitalocean"),
    names: fc.uniqueArray(groupName, { minLength: 2, maxLength: 12 }),
    environmentCount: fc.integer({ min: 1, max: 4 }),
    tierCounts: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 4, maxLength: 4 }),
    serverCounts: fc.array(fc.integer({ min: 1, max: 244 }), { minLength: 24, maxLength: 24 }),
    explicitRanges: fc.array(fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }), { minLength: 4, maxLength: 4 }),
    exposed: fc.array(fc.boolean(), { minLength: 24, maxLength: 24 }),
    callers: fc.array(fc.boolean(), { minLength: 24, maxLength: 24 }),
    proxyCount: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
  })
  .filter(({ names, environmentCount }) => names.length > environmentCount)
  .map(({ tenant, cloud, names, environmentCount, tierCounts, serverCounts, explicitRanges, exposed, callers, proxyCount }) => {
    const environmentNames = names.slice(0, environmentCount);
    const tierNames = names.slice(environmentCount);
    const usedRanges = new Set<number>();
    const environments = Object.fromEntries(
      environmentNames.map((envName, e) => {
        const slot = explicitRanges[e] === undefined ? undefined : explicitRanges[e]! % 16;
        const cidr = slot !== undefined && !usedRanges.has(slot) ? `172.${16 + slot}.0.0/16` : undefined;
        if (slot !== undefined) usedRanges.add(slot);
        const tiers = Object.fromEntries(
          tierNames.slice(0, tierCounts[e]).map((tierName, t) => [
            tierName,
            {
              count: serverCounts[e * 6 + t]!,
              size: SAMPLE_VALUES[cloud].size,
              port: 3000 + t,
              // Every fifth tier keeps state; the others may be exposed and may name their callers.
              ...((e * 6 + t) % 5 === 4
                ? { stateful: true }
                : {
                    ...(exposed[e * 6 + t] ? { expose: t === 0 ? "@" : tierName } : {}),
                    ...(t > 0 && callers[e * 6 + t] ? { from: [tierNames[0]!] } : {}),
                  }),
            },
          ]),
        );
        return [envName, { ...(cidr ? { cidr } : {}), tiers }];
      }),
    );
    return {
      tenant,
      cloud,
      region: SAMPLE_VALUES[cloud].region,
      domain: `${tenant}.example.com`,
      admin: { username: "botadmin", sshPublicKeys: [VALID_SSH_KEY] },
      managementCidrs: ["203.0.113.0/24"],
      ...(proxyCount ? { proxy: { count: proxyCount } } : {}),
      environments,
    } satisfies TenantSpec;
  });

export function mustBuild(spec: TenantSpec): Platform {
  const result = buildPlatform(spec);
  if (!result.platform) throw new Error(`expected a valid spec: ${JSON.stringify(result.issues)}`);
  return result.platform;
}

