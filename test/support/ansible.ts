/** Helpers for the Ansible tests: rendering a sample tenant to a folder, and the real tools they drive. */
import { accessSync, constants, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { execa } from "execa";
import { parse } from "yaml";
import type { Overlay } from "../../ansible/overlay.js";
import { renderProject, type AddressSource, type RenderedFile } from "../../ansible/render.js";
import { readOverlay, readRoleFiles } from "../../ansible/roles.js";
import { writeProject } from "../../ansible/write.js";
import { ROLES_DIR } from "../../cli/render-run.js";
import { listTenantNames, loadTenant } from "../../spec-files/load.js";
import { plannedOutputs, type StackOutputs } from "../../model/outputs.js";
import { TENANTS_DIR } from "../../stacks/config.js";
import type { Environment, Platform } from "../../model/platform.js";
import { REPO_ROOT } from "./cli.js";

export const SAMPLE_TENANTS_DIR = join(REPO_ROOT, TENANTS_DIR);

/** Every shipped sample tenant's model. */
export function samplePlatforms(): Platform[] {
  return listTenantNames(SAMPLE_TENANTS_DIR).map((name) => loadTenant({ name, tenantsDir: SAMPLE_TENANTS_DIR }).platform);
}

export function plannedFor(platform: Platform, environments: Environment[] = platform.environments): Map<string, StackOutputs> {
  return new Map(environments.map((environment) => [environment.name, plannedOutputs(platform, environment)]));
}

/** The sample tenant's overlay (stacks/tenants/<tenant>/), as `render` reads it. */
export function sampleOverlay(tenant = "acme"): Overlay {
  return readOverlay(join(SAMPLE_TENANTS_DIR, tenant), true)!;
}

/** Renders and writes a project, with the sample tenant's overlay when it has one, into a new temporary folder; returns the folder. */
export function renderToTemp(platform: Platform, outputs: Map<string, StackOutputs>, source: AddressSource = "plan"): string {
  const dir = join(mkdtempSync(join(tmpdir(), "botinfra-ansible-")), platform.tenant);
  const overlay = readOverlay(join(SAMPLE_TENANTS_DIR, platform.tenant), false);
  writeProject(dir, renderProject(platform, outputs, { source, roles: readRoleFiles(ROLES_DIR), ...(overlay ? { overlay } : {}) }).files);
  return dir;
}

/** The content of the rendered file at `path`; a missing one fails naming the paths there are. */
export function fileOf(files: RenderedFile[], path: string): string {
  const file = files.find((candidate) => candidate.path === path);
  if (!file) throw new Error(`no rendered ${path}; have ${files.map((f) => f.path).join(", ")}`);
  return file.content;
}

/** The rendered vars file at `path`, read as Ansible reads it. */
export function varsOf(files: RenderedFile[], path: string): Record<string, unknown> {
  return parseRendered(fileOf(files, path)) as Record<string, unknown>;
}

/** A rendered YAML file as Ansible reads it: YAML 1.1, `!unsafe` strings as the plain strings they are. */
export function parseRendered(text: string): unknown {
  return parse(text, { version: "1.1", customTags: [{ tag: "!unsafe", resolve: (value: string) => value }] });
}

/**
 * Ansible's JSON (ansible-inventory, debug) shows an `!unsafe` string as {"__ansible_unsafe": text}:
 * the plain value, with every string that was not marked unsafe reported in `unmarked`.
 */
export function unwrapUnsafe(value: unknown, unmarked: string[] = [], path = "$"): unknown {
  if (typeof value === "string") {
    unmarked.push(`${path}: ${JSON.stringify(value)}`);
    return value;
  }
  if (Array.isArray(value)) return value.map((item, index) => unwrapUnsafe(item, unmarked, `${path}[${index}]`));
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0]![0] === "__ansible_unsafe") return entries[0]![1];
    return Object.fromEntries(entries.map(([key, item]) => [key, unwrapUnsafe(item, unmarked, `${path}.${key}`)]));
  }
  return value;
}

/** Debian packages that provide each tool the tests run (scripts/test-all.sh installs them). */
const TOOL_PACKAGES: Record<string, string> = {
  "ansible-inventory": "ansible",
  "ansible-playbook": "ansible",
  "ansible-lint": "ansible-lint",
  yamllint: "yamllint",
  openssl: "openssl",
  "ssh-keygen": "openssh-client",
  ssh: "openssh-client",
  useradd: "passwd",
  userdel: "passwd",
  "apt-config": "apt",
  "systemd-analyze": "systemd",
  "/usr/sbin/nft": "nftables",
  "/usr/sbin/visudo": "sudo",
  "/usr/sbin/sshd": "openssh-server",
  "/usr/sbin/nginx": "nginx-light",
  unshare: "util-linux",
  nsenter: "util-linux",
  ip: "iproute2",
  git: "git",
  certbot: "certbot",
  pebble: "pebble",
  "pebble-challtestsrv": "pebble",
};

/** Fails (never skips) when a tool the test needs is missing: CI must have installed it. */
export function requireTool(tool: string): string {
  if (tool.startsWith("/")) {
    try {
      accessSync(tool, constants.X_OK);
      return tool;
    } catch {
      throw new Error(`${tool} is missing: install the Debian package ${TOOL_PACKAGES[tool] ?? tool} (scripts/test-all.sh does)`);
    }
  }
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  throw new Error(`${tool} is not on PATH: install the Debian package ${TOOL_PACKAGES[tool] ?? tool} (scripts/test-all.sh does)`);
}

/** Runs a tool in the rendered project the way a user would there (its ansible.cfg applies). */
export async function runIn(project: string, tool: string, args: string[], env: Record<string, string> = {}) {
  const result = await execa(requireTool(tool), args, {
    cwd: project,
    reject: false,
    timeout: 120_000,
    env: { ANSIBLE_CONFIG: join(project, "ansible.cfg"), ANSIBLE_NOCOLOR: "1", NO_COLOR: "1", ANSIBLE_LOCAL_TEMP: join(project, ".tmp"), ...env },
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** The inventory the model implies, built here independently of the renderer: group -> hosts and children. */
export function expectedInventory(platform: Platform, environments: Environment[] = platform.environments) {
  const groups = new Map<string, { hosts: string[]; children: string[] }>();
  const group = (name: string) => {
    if (!groups.has(name)) groups.set(name, { hosts: [], children: [] });
    return groups.get(name)!;
  };
  const tenant = platform.tenant.replaceAll("-", "_");
  group("all").children.push("ungrouped", tenant);
  for (const environment of environments) {
    group(tenant).children.push(environment.name);
    for (const serverGroup of [environment.proxy, ...environment.tiers]) {
      const leaf = `${serverGroup.name}_${environment.name}`;
      group(environment.name).children.push(leaf);
      group(serverGroup.name).children.push(leaf);
      group(leaf).hosts.push(...serverGroup.hosts.map((host) => host.name));
    }
  }
  for (const environment of environments) {
    for (const serverGroup of [environment.proxy, ...environment.tiers]) {
      if (!group(tenant).children.includes(serverGroup.name)) group(tenant).children.push(serverGroup.name);
    }
  }
  return new Map([...groups].map(([name, value]) => [name, { hosts: [...value.hosts].sort(), children: [...value.children].sort() }]));
}
