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
import { parseSshPublicKey } from "./ssh.js";

/** Name order; the tenants compared are always distinct (one spec a name). */
const byTenantName = (a: TenantSpec, b: TenantSpec) => (a.tenant < b.tenant ? -1 : 1);

/** Whether two tenants deploy into one account: same cloud, same account (or both the default one). */
function sameAccount(a: TenantSpec, b: TenantSpec): boolean {
  return a.cloud === b.cloud && a.account === b.account && a.tenant !== b.tenant;
}

/** Whether the two tenants' networks must be apart: one account, on a cloud that needs it. */
export function sharesNetworkAccount(a: TenantSpec, b: TenantSpec): boolean {
  return sameAccount(a, b) && CLOUD_PROFILES[a.cloud].networksDisjointPerAccount;
}

/** The bodies of a spec's keys that parse; an unparsable one is its own tenant's validation problem. */
const keyBodies = (spec: TenantSpec) => spec.admin.sshPublicKeys.flatMap((text) => parseSshPublicKey(text).key?.body ?? []);

/**
 * The tenant's admin keys that another tenant of the account uploads, on a cloud that holds a key once
 * per account: of the tenants that list a key, the first by name uploads it; the others name it only.
 */
export function keysUploadedElsewhere(spec: TenantSpec, others: TenantSpec[]): Record<string, string> {
  if (!CLOUD_PROFILES[spec.cloud].sshKeysOncePerAccount) return {};
  const earlier = others.filter((other) => sameAccount(spec, other) && other.tenant < spec.tenant).sort(byTenantName);
  const uploaded: Record<string, string> = {};
  for (const body of keyBodies(spec)) {
    const owner = earlier.find((other) => keyBodies(other).includes(body));
    if (owner) uploaded[body] = owner.tenant;
  }
  return uploaded;
}

function writtenRanges(spec: TenantSpec): AccountRange[] {
  return Object.entries(spec.environments).flatMap(([environment, { cidr }]) =>
    cidr !== undefined && typeof parseCidr(cidr) !== "string" ? [{ tenant: spec.tenant, environment, cidr }] : [],
  );
}

/** The ranges `spec`'s tenant must keep clear of, from the specs of the other tenants (any list; unrelated ones are ignored). */
export function accountRangesFor(spec: TenantSpec, others: TenantSpec[]): AccountRange[] {
  const byName = new Map([spec, ...others.filter((other) => sharesNetworkAccount(spec, other))].map((tenant) => [tenant.tenant, tenant]));
  const ordered = [...byName.values()].sort(byTenantName);
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
