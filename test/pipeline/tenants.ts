/** Tenants on every cloud for the pipeline renderers' tests: the sample on Azure, its shape on AWS and DigitalOcean. */
import { buildPlatform, type Platform } from "../../model/platform.js";
import { parseTenantSpec, type TenantSpec } from "../../model/spec.js";
import type { PipelineOptions } from "../../cli/pipeline/stacks.js";
import { sampleSpec } from "../support/specs.js";

export const OPTIONS: PipelineOptions = { tenantsDir: "stacks/tenants", defaultBranch: "main", pulumiVersion: "3.248.0", driftSchedule: "17 5 * * *" };

function platformOf(spec: TenantSpec): Platform {
  const parsed = parseTenantSpec(spec);
  if (!parsed.spec) throw new Error(JSON.stringify(parsed.issues));
  const built = buildPlatform(parsed.spec);
  if (!built.platform) throw new Error(JSON.stringify(built.issues));
  return built.platform;
}

/** acme on Azure, globex on AWS and initech on DigitalOcean, each of the last two with staging and production. */
export function threeClouds(): Platform[] {
  const acme = sampleSpec();
  const other = (tenant: string, cloud: TenantSpec["cloud"], region: string, size: string): TenantSpec => ({
    ...acme,
    tenant,
    cloud,
    region,
    proxy: { size },
    environments: { production: { tiers: { web: { count: 2, size, port: 3000, expose: "@" } } }, staging: { tiers: { web: { count: 1, size, port: 3000, expose: "@" } } } },
  });
  return [platformOf(acme), platformOf(other("globex", "aws", "eu-west-1", "t3.small")), platformOf(other("initech", "digitalocean", "ams3", "s-1vcpu-2gb"))];
}
