/** `botinfra plan`: every cloud resource a tenant's platform becomes, computed offline. */
import type { Argv, CommandModule } from "yargs";
import type { GlobalArgs } from "../globals.js";
import { printJson, printLines, progress } from "../output.js";
import { selectEnvironments } from "../../model/environments.js";
import { tenantRefFrom, withTenantOptions, type TenantArgs } from "../tenant-options.js";

type PlanArgs = GlobalArgs & TenantArgs & { env?: string };

export const planCommand: CommandModule<GlobalArgs, PlanArgs> = {
  command: "plan",
  describe: "Show every cloud resource the tenant's platform becomes, offline: no credentials, no Pulumi CLI, no cloud",
  builder: (yargs) =>
    withTenantOptions(yargs as Argv<PlanArgs>)
      .option("env", { alias: "e", type: "string", describe: "Only this environment (default: every one)" })
      .example("$0 plan --tenant acme", "acme's resources per environment, component and type")
      .example("$0 plan --tenant acme --env production", "Only production's stack")
      .example("$0 plan --tenant-file ./globex.yaml --json", "The whole graph: inputs, dependencies, outputs"),
  handler: async (argv) => {
    const { displayPath, loadTenant } = await import("../../model/load.js");
    const { platform, source } = loadTenant(tenantRefFrom(argv));
    const environments = selectEnvironments(platform, argv.env);
    progress(`planning ${platform.tenant} offline: ${environments.map((environment) => environment.stack).join(", ")}`);
    // The Pulumi SDK and the cloud's SDK load here, not for --help.
    const [{ planOffline }, { describePlan }, { PLACEHOLDER_RANGE }] = await Promise.all([
      import("../../engine/offline.js"),
      import("../plan-view.js"),
      import("../../components/placeholders.js"),
    ]);
    const plan = await planOffline(platform, environments, ({ stack, index, count, milliseconds }) =>
      progress(`  [${index + 1}/${count}] ${stack.stack}: ${stack.resources.length} registrations in ${Math.round(milliseconds)} ms`),
    );
    if (argv.json) printJson(plan);
    else printLines(describePlan(plan, platform, displayPath(source), PLACEHOLDER_RANGE));
  },
};
