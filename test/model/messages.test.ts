/** The pieces every refusal is made of: field paths, values as shown, error kinds, and text read from outside. */
import { describe, expect, it } from "vitest";
import { isDnsName, isIpv4Address } from "../../model/address-text.js";
import { describeValue, EXIT_NOT_READY, EXIT_USAGE, formatPath, NotReadyError, SpecError, UserError } from "../../model/errors.js";
import { parseTenantText } from "../../model/tenant-text.js";
import { sampleSpec, toYaml } from "../support/specs.js";

describe("formatPath", () => {
  it("writes a path as the user writes it, quoting a key that is not a plain name so a message stays one line", () => {
    expect(formatPath(["environments", "production", "tiers", "api", "count"])).toBe("environments.production.tiers.api.count");
    expect(formatPath(["admin", "sshPublicKeys", 1])).toBe("admin.sshPublicKeys[1]");
    expect(formatPath(["environments", "a\nb", "tiers"])).toBe('environments["a\\nb"].tiers');
    expect(formatPath(["environments", "a b"])).toBe('environments["a b"]');
    expect(formatPath(["environments", "x y"])).toBe('environments["x y"]');
    expect(formatPath(["tiers", "@web_1-a"])).toBe("tiers.@web_1-a");
  });
});

describe("describeValue", () => {
  it("shows each kind of value briefly", () => {
    expect(describeValue(undefined)).toBe("nothing");
    expect(describeValue(null)).toBe("null");
    expect(describeValue("api")).toBe('"api"');
    expect(describeValue([1, 2, 3])).toBe("a list of 3");
    expect(describeValue({ a: 1 })).toBe("a mapping");
    expect(describeValue(1.5)).toBe("1.5");
    expect(describeValue(false)).toBe("false");
  });

  it("keeps a string of 60 characters whole and cuts a longer one to 57 and an ellipsis", () => {
    const sixty = "x".repeat(60);
    expect(describeValue(sixty)).toBe(JSON.stringify(sixty));
    expect(describeValue(`${"y".repeat(57)}zzzz`)).toBe(`"${"y".repeat(57)}..."`);
  });
});

describe("error kinds", () => {
  it("name themselves and carry the exit code the CLI uses", () => {
    const usage = new UserError("bad");
    expect([usage.name, usage.exitCode, usage.message]).toEqual(["UserError", EXIT_USAGE, "bad"]);
    const notReady = new NotReadyError("no pulumi");
    expect([notReady.name, notReady.exitCode, notReady instanceof UserError]).toEqual(["NotReadyError", EXIT_NOT_READY, true]);
    const spec = new SpecError("t.yaml", [
      { path: [], message: "is empty" },
      { path: ["tenant"], message: "is required", line: 3 },
      { path: ["cloud"], message: "found 1", line: 4, column: 7 },
    ]);
    expect([spec.name, spec.exitCode]).toEqual(["SpecError", EXIT_USAGE]);
    expect(spec.message).toBe("t.yaml: is empty\nt.yaml:3:1: tenant: is required\nt.yaml:4:7: cloud: found 1");
  });
});

describe("address text from outside", () => {
  it("accepts dotted-quad IPv4 addresses only, without leading zeros", () => {
    for (const good of ["0.0.0.0", "10.20.0.4", "255.255.255.255", "192.168.1.99", "1.2.3.249"]) expect(isIpv4Address(good), good).toBe(true);
    for (const bad of ["256.1.1.1", "10.20.0", "10.20.0.4.5", "010.1.1.1", "1.2.3.4 ", " 1.2.3.4", "1.2.3.4\n", "a.b.c.d", "", "1.2.3.260"]) expect(isIpv4Address(bad), bad).toBe(false);
  });

  it("accepts DNS names of labels up to 63 characters and 253 in all", () => {
    const label63 = `a${"b".repeat(61)}c`;
    const of253 = `${Array(3).fill(label63).join(".")}.${"d".repeat(61)}`;
    expect(of253).toHaveLength(253);
    for (const good of ["example.com", "example.com.", "a", "x-1.example", label63, of253]) expect(isDnsName(good), good).toBe(true);
    for (const bad of [`${of253}e`, `${label63}d.com`, "-a.com", "a-.com", "a..com", "a b.com", "a.com\nb", "", "a_b.com"]) expect(isDnsName(bad), bad).toBe(false);
  });
});

/** [line, column, field] of each line of the refusal of `yaml`. */
function placesOf(yaml: string): (string[] | undefined)[] {
  try {
    parseTenantText(yaml, "t.yaml");
  } catch (error) {
    return (error as Error).message.split("\n").map((line) => /^t\.yaml:(\d+):(\d+): (\S+):/.exec(line)?.slice(1));
  }
  throw new Error("expected a refusal");
}

describe("parseTenantText", () => {
  it.each([
    ["an empty file", ""],
    ["a single word", "acme\n"],
    ["a number", "42\n"],
    ["a list", "- a\n"],
  ])("refuses %s as not a tenant spec", (_, text) => {
    expect(() => parseTenantText(text, "t.yaml")).toThrow(/^t\.yaml: is not a tenant spec: expected a YAML mapping with tenant, cloud, region, domain, admin and environments$/);
  });

  it("orders issues on one line by column", () => {
    const spec = sampleSpec() as unknown as { environments: Record<string, { tiers: Record<string, unknown> }> };
    spec.environments.development!.tiers.api = "API_TIER";
    const yaml = toYaml(spec).replace("api: API_TIER", 'api: { size: 5, count: "x", port: 8080 }');
    const message = (() => {
      try {
        parseTenantText(yaml, "t.yaml");
      } catch (error) {
        return (error as Error).message;
      }
      return "";
    })();
    const fields = message.split("\n").map((line) => /^t\.yaml:\d+:(\d+): environments\.development\.tiers\.api\.(\w+):/.exec(line)?.slice(1));
    expect(fields.filter(Boolean)).toEqual([
      [expect.any(String), "size"],
      [expect.any(String), "count"],
    ]);
  });

  it("reports a key that fails its pattern once, though the schema finds two faults in it", () => {
    const spec = sampleSpec();
    spec.environments.QA = spec.environments.development!;
    let message = "";
    try {
      parseTenantText(toYaml(spec), "t.yaml");
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split("\n").filter((line) => line.includes("environments.QA"))).toHaveLength(1);
  });

  it("places each issue at its field, in the order of the file", () => {
    // tenant and region written last, after admin: the order of the file is not the order of the schema.
    const { tenant: _tenant, region: _region, ...rest } = sampleSpec();
    const yaml = toYaml({ ...rest, region: 42, tenant: "Bad_Name" });
    const lineOf = (pattern: RegExp) => String(yaml.split("\n").findIndex((line) => pattern.test(line)) + 1);
    expect(placesOf(yaml)).toEqual([
      [lineOf(/^region:/), "1", "region"],
      [lineOf(/^tenant:/), "1", "tenant"],
    ]);
  });

  it("places an issue of a list item at the item's own line", () => {
    const spec = sampleSpec();
    spec.admin.sshPublicKeys = [spec.admin.sshPublicKeys[0]!, "ssh-dss AAAAB3NzaC1kc3M= old"];
    const yaml = toYaml(spec);
    const lines = yaml.split("\n");
    const line = lines.findIndex((text) => text.includes("ssh-dss"));
    expect(placesOf(yaml)).toEqual([[String(line + 1), String(lines[line]!.indexOf("ssh-dss") + 1), "admin.sshPublicKeys[1]"]]);
  });
});
