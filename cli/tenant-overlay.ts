/** Where a tenant's overlay is, and what it holds: read once for render, and for validate's reference check. */
import { dirname, resolve } from "node:path";
import { checkOverlayReferences, type Overlay } from "../ansible/overlay.js";
import { readOverlay } from "../ansible/roles.js";
import { displayPath } from "../spec-files/display-path.js";
import { tenantFileOf, type TenantRef } from "../spec-files/load.js";
import type { Platform } from "../model/platform.js";

/** The folder the spec names (relative to it), else the one named after the tenant beside it; undefined when that one is absent. */
export function readTenantOverlay(ref: TenantRef, platform: Platform): Overlay | undefined {
  return readOverlay(overlayFolder(ref, platform), platform.overlay !== undefined);
}

/**
 * Refuses, naming the spec's field, a tier role or a certificate file the overlay does not provide, so
 * that `tenants validate` says what `render` would refuse.
 */
export function checkTenantOverlay(ref: TenantRef, platform: Platform): void {
  checkOverlayReferences(readTenantOverlay(ref, platform) ?? { source: displayPath(overlayFolder(ref, platform)), files: [] }, platform);
}

function overlayFolder(ref: TenantRef, platform: Platform): string {
  return resolve(dirname(resolve(tenantFileOf(ref))), platform.overlay ?? platform.tenant);
}
