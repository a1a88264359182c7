/**
 * The placeholder addresses an offline plan shows where the cloud assigns one: hosts of the given
 * range only, the same for a key whatever else the plan holds, unique while the range has room.
 */
import { describe, expect, it } from "vitest";
import { PLACEHOLDER_RANGE, placeholderAddresses } from "../../components/placeholders.js";

describe("placeholder addresses", () => {
  it("come from the documentation range TEST-NET-2", () => {
    expect(PLACEHOLDER_RANGE).toBe("198.51.100.0/24");
  });

  it("give a key the same address whatever was handed out before", () => {
    const alone = placeholderAddresses(PLACEHOLDER_RANGE);
    expect(alone("acme-production-proxy-1")).toBe("198.51.100.61");
    const after = placeholderAddresses(PLACEHOLDER_RANGE);
    expect(after("acme-production-db-9")).toBe("198.51.100.23");
    expect(after("acme-production-proxy-1")).toBe("198.51.100.61");
  });

  it("give keys that meet on one address the next free ones, wrapping to the range's first host", () => {
    // In 192.0.2.0/29 (hosts .1 to .6) these three keys all start at .6.
    const next = placeholderAddresses("192.0.2.0/29");
    expect(["server-11", "server-22", "server-24"].map(next)).toEqual(["192.0.2.6", "192.0.2.1", "192.0.2.2"]);
  });

  it("hand out every host of the range, never its network or broadcast address, then repeat", () => {
    const next = placeholderAddresses("192.0.2.0/29");
    const addresses = ["server-1", "server-2", "server-3", "server-4", "server-5", "server-6", "server-7"].map(next);
    expect(addresses).toEqual(["192.0.2.1", "192.0.2.4", "192.0.2.5", "192.0.2.6", "192.0.2.2", "192.0.2.3", "192.0.2.3"]);
  });
});
