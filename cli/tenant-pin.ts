/**
 * `botinfra tenants pin`: writes every range botinfra allocated into the spec file itself, keeping the
 * file's comments and layout, so that adding, removing or reordering tiers never moves a deployed one.
 */
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { isMap, parseDocument } from "yaml";
import { parseTenantText } from "../model/tenant-text.js";
import { displayPath } from "../spec-files/display-path.js";
import { loadTenant, type TenantRef } from "../spec-files/load.js";
import { pinEdits, type PinEdit } from "../model/pin.js";

export interface PinResult {
  file: string;
  pinned: PinEdit[];
}

export function pinTenant(ref: TenantRef): PinResult {
  // One read: the text the plan was made from is the text the edits go into.
  const { file, text: original, platform } = loadTenant(ref);
  const edits = pinEdits(platform);
  if (edits.length === 0) return { file, pinned: [] };
  const text = insertFields(original, edits);
  // The pinned file must plan exactly what the model planned, with nothing left to allocate.
  const reloaded = parseTenantText(text, displayPath(file)).platform;
  if (pinEdits(reloaded).length > 0 || JSON.stringify(reloaded.environments.map((e) => e.cidr)) !== JSON.stringify(platform.environments.map((e) => e.cidr))) {
    throw new Error(`internal: pinning ${displayPath(file)} changed its plan`);
  }
  writeAtomically(file, text);
  return { file, pinned: edits };
}

/**
 * Writes each edit into the text itself, next to what is there, so that every other byte (comments,
 * alignment, quoting, long lines) stays as the user wrote it: a flow mapping `{ ... }` gains
 * `, cidr: X` before its brace, a block mapping a first line `cidr: X` at its own indentation.
 */
function insertFields(text: string, edits: PinEdit[]): string {
  const document = parseDocument(text);
  const insertions = edits.map((edit) => {
    const map = document.getIn(edit.path.slice(0, -1), true);
    const field = `${edit.path.at(-1)!}: ${edit.value}`;
    if (!isMap(map) || !map.range) throw new Error(`internal: ${edit.path.slice(0, -1).join(".")} is not a mapping in the file`);
    const [start, end] = map.range;
    if (map.flow) {
      const brace = text.lastIndexOf("}", end);
      let at = brace;
      while (at > start && /\s/.test(text[at - 1]!)) at -= 1;
      return { at, insert: map.items.length > 0 ? `, ${field}` : field };
    }
    const lineStart = text.lastIndexOf("\n", start - 1) + 1;
    return { at: start, insert: `${field}\n${" ".repeat(start - lineStart)}` };
  });
  return insertions.sort((a, b) => b.at - a.at).reduce((result, { at, insert }) => result.slice(0, at) + insert + result.slice(at), text);
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
