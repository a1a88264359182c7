/** The shipped sample tenant moved to another cloud: region and sizes made that cloud's. */
import { CLOUD_PROFILES } from "../../model/clouds.js";
import type { Cloud, TenantSpec } from "../../model/spec.js";
import { sampleSpec } from "./specs.js";

export function sampleOn(cloud: Cloud): TenantSpec {
  const spec = sampleSpec();
  if (cloud === "azure") return spec;
  const profile = CLOUD_PROFILES[cloud];
  spec.cloud = cloud;
  spec.region = profile.regionExample;
  spec.proxy = { size: profile.sizeExample };
  for (const environment of Object.values(spec.environments)) for (const tier of Object.values(environment.tiers)) tier.size = profile.sizeExample;
  return spec;
}
