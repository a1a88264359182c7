/** The fleet's scheduler: results in the items' order whatever order they finish in, never more lanes than asked. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runInOrder } from "../../cli/fleet/schedule.js";

const settle = (turns: number) => new Promise<void>((resolve) => {
  const step = (left: number) => (left === 0 ? resolve() : setImmediate(() => step(left - 1)));
  step(turns);
});

describe("runInOrder", () => {
  it("hands results on in the items' order, with at most `lanes` tasks at once, each lane one task at a time", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(6), { maxLength: 20 }), fc.integer({ min: 1, max: 5 }), async (turns, lanes) => {
        const delivered: number[] = [];
        const busyLanes = new Set<number>();
        let running = 0;
        let most = 0;
        await runInOrder(
          turns,
          lanes,
          async (wait, index, lane) => {
            expect(busyLanes.has(lane)).toBe(false);
            busyLanes.add(lane);
            running += 1;
            most = Math.max(most, running);
            await settle(wait);
            running -= 1;
            busyLanes.delete(lane);
            return index * 10;
          },
          (result, index) => {
            expect(result).toBe(index * 10);
            delivered.push(index);
          },
        );
        expect(delivered).toEqual(turns.map((_, index) => index));
        expect(most).toBeLessThanOrEqual(lanes);
        if (turns.length > 0) expect(busyLanes.size).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it("uses every lane when there is work for them", async () => {
    const lanesUsed = new Set<number>();
    await runInOrder([3, 3, 3, 3], 2, async (wait, _index, lane) => {
      lanesUsed.add(lane);
      await settle(wait);
    }, () => undefined);
    expect([...lanesUsed].sort()).toEqual([0, 1]);
  });

  it("a task that throws stops new tasks and rejects", async () => {
    const started: number[] = [];
    const run = runInOrder([0, 1, 2, 3, 4, 5], 1, async (item) => {
      started.push(item);
      if (item === 2) throw new Error("boom");
      await settle(1);
    }, () => undefined);
    await expect(run).rejects.toThrow("boom");
    expect(started).toEqual([0, 1, 2]);
  });
});
