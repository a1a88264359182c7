/**
 * Writing a rendered project: all of it or nothing, and only over what botinfra wrote itself. Files
 * go to a temporary folder beside the target, with a manifest of them; the target is replaced only
 * when everything in it is listed in its manifest (or it is empty). A folder holding anything else is
 * refused, naming what, unless `force`: then the rendered files are put in place one by one and every
 * other file stays. One writer per folder at a time (a lock file beside it); a signal waits for the
 * write to finish or roll back; temporaries a killed render left behind are removed by the next one.
 */
import { accessSync, constants, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, posix, resolve } from "node:path";
import { UserError } from "../model/errors.js";
import { displayPath } from "../spec-files/display-path.js";
import { inspectFolder, MANIFEST_FILE, manifestText, readManifest, type Manifest } from "./manifest.js";
import type { RenderedFile } from "./render.js";

export interface WriteOptions {
  /** Write into a folder that holds files botinfra did not write (they stay), replacing rendered files changed since. */
  force?: boolean;
}

/** How many paths a refusal lists before "and N more". */
const LISTED_PATHS = 8;

function checkRelative(path: string) {
  const normal = posix.normalize(path);
  if (normal !== path || path.startsWith("/") || path.split("/").includes("..") || path === MANIFEST_FILE) {
    throw new Error(`internal: unsafe rendered path ${path}`);
  }
}

/** Writes the files to `target`, replacing only what botinfra wrote there before. */
export function writeProject(target: string, files: RenderedFile[], options: WriteOptions = {}): void {
  files.forEach((file) => checkRelative(file.path));
  const out = resolve(target);
  const shown = displayPath(out);
  try {
    mkdirSync(dirname(out), { recursive: true });
    const releaseLock = lockFolder(out, shown);
    try {
      whileSignalsWait(() => {
        removeStaleTemporaries(out);
        const existing = existingProject(out, shown, options.force ?? false);
        const temp = writeTemporary(out, files);
        try {
          if (existing?.kept.length) mergeInto(out, temp, files, existing.manifest, shown);
          else swapInto(out, temp);
        } finally {
          rmSync(temp, { recursive: true, force: true });
        }
      });
    } finally {
      releaseLock();
    }
  } catch (error) {
    throw (error as NodeJS.ErrnoException).code === undefined ? error : fileSystemError(shown, error as NodeJS.ErrnoException);
  }
}

function fileSystemError(shown: string, error: NodeJS.ErrnoException): UserError {
  const path = error.path ? ` ${displayPath(error.path)}` : "";
  const permission = ["EACCES", "EPERM", "EROFS"].includes(error.code!) ? "; check the permissions of that path and its folder" : "";
  return new UserError(`--out ${shown}: cannot ${error.syscall ?? "write"}${path} (${error.code})${permission}`);
}

/** A lock file beside the folder holding the writer's pid; a lock whose process is gone is taken over. */
function lockFolder(out: string, shown: string): () => void {
  const lock = join(dirname(out), `.${basename(out)}.lock`);
  for (;;) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: "wx" });
      return () => rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const pid = Number.parseInt(readFileSync(lock, "utf8"), 10);
    if (isRunning(pid)) {
      throw new UserError(`--out ${shown}: another botinfra (pid ${pid}) is writing this folder; run again when it has finished (or remove ${displayPath(lock)} if no botinfra is running)`);
    }
    rmSync(lock, { force: true });
  }
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function temporaryPrefix(out: string): string {
  return join(dirname(out), `.${basename(out)}.tmp-`);
}

/** Under the lock no other render of this folder runs: any temporary of its naming is a killed render's. */
function removeStaleTemporaries(out: string) {
  const prefix = basename(temporaryPrefix(out));
  const stale = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}[A-Za-z0-9]{6}(\\.old)?$`);
  for (const name of readdirSync(dirname(out)).filter((entry) => stale.test(entry))) {
    rmSync(join(dirname(out), name), { recursive: true, force: true });
  }
}

interface ExistingProject {
  manifest?: Manifest;
  /** What stays: entries botinfra did not write (only with force). */
  kept: string[];
}

/** The folder as it is, or a refusal naming what in it is not botinfra's; undefined when absent. */
function existingProject(out: string, shown: string, force: boolean): ExistingProject | undefined {
  let stats;
  try {
    stats = lstatSync(out);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  if (!stats.isDirectory()) {
    throw new UserError(`--out ${shown}: ${stats.isSymbolicLink() ? "is a symbolic link" : "is a file"}; allowed: a new or empty folder, or one botinfra rendered before`);
  }
  const manifest = readManifest(out);
  const { unlisted, changed, folders } = inspectFolder(out, manifest);
  // Replacing needs every folder of the old project writable: found now, before anything moves.
  for (const folder of [out, ...folders.map((path) => join(out, path))]) accessSync(folder, constants.W_OK);
  if (!force && (unlisted.length > 0 || changed.length > 0)) {
    const problems = [
      ...(unlisted.length > 0 ? [`holds files botinfra did not write${manifest ? "" : ` (it has no ${MANIFEST_FILE})`}: ${listed(unlisted)}`] : []),
      ...(changed.length > 0 ? [`has files botinfra wrote that were changed since: ${listed(changed)}`] : []),
    ];
    throw new UserError(
      `--out ${shown}: ${problems.join("; it ")}. render replaces only the files it listed in ${MANIFEST_FILE}: ` +
        "choose a new or empty folder, move those files away, or pass --force to write anyway (rendered files are replaced, every other file stays)",
    );
  }
  return { ...(manifest ? { manifest } : {}), kept: unlisted };
}

function listed(paths: string[]): string {
  const more = paths.length - LISTED_PATHS;
  return `${paths.slice(0, LISTED_PATHS).join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
}

/** The whole project, manifest included, in a new temporary folder beside the target. */
function writeTemporary(out: string, files: RenderedFile[]): string {
  const temp = mkdtempSync(temporaryPrefix(out));
  try {
    for (const file of files) {
      const path = join(temp, file.path);
      mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
      writeFileSync(path, file.content, { mode: 0o644 });
    }
    writeFileSync(join(temp, MANIFEST_FILE), manifestText(files), { mode: 0o644 });
    return temp;
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
}

/** The temporary takes the target's place; the old folder (only botinfra's files) goes. */
function swapInto(out: string, temp: string) {
  let old: string | undefined;
  try {
    lstatSync(out);
    old = `${temp}.old`;
    renameSync(out, old);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  try {
    renameSync(temp, out);
  } catch (error) {
    if (old) renameSync(old, out);
    throw error;
  }
  if (old) rmSync(old, { recursive: true, force: true });
}

/** With force, into a folder that keeps other files: each rendered file moved in, the ones no longer rendered removed. */
function mergeInto(out: string, temp: string, files: RenderedFile[], manifest: Manifest | undefined, shown: string) {
  const inTheWay = files.filter((file) => {
    const parts = file.path.split("/");
    return parts.some((_, index) => {
      const path = join(out, ...parts.slice(0, index + 1));
      const last = index === parts.length - 1;
      try {
        const stats = lstatSync(path);
        return last ? stats.isDirectory() : !stats.isDirectory();
      } catch {
        return false;
      }
    });
  });
  if (inTheWay.length > 0) {
    throw new UserError(`--out ${shown}: files botinfra did not write are where it renders ${listed(inTheWay.map((file) => file.path))} (a folder where a file goes, or a file where a folder goes); move them away`);
  }
  for (const file of files) {
    mkdirSync(dirname(join(out, file.path)), { recursive: true, mode: 0o755 });
    renameSync(join(temp, file.path), join(out, file.path));
  }
  const rendered = new Set(files.map((file) => file.path));
  for (const path of Object.keys(manifest?.files ?? {}).filter((candidate) => !rendered.has(candidate))) {
    rmSync(join(out, path), { force: true });
    removeEmptyParents(out, path);
  }
  renameSync(join(temp, MANIFEST_FILE), join(out, MANIFEST_FILE));
}

function removeEmptyParents(out: string, path: string) {
  for (let dir = posix.dirname(path); dir !== "."; dir = posix.dirname(dir)) {
    try {
      rmdirSync(join(out, dir));
    } catch {
      return;
    }
  }
}

const SIGNAL_TURN_MS = 20;

/** Ends the process as the signal would have, had nobody listened. */
function onSignal(signal: NodeJS.Signals) {
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  process.kill(process.pid, signal);
}

/**
 * Ctrl-C or SIGTERM during `work` waits for it to end (a write takes milliseconds), then ends the
 * process as the signal would have. Without a listener the signal would kill the process mid-write;
 * with one, Node runs it only between tasks, so after the synchronous work: the listener stays, and
 * acts at once from then on.
 */
function whileSignalsWait(work: () => void) {
  if (!process.listeners("SIGTERM").includes(onSignal)) {
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  }
  try {
    work();
  } finally {
    // One more turn of the event loop, for a signal that came during the work to reach the listener.
    setTimeout(() => undefined, SIGNAL_TURN_MS);
  }
}
