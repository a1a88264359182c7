/** The user's files are sacred: render replaces only what its manifest lists, one writer at a time, nothing left behind. */
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MANIFEST_FILE } from "../../ansible/manifest.js";
import type { RenderedFile } from "../../ansible/render.js";
import { writeProject } from "../../ansible/write.js";
import { CLI, REPO_ROOT, runCli } from "../support/cli.js";
import { sampleSpec, toYaml } from "../support/specs.js";

const files: RenderedFile[] = [
  { path: "ansible.cfg", content: "# Rendered by botinfra for tenant t\n" },
  { path: "inventory/hosts.yml", content: "---\nall: {}\n" },
  { path: "inventory/group_vars/all.yml", content: "---\na: 1\n" },
];
const parent = () => mkdtempSync(join(tmpdir(), "botinfra-write-"));

describe("the manifest", () => {
  it("lists every file written with its hash, the same bytes for the same files", () => {
    const out = join(parent(), "acme");
    writeProject(out, files);
    const manifest = JSON.parse(readFileSync(join(out, MANIFEST_FILE), "utf8")) as { generator: string; files: Record<string, string> };
    expect(manifest.generator).toBe("botinfra");
    expect(Object.keys(manifest.files)).toEqual(["ansible.cfg", "inventory/group_vars/all.yml", "inventory/hosts.yml"]);
    expect(Object.values(manifest.files).every((hash) => /^sha256:[0-9a-f]{64}$/.test(hash))).toBe(true);
    const again = join(parent(), "acme");
    writeProject(again, [...files].reverse());
    expect(readFileSync(join(again, MANIFEST_FILE), "utf8")).toBe(readFileSync(join(out, MANIFEST_FILE), "utf8"));
  });

  it("refuses a project with a hand-made ansible.cfg of botinfra's first line and other files, naming them, and keeps everything", () => {
    const out = join(parent(), "acme");
    mkdirSync(join(out, ".git"), { recursive: true });
    writeFileSync(join(out, ".git", "HEAD"), "ref: refs/heads/main\n");
    writeFileSync(join(out, "ansible.cfg"), "# Rendered by botinfra for tenant acme: hand-made\n");
    mkdirSync(join(out, "host_vars"));
    writeFileSync(join(out, "host_vars", "web.yml"), "x: 1\n");
    expect(() => writeProject(out, files)).toThrow(/holds files botinfra did not write \(it has no \.botinfra-manifest\.json\): \.git\/, ansible\.cfg, host_vars\/\. .*pass --force/);
    expect(readFileSync(join(out, ".git", "HEAD"), "utf8")).toBe("ref: refs/heads/main\n");
    expect(readFileSync(join(out, "host_vars", "web.yml"), "utf8")).toBe("x: 1\n");
  });

  it("refuses files added to a rendered project, and files of botinfra's changed since", () => {
    const out = join(parent(), "acme");
    writeProject(out, files);
    writeFileSync(join(out, "inventory", "host_vars.yml"), "mine\n");
    writeFileSync(join(out, "ansible.cfg"), "# edited\n");
    expect(() => writeProject(out, files)).toThrow(
      /holds files botinfra did not write: inventory\/host_vars\.yml; it has files botinfra wrote that were changed since: ansible\.cfg\./,
    );
    expect(readFileSync(join(out, "ansible.cfg"), "utf8")).toBe("# edited\n");
  });

  it("with force, replaces the rendered files, removes the ones it no longer renders, and keeps every other file", () => {
    const out = join(parent(), "acme");
    writeProject(out, [...files, { path: "playbooks/old.yml", content: "---\n[]\n" }]);
    mkdirSync(join(out, ".git"));
    writeFileSync(join(out, ".git", "HEAD"), "ref\n");
    writeFileSync(join(out, "inventory", "mine.yml"), "mine\n");
    writeFileSync(join(out, "ansible.cfg"), "# edited\n");
    writeProject(out, files, { force: true });
    expect(readdirSync(out).sort()).toEqual([".botinfra-manifest.json", ".git", "ansible.cfg", "inventory"]);
    expect(readFileSync(join(out, "ansible.cfg"), "utf8")).toBe(files[0]!.content);
    expect(readFileSync(join(out, "inventory", "mine.yml"), "utf8")).toBe("mine\n");
    expect(readFileSync(join(out, ".git", "HEAD"), "utf8")).toBe("ref\n");
  });
});

describe("one writer, nothing left behind", () => {
  it("removes temporaries of its own naming that a killed render left, and nothing else", () => {
    const dir = parent();
    const out = join(dir, "acme");
    mkdirSync(join(dir, ".acme.tmp-Ab12Cd", "inventory"), { recursive: true });
    mkdirSync(join(dir, ".acme.tmp-Zz99Yy.old"));
    mkdirSync(join(dir, ".acme.tmp-keep-me"));
    mkdirSync(join(dir, ".other.tmp-Ab12Cd"));
    writeProject(out, files);
    expect(readdirSync(dir).sort()).toEqual([".acme.tmp-keep-me", ".other.tmp-Ab12Cd", "acme"]);
  });

  it("refuses to write while another live botinfra holds the folder's lock, and takes over a dead one's", () => {
    const dir = parent();
    const out = join(dir, "acme");
    writeFileSync(join(dir, ".acme.lock"), `${process.ppid}\n`);
    expect(() => writeProject(out, files)).toThrow(new RegExp(`another botinfra \\(pid ${process.ppid}\\) is writing this folder`));
    expect(existsSync(out)).toBe(false);
    writeFileSync(join(dir, ".acme.lock"), "999999999\n");
    writeProject(out, files);
    expect(readdirSync(dir)).toEqual(["acme"]);
  });

  it("reports a folder it may not write as exit 2 naming the path, and leaves nothing", async () => {
    const dir = parent();
    const out = join(dir, "acme");
    const first = await runCli(["render", "--tenant", "acme", "--from", "plan", "--out", out]);
    expect(first.exitCode).toBe(0);
    chmodSync(out, 0o555);
    chmodSync(dir, 0o777);
    // As root, permissions do not stop anyone: run the CLI as an unprivileged user there.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const second = await runCliAs(["render", "--tenant", "acme", "--from", "plan", "--out", out], asUser);
    chmodSync(out, 0o755);
    expect(second.stderr).toMatch(/--out .*acme: cannot access .*acme \(EACCES\); check the permissions/);
    expect(second.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(second.exitCode).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(["acme"]);
  });

  it("finishes or rolls back the write when stopped by SIGTERM, leaving no temporary folder", async () => {
    // Enough environments that the write itself takes a while, so that the signal lands in it.
    const spec = sampleSpec();
    const tiers = spec.environments.development!.tiers;
    spec.environments = Object.fromEntries(Array.from({ length: 120 }, (_, index) => [`e${index}`, { tiers: structuredClone(tiers) }]));
    const dir = parent();
    writeFileSync(join(dir, "big.yaml"), toYaml(spec));
    const out = join(dir, "big");
    const child = spawn(process.execPath, [CLI, "render", "--tenant-file", join(dir, "big.yaml"), "--from", "plan", "--out", out], { cwd: REPO_ROOT, stdio: "ignore" });
    const ended = new Promise<NodeJS.Signals | null>((done) => child.on("exit", (_, signal) => done(signal)));
    const deadline = Date.now() + 60_000;
    while (!readdirSync(dir).some((entry) => entry.startsWith(".big.tmp-")) && Date.now() < deadline) await new Promise((wait) => setImmediate(wait));
    child.kill("SIGTERM");
    expect(await ended).toBe("SIGTERM");
    expect(readdirSync(dir).filter((entry) => entry !== "big.yaml" && entry !== "big")).toEqual([]);
    // Either nothing was written, or all of it: every file the manifest lists is there.
    if (existsSync(out)) {
      const listed = Object.keys((JSON.parse(readFileSync(join(out, MANIFEST_FILE), "utf8")) as { files: object }).files);
      expect(listed.filter((path) => !existsSync(join(out, path)))).toEqual([]);
    }
  });
});

/** The built CLI under another user id (files it must read are world-readable in the repo). */
async function runCliAs(args: string[], ids: { uid?: number; gid?: number }) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: "1", HOME: tmpdir() }, ...ids });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exitCode = await new Promise<number>((done) => child.on("exit", (code) => done(code ?? -1)));
  return { exitCode, stderr };
}
