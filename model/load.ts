/** Reading tenant files: from a name in the tenants folder or from a path, to a validated model. */
import { readdirSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { accountRangesFor, keysUploadedElsewhere } from "./accounts.js";
import { CLOUD_PROFILES } from "./clouds.js";
import { SpecError, UserError, type SpecIssue } from "./errors.js";
import { buildPlatform, type Platform, type PlatformContext } from "./platform.js";
import { parseTenantSpec, TENANT_NAME, type TenantSpec } from "./spec.js";
import { readUserFile } from "./user-file.js";
import { parseYamlText } from "./yaml-text.js";

export const TENANT_FILE_EXTENSION = ".yaml";

export interface LoadedTenant {
  /** The path as the user should see it in messages (relative to the working directory when inside it). */
  source: string;
  spec: TenantSpec;
  platform: Platform;
}

/** How the user named the tenant: exactly one of a name in the tenants folder or a file path. */
export type TenantRef = { name: string; tenantsDir: string } | { file: string };

export function tenantFileFor(name: string, tenantsDir: string): string {
  return join(tenantsDir, `${name}${TENANT_FILE_EXTENSION}`);
}

/** The spec file a reference names. */
export const tenantFileOf = (ref: TenantRef) => ("file" in ref ? ref.file : tenantFileFor(ref.name, ref.tenantsDir));

/** The tenant names in a folder, sorted; an absent folder has none. */
export function listTenantNames(tenantsDir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(tenantsDir);
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.endsWith(TENANT_FILE_EXTENSION))
    .map((entry) => entry.slice(0, -TENANT_FILE_EXTENSION.length))
    .sort();
}

export function loadTenant(ref: TenantRef): LoadedTenant {
  if ("file" in ref) return loadTenantFile(ref.file);
  if (!TENANT_NAME.test(ref.name)) {
    throw new UserError(`--tenant: found "${ref.name}"; allowed: a tenant name (lowercase letters, digits and '-'), or use --tenant-file PATH`);
  }
  const file = tenantFileFor(ref.name, ref.tenantsDir);
  const known = listTenantNames(ref.tenantsDir);
  if (!known.includes(ref.name)) {
    const choices = known.length > 0 ? `known tenants: ${known.join(", ")}` : `no tenant files in ${displayPath(ref.tenantsDir)}`;
    throw new UserError(`--tenant: no tenant "${ref.name}": ${displayPath(file)} does not exist; ${choices}`);
  }
  const loaded = loadTenantFile(file);
  if (loaded.spec.tenant !== ref.name) {
    throw new SpecError(loaded.source, [
      { path: ["tenant"], message: `found "${loaded.spec.tenant}"; allowed: "${ref.name}", the name of the file (${basename(file)})` },
    ]);
  }
  return loaded;
}

/** Tenant specs are a few KiB; the bound keeps parsing and validation well under a second. */
export const SPEC_MAX_BYTES = 128 * 1024;

export function loadTenantFile(file: string): LoadedTenant {
  const source = displayPath(file);
  const text = readUserFile(file, "tenant file", (why) => new UserError(`${source}: ${why}`), SPEC_MAX_BYTES);
  return parseTenantText(text, source, (spec) => {
    const neighbours = neighbourSpecs(spec, file);
    return { accountRanges: accountRangesFor(spec, neighbours), keysUploadedElsewhere: keysUploadedElsewhere(spec, neighbours) };
  });
}

/**
 * The specs of the other tenants in the file's folder, where the tenant's cloud needs them (networks
 * apart, or keys held once, per account). A neighbour that cannot be read or parsed is left out: its own
 * validation says why.
 */
function neighbourSpecs(spec: TenantSpec, file: string): TenantSpec[] {
  const profile = CLOUD_PROFILES[spec.cloud];
  if (!profile.networksDisjointPerAccount && !profile.sshKeysOncePerAccount) return [];
  const folder = dirname(resolve(file));
  return listTenantNames(folder).flatMap((name) => {
    const path = tenantFileFor(name, folder);
    if (path === resolve(file)) return [];
    try {
      const parsed = parseTenantSpec(parseDocument(readUserFile(path, "tenant file", (why) => new Error(why), SPEC_MAX_BYTES)).toJS());
      return parsed.spec ? [parsed.spec] : [];
    } catch {
      return [];
    }
  });
}

/** Parses and validates a tenant from YAML text; `source` names it in messages; `context` adds what the spec alone does not hold. */
export function parseTenantText(text: string, source: string, context: (spec: TenantSpec) => PlatformContext = () => ({})): LoadedTenant {
  const lineCounter = new LineCounter();
  const yaml = parseYamlText(text, lineCounter);
  if (!yaml.ok) throw new SpecError(source, yaml.issues);
  const { value: raw, document } = yaml;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new SpecError(source, [{ path: [], message: "is not a tenant spec: expected a YAML mapping with tenant, cloud, region, domain, admin and environments" }]);
  }
  const parsed = parseTenantSpec(raw);
  if (!parsed.spec) throw new SpecError(source, locate(parsed.issues, document, lineCounter));
  const built = buildPlatform(parsed.spec, context(parsed.spec));
  if (!built.platform) throw new SpecError(source, locate(built.issues, document, lineCounter));
  return { source, spec: parsed.spec, platform: built.platform };
}

/** Adds the line and column of each issue's field: the deepest node of its path present in the file. */
function locate(issues: SpecIssue[], document: Document, lineCounter: LineCounter): SpecIssue[] {
  return issues
    .map((issue) => {
      const node = deepestNode(document, issue.path);
      if (!node?.range) return issue;
      const position = lineCounter.linePos(node.range[0]);
      return { ...issue, line: position.line, column: position.col };
    })
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

/** The 1-based line of a field in a tenant file's text (of its deepest part present), for pointing tools at it. */
export function fieldLine(text: string, path: readonly (string | number)[]): number | undefined {
  const lineCounter = new LineCounter();
  const node = deepestNode(parseDocument(text, { lineCounter }), path);
  return node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
}

function deepestNode(document: Document, path: readonly (string | number)[]): Node | undefined {
  let node: unknown = document.contents;
  let found = node as Node | undefined;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === part);
      if (!pair) break;
      found = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof part === "number" && node.items[part]) {
      node = node.items[part];
      found = node as Node;
    } else {
      break;
    }
  }
  return found;
}

/** Paths inside the working directory are shown relative to it, the way the user typed them. */
export function displayPath(file: string): string {
  const fromCwd = relative(process.cwd(), file);
  return fromCwd && !fromCwd.startsWith("..") && !fromCwd.startsWith("/") ? fromCwd : file;
}
