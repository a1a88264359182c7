// @ts-check
/**
 * Mutation testing (`npm run mutation`, or one area: `npm run mutation:model`). Each area's mutants
 * must be killed by that area's own tests; vitest's related-file selection and per-test coverage then
 * run, for each mutant, only the tests that reach it. Results are kept per area in test/mutation/ so
 * that a rerun (--incremental) only tests what changed. Tests that drive the built binary (dist/) or
 * real tools for minutes (the live nginx, the rendered roles) are left out: they cannot see a mutant
 * in the sandbox's sources, or would take hours to rerun per mutant.
 */
const AREAS = {
  model: ["test/model/**/*.test.ts"],
  policies: ["test/policies/**/!(pack|engine).test.ts"],
  ansible: ["test/ansible/{render,render-files,overlay,software,write}.test.ts"],
  // The contract suite holds the checks every cloud's components share.
  components: ["test/components/**/*.test.ts", "test/contract/**/*.test.ts"],
};
const area = process.env.MUTATION_AREA;
if (area !== undefined && !(area in AREAS)) throw new Error(`MUTATION_AREA: found "${area}"; allowed: ${Object.keys(AREAS).join(", ")}`);
const areas = area === undefined ? Object.keys(AREAS) : [area];
const name = area ?? "all";

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts", related: true },
  checkers: ["typescript"],
  // The checker compiles the area's sources alone (test/mutation/tsconfig.<area>.json): the whole project's types would take it seconds a mutant.
  tsconfigFile: area === undefined ? "tsconfig.json" : `test/mutation/tsconfig.${area}.json`,
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: areas.map((each) => `${each}/**/*.ts`),
  testFiles: areas.flatMap((each) => AREAS[each]),
  coverageAnalysis: "perTest",
  // Mutants that only run while a module loads would rerun every test of the area each; the pinned
  // tests (test/model/address-plan.test.ts, boundaries.test.ts) check those constants instead.
  ignoreStatic: true,
  // Two cores: one process type-checks mutants, one runs their tests.
  concurrency: 2,
  timeoutMS: 20000,
  dryRunTimeoutMinutes: 30,
  incrementalFile: `test/mutation/${name}.json`,
  ignorePatterns: ["dist", "reports", "coverage", ".vitest-results.json"],
  reporters: ["clear-text", "progress-append-only", "html", "json"],
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  thresholds: { high: 85, low: 75, break: null },
};
