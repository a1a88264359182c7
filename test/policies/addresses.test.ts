import { describe, expect, it } from "vitest";
import { describePorts, parsePortRange, rangesOverlap, reachesOtherPorts, sourceKind, withinRanges } from "../../policies/rules/addresses.js";

describe("firewall sources", () => {
  it.each([
    ["*", "internet"],
    ["Internet", "internet"],
    ["0.0.0.0/0", "internet"],
    ["::/0", "internet"],
    ["203.0.113.0/24", "public"],
    ["8.8.8.8", "public"],
    ["2001:db8::/32", "public"],
    ["AzureCloud", "public"],
    ["10.20.0.0/24", "private"],
    ["172.16.5.4", "private"],
    ["192.168.0.0/16", "private"],
    ["VirtualNetwork", "private"],
    ["AzureLoadBalancer", "private"],
    ["168.63.129.16/32", "private"],
    ["fd00::/8", "private"],
    [" 10.20.0.0/24 ", "private"],
    [" 0.0.0.0/0", "internet"],
  ])("%j is %s", (source, kind) => expect(sourceKind(source)).toBe(kind));

  it("tell ranges inside the management ranges", () => {
    expect(withinRanges("203.0.113.0/25", ["203.0.113.0/24"])).toBe(true);
    expect(withinRanges("203.0.113.7", ["203.0.113.0/24"])).toBe(true);
    expect(withinRanges("203.0.112.0/23", ["203.0.113.0/24"])).toBe(false);
    expect(withinRanges("*", ["203.0.113.0/24"])).toBe(false);
    expect(withinRanges(" 203.0.113.7 ", ["203.0.113.0/24"])).toBe(true);
  });

  it("tell overlapping ranges", () => {
    expect(rangesOverlap("10.20.0.0/16", "10.20.128.0/17")).toBe(true);
    expect(rangesOverlap("10.20.0.0/16", "10.21.0.0/16")).toBe(false);
  });
});

describe("port ranges", () => {
  it.each([
    ["22", { from: 22, to: 22 }],
    ["8000-9000", { from: 8000, to: 9000 }],
    ["*", { from: 0, to: 65535 }],
    ["all", { from: 0, to: 65535 }],
    ["ALL", { from: 0, to: 65535 }],
    ["0", { from: 0, to: 65535 }],
    [" 22 ", { from: 22, to: 22 }],
    ["x22", undefined],
    ["22x", undefined],
    ["9000-8000", undefined],
    ["http", undefined],
  ])("%j", (text, range) => expect(parsePortRange(text)).toEqual(range));

  it("know which reach ports outside a set, and say which they are", () => {
    expect(reachesOtherPorts({ from: 80, to: 80 }, [80, 443])).toBe(false);
    expect(reachesOtherPorts({ from: 80, to: 81 }, [80, 443])).toBe(true);
    expect(reachesOtherPorts({ from: 0, to: 65535 }, [22, 80, 443])).toBe(true);
    expect([describePorts({ from: 22, to: 22 }), describePorts({ from: 1, to: 65535 }), describePorts({ from: 80, to: 90 })]).toEqual(["port 22", "all ports", "ports 80-90"]);
    expect([describePorts({ from: 0, to: 65535 }), describePorts({ from: 1, to: 1024 }), describePorts({ from: 1024, to: 65535 })]).toEqual(["all ports", "ports 1-1024", "ports 1024-65535"]);
  });
});
