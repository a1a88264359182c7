/** Real git repositories in temporary folders, for the commands that read history (affected) and the CI runs. */
import { execa } from "execa";
import { cpSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { REPO_ROOT } from "./cli.js";

export interface GitRepo {
  dir: string;
  git(...args: string[]): Promise<string>;
  write(path: string, text: string): void;
  /** Stages everything and commits; returns the new commit. */
  commit(message: string): Promise<string>;
}

const AUTHOR = ["-c", "user.name=botinfra tests", "-c", "user.email=tests@botinfra.invalid", "-c", "commit.gpgsign=false"];

export async function gitRepo(prefix = "botinfra-git-"): Promise<GitRepo> {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  const git = async (...args: string[]) => String((await execa("git", [...AUTHOR, ...args], { cwd: dir })).stdout);
  await git("init", "--quiet", "--initial-branch=main");
  return {
    dir,
    git,
    write(path, text) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    },
    async commit(message) {
      await git("add", "--all");
      await git("commit", "--quiet", "--allow-empty", "-m", message);
      return git("rev-parse", "HEAD");
    },
  };
}

/**
 * A repository holding this project as a team's repository would: its tracked files, with the built CLI
 * (dist/) and the installed packages linked in, untracked, as `npm ci` would leave them.
 */
export async function projectRepo(): Promise<GitRepo> {
  const repo = await gitRepo("botinfra-project-");
  const files = String((await execa("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: REPO_ROOT })).stdout).split("\0").filter(Boolean);
  for (const file of files) {
    try {
      mkdirSync(dirname(join(repo.dir, file)), { recursive: true });
      cpSync(join(REPO_ROOT, file), join(repo.dir, file));
    } catch (error) {
      // A file deleted in the working tree but still in the index.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  for (const installed of ["node_modules", "dist"]) symlinkSync(realpathSync(join(REPO_ROOT, installed)), join(repo.dir, installed));
  writeFileSync(join(repo.dir, ".git", "info", "exclude"), "node_modules\ndist\n.gitlab-ci-local/\n");
  return repo;
}
