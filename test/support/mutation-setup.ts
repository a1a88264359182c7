/**
 * Setup for the test runs of mutation testing (vitest.mutation.config.ts).
 *
 * Properties check fewer cases: each mutant reruns every property that reaches it, in instrumented
 * code. The full counts run in the ordinary suite.
 *
 * Code that runs in a suite's hooks counts as reached by each test of that suite. Stryker's coverage
 * knows only the test that is running, so a `beforeAll` that builds a stack under the mock runtime
 * (most component tests) would otherwise count as "static", like a module's constants, and its
 * mutants would be ignored rather than tested.
 */
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, inject } from "vitest";
import type { RunnerTestSuite, RunnerTask } from "vitest";

fc.configureGlobal({ numRuns: 25 });

interface StrykerCoverage {
  static: Record<string, number>;
  perTest: Record<string, Record<string, number>>;
}
interface StrykerNamespace {
  currentTestId?: string;
  mutantCoverage?: StrykerCoverage;
}

/** The suites a test is in, the file's first, then the outermost describe's and inwards. */
function suitesOf(task: RunnerTask): RunnerTestSuite[] {
  // vitest's chain of parents ends at the outermost describe, without the file.
  const describes: RunnerTestSuite[] = [];
  for (let suite = task.suite; suite !== undefined && suite !== task.file; suite = suite.suite) describes.unshift(suite);
  return [task.file, ...describes];
}

function firstTestOf(suite: RunnerTestSuite): RunnerTask | undefined {
  for (const task of suite.tasks) {
    const first = task.type === "suite" ? firstTestOf(task) : task;
    if (first !== undefined) return first;
  }
  return undefined;
}

// Stryker's runner provides these to the tests it runs; the ordinary suite never loads this file.
const provided = inject as unknown as (key: string) => unknown;
if (provided("mode") === "dry-run") {
  const namespace = (globalThis as Record<string, unknown>)[provided("globalNamespace") as string] as StrykerNamespace;
  const coverage = (): StrykerCoverage => (namespace.mutantCoverage ??= { static: {}, perTest: {} });
  /** Reached before the file's hooks ran: constants of the modules it imports, which stay static. */
  let reachedOnLoad = new Set<string>();
  /** The static counts last looked at: a mutant whose count grew since was reached again, maybe by another suite's hooks. */
  const countsSeen = new Map<string, number>();
  const reachedBySuite = new Map<RunnerTask, string[]>();
  const testsOfFile: string[] = [];
  const reachedSince = () => {
    const reached = Object.entries(coverage().static).filter(([mutant, count]) => count > (countsSeen.get(mutant) ?? 0));
    for (const [mutant, count] of reached) countsSeen.set(mutant, count);
    return reached.map(([mutant]) => mutant);
  };
  const countFor = (test: string, mutants: string[]) => {
    const reached = (coverage().perTest[test] ??= {});
    for (const mutant of mutants) reached[mutant] = (reached[mutant] ?? 0) + 1;
  };

  beforeAll(() => {
    reachedOnLoad = new Set(Object.keys(coverage().static));
    countsSeen.clear();
    reachedSince();
  });
  // Registered after Stryker's own beforeEach, which names the running test. What the hooks reached
  // since the last test belongs to the outermost suite this test opens: its beforeAll just ran.
  beforeEach(({ task }) => {
    const test = namespace.currentTestId;
    if (test === undefined) return;
    testsOfFile.push(test);
    const suites = suitesOf(task);
    // The file opens with its first test; a describe inside it is more precise when it opens too.
    const opened = suites.slice(1).find((suite) => firstTestOf(suite) === task) ?? suites.at(-1)!;
    const reached = reachedSince();
    if (reached.length > 0) reachedBySuite.set(opened, [...(reachedBySuite.get(opened) ?? []), ...reached]);
    for (const suite of suites) countFor(test, reachedBySuite.get(suite) ?? []);
  });
  // What only the file's last hooks reached counts for every test of the file.
  afterAll(() => {
    if (testsOfFile.length === 0) return;
    const reached = reachedSince();
    for (const test of testsOfFile) countFor(test, reached);
    const counts = coverage();
    counts.static = Object.fromEntries(Object.entries(counts.static).filter(([mutant]) => reachedOnLoad.has(mutant)));
  });
}
