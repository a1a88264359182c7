/**
 * What `botinfra affected` reads from git: the base commit, the files changed since it, and tenant specs as
 * they were there. git runs with argument arrays (never through a shell) and `--end-of-options` before
 * anything the user typed, so a ref can never become an option.
 */
import { execa } from "execa";
import { NotReadyError, UserError } from "../../model/errors.js";

export interface Repository {
  /** The repository's top folder. */
  root: string;
  /** The commit a ref names, or a UserError naming `flag`. */
  resolveCommit(ref: string, flag: string): Promise<string>;
  /** Where HEAD's history left the commit's (`git merge-base`): a branch is compared with where it started. */
  forkPoint(commit: string): Promise<string>;
  /** Paths changed between the commit and the working tree (untracked files included), relative to the root. */
  changedFiles(commit: string): Promise<string[]>;
  /** The files in a folder at a commit (not below it), relative to the root. */
  filesAt(commit: string, folder: string): Promise<string[]>;
  /** A file's text at a commit. */
  textAt(commit: string, path: string): Promise<string>;
}

async function git(cwd: string, args: string[]) {
  const result = await execa("git", args, { cwd, reject: false, stripFinalNewline: false });
  if ((result as { code?: string }).code === "ENOENT") throw new NotReadyError("git was not found on PATH: botinfra affected compares commits with it; install git");
  return { ok: result.exitCode === 0, stdout: String(result.stdout), stderr: String(result.stderr).trim() };
}

const nulSeparated = (text: string) => text.split("\0").filter(Boolean);

export async function openRepository(cwd: string): Promise<Repository> {
  const top = await git(cwd, ["rev-parse", "--show-toplevel"]);
  if (!top.ok) throw new UserError(`affected: ${cwd} is not inside a git repository (${top.stderr.split("\n")[0]}); run it in the repository that holds the tenant specs`);
  const root = top.stdout.trim();
  const run = async (args: string[], what: string) => {
    const result = await git(root, args);
    if (!result.ok) throw new UserError(`affected: git could not ${what}: ${result.stderr.split("\n")[0]}`, 1);
    return result.stdout;
  };
  return {
    root,
    async resolveCommit(ref, flag) {
      const result = await git(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]);
      if (!result.ok) {
        throw new UserError(`${flag}: found "${ref}"; allowed: a commit of this repository (a branch, tag or SHA git knows; in CI, fetch the history first, e.g. git fetch origin main)`);
      }
      return result.stdout.trim();
    },
    async forkPoint(commit) {
      const result = await git(root, ["merge-base", commit, "HEAD"]);
      // No common history (or no commit yet): the commit itself.
      return result.ok ? result.stdout.trim() : commit;
    },
    async changedFiles(commit) {
      const [changed, untracked] = await Promise.all([
        run(["diff", "--name-only", "-z", "--no-renames", commit, "--"], "list the changed files"),
        run(["ls-files", "--others", "--exclude-standard", "-z"], "list the untracked files"),
      ]);
      return [...new Set([...nulSeparated(changed), ...nulSeparated(untracked)])].sort();
    },
    async filesAt(commit, folder) {
      return nulSeparated(await run(["ls-tree", "--name-only", "-z", commit, "--", `${folder}/`], `list ${folder} at ${commit}`));
    },
    textAt: (commit, path) => run(["show", `${commit}:${path}`], `read ${path} at ${commit}`),
  };
}
