/** Options every command accepts. */
export const DEFAULT_TENANTS_DIR = "stacks/tenants";

export interface GlobalArgs {
  json: boolean;
  "tenants-dir": string;
}
