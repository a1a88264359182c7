/**
 * Stack configuration the Pulumi program reads: the contract between `botinfra` (which sets it on
 * each `<tenant>-<env>` stack) and the program (which a user may also run with the plain Pulumi CLI).
 */
export const CONFIG_NAMESPACE = "botinfra";

export const CONFIG_KEYS = {
  /** The tenant's name: the program reads `stacks/tenants/<tenant>.yaml` of this project. */
  tenant: "tenant",
  /** The environment this stack holds. */
  environment: "environment",
  /** Optional absolute path of the tenant spec, for tenants given with --tenant-file. */
  tenantFile: "tenantFile",
} as const;

/** `botinfra:tenant` and so on, as `pulumi config` and the mock runtime's setAllConfig name them. */
export function configKey(key: keyof typeof CONFIG_KEYS): string {
  return `${CONFIG_NAMESPACE}:${CONFIG_KEYS[key]}`;
}

/** Where a project keeps its tenant specs, relative to the folder of Pulumi.yaml: the one place that says so. */
export const TENANTS_DIR = "stacks/tenants";

/** The Pulumi project's name, as in Pulumi.yaml: the middle part of every resource's URN. */
export const PROJECT_NAME = "botinfra";
