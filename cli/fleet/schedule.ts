/** The fleet's scheduler: many tasks over a few lanes, results handed on in the tasks' order. */

/**
 * Runs `run` over `items` on `lanes` lanes (one task at a time per lane) and hands each result to
 * `onResult` in the items' order, whatever order they finish in: a result waits until every earlier
 * one has been handed on. A task that throws stops the scheduling of new ones and rejects the whole.
 */
export async function runInOrder<T, R>(
  items: readonly T[],
  lanes: number,
  run: (item: T, index: number, lane: number) => Promise<R>,
  onResult: (result: R, index: number) => void,
): Promise<void> {
  const finished = new Map<number, R>();
  let next = 0;
  let delivered = 0;
  let failed = false;
  const lane = async (laneIndex: number) => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        finished.set(index, await run(items[index]!, index, laneIndex));
      } catch (error) {
        failed = true;
        throw error;
      }
      for (; finished.has(delivered); delivered += 1) {
        const result = finished.get(delivered)!;
        finished.delete(delivered);
        onResult(result, delivered);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, items.length)) }, (_, laneIndex) => lane(laneIndex)));
}
