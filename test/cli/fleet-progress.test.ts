/** The fleet's progress line: on a terminal only, never in CI or with --json; redrawn in place, cut to the width. */
import { describe, expect, it } from "vitest";
import { fleetProgress, shouldShowProgress } from "../../cli/fleet/progress.js";

function terminal(columns = 80) {
  const written: string[] = [];
  return { stream: { isTTY: true, columns, write: (text: string) => written.push(text) > 0 } as unknown as NodeJS.WriteStream, written };
}

describe("fleet progress", () => {
  it("shows on a terminal only, and not in CI nor with --json", () => {
    expect(shouldShowProgress(false, { isTTY: true }, {})).toBe(true);
    expect(shouldShowProgress(false, { isTTY: false }, {})).toBe(false);
    expect(shouldShowProgress(false, { isTTY: true }, { CI: "true" })).toBe(false);
    expect(shouldShowProgress(true, { isTTY: true }, {})).toBe(false);
  });

  it("says done / total, the tenant under way and the time, on one line redrawn in place", () => {
    const { stream, written } = terminal();
    const display = fleetProgress("planning", 3, true, stream);
    display.started("acme");
    display.finished();
    display.started("globex");
    display.stop();
    expect(written[0]).toMatch(/^\r\u001b\[2Kplanning \[0\/3\] \d+\.\d s {2}acme$/);
    expect(written[2]).toMatch(/^\r\u001b\[2Kplanning \[1\/3\] \d+\.\d s {2}globex$/);
    expect(written.at(-1)).toBe("\r\u001b[2K");
    expect(written.join("")).not.toContain("\n");
  });

  it("never writes wider than the terminal, and nothing at all when not shown", () => {
    const { stream, written } = terminal(30);
    const display = fleetProgress("checking", 100, true, stream);
    display.started("a-tenant-with-a-very-long-name-indeed");
    display.stop();
    expect(written[0]!.replace("\r\u001b[2K", "").length).toBeLessThan(30);
    const quiet = terminal();
    const hidden = fleetProgress("checking", 100, false, quiet.stream);
    hidden.started("acme");
    hidden.stop();
    expect(quiet.written).toEqual([]);
  });
});
