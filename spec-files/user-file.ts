/** Reading a file the user named, with the one wording every command uses when it cannot be read. */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";

/** A bound on any file a user names: far above real plans and outputs, far below what hurts. */
export const USER_FILE_MAX_BYTES = 16 * 1024 * 1024;

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`;
}

/**
 * The file's text; when it cannot be read, `fail` turns the reason ("does not exist", "is a folder,
 * not a <kind>", "cannot be read (CODE)", "is N bytes; allowed: ...") into the error the user sees.
 * Only regular files are read: a FIFO or a device is refused before a byte is read (the open does not
 * wait for a writer), and no more than `maxBytes` are ever read.
 */
export function readUserFile(file: string, kind: string, fail: (why: string) => Error, maxBytes = USER_FILE_MAX_BYTES): string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw fail(errorReason(error, kind));
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw fail(`is a folder, not a ${kind}`);
    if (!stats.isFile()) throw fail(`is not a regular file (a device, a FIFO or a socket); allowed: a ${kind}`);
    const tooBig = () => fail(`is larger than ${formatBytes(maxBytes)}; allowed: a ${kind} of at most ${formatBytes(maxBytes)} (${maxBytes} bytes)`);
    if (stats.size > maxBytes) throw tooBig();
    // Read to the end, stopping past the limit: a file that grows while being read is refused too.
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      length += read;
      if (length > maxBytes) throw tooBig();
    }
    return Buffer.concat(chunks).toString("utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === undefined) throw error;
    throw fail(errorReason(error, kind));
  } finally {
    closeSync(fd);
  }
}

function errorReason(error: unknown, kind: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" ? "does not exist" : code === "EISDIR" ? `is a folder, not a ${kind}` : `cannot be read (${code ?? String(error)})`;
}
