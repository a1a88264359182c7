import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  diagnosticText,
  formatChanges,
  formatDuration,
  formatRecord,
  jsonLine,
  ProgressTracker,
  resourceName,
  stripColorDirectives,
  type EngineEventLike,
  type ProgressRecord,
} from "../../engine/progress.js";

/** The recorded streams the stand-in CLI replays, filled in for a stack. */
function recorded(name: string, stack = "acme-tools"): EngineEventLike[] {
  const file = new URL(`../support/fake-pulumi/recorded-events/${name}.jsonl`, import.meta.url);
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line.replaceAll("{{stack}}", stack).replaceAll("{{project}}", "botinfra")) as EngineEventLike);
}

/** A clock that moves a second per reading. */
function ticking(): () => number {
  let now = 0;
  return () => (now += 1000);
}

function track(events: EngineEventLike[]): ProgressRecord[] {
  const tracker = new ProgressTracker("acme-tools", ticking());
  return events.flatMap((event) => tracker.onEvent(event));
}

const NSG = "urn:pulumi:acme-tools::botinfra::botinfra:azure:Environment$azure-native:network:NetworkSecurityGroup::acme-tools-proxy-fw";

describe("ProgressTracker", () => {
  it("gives one record per resource operation of an update, with its duration, and none for the stack itself", () => {
    const records = track(recorded("up"));
    const resources = records.filter((record) => record.type === "resource");
    expect(resources.map((record) => record.type === "resource" && `${record.op} ${record.resourceType} ${record.name} ${record.status}`)).toEqual([
      "create pulumi:providers:azure-native default_3_28_0 done",
      "create botinfra:azure:Environment acme-tools done",
      "create azure-native:resources:ResourceGroup acme-tools done",
      "create azure-native:network:VirtualNetwork acme-tools-net done",
      "create azure-native:network:NetworkSecurityGroup acme-tools-proxy-fw done",
    ]);
    // Each step is timed from its start to its end on the given clock; the NSG's warning comes in between.
    expect(resources.map((record) => record.type === "resource" && record.durationMs)).toEqual([1000, 1000, 1000, 1000, 1000]);
    expect(records).toContainEqual({
      type: "diagnostic",
      stack: "acme-tools",
      severity: "warning",
      message: "security rule ssh allows 22 from 203.0.113.0/24 only",
      urn: NSG,
    });
  });

  it("gives a preview's steps once, as planned, without durations", () => {
    const resources = track(recorded("preview")).filter((record) => record.type === "resource");
    expect(resources).toHaveLength(5);
    expect(resources.every((record) => record.type === "resource" && record.status === "planned" && record.durationMs === undefined)).toBe(true);
  });

  it("reports the failed step and the engine's errors", () => {
    const records = track(recorded("up-failed"));
    expect(records.filter((record) => record.type === "resource" && record.status === "failed")).toEqual([
      expect.objectContaining({ op: "create", name: "acme-tools-net", resourceType: "azure-native:network:VirtualNetwork", durationMs: 1000 }),
    ]);
    expect(records.filter((record) => record.type === "diagnostic").map((record) => record.type === "diagnostic" && record.message)).toEqual([
      'Status=400 Code="InvalidAddressPrefix" Message="Address prefix 10.21.0.0/16 overlaps an existing network."',
      "update failed",
    ]);
  });

  it("skips unchanged resources and ephemeral diagnostics, and reports policy violations", () => {
    const tracker = new ProgressTracker("s", ticking());
    const metadata = { op: "same", urn: "urn:pulumi:s::p::t::n", type: "t" };
    expect(tracker.onEvent({ resourcePreEvent: { metadata } })).toEqual([]);
    expect(tracker.onEvent({ resOutputsEvent: { metadata } })).toEqual([]);
    expect(tracker.onEvent({ diagnosticEvent: { message: "50%", severity: "info", ephemeral: true } })).toEqual([]);
    expect(
      tracker.onEvent({ policyEvent: { message: "port 22 open", policyName: "nsg-only-443-public", policyPackName: "botinfra", enforcementLevel: "mandatory", resourceUrn: "urn:a::b::c::web" } }),
    ).toEqual([{ type: "diagnostic", stack: "s", severity: "error", message: "policy botinfra/nsg-only-443-public: port 22 open", urn: "urn:a::b::c::web" }]);
  });
});

describe("lines", () => {
  it("formats resource operations like the CLI's own symbols", () => {
    const done: ProgressRecord = { type: "resource", stack: "s", op: "create", resourceType: "azure-native:network:Subnet", name: "acme-tools-api", urn: "u", status: "done", durationMs: 12_400 };
    expect(formatRecord(done)).toEqual(["  + created  azure-native:network:Subnet  acme-tools-api  12s"]);
    expect(formatRecord({ ...done, op: "delete", durationMs: 800 })).toEqual(["  - deleted  azure-native:network:Subnet  acme-tools-api  0.8s"]);
    expect(formatRecord({ ...done, op: "update", status: "failed", durationMs: 125_000 })).toEqual(["  ~ update FAILED  azure-native:network:Subnet  acme-tools-api  2m05s"]);
    expect(formatRecord({ ...done, op: "replace", status: "planned", durationMs: undefined })).toEqual(["  +- replace  azure-native:network:Subnet  acme-tools-api"]);
  });

  it("shows warnings and errors with the resource they are about, and not info", () => {
    expect(formatRecord({ type: "diagnostic", stack: "s", severity: "error", message: "quota exceeded\nin westeurope", urn: NSG })).toEqual([
      "  error: acme-tools-proxy-fw: quota exceeded\n    in westeurope",
    ]);
    expect(formatRecord({ type: "diagnostic", stack: "s", severity: "info", message: "hello" })).toEqual([]);
  });

  it("ends a stack with its changes and a run with its summary", () => {
    expect(formatRecord({ type: "stack-end", operation: "up", stack: "acme-tools", environment: "tools", result: "succeeded", changes: { create: 3, update: 1, same: 7 }, durationMs: 42_000 })).toEqual([
      "  acme-tools: 3 created, 1 updated, 7 unchanged in 42s",
    ]);
    expect(
      formatRecord({
        type: "summary",
        operation: "preview",
        tenant: "acme",
        result: "failed",
        stacks: [
          { stack: "acme-development", environment: "development", result: "succeeded", changes: { create: 2 } },
          { stack: "acme-tools", environment: "tools", result: "failed", changes: {}, message: "acme-tools failed: boom" },
          { stack: "acme-production", environment: "production", result: "not run", changes: {}, message: "stopped: acme-tools failed" },
        ],
      }),
    ).toEqual([
      "preview acme: failed",
      "  acme-development  succeeded      2 to create",
      "  acme-tools        FAILED         acme-tools failed: boom",
      "  acme-production   not run        stopped: acme-tools failed",
    ]);
  });

  it("writes one JSON object per line for CI", () => {
    const record: ProgressRecord = { type: "stack-start", operation: "up", stack: "acme-tools", environment: "tools", index: 2, count: 3 };
    expect(JSON.parse(jsonLine(record))).toEqual(record);
    expect(jsonLine(record)).not.toContain("\n");
  });

  it("has small helpers that say what they do", () => {
    expect(formatChanges({}, false)).toBe("no changes");
    expect(formatChanges({ same: 4 }, true)).toBe("4 unchanged");
    expect(formatChanges({ delete: 2 }, true)).toBe("2 to delete");
    expect(formatDuration(59_600)).toBe("1m00s");
    expect(stripColorDirectives("<{%fg 1%}>red<{%reset%}>")).toBe("red");
    expect(resourceName("urn:pulumi:s::p::a$b::name")).toBe("name");
    expect(diagnosticText("boom", "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s")).toBe("boom");
  });
});
