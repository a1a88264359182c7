/** Reading a file the user named, with the one wording every command uses when it cannot be read. */
import { readFileSync } from "node:fs";

/**
 * The file's text; when it cannot be read, `fail` turns the reason ("does not exist", "is a folder,
 * not a <kind>", "cannot be read (CODE)") into the error the user sees.
 */
export function readUserFile(file: string, kind: string, fail: (why: string) => Error): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw fail(code === "ENOENT" ? "does not exist" : code === "EISDIR" ? `is a folder, not a ${kind}` : `cannot be read (${code ?? String(error)})`);
  }
}
