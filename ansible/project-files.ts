/** The rendered project's files and group names: what the renderer and the overlay merge share. */

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
