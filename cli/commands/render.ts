/** `botinfra render`: writes a tenant's Ansible project, from the plan or from deployed stacks' outputs. */
import { join } from "node:path";
import type { Argv, CommandModule } from "yargs";
import type { StackDeps } from "../deps.js";
import type { GlobalArgs } from "../globals.js";
import { fleetRefs, parseJobs, withFleetOptions, type FleetArgs } from "../fleet/options.js";
import type { RenderShown } from "../fleet/tasks.js";
import { jsonArrayPrinter, plural, printJson, printLines, style } from "../output.js";
import type { TenantRef } from "../../spec-files/load.js";
import type { RenderArgs } from "../render-run.js";
import { withTenantOptions } from "../tenant-options.js";


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

export function renderCommand(deps: StackDeps): CommandModule<GlobalArgs, RenderArgs & FleetArgs> {
  return {
    command: "render",
    describe: "Write the tenant's Ansible project: inventory, group vars, playbooks and roles",
    builder: (yargs) =>
      withFleetOptions(withRenderOptions(yargs as Argv<RenderArgs & FleetArgs>))
        .example("$0 render --tenant acme", "Every environment of acme into out/acme/, from the plan")
        .example("$0 render --tenant acme --env production --out /tmp/acme-prod", "Only production, elsewhere")
        .example("$0 render --tenant acme --outputs outputs.json", "With the addresses of deployed stacks")
        .example("$0 render --tenant acme --json", "Where it went and what it wrote, for scripts")
        .example("$0 render --tenant acme --out ansible --force", "Into a folder with files of your own (host_vars, .git), which stay")
        .example("$0 render --all --out projects", "Every tenant, each into projects/<tenant>/"),
    handler: async (argv) => {
      const jobs = parseJobs(argv.jobs);
      const refs = await fleetRefs(argv);
      if (refs) {
        process.exitCode = (await renderFleet(argv, refs, jobs)) || undefined;
        return;
      }
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

/** Renders every tenant on worker threads into <out>/<tenant>/, reported in tenant order. */
async function renderFleet(argv: RenderArgs, refs: TenantRef[], jobs: number): Promise<number> {
  const [{ UserError }, { checkOut, describeFrom, displayPath }, { runFleet }] = await Promise.all([
    import("../../model/errors.js"),
    import("../render-run.js"),
    import("../fleet/run.js"),
  ]);
  if (argv.outputs !== undefined) throw new UserError("--outputs: holds one tenant's stacks; allowed with one --tenant or --tenant-file, not with --all or several --tenant");
  checkOut(argv.out);
  const root = argv.out ?? "out";
  const json = jsonArrayPrinter();
  const notes = new Set<string>();
  const unknown: string[] = [];
  const worst = await runFleet<RenderShown>(
    refs.map((ref) => ({ kind: "render", ref, env: argv.env, out: join(root, "name" in ref ? ref.name : ""), from: argv.from })),
    { jobs, verb: "rendering", done: "rendered", json: argv.json },
    ({ tenant, file, value, error }) => {
      if (argv.json) json.item(JSON.stringify(value ? { tenant, ...withoutNotes(value) } : { tenant, file, error }, null, 2));
      if (!value) return;
      value.notes.forEach((note) => notes.add(note));
      if (value.unknownAddresses.length > 0) unknown.push(`${tenant} (${value.unknownAddresses.length})`);
      if (!argv.json) printLines([`Rendered ${tenant} (${value.environments.join(", ")}) from ${describeFrom(value.from)} into ${displayPath(value.out)}: ${plural(value.files.length, "file")}`]);
    },
  );
  if (argv.json) json.end();
  // What is the same for many tenants is said once, after the results.
  for (const note of notes) process.stderr.write(`${style.dim(note)}\n`);
  if (unknown.length > 0) {
    process.stderr.write(`${style.yellow("warning:")} servers rendered by inventory name, with no address known yet, in ${plural(unknown.length, "tenant")}: ${unknown.join(", ")}. Run with --from stack once deployed.\n`);
  }
  return worst;
}

function withoutNotes({ notes: _notes, ...shown }: RenderShown) {
  return shown;
}
