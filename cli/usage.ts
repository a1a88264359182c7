/** What `botinfra --help` says besides the commands: shared by the yargs parser and the light top-level help. */
import { TENANTS_DIR } from "../stacks/config.js";

export const SCRIPT_NAME = "botinfra";

export const USAGE = "$0 <command> [options]\n\nStand up a tenant's bot platform on Azure, AWS or DigitalOcean, and configure it with Ansible.";

export const GLOBAL_OPTIONS = {
  json: { type: "boolean", default: false, global: true, describe: "Print the result as JSON, for scripts and CI" },
  "tenants-dir": {
    type: "string",
    default: process.env.BOTINFRA_TENANTS_DIR ?? TENANTS_DIR,
    global: true,
    describe: "Folder of tenant specs, <name>.yaml (env BOTINFRA_TENANTS_DIR)",
  },
} as const;

export const EXAMPLES: [string, string][] = [
  ["$0 tenants list", "The tenants in stacks/tenants/"],
  ["$0 tenants show --tenant acme", "What acme's spec resolves to"],
  ["$0 plan --tenant acme", "Every Azure resource acme becomes, computed offline"],
  ["$0 up --tenant acme", "Provision acme's environments with Pulumi, production last"],
  ["$0 render --tenant acme", "acme's Ansible project, in out/acme/"],
  ["$0 configure --tenant acme --env production", "Configure production's servers with Ansible"],
  ["$0 check --tenant acme", "acme's plan against the policy pack, offline"],
  ["$0 affected --base origin/main", "The tenant/environment pairs a branch changes"],
  ["$0 pipeline --provider github", "The CI workflows that drive botinfra, in .github/workflows/"],
  ["$0 check --all --jobs 2", "Every tenant of the folder, two at a time"],
];

export const EPILOGUE =
  "Exit codes: 0 success, 1 operation failed, 2 bad input, 3 environment not ready, 130 cancelled (Ctrl-C). NO_COLOR turns colour off.";

/** Help is wrapped to the terminal, at most this wide. */
export const helpWidth = () => Math.min(110, process.stdout.columns ?? 110);
