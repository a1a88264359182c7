import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fieldLine } from "../../model/tenant-text.js";
import { parseTagNames, tagNames } from "../../model/tags.js";
import { REPO_ROOT } from "../support/cli.js";

describe("tag names for clouds with plain tags", () => {
  it("write each tag as key:value and read them back, ignoring plain labels", () => {
    const tags = { tenant: "acme", environment: "production", tier: "api", "managed-by": "botinfra" };
    expect(tagNames(tags)).toEqual(["tenant:acme", "environment:production", "tier:api", "managed-by:botinfra"]);
    expect(parseTagNames([...tagNames(tags), "acme-production-api", ":nokey"])).toEqual(tags);
    expect(parseTagNames(["url:https://x"])).toEqual({ url: "https://x" });
  });
});

describe("fieldLine", () => {
  const text = readFileSync(`${REPO_ROOT}stacks/tenants/acme.yaml`, "utf8");
  it("finds a field's line, or its deepest part present", () => {
    const lines = text.split("\n");
    const line = fieldLine(text, ["environments", "production", "tiers", "api"])!;
    expect(lines[line - 1]).toMatch(/^\s+api:/);
    expect(lines[fieldLine(text, ["environments", "development", "proxy"])! - 1]).toMatch(/^\s+development:/);
    expect(lines[fieldLine(text, ["nothing"])! - 1]).toMatch(/^tenant: acme/);
  });
});
