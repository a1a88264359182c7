/** `botinfra plan`: every cloud resource a tenant's platform becomes, computed offline. */
import type { Argv, CommandModule } from "yargs";
import type { GlobalArgs } from "../globals.js";
import { jsonArrayPrinter, printLines, progress } from "../output.js";
import { fleetRefs, parseJobs, withFleetOptions, type FleetArgs } from "../fleet/options.js";
import type { TenantRef } from "../../spec-files/load.js";
import type { PlanShown } from "../fleet/tasks.js";
import { tenantRefFrom, withTenantOptions } from "../tenant-options.js";

type PlanArgs = GlobalArgs & FleetArgs & { env?: string };

export const planCommand: CommandModule<GlobalArgs, PlanArgs> = {
  command: "plan",
  describe: "Show every cloud resource the tenant's platform becomes, offline: no credentials, no Pulumi CLI, no cloud",
  builder: (yargs) =>
    withFleetOptions(withTenantOptions(yargs as Argv<PlanArgs>))
      .option("env", { alias: "e", type: "string", describe: "Only this environment (default: every one)" })
      .example("$0 plan --tenant acme", "acme's resources per environment, component and type")
      .example("$0 plan --tenant acme --env production", "Only production's stack")
      .example("$0 plan --tenant-file ./globex.yaml --json", "The whole graph: inputs, dependencies, outputs")
      .example("$0 plan --all --json > plans.json", "Every tenant, in name order, as one JSON array of plans (a failed tenant: {tenant, file, error})")
      .example("$0 plan --tenant acme --tenant globex --jobs 2", "Two tenants, two at a time"),
  handler: async (argv) => {
    const jobs = parseJobs(argv.jobs);
    const refs = await fleetRefs(argv);
    if (refs) {
      process.exitCode = (await planFleet(argv, refs, jobs)) || undefined;
      return;
    }
    const { planTenant } = await import("../fleet/tasks.js");
    printLines([(await planTenant(tenantRefFrom(argv), argv.env, argv.json, progress)).text]);
  },
};

/** Plans every tenant on worker threads; prints them in tenant order as they come, never all held at once. */
async function planFleet(argv: PlanArgs, refs: TenantRef[], jobs: number): Promise<number> {
  const { runFleet } = await import("../fleet/run.js");
  const json = jsonArrayPrinter();
  let first = true;
  const worst = await runFleet<PlanShown>(
    refs.map((ref) => ({ kind: "plan", ref, env: argv.env, json: argv.json })),
    { jobs, verb: "planning", done: "planned", json: argv.json },
    ({ tenant, file, value, error }) => {
      if (argv.json) json.item(value?.text ?? JSON.stringify({ tenant, file, error }, null, 2));
      else if (value) {
        printLines([...(first ? [] : [""]), value.text]);
        first = false;
      }
    },
  );
  if (argv.json) json.end();
  return worst;
}
