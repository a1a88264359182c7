import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The mock runtime is process-global: every test file runs in a process of its own.
    pool: "forks",
    testTimeout: 60_000,
    // GitHub's workflow parser imports its JSON schema without an import attribute, which only Vite's loader accepts.
    server: { deps: { inline: ["@actions/workflow-parser"] } },
    hookTimeout: 120_000,
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
