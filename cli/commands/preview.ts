/** `botinfra preview`: what `up` would change, without changing anything (what CI runs on a merge request). */
import { lifecycleCommand } from "../lifecycle-options.js";

export const previewCommand = lifecycleCommand({
  name: "preview",
  describe: "Show what up would change in each environment, changing nothing",
  examples: [
    ["$0 preview --tenant acme", "The changes up would make, environment by environment"],
    ["$0 preview --tenant acme --env production --json", "Production's planned changes as JSON lines"],
  ],
});
