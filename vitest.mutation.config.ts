import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.js";

/** The suite as mutation testing runs it (stryker.config.json): properties lighter, instrumented code slower. */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      setupFiles: ["test/support/mutation-setup.ts"],
      testTimeout: 300_000,
      reporters: ["default"],
    },
  }),
);
