/** Commands that need no cloud load no cloud SDK: that is what keeps the CLI's start fast (see bench/). */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

const tracer = fileURLToPath(new URL("../support/trace-imports.mjs", import.meta.url));

async function importsOf(args: string[]): Promise<string[]> {
  const file = join(mkdtempSync(join(tmpdir(), "botinfra-trace-")), "imports.txt");
  const result = await runCli(args, { env: { BOTINFRA_TRACE_IMPORTS: file, NODE_OPTIONS: `--import=${tracer}` } });
  expect(result.exitCode).toBe(0);
  return readFileSync(file, "utf8").split("\n").filter(Boolean);
}

describe("CLI start-up", () => {
  it.each([[["--help"]], [["up", "--help"]], [["check", "--help"]], [["plan", "--all", "--help"]], [["pipeline", "--help"]], [["affected", "--help"]], [["tenants", "show", "--tenant", "acme", "--json"]]])(
    "%j loads no Pulumi or cloud SDK",
    async (args) => {
      const imports = await importsOf(args);
      expect(imports.filter((url) => url.includes("/node_modules/@pulumi/"))).toEqual([]);
    },
  );

  it("--help loads no package at all (not even yargs), and neither the model nor the renderer", async () => {
    const imports = await importsOf(["--help"]);
    expect(imports.filter((url) => url.includes("/node_modules/"))).toEqual([]);
    expect(imports.filter((url) => /\/(spec-files\/load|model\/tenant-text|ansible\/render|cli\/render-run|cli\/parser)\.js$/.test(url))).toEqual([]);
    expect(imports.some((url) => url.endsWith("/cli/commands/plan.js"))).toBe(true);
  });

  it.each([["plan"], ["check"], ["up"], ["tenants"], ["pipeline"], ["affected"]])("%s --help loads yargs and that command's module only", async (command) => {
    const imports = await importsOf([command, "--help"]);
    expect(imports.some((url) => url.includes("/yargs/"))).toBe(true);
    const modules = imports.filter((url) => /\/cli\/commands\/(?!index\.js)[\w-]+\.js$/.test(url)).map((url) => url.replace(/.*\/cli\/commands\//, ""));
    expect([...new Set(modules)]).toEqual([`${command}.js`]);
  });

  it("a command given after --tenants-dir's value is still the one loaded", async () => {
    const imports = await importsOf(["--tenants-dir", "stacks/tenants", "tenants", "list"]);
    const modules = imports.filter((url) => /\/cli\/commands\/(?!index\.js)[\w-]+\.js$/.test(url)).map((url) => url.replace(/.*\/cli\/commands\//, ""));
    expect([...new Set(modules)]).toEqual(["tenants.js"]);
  });
});
