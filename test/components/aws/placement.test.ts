/** Spread up to AWS's 7 instances per zone, partition beyond: decided from the model, never at deployment. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { architectureOf } from "../../../components/aws/pinned.js";
import { PARTITIONS_MAX, placementOf, SPREAD_MAX_PER_ZONE } from "../../../components/aws/placement.js";
import { serverPlace } from "../../../model/addresses.js";
import { mustParseCidr } from "../../../model/cidr.js";

const hosts = (count: number) => Array.from({ length: count }, (_, index) => ({ zone: serverPlace(mustParseCidr("10.0.1.0/24"), index).half }));

describe("placementOf", () => {
  it("spreads by rack while every zone has at most 7 servers, and partitions beyond", () => {
    expect(placementOf({ hosts: hosts(14) } as never)).toEqual({ strategy: "spread", spreadLevel: "rack" });
    expect(placementOf({ hosts: hosts(15) } as never)).toEqual({ strategy: "partition", partitionCount: PARTITIONS_MAX });
  });

  it("never plans a spread group AWS would refuse", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 244 }), (count) => {
        const planned = hosts(count);
        const perZone = Math.max(...[0, 1].map((zone) => planned.filter((host) => host.zone === zone).length));
        const placement = placementOf({ hosts: planned } as never);
        expect(placement.strategy === "spread").toBe(perZone <= SPREAD_MAX_PER_ZONE);
      }),
    );
  });
});

describe("architectureOf", () => {
  it("runs Graviton sizes on arm64 and every other size on amd64", () => {
    expect(["t4g.small", "m7g.large", "c7gn.xlarge", "r8gd.2xlarge", "hpc7g.4xlarge", "im4gn.large", "a1.medium"].map(architectureOf)).toEqual(["arm64", "arm64", "arm64", "arm64", "arm64", "arm64", "arm64"]);
    // A two-digit generation keeps the family's letters and the g.
    expect(architectureOf("m10g.large")).toBe("arm64");
    expect(["t3.small", "m7i.large", "c7a.large", "g5.xlarge", "m5d.large"].map(architectureOf)).toEqual(["amd64", "amd64", "amd64", "amd64", "amd64"]);
  });
});
