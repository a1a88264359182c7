/**
 * Every name the model hands to a cloud, and the check that the tenant's cloud accepts it. Pure: the
 * same spec gives the same names on every run, and a name never depends on another group's.
 */
import { CLOUD_PROFILES, NAME_KIND_TITLES, type NameKind } from "./clouds.js";
import type { Cloud } from "./spec.js";

export interface EnvironmentNames {
  /** The resource group, project or tag group; also the stack's name: `<tenant>-<env>`. */
  group: string;
  network: string;
  natGateway: string;
}

export interface GroupNames {
  subnet: string;
  securityGroup: string;
  haGroup: string;
  loadBalancer: string;
  targetGroup: string;
}

export function environmentNames(tenant: string, environment: string): EnvironmentNames {
  const base = `${tenant}-${environment}`;
  return { group: base, network: `${base}-net`, natGateway: `${base}-nat` };
}

export function groupNames(tenant: string, environment: string, group: string): GroupNames {
  const base = `${tenant}-${environment}-${group}`;
  return { subnet: base, securityGroup: `${base}-fw`, haGroup: `${base}-ha`, loadBalancer: `${base}-lb`, targetGroup: `${base}-tg` };
}

/** The n-th server (1-based) of a group. */
export function hostName(tenant: string, environment: string, group: string, number: number): string {
  return `${tenant}-${environment}-${group}-${number}`;
}

/** A stateful server's data disk: its own resource, so that it outlives the server. */
export function dataDiskName(host: string): string {
  return `${host}-data`;
}

/** `<env>.<tenant>.internal`: the environment's private DNS zone. */
export function dnsZoneName(tenant: string, environment: string): string {
  return `${environment}.${tenant}.internal`;
}

/** Reports a name the tenant's cloud would refuse: too long, or with a prefix the cloud keeps. */
export function checkName(cloud: Cloud, kind: NameKind, name: string, path: (string | number)[], report: (path: (string | number)[], message: string) => void) {
  const profile = CLOUD_PROFILES[cloud];
  const limit = profile.nameLimits[kind];
  if (name.length > limit) {
    report(path, `makes the ${profile.title} ${NAME_KIND_TITLES[kind]} name "${name}" (${name.length} characters); ${profile.title} allows at most ${limit}: shorten the tenant, environment or tier name`);
  }
  const prefix = profile.refusedNamePrefixes[kind];
  if (prefix !== undefined && name.startsWith(prefix)) {
    report(path, `makes the ${profile.title} ${NAME_KIND_TITLES[kind]} name "${name}", which starts with "${prefix}"; ${profile.title} keeps that prefix: rename the tenant`);
  }
}
