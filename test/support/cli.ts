/** Runs the built CLI as a user would: a separate node process, plain output, real exit codes. */
import { execa, type Options } from "execa";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const CLI = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

export async function runCli(args: string[], options: Options = {}) {
  const result = await execa("node", [CLI, ...args], {
    cwd: REPO_ROOT,
    reject: false,
    ...options,
    // CI is the runner's, not the command's: tests that mean CI say so.
    env: { NO_COLOR: "1", CI: undefined, ...options.env },
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}
