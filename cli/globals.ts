/** Options every command accepts. */

export interface GlobalArgs {
  json: boolean;
  "tenants-dir": string;
}
