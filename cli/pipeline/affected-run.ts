/** Reads both sides of a change (the specs at the base commit and in the working tree) and decides what it touches. */
import { realpathSync } from "node:fs";
import { basename, relative, resolve, sep } from "node:path";
import { UserError } from "../../model/errors.js";
import { parseTenantText } from "../../model/tenant-text.js";
import { listTenantNames, loadTenant, TENANT_FILE_EXTENSION } from "../../spec-files/load.js";
import type { Platform } from "../../model/platform.js";
import { affectedStacks, everyStack, type AffectedReport, type TenantState } from "./affected.js";
import { openRepository, type Repository } from "./git.js";

export interface AffectedArgs {
  base?: string;
  all?: boolean;
  "tenants-dir": string;
}

function currentTenants(tenantsDir: string): Map<string, Platform> {
  return new Map(listTenantNames(tenantsDir).map((name) => [name, loadTenant({ name, tenantsDir }).platform]));
}

/** The folder as git names it: relative to the repository's root, with `/`. */
function inRepository(repository: Repository, folder: string): string {
  let real: string;
  try {
    real = realpathSync(folder);
  } catch {
    real = folder;
  }
  const path = relative(repository.root, real);
  if (path.startsWith("..") || resolve(repository.root, path) !== real) {
    throw new UserError(`--tenants-dir: ${folder} is outside the git repository ${repository.root}; allowed: a folder of the repository`);
  }
  return path.split(sep).join("/");
}

async function tenantsAt(repository: Repository, commit: string, folder: string): Promise<Map<string, TenantState>> {
  const files = (await repository.filesAt(commit, folder)).filter((path) => path.endsWith(TENANT_FILE_EXTENSION));
  const states = await Promise.all(
    files.map(async (path): Promise<[string, TenantState]> => {
      const name = basename(path, TENANT_FILE_EXTENSION);
      try {
        const { spec, platform } = parseTenantText(await repository.textAt(commit, path), `${commit.slice(0, 12)}:${path}`);
        return [name, spec.tenant === name ? { platform } : { invalid: `its tenant is "${spec.tenant}", not "${name}"` }];
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        return [name, { invalid: error.message.split("\n")[0]! }];
      }
    }),
  );
  return new Map(states);
}

export async function affectedReport(argv: AffectedArgs): Promise<AffectedReport> {
  const tenantsDir = resolve(argv["tenants-dir"]);
  const after = currentTenants(tenantsDir);
  if (argv.base === undefined) return everyStack(after);
  const repository = await openRepository(process.cwd());
  const base = await repository.forkPoint(await repository.resolveCommit(argv.base, "--base"));
  const folder = inRepository(repository, tenantsDir);
  const [before, changedFiles] = await Promise.all([tenantsAt(repository, base, folder), repository.changedFiles(base)]);
  return affectedStacks({ base, before, after, changedFiles, tenantsDir: folder });
}
