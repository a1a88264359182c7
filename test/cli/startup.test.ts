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
  it.each([[["--help"]], [["up", "--help"]], [["check", "--help"]], [["pipeline", "--help"]], [["affected", "--help"]], [["tenants", "show", "--tenant", "acme", "--json"]]])("%j loads no Pulumi or cloud SDK", async (args) => {
    const imports = await importsOf(args);
    expect(imports.some((url) => url.includes("/yargs/"))).toBe(true);
    expect(imports.filter((url) => url.includes("/node_modules/@pulumi/"))).toEqual([]);
  });

  it.each([[["--help"]], [["pipeline", "--help"]], [["affected", "--help"]]])("%j loads neither the model nor a renderer: only what parsing arguments needs", async (args) => {
    const imports = await importsOf(args);
    const heavy = imports.filter((url) => /\/node_modules\/(zod|yaml|ip-address|execa)\/|\/(model\/load|ansible\/render|cli\/render-run|cli\/pipeline\/[a-z-]+)\.js$/.test(url));
    expect(heavy).toEqual([]);
  });
});
