/**
 * The user's files are sacred: render replaces only what its manifest lists, one writer at a time,
 * nothing left behind. What needs the process itself (its umask, user ids and signals, none of which a
 * worker thread may touch) is in write-process.test.ts.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { MANIFEST_FILE } from "../../ansible/manifest.js";
import { writeProject } from "../../ansible/write.js";
import { UserError } from "../../model/errors.js";
import { thrownBy } from "../support/errors.js";
import { PROJECT_FILES as files } from "../support/write-project.js";

/** The manifest of `files`, whatever order they come in. */
const MANIFEST = `{
  "generator": "botinfra",
  "files": {
    "ansible.cfg": "sha256:c53afe82dbf6b7d697729fc5d980d744690568d0a6ecc057cca703b1e3f6b858",
    "inventory/group_vars/all.yml": "sha256:5a8370e6ce53158c1b87c4faa088fa4c16227221b38002dd0207123bf58748c6",
    "inventory/hosts.yml": "sha256:025f13c9fda5eadd8bdbe9f92992e868fe879dbf9e223723cd030fcbb0e8da69"
  }
}
`;
const REFUSAL_END = `. render replaces only the files it listed in ${MANIFEST_FILE}: choose a new or empty folder, move those files away, or pass --force to write anyway (rendered files are replaced, every other file stays)`;
const parent = () => mkdtempSync(join(tmpdir(), "botinfra-write-"));

/** Every file under a folder with its content, empty folders as `name/`: an intact project compares equal, content and all. */
function contents(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (current: string) => {
    const entries = readdirSync(current, { withFileTypes: true });
    if (entries.length === 0 && current !== dir) result[`${relative(dir, current)}/`] = "";
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else result[relative(dir, path)] = readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return result;
}

/** `files` as written, with their manifest. */
const RENDERED = { [MANIFEST_FILE]: MANIFEST, ...Object.fromEntries(files.map((file) => [file.path, file.content])) };

function refusal(run: () => unknown): string {
  return thrownBy(UserError, run).message;
}

describe("the manifest", () => {
  it("lists every file written with its hash, sorted, so the same files give the same bytes in any order", () => {
    for (const order of [files, [...files].reverse(), [files[1]!, files[0]!, files[2]!]]) {
      const out = join(parent(), "acme");
      writeProject(out, order);
      expect(readFileSync(join(out, MANIFEST_FILE), "utf8")).toBe(MANIFEST);
    }
  });

  it("refuses a project with a hand-made ansible.cfg of botinfra's first line and other files, naming them, and keeps everything", () => {
    const out = join(parent(), "acme");
    mkdirSync(join(out, ".git"), { recursive: true });
    writeFileSync(join(out, ".git", "HEAD"), "ref: refs/heads/main\n");
    writeFileSync(join(out, "ansible.cfg"), "# Rendered by botinfra for tenant acme: hand-made\n");
    mkdirSync(join(out, "host_vars"));
    writeFileSync(join(out, "host_vars", "web.yml"), "x: 1\n");
    const before = contents(out);
    expect(refusal(() => writeProject(out, files))).toBe(
      `--out ${out}: holds files botinfra did not write (it has no ${MANIFEST_FILE}): .git/, ansible.cfg, host_vars/${REFUSAL_END}`,
    );
    expect(contents(out)).toEqual(before);
  });

  it("does not take a manifest of another generator, or one with a hash that is not text, for botinfra's", () => {
    for (const manifest of [{ generator: "other", files: { "ansible.cfg": "sha256:0" } }, { generator: "botinfra", files: { "ansible.cfg": 1, "x.yml": "sha256:0" } }]) {
      const out = join(parent(), "acme");
      mkdirSync(out);
      writeFileSync(join(out, MANIFEST_FILE), JSON.stringify(manifest));
      writeFileSync(join(out, "ansible.cfg"), "mine\n");
      expect(refusal(() => writeProject(out, files))).toBe(`--out ${out}: holds files botinfra did not write (it has no ${MANIFEST_FILE}): ${MANIFEST_FILE}, ansible.cfg${REFUSAL_END}`);
    }
  });

  it("refuses files added to a rendered project, and files of botinfra's changed since, each list sorted", () => {
    const out = join(parent(), "acme");
    const rendered = [...files, { path: "site.yml", content: "---\n[]\n" }];
    writeProject(out, rendered);
    writeFileSync(join(out, "zz-mine.yml"), "mine\n");
    writeFileSync(join(out, "inventory", "host_vars.yml"), "mine\n");
    writeFileSync(join(out, "site.yml"), "# edited\n");
    writeFileSync(join(out, "inventory", "hosts.yml"), "# edited\n");
    const before = contents(out);
    expect(refusal(() => writeProject(out, rendered))).toBe(
      `--out ${out}: holds files botinfra did not write: inventory/host_vars.yml, zz-mine.yml; it has files botinfra wrote that were changed since: inventory/hosts.yml, site.yml${REFUSAL_END}`,
    );
    expect(contents(out)).toEqual(before);
  });

  it("refuses a project where only files botinfra wrote were changed", () => {
    const out = join(parent(), "acme");
    writeProject(out, files);
    writeFileSync(join(out, "ansible.cfg"), "# edited\n");
    expect(refusal(() => writeProject(out, files))).toBe(`--out ${out}: has files botinfra wrote that were changed since: ansible.cfg${REFUSAL_END}`);
    expect(readFileSync(join(out, "ansible.cfg"), "utf8")).toBe("# edited\n");
  });

  it("names a folder of the user's where botinfra's file was, not what is in it", () => {
    const out = join(parent(), "acme");
    writeProject(out, files);
    rmSync(join(out, "ansible.cfg"));
    mkdirSync(join(out, "ansible.cfg"));
    writeFileSync(join(out, "ansible.cfg", "mine"), "mine\n");
    expect(refusal(() => writeProject(out, files))).toBe(`--out ${out}: holds files botinfra did not write: ansible.cfg/${REFUSAL_END}`);
  });

  it("lists eight paths, then how many more", () => {
    for (const [count, named] of [
      [8, "a, b, c, d, e, f, g, h"],
      [10, "a, b, c, d, e, f, g, h and 2 more"],
    ] as const) {
      const out = join(parent(), "acme");
      mkdirSync(out);
      for (const name of "abcdefghij".slice(0, count)) writeFileSync(join(out, name), "");
      expect(refusal(() => writeProject(out, files))).toBe(`--out ${out}: holds files botinfra did not write (it has no ${MANIFEST_FILE}): ${named}${REFUSAL_END}`);
    }
  });

  it("refuses a file or a symbolic link as the folder, and leaves it", () => {
    const dir = parent();
    writeFileSync(join(dir, "file"), "mine\n");
    mkdirSync(join(dir, "elsewhere"));
    symlinkSync(join(dir, "elsewhere"), join(dir, "link"));
    const allowed = "allowed: a new or empty folder, or one botinfra rendered before";
    expect(refusal(() => writeProject(join(dir, "file"), files))).toBe(`--out ${join(dir, "file")}: is a file; ${allowed}`);
    expect(refusal(() => writeProject(join(dir, "link"), files))).toBe(`--out ${join(dir, "link")}: is a symbolic link; ${allowed}`);
    expect(readdirSync(dir).sort()).toEqual(["elsewhere", "file", "link"]);
    expect(readdirSync(join(dir, "elsewhere"))).toEqual([]);
  });
});

describe("replacing a project", () => {
  it("replaces a project it rendered: new content in, files no longer rendered gone, nothing left beside it", () => {
    const dir = parent();
    const out = join(dir, "acme");
    // A file deep in folders with no file of their own, so that rewriting needs every level known as botinfra's.
    const deep = { path: "roles/web/tasks/main.yml", content: "---\n- ping:\n" };
    writeProject(out, [...files, deep, { path: "playbooks/old.yml", content: "---\n[]\n" }]);
    writeProject(out, [...files, deep]);
    expect(contents(out)).toEqual({ ...RENDERED, [deep.path]: deep.content, [MANIFEST_FILE]: expect.stringContaining(`"${deep.path}": "sha256:676fd61030c151addedae1cf6493d4231ae2015013ca92ec001b5c0610ec61bd"\n`) });
    expect(readdirSync(dir)).toEqual(["acme"]);
  });

  it("refuses paths that would leave the folder or overwrite the manifest, naming them, before writing anything", () => {
    const dir = parent();
    for (const path of ["/etc/passwd", "../elsewhere.yml", "inventory/../../elsewhere.yml", "./ansible.cfg", "inventory//hosts.yml", MANIFEST_FILE]) {
      expect(() => writeProject(join(dir, "acme"), [...files, { path, content: "x\n" }])).toThrow(new Error(`internal: unsafe rendered path ${path}`));
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it("keeps the old project, content and all, when writing the new one fails, and leaves nothing beside it", () => {
    const dir = parent();
    const out = join(dir, "acme");
    writeProject(out, files);
    // A file and a folder of the same name: the second cannot be written.
    const message = refusal(() => writeProject(out, [...files, { path: "site.yml", content: "x\n" }, { path: "site.yml/more.yml", content: "x\n" }]));
    expect(message).toMatch(new RegExp(`^--out ${out}: cannot (mkdir|open) ${dir}/\\.acme\\.tmp-[A-Za-z0-9]{6}/site\\.yml(/more\\.yml)? \\((EEXIST|ENOTDIR)\\)$`));
    expect(contents(out)).toEqual(RENDERED);
    expect(readdirSync(dir)).toEqual(["acme"]);
  });

  it("reports a failure that is not a system call's as a write to the folder, and leaves nothing", () => {
    const dir = parent();
    const out = join(dir, "acme");
    // Node refuses a path with a NUL byte before asking the system.
    expect(refusal(() => writeProject(out, [{ path: "a\0b", content: "x\n" }]))).toBe(`--out ${out}: cannot write (ERR_INVALID_ARG_VALUE)`);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("with force", () => {
  it("replaces the rendered files, writes new ones, removes the ones it no longer renders with their emptied folders, and keeps every other file", () => {
    const dir = parent();
    const out = join(dir, "acme");
    writeProject(out, [...files, { path: "playbooks/old.yml", content: "---\n[]\n" }, { path: "roles/web/tasks/old.yml", content: "---\n[]\n" }, { path: "gone.yml", content: "x\n" }]);
    mkdirSync(join(out, ".git"));
    writeFileSync(join(out, ".git", "HEAD"), "ref\n");
    writeFileSync(join(out, "inventory", "mine.yml"), "mine\n");
    writeFileSync(join(out, "roles", "web", "mine.yml"), "mine\n");
    writeFileSync(join(out, "ansible.cfg"), "# edited\n");
    // Removed by the user already: nothing to remove.
    rmSync(join(out, "gone.yml"));
    const added = { path: "roles/db/tasks/main.yml", content: "---\n- ping:\n" };
    writeProject(out, [...files, added], { force: true });
    const { [MANIFEST_FILE]: manifest, ...rest } = contents(out);
    expect(rest).toEqual({
      ".git/HEAD": "ref\n",
      "ansible.cfg": files[0]!.content,
      "inventory/hosts.yml": files[1]!.content,
      "inventory/group_vars/all.yml": files[2]!.content,
      "inventory/mine.yml": "mine\n",
      "roles/web/mine.yml": "mine\n",
      "roles/db/tasks/main.yml": added.content,
    });
    expect(Object.keys((JSON.parse(manifest!) as { files: object }).files)).toEqual(["ansible.cfg", "inventory/group_vars/all.yml", "inventory/hosts.yml", "roles/db/tasks/main.yml"]);
    expect(readdirSync(dir)).toEqual(["acme"]);
  });

  it("refuses, naming them, when the user's files are where it renders (a folder for a file, a file for a folder), and changes nothing", () => {
    const dir = parent();
    const out = join(dir, "acme");
    writeProject(out, files);
    writeFileSync(join(out, "notes.txt"), "mine\n");
    rmSync(join(out, "ansible.cfg"));
    mkdirSync(join(out, "ansible.cfg"));
    rmSync(join(out, "inventory", "group_vars"), { recursive: true });
    writeFileSync(join(out, "inventory", "group_vars"), "mine\n");
    const before = contents(out);
    expect(refusal(() => writeProject(out, files, { force: true }))).toBe(
      `--out ${out}: files botinfra did not write are where it renders ansible.cfg, inventory/group_vars/all.yml (a folder where a file goes, or a file where a folder goes); move them away`,
    );
    expect(contents(out)).toEqual(before);
    expect(readdirSync(dir)).toEqual(["acme"]);
  });
});

describe("one writer, nothing left behind", () => {
  it("removes temporaries of its own naming that a killed render left, and nothing else", () => {
    const dir = parent();
    const out = join(dir, "acme");
    mkdirSync(join(dir, ".acme.tmp-Ab12Cd", "inventory"), { recursive: true });
    writeFileSync(join(dir, ".acme.tmp-Ab12Cd", "inventory", "hosts.yml"), "x\n");
    mkdirSync(join(dir, ".acme.tmp-Zz99Yy.old"));
    const kept = [".acme.tmp-keep-me", ".other.tmp-Ab12Cd", ".acmextmp-Ab12Cd", "x.acme.tmp-Ab12Cd", ".acme.tmp-Ab12Cd7", ".acme.tmp-Ab12Cd.older"];
    for (const name of kept) mkdirSync(join(dir, name));
    writeProject(out, files);
    expect(readdirSync(dir).sort()).toEqual([...kept, "acme"].sort());
  });

  it("refuses a second writer while the first writes, naming the first's pid and the lock, and takes over a dead one's lock", () => {
    const dir = parent();
    const out = join(dir, "acme");
    const refusals: string[] = [];
    // Read while the project is written: the second writer comes in then.
    const second = {
      path: "site.yml",
      get content() {
        if (refusals.length === 0) refusals.push(refusal(() => writeProject(out, files)));
        return "---\n[]\n";
      },
    };
    writeProject(out, [...files, second]);
    expect(refusals).toEqual([
      `--out ${out}: another botinfra (pid ${process.pid}) is writing this folder; run again when it has finished (or remove ${join(dir, ".acme.lock")} if no botinfra is running)`,
    ]);
    expect(readdirSync(dir)).toEqual(["acme"]);
    writeFileSync(join(dir, ".acme.lock"), "999999999\n");
    writeProject(out, files);
    expect(contents(out)).toEqual(RENDERED);
    expect(readdirSync(dir)).toEqual(["acme"]);
  });

  it("takes over a lock that names no process: empty, not a number, or 0", () => {
    for (const text of ["", "botinfra\n", "0\n"]) {
      const dir = parent();
      writeFileSync(join(dir, ".acme.lock"), text);
      writeProject(join(dir, "acme"), files);
      expect(readdirSync(dir)).toEqual(["acme"]);
    }
  });

  it("refuses while a process of another user holds the lock (pid 1, which a user who is not root may not signal)", () => {
    const dir = parent();
    writeFileSync(join(dir, ".acme.lock"), "1\n");
    expect(refusal(() => writeProject(join(dir, "acme"), files))).toMatch(/^--out .*acme: another botinfra \(pid 1\) is writing this folder/);
    expect(readdirSync(dir)).toEqual([".acme.lock"]);
  });

  it("finishes the write when its lock was removed by hand meanwhile", () => {
    const dir = parent();
    const out = join(dir, "acme");
    const unlocking = {
      path: "site.yml",
      get content() {
        rmSync(join(dir, ".acme.lock"), { force: true });
        return "---\n[]\n";
      },
    };
    writeProject(out, [...files, unlocking]);
    expect(readFileSync(join(out, "site.yml"), "utf8")).toBe("---\n[]\n");
    expect(readdirSync(dir)).toEqual(["acme"]);
  });

});
