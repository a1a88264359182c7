/** `botinfra refresh`: bring the stacks' state in line with what really exists in the cloud. */
import { lifecycleCommand } from "../lifecycle-options.js";

export const refreshCommand = lifecycleCommand({
  name: "refresh",
  describe: "Read what really exists in the cloud into each environment's stack state (changes no resource)",
  examples: [
    ["$0 refresh --tenant acme", "Every environment's state, production last"],
    ["$0 refresh --tenant acme --env tools", "Only tools"],
  ],
});
