/**
 * Writing CI files into a repository: every file goes to a temporary path beside its target first, and
 * only when all are written do they take their places. A file is replaced only when botinfra rendered it
 * (its first line is RENDERED_HEADER): a hand-written workflow of the same name is never overwritten.
 */
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, posix, resolve } from "node:path";
import { UserError } from "../../model/errors.js";
import { displayPath } from "../../spec-files/display-path.js";
import { RENDERED_HEADER, type RenderedFile } from "./stacks.js";

function replaceProblem(target: string): string | undefined {
  let stats;
  try {
    stats = lstatSync(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? undefined : `cannot be read (${code ?? String(error)})`;
  }
  if (!stats.isFile()) return stats.isSymbolicLink() ? "is a symbolic link" : "is not a file";
  return readFileSync(target, "utf8").startsWith(RENDERED_HEADER) ? undefined : "exists and was not rendered by botinfra; allowed: a new file or one botinfra rendered (move it away, or choose another --out)";
}

/** Writes the files under `root`; returns their paths as the user sees them. */
export function writeFiles(root: string, files: RenderedFile[]): string[] {
  const targets = files.map((file) => {
    const normal = posix.normalize(file.path);
    if (normal !== file.path || file.path.startsWith("/") || file.path.split("/").includes("..")) throw new Error(`internal: unsafe rendered path ${file.path}`);
    const target = resolve(root, file.path);
    const problem = replaceProblem(target);
    if (problem) throw new UserError(`${displayPath(target)} ${problem}`);
    return { target, content: file.content, temp: join(dirname(target), `.${posix.basename(file.path)}.botinfra-tmp-${process.pid}`) };
  });
  try {
    for (const { target, content, temp } of targets) {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(temp, content, { mode: 0o644 });
    }
  } catch (error) {
    for (const { temp } of targets) rmSync(temp, { force: true });
    throw new UserError(`--out ${displayPath(resolve(root))}: cannot write there (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  for (const { target, temp } of targets) renameSync(temp, target);
  return targets.map(({ target }) => displayPath(target));
}
