/** The rendered project's files and group names: what the renderer and the overlay merge share. */
import { visit, type Document } from "yaml";

export interface RenderedFile {
  /** Relative to the project folder, with `/` separators. */
  path: string;
  content: string;
}

/** Orders files by path, byte-wise, the same on every machine and locale. */
export function byPath(a: RenderedFile, b: RenderedFile): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Ansible group names may not contain `-`. */
export function tenantGroupName(tenant: string): string {
  return tenant.replaceAll("-", "_");
}

/** The group of one tier (or the proxy) in one environment: `front_production`. */
export function leafGroupName(group: string, environment: string): string {
  return `${group}_${environment}`;
}

/** Ansible Vault's tag: its value is decrypted, never templated, and must keep its tag to stay vaulted. */
const VAULT_TAG = "!vault";

/**
 * Tags every string value `!unsafe`, so that Ansible takes it as data and never as a template (a
 * vaulted value keeps its own tag). Keys stay plain: Ansible never templates them.
 */
export function markUnsafe(document: Document): void {
  visit(document, {
    Scalar(key, node) {
      if (key !== "key" && typeof node.value === "string" && node.tag !== VAULT_TAG) node.tag = "!unsafe";
    },
  });
}
