/**
 * How many cases a property checks: the number it asks for, or fewer when the run lowers fast-check's
 * global count (mutation testing does, see test/support/mutation-setup.ts: every mutant reruns it).
 */
import fc from "fast-check";

export function runs(wanted: number): number {
  return Math.min(wanted, fc.readConfigureGlobal().numRuns ?? wanted);
}
