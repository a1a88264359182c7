/** Addresses and host names as text from outside (stack outputs): checked before anything uses them. */

const OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);
const DNS_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const DNS_NAME = new RegExp(`^${DNS_LABEL}(\\.${DNS_LABEL})*\\.?$`);

/** A dotted-quad IPv4 address, without leading zeros (which some tools read as octal). */
export function isIpv4Address(text: string): boolean {
  return IPV4.test(text);
}

/** A DNS name: labels of letters, digits and inner '-', at most 63 characters each and 253 in all. */
export function isDnsName(text: string): boolean {
  return text.length <= 253 && DNS_NAME.test(text);
}
