import { describe, expect, it } from "vitest";
import { selectEnvironments } from "../../cli/environments.js";
import { UserError } from "../../model/errors.js";
import { parseTenantText } from "../../model/tenant-text.js";
import { thrownBy } from "../support/errors.js";
import { sampleSpec, toYaml } from "../support/specs.js";

const acme = parseTenantText(toYaml(sampleSpec()), "acme.yaml").platform;
const thrown = (run: () => unknown) => thrownBy(UserError, run);

describe("selectEnvironments", () => {
  it("takes every environment in spec order when none is named", () => {
    expect(selectEnvironments(acme, undefined).map((e) => e.name)).toEqual(["production", "development", "tools"]);
  });

  it("takes every environment with --env all where allowed, production last and the others in spec order", () => {
    // The sample lists production first: ordering must not follow the file.
    expect(selectEnvironments(acme, "all", { allowAll: true }).map((e) => e.stack)).toEqual(["acme-development", "acme-tools", "acme-production"]);
  });

  it("takes one named environment", () => {
    expect(selectEnvironments(acme, "tools").map((e) => e.stack)).toEqual(["acme-tools"]);
  });

  it("refuses an unknown environment, naming the allowed ones (exit 2)", () => {
    const error = thrown(() => selectEnvironments(acme, "staging", { allowAll: true }));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('--env: found "staging"; allowed: all, production, development, tools (the environments of tenant acme)');
    expect(thrown(() => selectEnvironments(acme, "all")).message).toBe('--env: found "all"; allowed: production, development, tools (the environments of tenant acme)');
  });
});
