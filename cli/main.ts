#!/usr/bin/env node
/**
 * The botinfra command line. It only wires the model to its consumers; every command is a small
 * yargs module, loaded only when it runs (and a cloud's SDK only by a command that works on that
 * cloud). `botinfra --help` and `--version` need neither yargs nor any command's options.
 */
import { failureOf, INTERNAL_HINT, UsageError } from "./failures.js";
import { style } from "./output.js";

async function run(args: string[]): Promise<void> {
  if (args.length === 1 && (args[0] === "--help" || args[0] === "-h")) {
    const [{ loadAllCommands }, { topLevelHelp }] = await Promise.all([import("./commands/index.js"), import("./help.js")]);
    process.stdout.write(topLevelHelp(await loadAllCommands()));
    return;
  }
  if (args.length === 1 && args[0] === "--version") {
    process.stdout.write(`${(await import("./package-info.js")).packageVersion()}\n`);
    return;
  }
  const { parser } = await import("./parser.js");
  await (await parser(args)).parseAsync();
}

function reportFailure(error: unknown): number {
  const failure = failureOf(error);
  process.stderr.write(`${style.red(failure.internal ? "internal error:" : "error:")} ${failure.message}\n`);
  if (failure.internal) process.stderr.write(`${INTERNAL_HINT}\n`);
  else if (error instanceof UsageError) process.stderr.write("Run with --help for the options and examples.\n");
  return failure.exitCode;
}

try {
  await run(process.argv.slice(2));
} catch (error) {
  process.exitCode = reportFailure(error);
}
