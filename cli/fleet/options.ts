/** The options of commands that work on many tenants at once: --all, repeated --tenant, --jobs. */
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import type { Argv } from "yargs";
import { UserError } from "../../model/errors.js";
import { displayPath } from "../../spec-files/display-path.js";
import type { TenantRef } from "../../spec-files/load.js";
import type { TenantArgs } from "../tenant-options.js";

export interface FleetArgs extends TenantArgs {
  all?: boolean;
  jobs?: string;
}

/** More threads than this only cost memory: each loads the Pulumi SDK and a cloud's. */
export const MAX_JOBS = 64;

export function withFleetOptions<T>(yargs: Argv<T>) {
  return yargs
    .option("all", { type: "boolean", describe: "Every tenant in the tenants folder, in name order (--tenant may also be repeated)", conflicts: ["tenant", "tenant-file"] })
    .option("jobs", { alias: "j", type: "string", requiresArg: true, describe: `Tenants worked on at once, each in a worker thread (default: the number of cores, ${availableParallelism()})` });
}

/** --jobs as a number: a whole number from 1 to MAX_JOBS, or the number of cores. */
export function parseJobs(jobs: string | undefined): number {
  if (jobs === undefined) return availableParallelism();
  const value = Number(jobs);
  if (!/^\s*\d+\s*$/.test(jobs) || value < 1 || value > MAX_JOBS) {
    throw new UserError(`--jobs: found "${jobs}"; allowed: a whole number from 1 to ${MAX_JOBS} (default: the number of cores, ${availableParallelism()})`);
  }
  return value;
}

/** The names given with --tenant, however many times. */
export function tenantNames(argv: TenantArgs): string[] {
  const given = argv.tenant as string | string[] | undefined;
  return given === undefined ? [] : Array.isArray(given) ? given : [given];
}

/**
 * The tenants a fleet command works on, in the order results are shown: every one of the folder (by
 * name) with --all, the ones named with a repeated --tenant; undefined for a single tenant.
 */
export async function fleetRefs(argv: FleetArgs): Promise<TenantRef[] | undefined> {
  const tenantsDir = resolve(argv["tenants-dir"]);
  if (argv.all) {
    const { listTenantNames } = await import("../../spec-files/load.js");
    const names = listTenantNames(tenantsDir);
    if (names.length === 0) throw new UserError(`--tenants-dir: no tenant files (*.yaml) in ${displayPath(tenantsDir)}`);
    return names.map((name) => ({ name, tenantsDir }));
  }
  const names = tenantNames(argv);
  if (names.length < 2) return undefined;
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) throw new UserError(`--tenant: "${repeated}" is given twice; allowed: each tenant once`);
  return names.map((name) => ({ name, tenantsDir }));
}
