/** Reading a user's YAML with bounds: each refusal names its line and column and what is allowed. */
import { describe, expect, it } from "vitest";
import { LineCounter } from "yaml";
import { parseYamlText, YAML_MAX_DEPTH } from "../../model/yaml-text.js";

const parse = (text: string) => parseYamlText(text, new LineCounter());
const issuesOf = (text: string) => {
  const result = parse(text);
  if (result.ok) throw new Error(`expected a refusal of ${JSON.stringify(text)}`);
  return result.issues.map(({ message, line, column }) => ({ message, line, column }));
};

// `levels` collections, one inside the other, written in each of YAML's three collection styles.
const nestedMaps = (levels: number) => Array.from({ length: levels }, (_, i) => `${"  ".repeat(i)}a:`).join("\n") + " 1\n";
const nestedSeqs = (levels: number) => `${"- ".repeat(levels)}1\n`;
const nestedFlow = (levels: number) => `${"[".repeat(levels)}1${"]".repeat(levels)}\n`;
const TOO_DEEP = `nests deeper than ${YAML_MAX_DEPTH} levels; allowed: at most ${YAML_MAX_DEPTH} levels of mappings and lists`;

describe("parseYamlText", () => {
  it("reads an empty file as null, not as a refusal", () => {
    expect(parse("")).toMatchObject({ ok: true, value: null });
  });

  it.each([
    ["mappings", nestedMaps],
    ["block lists", nestedSeqs],
    ["flow lists", nestedFlow],
    // A flow mapping's key is a collection of its own: its depth counts as the value's does.
    ["flow lists as a mapping's key", (levels: number) => `{${nestedFlow(levels - 1).trimEnd()}: 1}\n`],
  ])("accepts %s nested 32 levels and refuses 33, at the collection too deep", (_, nested) => {
    expect(parse(nested(YAML_MAX_DEPTH)).ok).toBe(true);
    const issues = issuesOf(nested(YAML_MAX_DEPTH + 1));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toBe(TOO_DEEP);
  });

  it("places a too deep mapping at the line and column of the 33rd level", () => {
    expect(issuesOf(nestedMaps(YAML_MAX_DEPTH + 1))).toEqual([{ message: TOO_DEEP, line: YAML_MAX_DEPTH + 1, column: 2 * YAML_MAX_DEPTH + 1 }]);
  });

  it("checks the depth of every document before composing any, so a deep second document cannot overflow the stack", () => {
    expect(issuesOf(`a: 1\n---\n${nestedFlow(YAML_MAX_DEPTH + 1)}`)).toEqual([{ message: TOO_DEEP, line: 3, column: YAML_MAX_DEPTH + 1 }]);
  });

  it("refuses a second document, at its start", () => {
    expect(issuesOf("a: 1\n---\nb: 2\n")).toEqual([{ message: "starts a second YAML document; allowed: one document per file", line: 2, column: 1 }]);
  });

  it("refuses text that is not YAML with the parser's first line of explanation only", () => {
    const issues = issuesOf("a: [1, 2\nb: 3\n");
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) {
      expect(issue.message).toMatch(/^is not valid YAML: \S/);
      expect(issue.message).not.toMatch(/\n|at line \d/);
      expect(issue.line).toBeGreaterThan(0);
    }
    expect(issues[0]).toEqual({ message: "is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]", line: 2, column: 1 });
  });

  it("refuses every repeated key once, in the order of the file, whatever the nesting", () => {
    const text = "a: 1\nb:\n  c: 1\n  c: 2\nd: [{e: 1, e: 2}]\na: 3\n";
    expect(issuesOf(text)).toEqual([
      { message: 'repeats the key "c"; allowed: each key once per mapping', line: 4, column: 3 },
      { message: 'repeats the key "e"; allowed: each key once per mapping', line: 5, column: 12 },
      { message: 'repeats the key "a"; allowed: each key once per mapping', line: 6, column: 1 },
    ]);
  });

  it("refuses an alias bomb and accepts aliases that repeat little", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 6; i++) levels.push(`${"abcdef"[i]}: &${"abcdef"[i]} [${Array(10).fill(`*${"abcdef"[i - 1]}`).join(", ")}]`);
    expect(issuesOf(`${levels.join("\n")}\n`)).toEqual([
      { message: "expands its YAML aliases too much; allowed: aliases that repeat at most 100 nodes in all", line: undefined, column: undefined },
    ]);
    expect(parse(`${levels.join("\n")}\n`)).toMatchObject({ issues: [{ path: [] }] });
    expect(parse("a: &a [1, 2]\nb: *a\n")).toMatchObject({ ok: true, value: { a: [1, 2], b: [1, 2] } });
  });
});
