/**
 * Rendering a tenant's Ansible project for a command: the model, the renderer and the writer, loaded
 * by render and configure only when they run, so that `--help` stays light.
 */
import { dirname, join, resolve } from "node:path";
import { renderProject } from "../ansible/render.js";
import { readOverlay, readRoleFiles } from "../ansible/roles.js";
import { writeProject } from "../ansible/write.js";
import { UserError } from "../model/errors.js";
import { displayPath, loadTenant, tenantFileFor } from "../model/load.js";
import type { Environment, Platform } from "../model/platform.js";
import type { RenderArgs, StackDeps } from "./commands/render.js";
import { progress, style } from "./output.js";
import { PACKAGE_ROOT } from "./package-info.js";
import { resolveOutputs, type OutputsFrom } from "./stack-outputs.js";
import { selectEnvironments } from "../model/environments.js";
import { tenantRefFrom } from "./tenant-options.js";

/** The roles every rendered project gets, from the package (source tree or installed). */
export const ROLES_DIR = join(PACKAGE_ROOT, "ansible-templates", "roles");

export interface Rendered {
  platform: Platform;
  out: string;
  from: OutputsFrom;
  environments: string[];
  files: string[];
  unknownAddresses: string[];
}

/** Loads the tenant, resolves the outputs and writes the project; `check` vets further options first. */
export async function renderForTenant(argv: RenderArgs, deps: StackDeps, check?: (environments: Environment[]) => void): Promise<Rendered> {
  if (argv.out !== undefined && argv.out.trim() === "") throw new UserError("--out: is empty; allowed: a folder path such as out/acme");
  const ref = tenantRefFrom(argv);
  const { platform } = loadTenant(ref);
  const environments = selectEnvironments(platform, argv.env);
  check?.(environments);
  const out = resolve(argv.out ?? join("out", platform.tenant));
  const { from, outputs } = await resolveOutputs(platform, environments, { from: argv.from, outputsFile: argv.outputs, source: deps.stackOutputs });
  progress(`rendering ${platform.tenant} (${environments.map((e) => e.name).join(", ")}) from ${from === "plan" ? "the plan" : "the stacks' outputs"}`);
  // The overlay: the folder the spec names (relative to it), else the one named after the tenant beside it.
  const specFolder = dirname(resolve("file" in ref ? ref.file : tenantFileFor(ref.name, ref.tenantsDir)));
  const overlay = readOverlay(resolve(specFolder, platform.overlay ?? platform.tenant), platform.overlay !== undefined);
  if (overlay) progress(`merging the tenant overlay ${overlay.source} (${overlay.files.length} files)`);
  const project = renderProject(platform, outputs, { source: from, roles: readRoleFiles(ROLES_DIR), ...(overlay ? { overlay } : {}) });
  writeProject(out, project.files);
  progress(`wrote ${project.files.length} files to ${displayPath(out)}`);
  if (project.unknownAddresses.length > 0) {
    process.stderr.write(
      `${style.yellow("warning:")} no address is known yet for ${project.unknownAddresses.length} server(s), rendered by inventory name: ${project.unknownAddresses.join("; ")}. Run with --from stack once deployed.\n`,
    );
  }
  const selfSigned = platform.environments.filter((environment) => project.environments.includes(environment.name) && environment.tls.kind === "self-signed");
  if (selfSigned.length > 0) {
    process.stderr.write(
      `${style.yellow("warning:")} no tls for ${selfSigned.map((environment) => environment.name).join(", ")}: the proxies serve a self-signed certificate; set tls (acme, or certificate and key) in the tenant spec.\n`,
    );
  }
  return { platform, out, from, environments: project.environments, files: project.files.map((file) => file.path), unknownAddresses: project.unknownAddresses };
}

export { displayPath } from "../model/load.js";
