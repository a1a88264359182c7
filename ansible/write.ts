/**
 * Writing a rendered project: all of it or nothing. Files go to a temporary folder beside the
 * target, which then takes the target's place; a folder is only ever replaced when botinfra
 * rendered it (or it is empty), so a mistyped --out cannot wipe someone's work.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, posix, resolve } from "node:path";
import { UserError } from "../model/errors.js";
import { displayPath } from "../model/load.js";
import { RENDERED_MARKER, type RenderedFile } from "./render.js";

/** Why the folder may not be replaced, or undefined when it may (absent, empty, or rendered by botinfra). */
function replaceProblem(target: string): string | undefined {
  let stats;
  try {
    stats = lstatSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    return `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  }
  if (!stats.isDirectory()) return stats.isSymbolicLink() ? "is a symbolic link" : "is a file";
  if (readdirSync(target).length === 0) return undefined;
  const config = join(target, "ansible.cfg");
  if (existsSync(config) && readFileSync(config, "utf8").startsWith(RENDERED_MARKER)) return undefined;
  return "is a folder botinfra did not render (it has no ansible.cfg of botinfra's)";
}

function checkRelative(path: string) {
  const normal = posix.normalize(path);
  if (normal !== path || path.startsWith("/") || path.split("/").includes("..")) throw new Error(`internal: unsafe rendered path ${path}`);
}

/** Writes the files to `target` atomically, replacing a project rendered there before. */
export function writeProject(target: string, files: RenderedFile[]): void {
  const out = resolve(target);
  const shown = displayPath(out);
  const problem = replaceProblem(out);
  if (problem) throw new UserError(`--out ${shown}: ${problem}; allowed: a new or empty folder, or one botinfra rendered before`);
  const parent = dirname(out);
  try {
    mkdirSync(parent, { recursive: true });
  } catch (error) {
    throw new UserError(`--out ${shown}: its parent folder cannot be created (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }

  let temp: string;
  try {
    temp = mkdtempSync(join(parent, `.${basename(out)}.tmp-`));
  } catch (error) {
    throw new UserError(`--out ${shown}: cannot write beside it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    chmodSync(temp, 0o755);
    for (const file of files) {
      checkRelative(file.path);
      const path = join(temp, file.path);
      mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
      writeFileSync(path, file.content, { mode: 0o644 });
    }
    if (existsSync(out)) {
      const old = `${temp}.old`;
      renameSync(out, old);
      try {
        renameSync(temp, out);
      } catch (error) {
        renameSync(old, out);
        throw error;
      }
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(temp, out);
    }
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
}
