/** The roles botinfra ships (ansible-templates/roles/), read as files to copy into a rendered project. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { byPath, type RenderedFile } from "./render.js";

/** Every regular file under `rolesDir`, paths relative to it with `/`, sorted. */
export function readRoleFiles(rolesDir: string): RenderedFile[] {
  const files: RenderedFile[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(rolesDir, relative), { withFileTypes: true })) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push({ path, content: readFileSync(join(rolesDir, path), "utf8") });
    }
  };
  walk("");
  return files.sort(byPath);
}
