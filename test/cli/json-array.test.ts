/** A fleet's JSON is printed item by item, byte for byte what printing the whole array prints. */
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { jsonArrayPrinter, printJson } from "../../cli/output.js";

function captured(print: () => void): string {
  let text = "";
  const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    text += String(chunk);
    return true;
  });
  try {
    print();
  } finally {
    write.mockRestore();
  }
  return text;
}

afterEach(() => vi.restoreAllMocks());

describe("jsonArrayPrinter", () => {
  it("prints what printJson prints for the whole array, for any items (strings with newlines and quotes included)", () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 6 }), (items) => {
        const streamed = captured(() => {
          const printer = jsonArrayPrinter();
          for (const item of items) printer.item(JSON.stringify(item, null, 2));
          printer.end();
        });
        expect(streamed).toBe(captured(() => printJson(items)));
      }),
    );
  });
});
