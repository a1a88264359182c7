/**
 * The tenant overlay: the folder of what the user owns (group and host vars, vaulted secrets, roles,
 * playbooks, files), merged into the rendered project. Pure: the caller reads the folder. User values
 * override the roles' defaults; a variable botinfra renders (addresses, rules, routes, anything set from
 * the spec or the plan, and every ansible_* or botinfra_* name) is refused, so the plan always wins.
 * Like every string botinfra writes in vars files, the overlay's values are tagged `!unsafe`: data,
 * never templates (vaulted values stay vaulted).
 */
import { isMap, isScalar, LineCounter, parseDocument, type Document } from "yaml";
import { UserError } from "../model/errors.js";
import type { Platform } from "../model/platform.js";
import { byPath, leafGroupName, markUnsafe, tenantGroupName, type RenderedFile } from "./project-files.js";

export interface Overlay {
  /** The folder as the user should see it in messages. */
  source: string;
  /** Relative to the folder, `/` separators. */
  files: RenderedFile[];
}

/** The overlay's top-level folders; anything else in it is refused (a typo would be silently ignored). */
export const OVERLAY_FOLDERS = ["group_vars", "host_vars", "roles", "playbooks", "files"] as const;
/** Where the overlay's playbooks land, imported by site.yml after botinfra's. */
export const TENANT_PLAYBOOKS = "playbooks/tenant";
const VAULT_HEADER = "$ANSIBLE_VAULT;";
const RESERVED_PREFIXES = ["ansible_", "botinfra_"];

export interface OverlayContext {
  platform: Platform;
  /** Every inventory group name of the rendered project (it may hold fewer environments than the platform). */
  groups: string[];
  /** botinfra's rendered files so far (inventory, playbooks, roles). */
  rendered: RenderedFile[];
}

/** The files the overlay adds or changes; throws a UserError naming the overlay file and what is allowed. */
export function mergeOverlay(overlay: Overlay, context: OverlayContext): { files: RenderedFile[]; playbooks: string[] } {
  const where = (path: string) => `${overlay.source}/${path}`;
  const renderedByPath = new Map(context.rendered.map((file) => [file.path, file]));
  const botinfraRoles = new Set(context.rendered.filter((file) => file.path.startsWith("roles/")).map((file) => file.path.split("/")[1]!));
  const renderedKeys = renderedVariableNames(context.rendered);
  const { platform } = context;
  const serverGroups = platform.environments.flatMap((environment) => [environment.proxy, ...environment.tiers]);
  const hosts = new Set(serverGroups.flatMap((group) => group.hosts.map((host) => host.name)));
  const groups = new Set(["all", tenantGroupName(platform.tenant), ...platform.environments.map((environment) => environment.name), ...serverGroups.flatMap((group) => [group.name, leafGroupName(group.name, group.environment)])]);
  const renderedGroups = serverGroups.filter((group) => context.groups.includes(leafGroupName(group.name, group.environment)));
  const rendered = new Set(["all", ...context.groups, ...renderedGroups.flatMap((group) => group.hosts.map((host) => host.name))]);
  const files: RenderedFile[] = [];
  const playbooks: string[] = [];
  /** The overlay file that holds each group's or server's vars: `db.yml` and `db.yaml` would both become `db.yml`. */
  const varsFiles = new Map<string, string>();

  for (const file of [...overlay.files].sort(byPath)) {
    const [folder, ...rest] = file.path.split("/");
    const inside = rest.join("/");
    switch (folder) {
      case "group_vars":
      case "host_vars": {
        const name = /^([A-Za-z0-9_.-]+)\.ya?ml$/.exec(inside)?.[1];
        const known = folder === "group_vars" ? groups : hosts;
        if (name === undefined || !known.has(name)) {
          const what = folder === "group_vars" ? `a group of this tenant (${[...groups].sort().join(", ")})` : "a server of this tenant";
          throw new UserError(`${where(file.path)}: is not a vars file of ${what}; allowed: ${folder}/<name>.yml`);
        }
        const other = varsFiles.get(`${folder}/${name}`);
        if (other !== undefined) throw new UserError(`${where(file.path)}: holds vars of ${name}, as ${where(other)} does; allowed: one vars file for each name`);
        varsFiles.set(`${folder}/${name}`, file.path);
        const variables = parseVars(file.content, where(file.path));
        markUnsafe(variables);
        for (const key of variableNames(variables)) {
          if (RESERVED_PREFIXES.some((prefix) => key.startsWith(prefix)) || renderedKeys.has(key)) {
            throw new UserError(`${where(file.path)}: ${key}: botinfra sets it from the spec and the plan; allowed: any variable botinfra does not render (change the spec for this one)`);
          }
        }
        // Checked whatever environments are rendered; written only where the project has that group or server.
        if (!rendered.has(name)) break;
        const target = `inventory/${folder}/${name}.yml`;
        const base = renderedByPath.get(target);
        files.push({ path: target, content: base ? appendVariables(base.content, variables, overlay.source) : varsText(variables) });
        break;
      }
      case "roles": {
        const role = rest[0]!;
        if (botinfraRoles.has(role)) throw new UserError(`${where(file.path)}: the role ${role} is botinfra's; allowed: a role of another name`);
        files.push({ path: file.path, content: file.content });
        break;
      }
      case "playbooks": {
        if (rest.length !== 1 || !/^[A-Za-z0-9_.-]+\.ya?ml$/.test(inside)) throw new UserError(`${where(file.path)}: allowed: playbooks/<name>.yml, directly in playbooks/`);
        files.push({ path: `${TENANT_PLAYBOOKS}/${inside}`, content: file.content });
        playbooks.push(`tenant/${inside}`);
        break;
      }
      case "files":
        files.push({ path: file.path, content: file.content });
        break;
      default:
        throw new UserError(`${where(file.path)}: is not part of an overlay; allowed: ${OVERLAY_FOLDERS.map((name) => `${name}/`).join(", ")}`);
    }
  }
  checkOverlayReferences(overlay, context.platform);
  return { files, playbooks };
}

/** Tier roles the overlay must provide, and certificate files the spec names in it (the key vaulted). */
export function checkOverlayReferences(overlay: Overlay, platform: Platform): void {
  const { files } = overlay;
  const paths = new Set(files.map((file) => file.path));
  for (const environment of platform.environments) {
    for (const tier of environment.tiers) {
      const role = tier.software!.role;
      if (tier.software!.overlayRole && !paths.has(`roles/${role}/tasks/main.yml`)) {
        throw new UserError(`environments.${environment.name}.tiers.${tier.name}.role: "${role}" is not botinfra's and ${overlay.source} has no roles/${role}/tasks/main.yml`);
      }
    }
    const tls = environment.tls;
    if (tls.kind !== "files") continue;
    for (const [field, name] of [["certificate", tls.certificate], ["key", tls.key]] as const) {
      const file = files.find((candidate) => candidate.path === `files/${name}`);
      if (!file) throw new UserError(`tls.${field}: ${overlay.source} has no files/${name}`);
      if (field === "key" && !file.content.startsWith(VAULT_HEADER)) {
        throw new UserError(`tls.key: ${overlay.source}/files/${name} is not Ansible Vault encrypted; run ansible-vault encrypt on it (a private key is never kept in clear)`);
      }
    }
  }
}

function parseVars(text: string, source: string): Document {
  if (text.startsWith(VAULT_HEADER)) {
    throw new UserError(`${source}: is a vaulted file, whose variable names botinfra cannot check; allowed: plain YAML with vaulted values (ansible-vault encrypt_string)`);
  }
  const lineCounter = new LineCounter();
  // Without pretty errors the parser's message is one sentence; the place goes in front, as for a spec.
  const document = parseDocument(text, { version: "1.1", uniqueKeys: true, logLevel: "error", prettyErrors: false, lineCounter });
  const error = document.errors[0];
  if (error) {
    const place = lineCounter.linePos(error.pos[0]);
    throw new UserError(`${source}:${place.line}:${place.col}: is not valid YAML: ${error.message}`);
  }
  // No variables: an empty file, or `---` with comments only (a null document, as Ansible reads it too).
  const empty = document.contents === null || (isScalar(document.contents) && document.contents.value === null);
  if (!empty && !isMap(document.contents)) throw new UserError(`${source}: is not a mapping of variable names to values`);
  return document;
}

function variableNames(document: Document): string[] {
  if (!isMap(document.contents)) return [];
  return document.contents.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : String(pair.key)));
}

/** Every top-level variable botinfra renders in the inventory's group vars. */
function renderedVariableNames(rendered: RenderedFile[]): Set<string> {
  const names = new Set<string>();
  for (const file of rendered.filter((candidate) => candidate.path.startsWith("inventory/group_vars/"))) {
    for (const name of variableNames(parseRendered(file.content))) names.add(name);
  }
  return names;
}

/** botinfra's vars file with the overlay's variables after its own, tags (vaulted values) kept. */
function appendVariables(base: string, overlay: Document, source: string): string {
  const document = parseRendered(base);
  if (!isMap(document.contents) || !isMap(overlay.contents)) return base;
  overlay.contents.items.forEach((pair, index) => {
    if (index === 0 && isScalar(pair.key)) pair.key.commentBefore = ` From the tenant overlay (${source}):`;
    (document.contents as typeof overlay.contents).items.push(pair);
  });
  return varsText(document);
}

/** botinfra's own vars files: their `!unsafe` tags are kept as they are, not resolved (so no warning). */
function parseRendered(text: string): Document {
  return parseDocument(text, { version: "1.1", logLevel: "error" });
}

function varsText(document: Document): string {
  const text = document.toString({ lineWidth: 120, minContentWidth: 0 });
  return text.startsWith("---") ? text : `---\n${text}`;
}
