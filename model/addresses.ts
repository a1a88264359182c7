/**
 * The address plan, apart from everything else the model derives (as pulumi-awsx keeps its subnet
 * allocator apart from its VPC): each environment's range, and on clouds with subnets one /24 per
 * group, split in two halves, with fixed places for load balancers and servers. Pure.
 */
import { containsCidr, end, formatAddress, formatCidr, isPrivate, mustParseCidr, overlaps, parseCidr, size, subnetAt, type Cidr } from "./cidr.js";
import { describeValue } from "./errors.js";
import { SUBNET_PREFIX, type TenantSpec, type TierSpec } from "./spec.js";

export { SUBNET_PREFIX };
/** Each /24 is split in two halves: on AWS each is an availability zone's subnet. */
export const HALF_COUNT = 2;
export const HALF_PREFIX = SUBNET_PREFIX + Math.log2(HALF_COUNT);
/** Azure and AWS keep the first four addresses and the last of every subnet (and of each half, on AWS). */
export const RESERVED_HEAD = 4;
export const RESERVED_TAIL = 1;
/** Per half: the load balancer's frontend takes the first free address, servers follow. */
export const SERVERS_PER_HALF = 2 ** (32 - HALF_PREFIX) - RESERVED_HEAD - RESERVED_TAIL - 1;
export const SERVERS_PER_SUBNET = SERVERS_PER_HALF * HALF_COUNT;
/** Environments without a `cidr` get the first free /16 from here on; 10.0-10.19 are left to offices and VPNs. */
export const ALLOCATION_START = "10.20.0.0/16";
export const ALLOCATION_POOL = "10.0.0.0/8";
export const ENVIRONMENT_PREFIX_RANGE = { min: 16, max: 22 } as const;

export type Report = (path: (string | number)[], message: string) => void;

/** One half of a group's subnet. */
export interface SubnetHalf {
  index: number;
  cidr: string;
  /** Where the group's load balancer answers in this half (AWS gives a network load balancer one address per zone). */
  loadBalancerIp: string;
}

export interface GroupSubnet {
  cidr: string;
  /** Whether the spec wrote the range, or botinfra allocated it. */
  pinned: boolean;
  halves: SubnetHalf[];
}

/** Written ranges are checked; missing ones get the first free /16 from ALLOCATION_START, in spec order. */
export function planEnvironmentRanges(spec: TenantSpec, report: Report): Map<string, Cidr> {
  const planned = new Map<string, Cidr>();
  const written: [string, Cidr][] = [];
  for (const [envName, environment] of Object.entries(spec.environments)) {
    if (environment.cidr === undefined) continue;
    const path = ["environments", envName, "cidr"];
    const cidr = parseCidr(environment.cidr);
    if (typeof cidr === "string") {
      report(path, `found ${describeValue(environment.cidr)}: ${cidr}`);
      continue;
    }
    const { min, max } = ENVIRONMENT_PREFIX_RANGE;
    const subnetsNeeded = 1 + Object.keys(environment.tiers).length;
    if (!isPrivate(cidr)) {
      report(path, `found ${describeValue(environment.cidr)}; allowed: a private range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16`);
    } else if (cidr.prefix < min || cidr.prefix > max) {
      report(path, `found ${describeValue(environment.cidr)}; allowed: a range from /${min} to /${max}`);
    } else if (subnetsNeeded > size(cidr) / 2 ** (32 - SUBNET_PREFIX)) {
      report(path, `found ${describeValue(environment.cidr)}; allowed: a range with room for ${subnetsNeeded} /${SUBNET_PREFIX} subnets (the proxy's and one per tier)`);
    } else {
      const clash = written.find(([, other]) => overlaps(other, cidr));
      if (clash) report(path, `found ${describeValue(environment.cidr)}, which overlaps environments.${clash[0]}.cidr (${formatCidr(clash[1])}); allowed: a range no other environment uses`);
      else written.push([envName, cidr]);
    }
    planned.set(envName, cidr);
  }
  const pool = mustParseCidr(ALLOCATION_POOL);
  let candidate: Cidr | undefined = mustParseCidr(ALLOCATION_START);
  for (const envName of Object.keys(spec.environments)) {
    if (planned.has(envName)) continue;
    while (candidate && written.some(([, taken]) => overlaps(taken, candidate!))) candidate = nextRange(candidate, pool);
    if (!candidate) {
      report(["environments", envName], `has no cidr, and ${ALLOCATION_POOL} has no free /16 left from ${ALLOCATION_START}; allowed: write a cidr for it`);
      continue;
    }
    planned.set(envName, candidate);
    written.push([envName, candidate]);
    candidate = nextRange(candidate, pool);
  }
  return planned;
}

function nextRange(cidr: Cidr, pool: Cidr): Cidr | undefined {
  const next = { start: end(cidr) + 1, prefix: cidr.prefix };
  return containsCidr(pool, next) ? next : undefined;
}

/**
 * The edge subnet (the environment's first /24) and one /24 per tier. A tier's pinned `cidr` is kept
 * wherever it is; the others take the first free /24 in spec order. Pinning every tier (`botinfra
 * tenants pin`) makes each tier's subnet independent of the others: removing or reordering tiers then
 * moves nothing.
 */
export function planTierSubnets(
  envPath: (string | number)[],
  range: Cidr,
  tiers: [string, TierSpec][],
  report: Report,
): { edge: Cidr; tiers: Map<string, { cidr: Cidr; pinned: boolean }> } {
  const edge = subnetAt(range, SUBNET_PREFIX, 0);
  const taken: Cidr[] = [edge];
  const planned = new Map<string, { cidr: Cidr; pinned: boolean }>();
  for (const [tierName, tier] of tiers) {
    if (tier.cidr === undefined) continue;
    const path = [...envPath, "tiers", tierName, "cidr"];
    const cidr = parseCidr(tier.cidr);
    const allowedHere = `allowed: a /${SUBNET_PREFIX} inside the environment's range ${formatCidr(range)}, not its first /${SUBNET_PREFIX} (${formatCidr(edge)}, the proxy's)`;
    if (typeof cidr === "string") report(path, `found ${describeValue(tier.cidr)}: ${cidr}`);
    else if (cidr.prefix !== SUBNET_PREFIX || !containsCidr(range, cidr) || overlaps(cidr, edge)) report(path, `found ${describeValue(tier.cidr)}; ${allowedHere}`);
    else {
      const clash = [...planned].find(([, other]) => overlaps(other.cidr, cidr));
      if (clash) report(path, `found ${describeValue(tier.cidr)}, which ${[...envPath, "tiers", clash[0], "cidr"].join(".")} uses too; allowed: a range no other tier uses`);
      else {
        planned.set(tierName, { cidr, pinned: true });
        taken.push(cidr);
      }
    }
  }
  const capacity = size(range) / 2 ** (32 - SUBNET_PREFIX);
  let index = 1;
  for (const [tierName, tier] of tiers) {
    if (tier.cidr !== undefined) continue;
    while (index < capacity && taken.some((cidr) => overlaps(cidr, subnetAt(range, SUBNET_PREFIX, index)))) index += 1;
    if (index >= capacity) {
      report([...envPath, "tiers", tierName], `has no cidr, and the environment's range ${formatCidr(range)} has no free /${SUBNET_PREFIX} left; allowed: a larger environment range, or fewer tiers`);
      continue;
    }
    const cidr = subnetAt(range, SUBNET_PREFIX, index);
    planned.set(tierName, { cidr, pinned: false });
    taken.push(cidr);
  }
  return { edge, tiers: planned };
}

/** A group's /24 as the model lays it out: two halves, each with its load balancer address. */
export function groupSubnet(cidr: Cidr, pinned: boolean): GroupSubnet {
  return {
    cidr: formatCidr(cidr),
    pinned,
    halves: Array.from({ length: HALF_COUNT }, (_, index) => {
      const half = subnetAt(cidr, HALF_PREFIX, index);
      return { index, cidr: formatCidr(half), loadBalancerIp: formatAddress(half.start + RESERVED_HEAD) };
    }),
  };
}

/** The n-th server of a group (0-based): servers alternate between the halves, after each half's load balancer address. */
export function serverPlace(cidr: Cidr, index: number): { half: number; address: string } {
  const half = index % HALF_COUNT;
  const start = subnetAt(cidr, HALF_PREFIX, half).start;
  return { half, address: formatAddress(start + RESERVED_HEAD + 1 + Math.floor(index / HALF_COUNT)) };
}
