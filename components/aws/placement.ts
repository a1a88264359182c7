/**
 * How a group's servers are kept apart: a spread placement group puts each on its own rack, but AWS
 * allows at most 7 running instances per zone in one; a group with more per zone gets a partition
 * group instead (racks shared within a partition, never across). Decided here from the model's count,
 * so that a large tier is never a deployment-time failure. Pure.
 */
import { HALF_COUNT } from "../../model/addresses.js";
import type { ServerGroup } from "../../model/platform.js";

/** AWS's limits: running instances per zone in a rack-spread group, partitions per zone. */
export const SPREAD_MAX_PER_ZONE = 7;
export const PARTITIONS_MAX = 7;

export type Placement = { strategy: "spread"; spreadLevel: "rack" } | { strategy: "partition"; partitionCount: number };

export function placementOf(group: Pick<ServerGroup, "hosts">): Placement {
  const perZone = Array.from({ length: HALF_COUNT }, (_, zone) => group.hosts.filter((host) => (host.zone ?? 0) === zone).length);
  if (Math.max(...perZone) <= SPREAD_MAX_PER_ZONE) return { strategy: "spread", spreadLevel: "rack" };
  return { strategy: "partition", partitionCount: PARTITIONS_MAX };
}
