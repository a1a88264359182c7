/**
 * readStackOutputs / deployedStackOutputs, the functions other commands (render --from stack) call to
 * read deployed stacks: in this process, through the real Automation API and the stand-in `pulumi`.
 */
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { deployedStackOutputs, readStackOutputs } from "../../cli/deployed-outputs.js";
import { UserError } from "../../model/errors.js";
import { parseTenantText } from "../../model/tenant-text.js";
import { plannedOutputs } from "../../model/outputs.js";
import { REPO_ROOT, runCli } from "../support/cli.js";
import { fakePulumi } from "../support/fake-pulumi.js";
import { sampleSpec, toYaml } from "../support/specs.js";

const fake = fakePulumi();
const platform = parseTenantText(toYaml(sampleSpec()), "acme.yaml").platform;
const development = platform.environments.find((environment) => environment.name === "development")!;
const acme = { name: "acme", tenantsDir: resolve(REPO_ROOT, "stacks/tenants") };

beforeAll(async () => {
  fake.setOutputs("acme-development", plannedOutputs(platform, development));
  fake.setOutputs("acme-tools", { message: "not botinfra's outputs" });
  for (const env of ["development", "tools"]) {
    const result = await runCli(["up", "--tenant", "acme", "--env", env, "--yes"], { env: fake.env(), extendEnv: false });
    expect(result.exitCode).toBe(0);
  }
  // The functions read the backend and the CLI from this process's environment, as the CLI does: a
  // developer's, where the default local backend is allowed (in CI botinfra refuses it; the suite runs there too).
  Object.assign(process.env, fake.env());
  delete process.env.CI;
});

describe("reading deployed stacks", () => {
  it("reads an environment's outputs as StackOutputs", async () => {
    expect(await readStackOutputs(acme, "development")).toEqual(plannedOutputs(platform, development));
    expect(await deployedStackOutputs("acme-development")).toEqual(plannedOutputs(platform, development));
  });

  it("gives undefined for a stack that was never deployed", async () => {
    expect(await readStackOutputs(acme, "production")).toBeUndefined();
  });

  it("refuses outputs that are not botinfra's, naming the stack", async () => {
    await expect(deployedStackOutputs("acme-tools")).rejects.toThrow(UserError);
    await expect(deployedStackOutputs("acme-tools")).rejects.toThrow(/^stack acme-tools: its outputs are not botinfra's/);
  });

  it("refuses an environment the tenant does not have", async () => {
    await expect(readStackOutputs(acme, "staging")).rejects.toThrow('--env: found "staging"');
  });
});
