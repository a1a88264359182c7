/** `botinfra render`: writes a tenant's Ansible project, from the plan or from deployed stacks' outputs. */
import { join, resolve } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { renderProject } from "../../ansible/render.js";
import { readRoleFiles } from "../../ansible/roles.js";
import { writeProject } from "../../ansible/write.js";
import { UserError } from "../../model/errors.js";
import { displayPath, loadTenant } from "../../model/load.js";
import type { Environment, Platform } from "../../model/platform.js";
import type { GlobalArgs } from "../globals.js";
import { printJson, printLines, progress, style } from "../output.js";
import { PACKAGE_ROOT } from "../package-info.js";
import { resolveOutputs, type OutputsFrom, type StackOutputsSource } from "../stack-outputs.js";
import { tenantRefFrom, withTenantOptions, type TenantArgs } from "../tenant-options.js";

/** The roles every rendered project gets, from the package (source tree or installed). */
export const ROLES_DIR = join(PACKAGE_ROOT, "ansible-templates", "roles");

/** What commands that need deployed stacks are given; main.ts wires the real source once there is one. */
export interface StackDeps {
  stackOutputs?: StackOutputsSource;
}

export type RenderArgs = GlobalArgs & TenantArgs & { env?: string; out?: string; from?: OutputsFrom; outputs?: string };

export function withRenderOptions<T>(yargs: Argv<T>) {
  return withTenantOptions(yargs)
    .option("env", { alias: "e", type: "string", describe: "Only this environment (default: every one)" })
    .option("out", { alias: "o", type: "string", describe: "Folder of the project (default: out/<tenant>); replaced whole" })
    .option("from", {
      choices: ["plan", "stack"] as const,
      describe: "Addresses from the plan (model alone) or from the deployed stacks (default: stack when deployed, else plan)",
    })
    .option("outputs", { type: "string", describe: "JSON file of deployed stacks' outputs (`pulumi stack output --json`); implies --from stack" });
}

export interface Rendered {
  platform: Platform;
  out: string;
  from: OutputsFrom;
  environments: string[];
  files: string[];
  unknownAddresses: string[];
}

function selectEnvironments(platform: Platform, env: string | undefined): Environment[] {
  if (env === undefined) return platform.environments;
  const environment = platform.environments.find((candidate) => candidate.name === env);
  if (!environment) {
    throw new UserError(`--env: tenant ${platform.tenant} has no environment "${env}"; allowed: ${platform.environments.map((e) => e.name).join(", ")}`);
  }
  return [environment];
}

/** Loads the tenant, resolves the outputs and writes the project; `check` vets further options first. */
export async function renderForTenant(argv: RenderArgs, deps: StackDeps, check?: (environments: Environment[]) => void): Promise<Rendered> {
  if (argv.out !== undefined && argv.out.trim() === "") throw new UserError("--out: is empty; allowed: a folder path such as out/acme");
  const { platform } = loadTenant(tenantRefFrom(argv));
  const environments = selectEnvironments(platform, argv.env);
  check?.(environments);
  const out = resolve(argv.out ?? join("out", platform.tenant));
  const { from, outputs } = await resolveOutputs(platform, environments, { from: argv.from, outputsFile: argv.outputs, source: deps.stackOutputs });
  progress(`rendering ${platform.tenant} (${environments.map((e) => e.name).join(", ")}) from ${from === "plan" ? "the plan" : "the stacks' outputs"}`);
  const project = renderProject(platform, outputs, { source: from, roles: readRoleFiles(ROLES_DIR) });
  writeProject(out, project.files);
  progress(`wrote ${project.files.length} files to ${displayPath(out)}`);
  if (project.unknownAddresses.length > 0) {
    process.stderr.write(
      `${style.yellow("warning:")} no address is known yet for ${project.unknownAddresses.length} server(s), rendered by inventory name: ${project.unknownAddresses.join("; ")}. Run with --from stack once deployed.\n`,
    );
  }
  return { platform, out, from, environments: project.environments, files: project.files.map((file) => file.path), unknownAddresses: project.unknownAddresses };
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
        .example("$0 render --tenant acme --json", "Where it went and what it wrote, for scripts"),
    handler: async (argv) => {
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
