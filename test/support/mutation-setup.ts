/**
 * Setup for the test runs of mutation testing (vitest.mutation.config.ts): each mutant reruns every
 * property that reaches it, in instrumented code, so properties check fewer cases there. The full
 * counts run in the ordinary suite.
 */
import fc from "fast-check";

fc.configureGlobal({ numRuns: 25 });
