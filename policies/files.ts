/** The pack's own files (PulumiPolicy.yaml, package.json, config.json), found from source and from dist/ alike. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const candidates = [new URL("./", import.meta.url), new URL("../../policies/", import.meta.url)].map((url) => fileURLToPath(url));

/** policies/ itself when running from source; the package's policies/ when running from dist/policies/. */
export const PACK_DIR = (() => {
  const found = candidates.find((dir) => existsSync(join(dir, "PulumiPolicy.yaml")));
  if (found === undefined) throw new Error(`internal: no policy pack (PulumiPolicy.yaml) in ${candidates.join(" or ")}`);
  return found;
})();

export function readPackJson(file: "package.json" | "config.json"): unknown {
  return JSON.parse(readFileSync(join(PACK_DIR, file), "utf8"));
}

/** The pack's version is its package.json's, as the engine reads it. */
export function packVersion(): string {
  return (readPackJson("package.json") as { version: string }).version;
}
