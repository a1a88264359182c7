/** `botinfra render --out` as a user runs it (the built CLI): a folder it may not write, and a SIGTERM during the write. */
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MANIFEST_FILE } from "../../ansible/manifest.js";
import { CLI, REPO_ROOT, runCli } from "../support/cli.js";
import { sampleSpec, toYaml } from "../support/specs.js";

const parent = () => mkdtempSync(join(tmpdir(), "botinfra-render-write-"));

describe("one writer, nothing left behind", () => {
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
