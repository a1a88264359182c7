/** `botinfra destroy`: remove one environment; production only with --yes and the tenant's name. */
import { lifecycleCommand } from "../lifecycle-options.js";

export const destroyCommand = lifecycleCommand({
  name: "destroy",
  describe: "Delete every resource of one environment; protected resources stay (production needs --yes and the tenant's name)",
  examples: [
    ["$0 destroy --tenant acme --env development", "Asks, then deletes development"],
    ["$0 destroy --tenant acme --env development --yes", "Without asking (CI)"],
    ["$0 destroy --tenant acme --env production --yes --confirm acme", "Production, in CI: the tenant's name confirms it"],
  ],
});
