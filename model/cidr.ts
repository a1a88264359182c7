/** IPv4 range arithmetic for the address plan, on top of ip-address's parsing and formatting. */
import { Address4 } from "ip-address";

export interface Cidr {
  /** First address of the range, as an unsigned 32-bit number. */
  start: number;
  prefix: number;
}

/** Parses `a.b.c.d/n`; returns a reason instead when it is not a range in network form. */
export function parseCidr(text: string): Cidr | string {
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(text) || !Address4.isValid(text)) {
    return "is not an IPv4 range in the form a.b.c.d/n";
  }
  const address = new Address4(text);
  const start = Number(address.startAddress().bigInt());
  if (Number(address.bigInt()) !== start) {
    return `has host bits set; the range is ${formatCidr({ start, prefix: address.subnetMask })}`;
  }
  return { start, prefix: address.subnetMask };
}

export function mustParseCidr(text: string): Cidr {
  const cidr = parseCidr(text);
  if (typeof cidr === "string") throw new Error(`internal: ${text} ${cidr}`);
  return cidr;
}

export function formatCidr(cidr: Cidr): string {
  return `${formatAddress(cidr.start)}/${cidr.prefix}`;
}

export function formatAddress(value: number): string {
  return Address4.fromBigInt(BigInt(value)).correctForm();
}

export function parseAddress(text: string): number {
  return Number(new Address4(text).bigInt());
}

export function size(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

export function end(cidr: Cidr): number {
  return cidr.start + size(cidr) - 1;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.start <= end(b) && b.start <= end(a);
}

export function containsCidr(outer: Cidr, inner: Cidr): boolean {
  return inner.start >= outer.start && end(inner) <= end(outer);
}

export function containsAddress(cidr: Cidr, address: number): boolean {
  return address >= cidr.start && address <= end(cidr);
}

/** The index-th range of the given prefix inside `cidr`. */
export function subnetAt(cidr: Cidr, prefix: number, index: number): Cidr {
  const subnet = { start: cidr.start + index * 2 ** (32 - prefix), prefix };
  if (prefix < cidr.prefix || !containsCidr(cidr, subnet)) {
    throw new Error(`internal: subnet ${index} of /${prefix} does not fit ${formatCidr(cidr)}`);
  }
  return subnet;
}

const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map(mustParseCidr);

/** RFC 1918: the only ranges a tenant's private networks may use. */
export function isPrivate(cidr: Cidr): boolean {
  return PRIVATE_RANGES.some((range) => containsCidr(range, cidr));
}
