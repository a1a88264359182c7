/**
 * Tenants that share a cloud account, on a cloud that refuses overlapping networks in one account
 * (DigitalOcean): each tenant's ranges must stay clear of the others'. Tenants are taken in name
 * order: a tenant's allocation skips the ranges of the tenants before it (as planned) and the ranges
 * the tenants after it write. So no two plans overlap unless two specs write overlapping ranges, which
 * both tenants' validation refuses. Pinning a deployed tenant (`tenants pin`) keeps its ranges when a
 * tenant that sorts before it is added. Pure: the loader reads the files.
 */
import { parseCidr } from "./cidr.js";
import { CLOUD_PROFILES } from "./clouds.js";
import type { AccountRange } from "./addresses.js";
import { buildPlatform } from "./platform.js";
import type { TenantSpec } from "./spec.js";

/** Whether the two tenants' networks must be apart: same cloud, one that needs it, same account (or both the default). */
export function sharesNetworkAccount(a: TenantSpec, b: TenantSpec): boolean {
  return a.cloud === b.cloud && CLOUD_PROFILES[a.cloud].networksDisjointPerAccount && a.account === b.account && a.tenant !== b.tenant;
}

function writtenRanges(spec: TenantSpec): AccountRange[] {
  return Object.entries(spec.environments).flatMap(([environment, { cidr }]) =>
    cidr !== undefined && typeof parseCidr(cidr) !== "string" ? [{ tenant: spec.tenant, environment, cidr }] : [],
  );
}

/** The ranges `spec`'s tenant must keep clear of, from the specs of the other tenants (any list; unrelated ones are ignored). */
export function accountRangesFor(spec: TenantSpec, others: TenantSpec[]): AccountRange[] {
  const byName = new Map([spec, ...others.filter((other) => sharesNetworkAccount(spec, other))].map((tenant) => [tenant.tenant, tenant]));
  const ordered = [...byName.values()].sort((a, b) => (a.tenant < b.tenant ? -1 : a.tenant > b.tenant ? 1 : 0));
  const planned: AccountRange[] = [];
  for (const [index, tenant] of ordered.entries()) {
    const later = ordered.slice(index + 1).flatMap(writtenRanges);
    if (tenant === byName.get(spec.tenant)) return [...planned, ...later];
    const built = buildPlatform(tenant, { accountRanges: [...planned, ...later] });
    // An invalid neighbour still holds the ranges it writes; its own validation reports the rest.
    planned.push(...(built.platform ? built.platform.environments.map((environment) => ({ tenant: tenant.tenant, environment: environment.name, cidr: environment.cidr })) : writtenRanges(tenant)));
  }
  return planned;
}
