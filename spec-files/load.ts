/** Reading tenant files: from a name in the tenants folder or from a path, to a validated model. */
import { readdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { parseDocument } from "yaml";
import { accountRangesFor, keysUploadedElsewhere } from "../model/accounts.js";
import { CLOUD_PROFILES } from "../model/clouds.js";
import { SpecError, UserError } from "../model/errors.js";
import { parseTenantSpec, TENANT_NAME, type TenantSpec } from "../model/spec.js";
import { parseTenantText, type LoadedTenant } from "../model/tenant-text.js";
import { displayPath } from "./display-path.js";
import { readUserFile } from "./user-file.js";

export const TENANT_FILE_EXTENSION = ".yaml";

/** A tenant read from its spec file: the file's path and text with the tenant they make (commands that edit the file start from this text). */
export interface TenantFile extends LoadedTenant {
  file: string;
  text: string;
}

/** How the user named the tenant: exactly one of a name in the tenants folder or a file path. */
export type TenantRef = { name: string; tenantsDir: string } | { file: string };

export function tenantFileFor(name: string, tenantsDir: string): string {
  return join(tenantsDir, `${name}${TENANT_FILE_EXTENSION}`);
}

/** The spec file a reference names. */
export const tenantFileOf = (ref: TenantRef) => ("file" in ref ? ref.file : tenantFileFor(ref.name, ref.tenantsDir));

/** The tenant names in a folder, sorted; an absent folder has none. */
export function listTenantNames(tenantsDir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(tenantsDir);
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.endsWith(TENANT_FILE_EXTENSION))
    .map((entry) => entry.slice(0, -TENANT_FILE_EXTENSION.length))
    .sort();
}

export function loadTenant(ref: TenantRef): TenantFile {
  if ("file" in ref) return loadTenantFile(ref.file);
  if (!TENANT_NAME.test(ref.name)) {
    throw new UserError(`--tenant: found "${ref.name}"; allowed: a tenant name (lowercase letters, digits and '-'), or use --tenant-file PATH`);
  }
  const file = tenantFileFor(ref.name, ref.tenantsDir);
  const known = listTenantNames(ref.tenantsDir);
  if (!known.includes(ref.name)) {
    const choices = known.length > 0 ? `known tenants: ${known.join(", ")}` : `no tenant files in ${displayPath(ref.tenantsDir)}`;
    throw new UserError(`--tenant: no tenant "${ref.name}": ${displayPath(file)} does not exist; ${choices}`);
  }
  const loaded = loadTenantFile(file);
  if (loaded.spec.tenant !== ref.name) {
    throw new SpecError(loaded.source, [
      { path: ["tenant"], message: `found "${loaded.spec.tenant}"; allowed: "${ref.name}", the name of the file (${basename(file)})` },
    ]);
  }
  return loaded;
}

/** Tenant specs are a few KiB; the bound keeps parsing and validation well under a second. */
export const SPEC_MAX_BYTES = 128 * 1024;

export function loadTenantFile(file: string): TenantFile {
  const source = displayPath(file);
  const text = readUserFile(file, "tenant file", (why) => new UserError(`${source}: ${why}`), SPEC_MAX_BYTES);
  const loaded = parseTenantText(text, source, (spec) => {
    const neighbours = neighbourSpecs(spec, file);
    return { accountRanges: accountRangesFor(spec, neighbours), keysUploadedElsewhere: keysUploadedElsewhere(spec, neighbours) };
  });
  return { ...loaded, file, text };
}

/**
 * The specs of the other tenants in the file's folder, where the tenant's cloud needs them (networks
 * apart, or keys held once, per account). A neighbour that cannot be read or parsed is left out: its own
 * validation says why.
 */
function neighbourSpecs(spec: TenantSpec, file: string): TenantSpec[] {
  const profile = CLOUD_PROFILES[spec.cloud];
  if (!profile.networksDisjointPerAccount && !profile.sshKeysOncePerAccount) return [];
  const folder = dirname(resolve(file));
  return listTenantNames(folder).flatMap((name) => {
    const path = tenantFileFor(name, folder);
    if (path === resolve(file)) return [];
    try {
      const parsed = parseTenantSpec(parseDocument(readUserFile(path, "tenant file", (why) => new Error(why), SPEC_MAX_BYTES)).toJS());
      return parsed.spec ? [parsed.spec] : [];
    } catch {
      return [];
    }
  });
}
