/** `botinfra affected`: the tenant/environment pairs a change touches, for CI and for people. */
import type { Argv, CommandModule } from "yargs";
import { UserError } from "../../model/errors.js";
import type { GlobalArgs } from "../globals.js";
import { printJson, printLines, progress, style } from "../output.js";

type Args = GlobalArgs & { base?: string; all?: boolean };

export const affectedCommand: CommandModule<GlobalArgs, Args> = {
  command: "affected",
  describe: "List the tenant/environment pairs a change touches, compared with a base commit",
  builder: (yargs) =>
    (yargs as Argv<Args>)
      .option("base", { type: "string", describe: "The commit to compare the working tree with: a branch, tag or SHA", conflicts: "all" })
      .option("all", { type: "boolean", describe: "Every tenant and environment, as when there is nothing to compare with", conflicts: "base" })
      .example("$0 affected --base origin/main", "One line per touched stack: TENANT ENVIRONMENT (why, on stderr)")
      .example("$0 affected --base HEAD~1 --json", "With the reasons and the removed stacks, for CI")
      .example("$0 affected --base origin/main | while read tenant env; do $0 preview --tenant $tenant --env $env; done", "Preview what a branch changes")
      .epilogue(
        "A spec change touches the environments whose resolved platform changed; a change to components/ (of that cloud), model/, ansible/, " +
          "ansible-templates/, policies/, the program (stacks/*.ts, Pulumi.yaml) or package.json/lock touches every stack; stacks/Pulumi.<stack>.yaml touches its stack. " +
          "Stacks of a removed tenant or environment are listed as removed and never destroyed.",
      ),
  handler: async (argv) => {
    if (argv.base === undefined && !argv.all) throw new UserError("affected: say what to compare with: --base REF (or --all for every stack)");
    const { affectedReport } = await import("../pipeline/affected-run.js");
    const report = await affectedReport(argv);
    if (argv.json) {
      printJson({ ...report, stacks: report.affected.map((stack) => stack.stack), tenants: [...new Set(report.affected.map((stack) => stack.tenant))] });
      return;
    }
    for (const stack of report.affected) progress(`${stack.stack}: ${stack.reasons.join("; ")}`);
    for (const stack of report.removed) process.stderr.write(`${style.yellow("removed:")} ${stack.stack} (${stack.reason}); botinfra does not destroy it: run botinfra destroy before deleting the spec\n`);
    if (report.affected.length === 0) progress(report.base === undefined ? "no stacks" : `no stack is touched by the changes since ${report.base}`);
    printLines(report.affected.map((stack) => `${stack.tenant} ${stack.environment}`));
  },
};
