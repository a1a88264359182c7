/** `botinfra up`: provision a tenant's environments for real, production last. */
import { lifecycleCommand } from "../lifecycle-options.js";

export const upCommand = lifecycleCommand({
  name: "up",
  describe: "Create or update the tenant's environments (one Pulumi stack each), production last; stops at the first failure",
  examples: [
    ["$0 up --tenant acme", "Every environment: shows each one's changes and asks before applying them"],
    ["$0 up --tenant acme --env development --yes", "Only development, without asking (CI)"],
    ["$0 up --tenant-file ./globex.yaml --yes --json", "Progress as JSON lines, for CI"],
  ],
});
