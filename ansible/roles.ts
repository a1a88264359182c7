/** Folders copied into a rendered project: the roles botinfra ships (ansible-templates/roles/) and a tenant's overlay. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../model/errors.js";
import { displayPath } from "../spec-files/display-path.js";
import type { Overlay } from "./overlay.js";
import { byPath, type RenderedFile } from "./render.js";

/** Every regular file under `dir`, paths relative to it with `/`, sorted; `other` is told of anything else. */
function readTree(dir: string, other: (path: string) => void = () => {}): RenderedFile[] {
  const files: RenderedFile[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(dir, relative), { withFileTypes: true })) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push({ path, content: readFileSync(join(dir, path), "utf8") });
      else other(path);
    }
  };
  walk("");
  return files.sort(byPath);
}

export function readRoleFiles(rolesDir: string): RenderedFile[] {
  return readTree(rolesDir);
}

/**
 * The tenant overlay at `dir`, or undefined when it does not exist and was not asked for by name.
 * Only regular files: a link could make the project read what the repository does not hold.
 */
export function readOverlay(dir: string, named: boolean): Overlay | undefined {
  const source = displayPath(dir);
  let isFolder: boolean;
  try {
    isFolder = statSync(dir).isDirectory();
  } catch {
    if (!named) return undefined;
    throw new UserError(`overlay: ${source} does not exist; allowed: a folder, relative to the tenant file`);
  }
  if (!isFolder) throw new UserError(`overlay: ${source} is not a folder`);
  const files = readTree(dir, (path) => {
    throw new UserError(`${source}/${path}: is not a regular file (a link?); allowed: files and folders only`);
  });
  return { source, files };
}
