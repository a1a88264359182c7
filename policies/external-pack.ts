/**
 * Any CrossGuard policy pack, run offline like botinfra's own: the pack's folder is loaded the way the
 * engine's policy host loads it (its package.json's version, its JavaScript entry, from inside the
 * folder), with @pulumi/policy's serve intercepted so that no gRPC server starts. @pulumi/policy serves
 * one pack per process, so a check runs either botinfra's pack or the one given.
 */
import { createRequire } from "node:module";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { UserError } from "../model/errors.js";
import { capturePack, type LoadedPack } from "./offline.js";

const PACK_FOLDER = "a CrossGuard policy pack folder (PulumiPolicy.yaml, and a package.json with a version whose main, or index.js, is the pack's JavaScript)";

export async function loadPolicyPack(dir: string, option = "--policy-pack"): Promise<LoadedPack> {
  const folder = resolve(dir);
  const refuse = (why: string) => new UserError(`${option}: ${dir} ${why}; allowed: ${PACK_FOLDER}`);
  const manifestPath = join(folder, "package.json");
  if (!existsSync(join(folder, "PulumiPolicy.yaml"))) throw refuse("has no PulumiPolicy.yaml");
  if (!existsSync(manifestPath)) throw refuse("has no package.json");
  let manifest: { version?: unknown; main?: unknown };
  try {
    manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as typeof manifest;
  } catch {
    throw refuse("has a package.json that is not valid JSON");
  }
  if (typeof manifest.version !== "string" || manifest.version === "") throw refuse("has a package.json without a version (the engine refuses such a pack too)");
  const entry = join(folder, typeof manifest.main === "string" ? manifest.main : "index.js");
  if (!/\.(c|m)?js$/.test(entry) || !existsSync(entry)) throw refuse(`has no JavaScript entry at ${entry} (a TypeScript pack must be compiled first)`);
  let policyServer: string;
  try {
    policyServer = createRequire(manifestPath).resolve("@pulumi/policy/server.js");
  } catch {
    throw refuse("cannot load @pulumi/policy (run npm install in it)");
  }
  const pack = await capturePack(policyServer, async () => {
    // As the engine's policy host runs it: PolicyPack reads the version from the working folder's package.json.
    const cwd = process.cwd();
    process.chdir(folder);
    try {
      await import(pathToFileURL(entry).href);
    } finally {
      process.chdir(cwd);
    }
  }).catch((error: unknown) => {
    if (error instanceof Error && error.message.startsWith("internal: @pulumi/policy no longer registers")) throw refuse("builds no PolicyPack");
    throw error;
  });
  return pack;
}
