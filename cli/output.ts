/** Terminal output: colour only on a terminal and never with NO_COLOR; JSON always plain and stable. */

const useColor = Boolean(process.stdout.isTTY) && process.env.NO_COLOR === undefined && process.env.TERM !== "dumb";

const paint = (open: number, close: number) => (text: string) => (useColor ? `\u001b[${open}m${text}\u001b[${close}m` : text);

export const style = {
  bold: paint(1, 22),
  dim: paint(2, 22),
  red: paint(31, 39),
  green: paint(32, 39),
  yellow: paint(33, 39),
  cyan: paint(36, 39),
};

/** "1 stack", "3 stacks". */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLines(lines: string[]): void {
  if (lines.length > 0) process.stdout.write(`${lines.join("\n")}\n`);
}

/** Progress goes to stderr so that stdout stays the command's result. */
export function progress(message: string): void {
  process.stderr.write(`${style.dim(message)}\n`);
}

/** Left-aligned columns for human tables. */
export function table(rows: string[][], indent = ""): string[] {
  const widths = rows.reduce<number[]>((acc, row) => row.map((cell, i) => Math.max(acc[i] ?? 0, visibleLength(cell))), []);
  return rows.map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell + " ".repeat(widths[i]! - visibleLength(cell)))).join("  ").trimEnd());
}

function visibleLength(text: string): number {
  return text.replace(/\u001b\[\d+m/g, "").length;
}

/**
 * Prints a JSON array one item at a time, byte for byte what printJson prints for the whole array,
 * so that a fleet's results need not all be held at once. `text` is an item's JSON as printJson writes it.
 */
export function jsonArrayPrinter() {
  let count = 0;
  return {
    item(text: string) {
      process.stdout.write(`${count === 0 ? "[\n" : ",\n"}  ${text.replaceAll("\n", "\n  ")}`);
      count += 1;
    },
    end() {
      process.stdout.write(count === 0 ? "[]\n" : "\n]\n");
    },
  };
}
