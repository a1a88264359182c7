/** Who may reach whom: properties of the model's peers for generated specs of every cloud. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SSH_PORT, type Peer } from "../../model/ingress.js";
import type { ServerGroup } from "../../model/platform.js";
import { mustBuild, validSpec } from "../support/generated-specs.js";

/** The ports of `group` that `peer` may reach. */
function portsFrom(group: ServerGroup, matches: (peer: Peer) => boolean): number[] {
  return group.ingress.filter((rule) => rule.peers.some(matches)).flatMap((rule) => rule.ports);
}

describe("ingress peers", () => {
  it("never lets the proxy (the edge) reach a tier that is not exposed, but through SSH", () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        for (const environment of mustBuild(spec).environments) {
          const exposed = new Set(environment.routes.map((route) => route.tier));
          for (const tier of environment.tiers) {
            const fromProxy = portsFrom(tier, (peer) => peer.kind === "proxy" || peer.kind === "internet").filter((port) => port !== SSH_PORT);
            expect(fromProxy).toEqual(exposed.has(tier.name) ? [tier.port] : []);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it("lets every caller a tier's `from` names reach its port, and no tier that `from` leaves out", () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        for (const environment of mustBuild(spec).environments) {
          const specTiers = spec.environments[environment.name]!.tiers;
          for (const tier of environment.tiers) {
            const { from, stateful } = specTiers[tier.name]!;
            const callers = environment.tiers
              .map((other) => other.name)
              .filter((name) => portsFrom(tier, (peer) => peer.kind === "tier" && peer.tier === name).includes(tier.port));
            const others = environment.tiers.map((other) => other.name).filter((name) => name !== tier.name);
            const expected = new Set([...(from ?? others), ...(stateful ? [tier.name] : [])]);
            expect(new Set(callers)).toEqual(expected);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it("opens nothing to the internet but the proxy's 80 and 443, and SSH only from the management ranges and the proxy", () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        for (const environment of mustBuild(spec).environments) {
          for (const group of [environment.proxy, ...environment.tiers]) {
            expect(portsFrom(group, (peer) => peer.kind === "internet")).toEqual(group.kind === "proxy" ? [80, 443] : []);
            const ssh = group.ingress.filter((rule) => rule.ports.includes(SSH_PORT)).flatMap((rule) => rule.peers.map((peer) => peer.kind));
            expect(ssh).toEqual(group.kind === "proxy" ? ["management"] : ["proxy"]);
          }
        }
      }),
    );
  });

  it("admits the load balancer's probes exactly where there is a load balancer", () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        for (const group of mustBuild(spec).environments.flatMap((environment) => [environment.proxy, ...environment.tiers])) {
          expect(portsFrom(group, (peer) => peer.kind === "probes")).toEqual(group.loadBalancer ? group.loadBalancer.ports : []);
        }
      }),
    );
  });
});
