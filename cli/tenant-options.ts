/** The options every tenant command shares: which tenant, from where. */
import { resolve } from "node:path";
import type { Argv } from "yargs";
import { UserError } from "../model/errors.js";
import type { TenantRef } from "../spec-files/load.js";

export interface TenantArgs {
  tenant?: string;
  "tenant-file"?: string;
  "tenants-dir": string;
}

export function withTenantOptions<T>(yargs: Argv<T>) {
  return yargs
    .option("tenant", { alias: "t", type: "string", describe: "Tenant name: reads <tenants-dir>/<name>.yaml", conflicts: "tenant-file" })
    .option("tenant-file", { alias: "f", type: "string", describe: "Path of a tenant spec file anywhere", conflicts: "tenant" });
}

export function tenantRefFrom(argv: TenantArgs): TenantRef {
  for (const option of ["tenant", "tenant-file"] as const) {
    const given = argv[option] as string | string[] | undefined;
    if (Array.isArray(given)) throw new UserError(`--${option}: given ${given.length} times; allowed: one here (plan, render and check take several --tenant, or --all)`);
  }
  if (argv["tenant-file"] !== undefined) return { file: resolve(argv["tenant-file"]) };
  if (argv.tenant !== undefined) return { name: argv.tenant, tenantsDir: resolve(argv["tenants-dir"]) };
  throw new UserError("no tenant given: add --tenant NAME (a file in the tenants folder) or --tenant-file PATH");
}
