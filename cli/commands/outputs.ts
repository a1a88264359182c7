/** `botinfra outputs`: what each deployed environment exports (addresses, load balancers, routes). */
import { lifecycleCommand } from "../lifecycle-options.js";

export const outputsCommand = lifecycleCommand({
  name: "outputs",
  describe: "Print each deployed environment's stack outputs: servers, addresses, load balancers, routes",
  examples: [
    ["$0 outputs --tenant acme", "Every environment's outputs"],
    ["$0 outputs --tenant acme --json > outputs.json", "The {\"<stack>\": outputs} file render --outputs reads"],
  ],
});
