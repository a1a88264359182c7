/** `botinfra pipeline`: the CI files that run botinfra on every merge request, merge and schedule. */
import type { Argv, CommandModule } from "yargs";
import type { GlobalArgs } from "../globals.js";
import { PROVIDERS, type PipelineArgs } from "../pipeline/options.js";


export const pipelineCommand: CommandModule<GlobalArgs, PipelineArgs> = {
  command: "pipeline",
  describe: "Write the CI pipeline (GitHub Actions or GitLab CI) that validates, checks, previews, deploys and watches every tenant",
  builder: (yargs) =>
    (yargs as Argv<PipelineArgs>)
      .option("provider", { type: "string", choices: PROVIDERS, demandOption: "say which CI: --provider github or --provider gitlab", describe: "The CI that runs the pipeline" })
      .option("out", { alias: "o", type: "string", default: ".", describe: "The repository's root: files go to .github/workflows/ or .gitlab-ci.yml under it" })
      .option("tenant", { alias: "t", type: "string", array: true, describe: "Only these tenants' jobs (default: every tenant in the tenants folder)" })
      .option("default-branch", { type: "string", default: "main", describe: "The branch merges deploy from (GitHub; GitLab uses its own default branch)" })
      .option("drift-schedule", { type: "string", default: "17 5 * * *", describe: "When drift detection runs, as cron in UTC (GitHub; on GitLab, create a pipeline schedule)" })
      .example("$0 pipeline --provider github", "Writes .github/workflows/botinfra-{pull-request,deploy,drift}.yml")
      .example("$0 pipeline --provider gitlab --json", "Writes .gitlab-ci.yml and lists its stacks as JSON")
      .example("$0 pipeline --provider github --tenant acme --tenant globex", "Jobs for two tenants only")
      .epilogue("Render again after adding a tenant or an environment. Files botinfra did not write are never replaced. The README's CI section lists the one-time setup per provider and cloud."),
  handler: async (argv) => {
    const { renderPipeline } = await import("../pipeline/render-run.js");
    await renderPipeline(argv);
  },
};
