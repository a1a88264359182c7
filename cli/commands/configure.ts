/** `botinfra configure`: renders the tenant's Ansible project, then runs its playbooks with ansible-playbook. */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { NotReadyError, UserError } from "../../model/errors.js";
import type { Environment, Platform } from "../../model/platform.js";
import type { GlobalArgs } from "../globals.js";
import { printJson, progress } from "../output.js";
import type { StackDeps } from "../deps.js";
import type { RenderArgs } from "../render-run.js";
import { withRenderOptions } from "./render.js";

type ConfigureArgs = RenderArgs & { tier?: string; check: boolean; rollback: boolean };

const ANSIBLE_MISSING = "ansible-playbook was not found on PATH: install Ansible (Debian: apt-get install ansible) and run again";

/** Is a program on PATH? Checked before anything is rendered, so that a missing Ansible changes nothing. */
function onPath(program: string): boolean {
  return (process.env.PATH ?? "").split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, program), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * The tenant must be reachable over SSH; --tier must name a tier of the chosen environments, and with
 * --rollback one that runs node_app.
 */
function checkConfigurable(tier: string | undefined, rollback: boolean, proxyGroup: string, unreachable: (platform: Platform) => string | undefined) {
  return (environments: Environment[], platform: Platform) => {
    const reason = unreachable(platform);
    if (reason) throw new UserError(`configure: ${reason}`);
    const names = (groups: Environment["tiers"]) => [...new Set(groups.map((group) => group.name))];
    const where = environments.map((e) => e.name).join(", ");
    if (rollback) {
      const apps = names(environments.flatMap((environment) => environment.tiers.filter((group) => group.software?.role === "node_app")));
      if (apps.length === 0) throw new UserError(`--rollback: no tier in ${where} runs node_app; nothing to roll back`);
      if (tier !== undefined && !apps.includes(tier)) throw new UserError(`--tier: "${tier}" in ${where} runs no node_app to roll back; allowed with --rollback: ${apps.join(", ")}`);
      return;
    }
    if (tier === undefined) return;
    const tiers = [proxyGroup, ...names(environments.flatMap((environment) => environment.tiers))];
    if (!tiers.includes(tier)) throw new UserError(`--tier: no tier "${tier}" in ${where}; allowed: ${tiers.join(", ")}`);
  };
}

export function configureCommand(deps: StackDeps): CommandModule<GlobalArgs, ConfigureArgs> {
  return {
    command: "configure",
    describe: "Render the tenant's Ansible project, then run it with ansible-playbook",
    builder: (yargs) =>
      withRenderOptions(yargs as Argv<ConfigureArgs>)
        .option("tier", { type: "string", describe: "Only this tier's servers (or proxy)" })
        .option("check", { type: "boolean", default: false, describe: "Dry run: show what would change (ansible-playbook --check --diff)" })
        .option("rollback", { type: "boolean", default: false, describe: "Switch the node_app tiers (or --tier) back to their previous release" })
        .example("$0 configure --tenant acme", "Configure every server of acme")
        .example("$0 configure --tenant acme --env development --tier api --check", "What would change on development's api servers")
        .example("$0 configure --tenant acme --outputs outputs.json", "With the addresses of deployed stacks")
        .example("$0 configure --tenant acme --env production --tier front --rollback", "Production's front app back to its previous release")
        .epilogue("ansible-playbook's output is shown as it runs and its exit code is botinfra's (with --json its output goes to stderr)."),
    handler: async (argv) => {
      if (!onPath("ansible-playbook")) throw new NotReadyError(ANSIBLE_MISSING);
      const [{ execa }, { PLAYBOOK_ROLLBACK, PLAYBOOK_SITE }, { PROXY_GROUP }, { displayPath, renderForTenant, unreachableReason }] = await Promise.all([
        import("execa"),
        import("../../ansible/render.js"),
        import("../../model/platform.js"),
        import("../render-run.js"),
      ]);
      const rendered = await renderForTenant(argv, deps, checkConfigurable(argv.tier, argv.rollback, PROXY_GROUP, unreachableReason));
      const args = [argv.rollback ? PLAYBOOK_ROLLBACK : PLAYBOOK_SITE, ...(argv.tier ? ["--limit", argv.tier] : []), ...(argv.check ? ["--check", "--diff"] : [])];
      progress(`running ansible-playbook ${args.join(" ")} in ${displayPath(rendered.out)}`);
      const result = await execa("ansible-playbook", args, {
        cwd: rendered.out,
        env: { ANSIBLE_CONFIG: join(rendered.out, "ansible.cfg"), ...(process.env.NO_COLOR !== undefined ? { ANSIBLE_NOCOLOR: "1" } : {}) },
        stdin: "inherit",
        // With --json, stdout is the result alone: Ansible's own output goes to stderr.
        stdout: argv.json ? 2 : "inherit",
        stderr: "inherit",
        reject: false,
      });
      if (result.exitCode === undefined) {
        const missing = (result as { code?: string }).code === "ENOENT";
        if (missing) throw new NotReadyError(ANSIBLE_MISSING);
        throw new UserError(`ansible-playbook did not run: ${result.shortMessage ?? "unknown failure"}`, 1);
      }
      if (argv.json) printJson({ out: rendered.out, from: rendered.from, environments: rendered.environments, args, exitCode: result.exitCode });
      process.exitCode = result.exitCode;
    },
  };
}
