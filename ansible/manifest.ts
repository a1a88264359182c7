/**
 * The manifest of a rendered project: every file botinfra wrote there, with its hash. It is how render
 * knows what it may replace or delete; everything else in the folder is the user's.
 */
import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { RenderedFile } from "./render.js";

export const MANIFEST_FILE = ".botinfra-manifest.json";

export interface Manifest {
  generator: "botinfra";
  /** Path (relative, `/`-separated) to `sha256:<hex>` of the content written. */
  files: Record<string, string>;
}

export function hashContent(content: string | Buffer): string {
  return `sha256:${createHash("sha256").update(content).digest("hex")}`;
}

/** The manifest's text for the files about to be written: sorted, so the same files give the same bytes. */
export function manifestText(files: RenderedFile[]): string {
  const entries = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((file) => [file.path, hashContent(file.content)]);
  const manifest: Manifest = { generator: "botinfra", files: Object.fromEntries(entries) };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** The manifest in a folder; undefined when there is none, or it is not one of botinfra's. */
export function readManifest(dir: string): Manifest | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, MANIFEST_FILE), "utf8");
  } catch {
    return undefined;
  }
  try {
    const value = JSON.parse(text) as Partial<Manifest>;
    const files = value.files;
    if (value.generator !== "botinfra" || typeof files !== "object" || files === null) return undefined;
    return Object.values(files).every((hash) => typeof hash === "string") ? { generator: "botinfra", files } : undefined;
  } catch {
    return undefined;
  }
}

export interface FolderContents {
  /** Entries botinfra did not write (a folder with none of botinfra's files in it is one entry, `name/`). */
  unlisted: string[];
  /** Files botinfra wrote whose content has changed since. */
  changed: string[];
  /** The folders holding botinfra's files. */
  folders: string[];
}

/** What a folder holds beyond (and against) its manifest; without a manifest, everything is unlisted. */
export function inspectFolder(dir: string, manifest: Manifest | undefined): FolderContents {
  const listed = new Set(Object.keys(manifest?.files ?? {}));
  const listedDirs = new Set([...listed].flatMap((path) => path.split("/").slice(0, -1).map((_, index, parts) => parts.slice(0, index + 1).join("/"))));
  const result: FolderContents = { unlisted: [], changed: [], folders: [] };
  const pending = [""];
  while (pending.length > 0) {
    const relative = pending.pop()!;
    for (const name of readdirSync(join(dir, relative)).sort()) {
      const path = relative ? `${relative}/${name}` : name;
      if (path === MANIFEST_FILE && manifest) continue;
      const stats = lstatSync(join(dir, path));
      if (stats.isDirectory() && listedDirs.has(path)) {
        pending.push(path);
        result.folders.push(path);
      }
      else if (stats.isFile() && listed.has(path)) {
        if (hashContent(readFileSync(join(dir, path))) !== manifest!.files[path]) result.changed.push(path);
      } else result.unlisted.push(stats.isDirectory() ? `${path}/` : path);
    }
  }
  result.unlisted.sort();
  result.changed.sort();
  return result;
}
