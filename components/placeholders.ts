/**
 * Public addresses for an offline plan. The cloud assigns them at `up`; a plan shows placeholders from
 * a range reserved for documentation (RFC 5737), so nobody mistakes one for a real address.
 */
import { formatAddress, mustParseCidr, size } from "../model/cidr.js";

/** TEST-NET-2. (TEST-NET-3, 203.0.113.0/24, is the sample tenant's management range.) */
export const PLACEHOLDER_RANGE = "198.51.100.0/24";

/** FNV-1a: a stable, well-spread hash of the resource's id. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) value = Math.imul(value ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return value;
}

/**
 * Hands out an address per key: the same key gets the same address in every run, whatever else the
 * plan holds, unless two keys meet on one address (the later one takes the next free address).
 */
export function placeholderAddresses(range: string): (key: string) => string {
  const cidr = mustParseCidr(range);
  const hosts = size(cidr) - 2; // neither the network's nor the broadcast address
  const taken = new Set<number>();
  return (key) => {
    const first = hash(key) % hosts;
    let offset = first;
    while (taken.has(offset)) {
      offset = (offset + 1) % hosts;
      // Every address is handed out: placeholders may repeat, they are not real anyway.
      if (offset === first) break;
    }
    taken.add(offset);
    return formatAddress(cidr.start + 1 + offset);
  };
}
