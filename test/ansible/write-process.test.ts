/**
 * writeProject and the process it runs in: the umask, the user it writes as, and signals. These need
 * the process itself (a worker thread may set no umask or user id and gets no signals), so they stay
 * out of the mutation runs, whose test runner uses worker threads.
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { MANIFEST_FILE } from "../../ansible/manifest.js";
import { writeProject } from "../../ansible/write.js";
import { UserError } from "../../model/errors.js";
import { thrownBy } from "../support/errors.js";
import { PROJECT_FILES as files } from "../support/write-project.js";

const parent = () => mkdtempSync(join(tmpdir(), "botinfra-write-"));

/**
 * Runs `work` as an unprivileged user when the tests run as root, whose writes permissions do not
 * stop. Only the effective ids change, and back (`work` is synchronous, so nothing else runs
 * meanwhile): opening and creating files obey them, access(2) and kill(2) still see root.
 */
function unprivileged<T>(work: () => T): T {
  if (process.geteuid?.() !== 0) return work();
  process.setegid!(65534);
  process.seteuid!(65534);
  try {
    return work();
  } finally {
    process.seteuid!(0);
    process.setegid!(0);
  }
}

describe("the process writing", () => {
  it("writes files rw-r--r-- and folders rwxr-xr-x under a umask that would let the group write", () => {
    const out = join(parent(), "acme");
    const umask = process.umask(0o002);
    try {
      writeProject(out, files);
    } finally {
      process.umask(umask);
    }
    expect((statSync(join(out, "inventory", "group_vars", "all.yml")).mode & 0o777).toString(8)).toBe("644");
    expect((statSync(join(out, MANIFEST_FILE)).mode & 0o777).toString(8)).toBe("644");
    expect((statSync(join(out, "inventory", "group_vars")).mode & 0o777).toString(8)).toBe("755");
  });

  it("refuses a folder it may not create its lock in, naming the path, and writes nothing", () => {
    const dir = parent();
    chmodSync(dir, 0o555);
    const message = unprivileged(() => thrownBy(UserError, () => writeProject(join(dir, "acme"), files)).message);
    chmodSync(dir, 0o755);
    expect(message).toBe(`--out ${join(dir, "acme")}: cannot open ${join(dir, ".acme.lock")} (EACCES); check the permissions of that path and its folder`);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("a signal during the write", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`${signal} ends the process as ${signal} once the project is complete, its lock released and no temporary left`, async () => {
      const dir = parent();
      const out = join(dir, "acme");
      const send = process.kill.bind(process);
      // How botinfra would end the process, recorded instead of done, with what the folder held then.
      const ends: { pid: number; signal: unknown; entries: string[] }[] = [];
      const kill = vi.spyOn(process, "kill").mockImplementation((pid, how) => {
        ends.push({ pid, signal: how, entries: readdirSync(dir).sort() });
        return true;
      });
      let sent = false;
      // A real signal, sent while the files are written.
      const signalling = {
        path: "site.yml",
        get content() {
          if (!sent) send(process.pid, signal);
          sent = true;
          return "---\n[]\n";
        },
      };
      try {
        writeProject(out, [...files, signalling]);
        expect(ends).toEqual([]);
        await new Promise((done) => setTimeout(done, 200));
      } finally {
        kill.mockRestore();
      }
      expect(ends).toEqual([{ pid: process.pid, signal, entries: ["acme"] }]);
      expect(existsSync(join(out, "site.yml"))).toBe(true);
    });
  }

  it("listens once however many projects one process writes", () => {
    const dir = parent();
    writeProject(join(dir, "a"), files);
    const listening = [process.listenerCount("SIGINT"), process.listenerCount("SIGTERM")];
    for (const name of ["b", "c"]) writeProject(join(dir, name), files);
    expect([process.listenerCount("SIGINT"), process.listenerCount("SIGTERM")]).toEqual(listening);
  });
});
