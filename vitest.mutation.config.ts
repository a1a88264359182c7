import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.js";

/** The suite as mutation testing runs it (stryker.config.mjs): properties lighter, instrumented code slower. */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      setupFiles: ["test/support/mutation-setup.ts"],
      testTimeout: 300_000,
      // One worker keeps the SDKs it loaded from one mutant's run to the next; every mutant reloading
      // the clouds' SDKs is most of a run otherwise. The tests that inspect the module graph are not in
      // the mutation runs (stryker.config.mjs).
      isolate: false,
      reporters: ["default"],
    },
  }),
);
