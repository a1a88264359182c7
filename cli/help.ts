/**
 * `botinfra --help` without yargs: the commands' own descriptions and the shared usage, laid out as
 * yargs lays out its help, so that the most common first command starts about as fast as node itself.
 */
import type { AnyCommand } from "./commands/index.js";
import { EPILOGUE, EXAMPLES, GLOBAL_OPTIONS, helpWidth, SCRIPT_NAME, USAGE } from "./usage.js";

/** Words of `text` in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(" ")) {
      if (line && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines;
}

/** Two columns: the left one as wide as its widest cell, the right one wrapped in what is left. */
function columns(rows: [string, string][], width: number): string[] {
  const left = Math.max(...rows.map(([cell]) => cell.length)) + 2;
  return rows.flatMap(([cell, text]) => wrap(text, Math.max(20, width - left - 2)).map((line, i) => `  ${(i === 0 ? cell : "").padEnd(left)}${line}`.trimEnd()));
}

const name = (text: string) => text.replaceAll("$0", SCRIPT_NAME);

export function topLevelHelp(commands: AnyCommand[], width = helpWidth()): string {
  const options: [string, string][] = [
    ...Object.entries(GLOBAL_OPTIONS).map(([option, spec]): [string, string] => [`    --${option}`, `${spec.describe} [${spec.type}] [default: ${JSON.stringify(spec.default)}]`]),
    ["-h, --help", "Show help [boolean]"],
    ["    --version", "Show version number [boolean]"],
  ];
  return [
    ...wrap(name(USAGE), width),
    "",
    "Commands:",
    ...columns(
      commands.map((command) => [`${SCRIPT_NAME} ${String(command.command)}`, String(command.describe)]),
      width,
    ),
    "",
    "Options:",
    ...columns(options, width),
    "",
    "Examples:",
    ...columns(EXAMPLES.map(([example, meaning]) => [name(example), meaning]), width),
    "",
    ...wrap(EPILOGUE, width),
    "",
  ].join("\n");
}
