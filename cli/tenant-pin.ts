/**
 * `botinfra tenants pin`: writes every range botinfra allocated into the spec file itself, keeping the
 * file's comments and layout, so that adding, removing or reordering tiers never moves a deployed one.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { parseDocument } from "yaml";
import { displayPath, loadTenant, parseTenantText, tenantFileFor, type TenantRef } from "../model/load.js";
import { pinEdits, type PinEdit } from "../model/pin.js";

export interface PinResult {
  file: string;
  pinned: PinEdit[];
}

export function pinTenant(ref: TenantRef): PinResult {
  const file = "file" in ref ? ref.file : tenantFileFor(ref.name, ref.tenantsDir);
  const { platform } = loadTenant(ref);
  const edits = pinEdits(platform);
  if (edits.length === 0) return { file, pinned: [] };
  const document = parseDocument(readFileSync(file, "utf8"));
  for (const edit of edits) document.setIn(edit.path, edit.value);
  const text = document.toString();
  // The pinned file must plan exactly what the model planned, with nothing left to allocate.
  const reloaded = parseTenantText(text, displayPath(file)).platform;
  if (pinEdits(reloaded).length > 0 || JSON.stringify(reloaded.environments.map((e) => e.cidr)) !== JSON.stringify(platform.environments.map((e) => e.cidr))) {
    throw new Error(`internal: pinning ${displayPath(file)} changed its plan`);
  }
  writeAtomically(file, text);
  return { file, pinned: edits };
}

/** The user's file is replaced whole or not at all. */
function writeAtomically(file: string, text: string) {
  const temp = join(dirname(file), `.${basename(file)}.pin-${process.pid}.tmp`);
  try {
    writeFileSync(temp, text);
    renameSync(temp, file);
  } finally {
    rmSync(temp, { force: true });
  }
}
