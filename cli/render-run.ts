/**
 * Rendering a tenant's Ansible project for a command: the model, the renderer and the writer, loaded
 * by render and configure only when they run, so that `--help` stays light.
 */
import { join, resolve } from "node:path";
import { renderProject, type RenderedFile } from "../ansible/render.js";
import { readRoleFiles } from "../ansible/roles.js";
import { writeProject } from "../ansible/write.js";
import { UserError } from "../model/errors.js";
import { displayPath } from "../spec-files/display-path.js";
import { loadTenant, type TenantRef } from "../spec-files/load.js";
import type { Environment, Platform } from "../model/platform.js";
import type { StackDeps } from "./deps.js";
import type { GlobalArgs } from "./globals.js";
import { progress, style } from "./output.js";
import { PACKAGE_ROOT } from "./package-info.js";
import { resolveOutputs, type OutputsFrom } from "./stack-outputs.js";
import { selectEnvironments } from "./environments.js";
import { tenantRefFrom, type TenantArgs } from "./tenant-options.js";
import { readTenantOverlay } from "./tenant-overlay.js";

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

export type RenderArgs = GlobalArgs & TenantArgs & { env?: string; out?: string; from?: OutputsFrom; outputs?: string; force?: boolean };

/** What to render for one tenant; `out` undefined is out/<tenant>. */
export interface RenderRequest {
  env?: string;
  out?: string;
  from?: OutputsFrom;
  outputs?: string;
  /** Write into a folder holding files botinfra did not write (they stay). */
  force?: boolean;
}

/** The roles are the same for every tenant: a fleet render reads them once per process. */
let roles: RenderedFile[] | undefined;

/** Why a project of this tenant cannot reach its servers over SSH, or undefined when it can. */
export function unreachableReason(platform: Platform): string | undefined {
  if (platform.managementCidrs.length > 0) return undefined;
  return (
    `tenant ${platform.tenant} has no managementCidrs: no firewall admits SSH, so Ansible cannot reach its servers from anywhere. ` +
    "Add the range you connect from (your office, or your VPN's client range) to managementCidrs, run botinfra up, then configure (README: Reaching the servers)"
  );
}

/**
 * Loads the tenant, resolves the outputs and writes the project; `check` vets further options first.
 * Says nothing itself: `note` hears what a user should know on the way.
 */
export async function renderTenant(
  ref: TenantRef,
  request: RenderRequest,
  deps: StackDeps,
  note: (message: string) => void,
  check?: (environments: Environment[], platform: Platform) => void,
): Promise<Rendered> {
  const { platform } = loadTenant(ref);
  const environments = selectEnvironments(platform, request.env);
  check?.(environments, platform);
  const out = resolve(request.out ?? join("out", platform.tenant));
  const { from, outputs } = await resolveOutputs(platform, environments, { from: request.from, outputsFile: request.outputs, source: deps.stackOutputs, note });
  roles ??= readRoleFiles(ROLES_DIR);
  const overlay = readTenantOverlay(ref, platform);
  if (overlay) note(`merging the tenant overlay ${overlay.source} (${overlay.files.length} files)`);
  const project = renderProject(platform, outputs, { source: from, roles, ...(overlay ? { overlay } : {}) });
  writeProject(out, project.files, { force: request.force ?? false });
  return { platform, out, from, environments: project.environments, files: project.files.map((file) => file.path), unknownAddresses: project.unknownAddresses };
}

/** The warning for servers rendered without an address. */
export function unknownAddressesWarning(unknownAddresses: string[]): string {
  return `no address is known yet for ${unknownAddresses.length} server(s), rendered by inventory name: ${unknownAddresses.join("; ")}. Run with --from stack once deployed.`;
}

/** One tenant for render and configure, with progress and warnings on stderr. */
export async function renderForTenant(argv: RenderArgs, deps: StackDeps, check?: (environments: Environment[], platform: Platform) => void): Promise<Rendered> {
  checkOut(argv.out);
  const rendered = await renderTenant(tenantRefFrom(argv), argv, deps, progress, check);
  progress(`rendered ${rendered.platform.tenant} (${rendered.environments.join(", ")}) from ${describeFrom(rendered.from)}: ${rendered.files.length} files in ${displayPath(rendered.out)}`);
  const unreachable = unreachableReason(rendered.platform);
  if (unreachable) process.stderr.write(`${style.yellow("warning:")} ${unreachable}.\n`);
  if (rendered.unknownAddresses.length > 0) process.stderr.write(`${style.yellow("warning:")} ${unknownAddressesWarning(rendered.unknownAddresses)}\n`);
  const selfSigned = rendered.platform.environments.filter((environment) => rendered.environments.includes(environment.name) && environment.tls.kind === "self-signed");
  if (selfSigned.length > 0) {
    process.stderr.write(
      `${style.yellow("warning:")} no tls for ${selfSigned.map((environment) => environment.name).join(", ")}: the proxies serve a self-signed certificate; set tls (acme, or certificate and key) in the tenant spec.\n`,
    );
  }
  return rendered;
}

export const describeFrom = (from: OutputsFrom) => (from === "plan" ? "the plan" : "the stacks' outputs");

export function checkOut(out: string | undefined): void {
  if (out !== undefined && out.trim() === "") throw new UserError("--out: is empty; allowed: a folder path such as out/acme");
}

export { displayPath } from "../spec-files/display-path.js";
