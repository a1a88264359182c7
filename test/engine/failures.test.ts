import { describe, expect, it } from "vitest";
import { cliOutput, describeFailure, EngineFailure, redact } from "../../engine/failures.js";

const LOCKED = [
  "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.",
  "  file:///home/ops/.botinfra/state/.pulumi/locks/organization/botinfra/acme-production/1f2e.json: created by ops@build-7 (pid 4242) at 2026-01-01T10:00:00Z",
].join("\n");

describe("describeFailure", () => {
  it("says a locked stack was left alone (exit 1), who holds the lock and how to release a stale one", () => {
    expect(describeFailure(new EngineFailure("locked", LOCKED, "acme-production"))).toEqual({
      message:
        "stack acme-production is locked by another update (ops@build-7 (pid 4242) at 2026-01-01T10:00:00Z); nothing was changed. Wait for that update to end; if none is running (it was killed), release the lock with `pulumi cancel --stack acme-production` against the same backend",
      exitCode: 1,
    });
  });

  it("says how to install a missing CLI (exit 3)", () => {
    const report = describeFailure(new EngineFailure("cli-missing", "Command failed with ENOENT: pulumi version\nspawn pulumi ENOENT"));
    expect(report.exitCode).toBe(3);
    expect(report.message).toContain("https://www.pulumi.com/docs/install/");
    expect(report.message).toContain("--install-pulumi");
  });

  it("passes on why a CLI version is refused (exit 3)", () => {
    const report = describeFailure(new EngineFailure("cli-version", "Minimum version requirement failed. The minimum CLI version requirement is 3.2.0-alpha, your current CLI version is v3.1.0."));
    expect(report).toMatchObject({ exitCode: 3, message: expect.stringContaining("your current CLI version is v3.1.0") as string });
  });

  it("turns the CLI's passphrase errors into the variables to set (exit 3)", () => {
    const missing = describeFailure(
      new EngineFailure(
        "command",
        'error: constructing secrets manager of type "passphrase": passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables',
        "acme-tools",
      ),
    );
    expect(missing).toEqual({
      message: "no passphrase for the stacks' secrets: set PULUMI_CONFIG_PASSPHRASE to it, or PULUMI_CONFIG_PASSPHRASE_FILE to a file holding it",
      exitCode: 3,
    });
    expect(describeFailure(new EngineFailure("command", "error: getting secrets manager: incorrect passphrase", "acme-tools"))).toMatchObject({
      exitCode: 3,
      message: expect.stringContaining("does not decrypt acme-tools's secrets") as string,
    });
  });

  it("prefers the engine's errors to the CLI's 'update failed' (exit 1)", () => {
    const failure = new EngineFailure("command", "error: update failed", "acme-tools");
    expect(describeFailure(failure)).toEqual({ message: "acme-tools failed: error: update failed", exitCode: 1 });
    expect(describeFailure(failure, [], ["acme-tools-net: address overlaps", "update failed"])).toEqual({
      message: "acme-tools failed: acme-tools-net: address overlaps\n  update failed",
      exitCode: 1,
    });
  });

  it("redacts secrets from the engine's errors too", () => {
    const failure = new EngineFailure("command", "error: update failed", "acme-tools");
    expect(describeFailure(failure, ["hunter2"], ["acme-tools-db: password hunter2 was refused"])).toEqual({
      message: "acme-tools failed: acme-tools-db: password [secret] was refused",
      exitCode: 1,
    });
  });

  it("names a stack that is not in the backend", () => {
    expect(describeFailure(new EngineFailure("stack-not-found", "error: no stack named 'acme-tools' found", "acme-tools")).message).toMatch(
      /^stack acme-tools does not exist in this backend/,
    );
  });

  it("never shows the command line the SDK puts in front of the CLI's output, nor a secret value", () => {
    const output = "Command failed with exit code 255: /usr/bin/pulumi config set-all --stack s --secret botinfra:db=hunter2\nerror: could not save hunter2";
    const { message } = describeFailure(new EngineFailure("command", output, "s"), ["hunter2"]);
    expect(message).toBe("s failed: error: could not save [secret]");
  });
});

describe("redact and cliOutput", () => {
  it("hides the longest secrets first", () => {
    expect(redact("a=abc b=abcdef", ["abc", "abcdef"])).toBe("a=[secret] b=[secret]");
    expect(redact("nothing to hide", [""])).toBe("nothing to hide");
  });

  it("keeps the CLI's own lines, without blank lines or colour directives", () => {
    expect(cliOutput("Command failed with exit code 255: pulumi up --stack s\n\n<{%fg 1%}>error:<{%reset%}> boom  \n")).toBe("error: boom");
  });
});
