/** Loads the tenants, renders the provider's CI files and writes them. */
import { relative, resolve, sep } from "node:path";
import { UserError } from "../../model/errors.js";
import { displayPath } from "../../spec-files/display-path.js";
import { listTenantNames, loadTenant } from "../../spec-files/load.js";
import type { PipelineArgs } from "./options.js";
import { plural, printJson, printLines, progress } from "../output.js";
import { dependencyVersion } from "../package-info.js";
import { renderGithub } from "./github.js";
import { renderGitlab } from "./gitlab.js";
import { pipelineStacks, type PipelineOptions } from "./stacks.js";
import { writeFiles } from "./write.js";

const BRANCH = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const CRON = /^(\S+\s+){4}\S+$/;
const CRON_FIELD = /^[0-9*/,-]+$/;

function options(argv: PipelineArgs, root: string, tenantsDir: string): PipelineOptions {
  const inRepository = relative(root, tenantsDir);
  if (inRepository === "" || inRepository.startsWith("..") || resolve(root, inRepository) !== tenantsDir) {
    throw new UserError(`--tenants-dir: ${displayPath(tenantsDir)} is not inside --out ${displayPath(root)}; allowed: a folder of the repository the pipeline runs in`);
  }
  if (!BRANCH.test(argv["default-branch"]) || argv["default-branch"].includes("..")) {
    throw new UserError(`--default-branch: found "${argv["default-branch"]}"; allowed: a branch name (letters, digits, '.', '_', '/', '-')`);
  }
  const schedule = argv["drift-schedule"].trim();
  if (!CRON.test(schedule) || !schedule.split(/\s+/).every((field) => CRON_FIELD.test(field))) {
    throw new UserError(`--drift-schedule: found "${argv["drift-schedule"]}"; allowed: five cron fields of digits, '*', '/', ',' and '-', such as "17 5 * * *"`);
  }
  return { tenantsDir: inRepository.split(sep).join("/"), defaultBranch: argv["default-branch"], pulumiVersion: dependencyVersion("@pulumi/pulumi"), driftSchedule: schedule };
}

export async function renderPipeline(argv: PipelineArgs): Promise<void> {
  const root = resolve(argv.out);
  const tenantsDir = resolve(argv["tenants-dir"]);
  const rendering = options(argv, root, tenantsDir);
  const names = argv.tenant ? [...new Set(argv.tenant)] : listTenantNames(tenantsDir);
  if (names.length === 0) throw new UserError(`--tenants-dir: no tenant files (*.yaml) in ${displayPath(tenantsDir)}`);
  const stacks = pipelineStacks(names.map((name) => loadTenant({ name, tenantsDir }).platform));
  const files = argv.provider === "github" ? renderGithub(stacks, rendering) : renderGitlab(stacks, rendering);
  const written = writeFiles(root, files);
  if (argv.json) {
    printJson({ provider: argv.provider, files: written, stacks: stacks.map(({ tenant, environment, stack, cloud, production }) => ({ tenant, environment, stack, cloud, production })) });
    return;
  }
  progress(`${plural(names.length, "tenant")}, ${plural(stacks.length, "stack")}: preview on merge requests, deploy on ${argv.provider === "github" ? argv["default-branch"] : "the default branch"}, drift on schedule`);
  printLines(written);
}
