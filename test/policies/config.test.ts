/**
 * Policy config as the engine reconciles it, in process: what a config file may hold, how layers,
 * `all` and per-policy levels stack over the policies' own defaults, and the schema errors a user
 * sees for a setting a policy refuses.
 */
import { readFileSync } from "node:fs";
import type { PolicyPackConfig } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { defaultPolicyConfig, parsePolicyConfigText, reconcilePolicyConfig, unknownPolicyNames, type PolicyMeta } from "../../policies/config.js";

const LEVELS = "advisory, mandatory, remediate, disabled";

describe("a policy config file", () => {
  it("is refused when it is not JSON, naming the file", () => {
    expect(() => parsePolicyConfigText("{", "ci/policy.json")).toThrow(/^ci\/policy\.json: is not valid JSON: .+/);
  });

  it.each([
    ["[]", "a list of 0"],
    ["null", "null"],
    ['"mandatory"', '"mandatory"'],
    ["3", "3"],
  ])("is refused when its top is %s rather than an object", (text, found) => {
    expect(() => parsePolicyConfigText(text, "ci/policy.json")).toThrow(
      `ci/policy.json: found ${found}; allowed: a JSON object mapping policy names (or "all") to a level or settings`,
    );
  });

  it.each([
    ['{"disks-encrypted": 3}', "3"],
    ['{"disks-encrypted": ["mandatory"]}', "a list of 1"],
    ['{"disks-encrypted": null}', "null"],
  ])("refuses an entry that is neither a level nor settings: %s", (text, found) => {
    expect(() => parsePolicyConfigText(text, "ci/policy.json")).toThrow(
      `ci/policy.json: disks-encrypted: found ${found}; allowed: an enforcement level (${LEVELS}) or an object of settings`,
    );
  });

  it.each([['{"all": "strict"}', "all"], ['{"required-tags": {"enforcementLevel": "error"}}', "required-tags"]])(
    "refuses an unknown enforcement level, as a string or in settings: %s",
    (text, name) => {
      expect(() => parsePolicyConfigText(text, "ci/policy.json")).toThrow(
        new RegExp(`^ci/policy\\.json: ${name}: found enforcement level "(strict|error)"; allowed: ${LEVELS}$`),
      );
    },
  );

  it("accepts every level, settings with or without a level, and keeps them as given", () => {
    const text = JSON.stringify({
      all: "advisory",
      "disks-encrypted": "mandatory",
      "required-tags": "remediate",
      "name-length-limits": "disabled",
      "ssh-from-management-only": { enforcementLevel: "mandatory", managementCidrs: ["203.0.113.0/24"] },
      "environment-networks-disjoint": { environmentRanges: { production: "10.20.0.0/16" } },
    });
    expect(parsePolicyConfigText(text, "ci/policy.json")).toEqual(JSON.parse(text));
  });

  it("the pack's own config.json is read as the first layer, unchanged", () => {
    expect(defaultPolicyConfig()).toEqual(JSON.parse(readFileSync(new URL("../../policies/config.json", import.meta.url), "utf8")));
  });
});

/** Two policies shaped like the pack's: one with its own level and a config schema, one with neither. */
const limits: PolicyMeta = {
  name: "limits",
  description: "Limits",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      size: { type: "integer", default: 3, minimum: 1, maximum: 10 },
      ratio: { type: "number" },
      cidrs: { type: "array", items: { type: "string" } },
      ranges: { type: "object", properties: { production: { type: "string" } }, additionalProperties: { type: "integer" } },
      mode: { enum: ["fast", "safe"] },
      note: { type: ["string", "null"] },
      closed: { type: "object", additionalProperties: false },
      open: { type: "object", additionalProperties: true },
    },
    required: ["cidrs"],
  },
};
const plain: PolicyMeta = { name: "plain", description: "Plain" };

describe("reconciling config layers", () => {
  it("starts from each policy's level (or the pack's) and its schema's defaults only", () => {
    expect(reconcilePolicyConfig([limits, plain], "remediate", [{ limits: { cidrs: [] } }])).toStrictEqual({
      limits: { enforcementLevel: "mandatory", properties: { size: 3, cidrs: [] } },
      plain: { enforcementLevel: "remediate", properties: {} },
    });
  });

  it("applies each layer's `all` to every policy, then its own entries; later layers win, settings merge", () => {
    const layers: PolicyPackConfig[] = [
      { all: "advisory", limits: { cidrs: ["10.0.0.0/8"] } },
      { limits: { size: 5 } },
      { all: "disabled", plain: "mandatory" },
      { limits: { enforcementLevel: "remediate" } },
    ];
    const { limits: limitsEntry, plain: plainEntry } = reconcilePolicyConfig([limits, plain], "advisory", layers);
    expect(limitsEntry).toStrictEqual({ enforcementLevel: "remediate", properties: { size: 5, cidrs: ["10.0.0.0/8"] } });
    expect(plainEntry).toStrictEqual({ enforcementLevel: "mandatory", properties: {} });
  });

  it("keeps a policy's level when a layer only changes its settings", () => {
    const reconciled = reconcilePolicyConfig([limits, plain], "advisory", [{ all: "disabled" }, { limits: { cidrs: [] } }]);
    expect(reconciled.limits!.enforcementLevel).toBe("disabled");
    expect(reconciled.plain!.enforcementLevel).toBe("disabled");
  });

  it("accepts every setting its schema allows", () => {
    const settings = {
      size: 10,
      ratio: 7,
      cidrs: ["203.0.113.0/24"],
      ranges: { production: "10.20.0.0/16", spare: 2, unchecked: 1 },
      mode: "safe",
      note: null,
      closed: {},
      open: { deep: [1] },
    };
    expect(reconcilePolicyConfig([limits], "advisory", [{ limits: settings }]).limits!.properties).toEqual(settings);
    expect(reconcilePolicyConfig([limits], "advisory", [{ limits: { cidrs: [], size: 1, ratio: 0.5, note: "why" } }]).limits!.properties).toMatchObject({ size: 1, ratio: 0.5 });
  });

  it("names every refused setting: policy, field (with its index or key) and what is allowed", () => {
    const settings = {
      size: 11,
      ratio: "1",
      cidrs: ["203.0.113.0/24", 3],
      ranges: { production: 1, spare: "two" },
      mode: "fastest",
      note: 5,
      closed: { extra: "x" },
    };
    expect(() => reconcilePolicyConfig([limits], "advisory", [{ limits: settings }])).toThrow(
      "policy config: " +
        [
          "limits: size: found 11; allowed: at most 10",
          'limits: ratio: found "1"; allowed: number',
          "limits: cidrs[1]: found 3; allowed: string",
          "limits: ranges.production: found 1; allowed: string",
          'limits: ranges.spare: found "two"; allowed: integer',
          'limits: mode: found "fastest"; allowed: "fast", "safe"',
          "limits: note: found 5; allowed: string or null",
          "limits: closed.extra: is not allowed",
        ].join("; "),
    );
  });

  it("refuses a number under the minimum, a fraction for an integer, and a missing required setting", () => {
    expect(() => reconcilePolicyConfig([limits], "advisory", [{ limits: { size: 0 } }])).toThrow("policy config: limits: size: found 0; allowed: at least 1; limits: cidrs: is required");
    expect(() => reconcilePolicyConfig([limits], "advisory", [{ limits: { size: 2.5, cidrs: [] } }])).toThrow("policy config: limits: size: found 2.5; allowed: integer");
    expect(() => reconcilePolicyConfig([limits], "advisory", [{ limits: { size: null, cidrs: [] } }])).toThrow("policy config: limits: size: found null; allowed: integer");
    expect(() => reconcilePolicyConfig([limits], "advisory", [{ limits: { cidrs: {} } }])).toThrow("policy config: limits: cidrs: found a mapping; allowed: array");
  });
});

describe("config entries naming no policy", () => {
  it("are listed once each, in the order they first appear; `all` and the pack's policies are not", () => {
    const layers = [{ all: "advisory", limits: "mandatory", limts: "mandatory" }, { plain: "disabled", limts: "advisory", "ssh-only": "mandatory" }] as const;
    expect(unknownPolicyNames([limits, plain], layers)).toEqual(["limts", "ssh-only"]);
    expect(unknownPolicyNames([limits, plain], [{ all: "mandatory", plain: "advisory" }])).toEqual([]);
  });
});
