/** botinfra's own package: its version and where its bundled files (sample tenants, roles) live. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The folder holding botinfra's package.json, whether running from source or from dist/. */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "Pulumi.yaml"))) return dir;
    if (dirname(dir) === dir) throw new Error(`internal: no botinfra package above ${from}`);
  }
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;
}

/** The exact version of one of botinfra's dependencies, as package.json pins it. */
export function dependencyVersion(name: string): string {
  const { dependencies } = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  const version = dependencies[name];
  if (version === undefined || !/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`internal: package.json does not pin ${name} to an exact version`);
  return version;
}
