/** `botinfra render`: writes a tenant's Ansible project, from the plan or from deployed stacks' outputs. */
import type { Argv, CommandModule } from "yargs";
import type { GlobalArgs } from "../globals.js";
import { printJson, printLines } from "../output.js";
import type { OutputsFrom, StackOutputsSource } from "../stack-outputs.js";
import { withTenantOptions, type TenantArgs } from "../tenant-options.js";

/** What commands that need deployed stacks are given; main.ts wires the real source once there is one. */
export interface StackDeps {
  stackOutputs: StackOutputsSource;
}

export type RenderArgs = GlobalArgs & TenantArgs & { env?: string; out?: string; from?: OutputsFrom; outputs?: string; force?: boolean };

export function withRenderOptions<T>(yargs: Argv<T>) {
  return withTenantOptions(yargs)
    .option("env", { alias: "e", type: "string", describe: "Only this environment (default: every one)" })
    .option("out", { alias: "o", type: "string", describe: "Folder of the project (default: out/<tenant>); only the files botinfra wrote there (.botinfra-manifest.json) are replaced" })
    .option("from", {
      choices: ["plan", "stack"] as const,
      describe: "Addresses from the plan (model alone) or from the deployed stacks (default: stack when deployed, else plan)",
    })
    .option("outputs", { type: "string", describe: "JSON file of deployed stacks' outputs (`pulumi stack output --json`); implies --from stack" })
    .option("force", {
      type: "boolean",
      describe: "Write into a folder that holds files botinfra did not write (they stay), replacing rendered files that were changed",
    });
}

export function renderCommand(deps: StackDeps): CommandModule<GlobalArgs, RenderArgs> {
  return {
    command: "render",
    describe: "Write the tenant's Ansible project: inventory, group vars, playbooks and roles",
    builder: (yargs) =>
      withRenderOptions(yargs as Argv<RenderArgs>)
        .example("$0 render --tenant acme", "Every environment of acme into out/acme/, from the plan")
        .example("$0 render --tenant acme --env production --out /tmp/acme-prod", "Only production, elsewhere")
        .example("$0 render --tenant acme --outputs outputs.json", "With the addresses of deployed stacks")
        .example("$0 render --tenant acme --json", "Where it went and what it wrote, for scripts")
        .example("$0 render --tenant acme --out ansible --force", "Into a folder with files of your own (host_vars, .git), which stay"),
    handler: async (argv) => {
      const { displayPath, renderForTenant } = await import("../render-run.js");
      const rendered = await renderForTenant(argv, deps);
      if (argv.json) {
        printJson({ out: rendered.out, from: rendered.from, environments: rendered.environments, files: rendered.files, unknownAddresses: rendered.unknownAddresses });
        return;
      }
      printLines([
        `Rendered ${rendered.platform.tenant} (${rendered.environments.join(", ")}) from ${rendered.from === "plan" ? "the plan" : "the stacks' outputs"} into ${displayPath(rendered.out)}: ${rendered.files.length} files`,
        `Next: botinfra configure --tenant ${rendered.platform.tenant}${argv.env ? ` --env ${argv.env}` : ""}, or ansible-playbook playbooks/site.yml in that folder`,
      ]);
    },
  };
}
