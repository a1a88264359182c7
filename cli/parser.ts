/** The yargs parser, with only the commands this run needs: the one named, or all of them when none is. */
import yargs from "yargs";
import { COMMANDS, loadAllCommands } from "./commands/index.js";
import { UsageError } from "./failures.js";
import { packageVersion } from "./package-info.js";
import { EPILOGUE, EXAMPLES, GLOBAL_OPTIONS, helpWidth, SCRIPT_NAME, USAGE } from "./usage.js";

/** The first word that is not an option (nor the value of --tenants-dir): the command, if it is one. */
export function commandWord(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === "--") return undefined;
    if (arg === "--tenants-dir") i += 1;
    else if (!arg.startsWith("-")) return arg;
  }
  return undefined;
}

export async function parser(args: string[]) {
  const word = commandWord(args);
  const load = word !== undefined && Object.hasOwn(COMMANDS, word) ? COMMANDS[word]! : undefined;
  const commands = load ? [await load()] : await loadAllCommands();
  const built = commands
    .reduce((parsing, command) => parsing.command(command), yargs(args).scriptName(SCRIPT_NAME).usage(USAGE).options(GLOBAL_OPTIONS))
    .demandCommand(1, "say which command to run")
    .strict()
    .recommendCommands();
  return EXAMPLES.reduce((parsing, [example, meaning]) => parsing.example(example, meaning), built)
    .epilogue(EPILOGUE)
    .help()
    .alias("help", "h")
    .version(packageVersion())
    .wrap(helpWidth())
    .fail((message, error) => {
      if (error) throw error;
      throw new UsageError(message);
    });
}
