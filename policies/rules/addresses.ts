/** Where traffic comes from and which ports it reaches, as firewall rules of every cloud write them. */
import { Address4, Address6 } from "ip-address";

/**
 * `internet`: any address at all. `public`: a range of internet addresses. `private`: addresses that
 * cannot come from the internet (RFC 1918, unique-local IPv6, the cloud's own platform addresses).
 */
export type SourceKind = "internet" | "public" | "private";

const ANYWHERE = new Set(["*", "any", "internet", "0.0.0.0/0", "::/0"]);
/** Azure service tags that stand for the virtual network itself and Azure's load balancer probes. */
const PRIVATE_SERVICE_TAGS = new Set(["virtualnetwork", "azureloadbalancer"]);
const PRIVATE_V4 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16", "168.63.129.16/32"].map(
  (range) => new Address4(range),
);
const PRIVATE_V6 = ["fc00::/7", "fe80::/10", "::1/128"].map((range) => new Address6(range));

export function sourceKind(source: string): SourceKind {
  const text = source.trim().toLowerCase();
  if (ANYWHERE.has(text)) return "internet";
  if (PRIVATE_SERVICE_TAGS.has(text)) return "private";
  if (Address4.isValid(text)) return PRIVATE_V4.some((range) => new Address4(text).isInSubnet(range)) ? "private" : "public";
  if (Address6.isValid(text)) return PRIVATE_V6.some((range) => new Address6(text).isInSubnet(range)) ? "private" : "public";
  // Any other service tag or name (AzureCloud, Storage, ...) stands for addresses outside the network.
  return "public";
}

/** Whether `source` lies inside one of `ranges` (IPv4 ranges or addresses). */
export function withinRanges(source: string, ranges: readonly string[]): boolean {
  const text = source.trim();
  if (!Address4.isValid(text)) return false;
  const address = new Address4(text);
  return ranges.some((range) => Address4.isValid(range) && address.isInSubnet(new Address4(range)));
}

/** IPv4 ranges overlap when either holds the other's first address. */
export function rangesOverlap(a: string, b: string): boolean {
  if (!Address4.isValid(a) || !Address4.isValid(b)) return false;
  const first = new Address4(a);
  const second = new Address4(b);
  return first.isInSubnet(second) || second.isInSubnet(first);
}

export interface PortRange {
  from: number;
  to: number;
}

export const ALL_PORTS: PortRange = { from: 0, to: 65535 };

/** `22`, `8000-9000`, `*`, `all`: the forms Azure and DigitalOcean write port ranges in. */
export function parsePortRange(text: string): PortRange | undefined {
  const value = text.trim().toLowerCase();
  if (value === "*" || value === "all" || value === "0") return ALL_PORTS;
  const match = /^(\d+)(?:-(\d+))?$/.exec(value);
  if (!match) return undefined;
  const from = Number(match[1]);
  const to = match[2] === undefined ? from : Number(match[2]);
  return from <= to ? { from, to } : undefined;
}

export function coversPort(range: PortRange, port: number): boolean {
  return range.from <= port && port <= range.to;
}

/** Whether the range reaches any port outside `allowed`. */
export function reachesOtherPorts(range: PortRange, allowed: readonly number[]): boolean {
  const allowedInside = new Set(allowed.filter((port) => coversPort(range, port)));
  return range.to - range.from + 1 > allowedInside.size;
}

export function describePorts(range: PortRange): string {
  if (range.from <= 1 && range.to >= 65535) return "all ports";
  return range.from === range.to ? `port ${range.from}` : `ports ${range.from}-${range.to}`;
}
