/** Tenant specs for tests, built in memory from the shipped sample so they stay valid as it evolves. */
import { readFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import { SpecError } from "../../model/errors.js";
import { buildPlatform, type Platform } from "../../model/platform.js";
import type { TenantSpec } from "../../model/spec.js";
import { parseTenantText } from "../../model/tenant-text.js";
import { REPO_ROOT } from "./cli.js";

export function sampleSpec(name = "acme"): TenantSpec {
  return parse(readFileSync(`${REPO_ROOT}stacks/tenants/${name}.yaml`, "utf8")) as TenantSpec;
}

/** The model of a spec that must be valid; throws with its issues otherwise. */
export function platformOf(spec: TenantSpec): Platform {
  const built = buildPlatform(spec);
  if (!built.platform) throw new Error(JSON.stringify(built.issues));
  return built.platform;
}

export const VALID_SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJE5Eo5AGXTotl9+mE98fz/9CI+nehkqRQEo3YGYamBj ops@acme";

export function toYaml(spec: unknown): string {
  return stringify(spec);
}

/** The message a sample spec changed by `mutate` is refused with (as file t.yaml); throws when it is accepted. */
export function specRefusal<S extends TenantSpec = TenantSpec>(mutate: (spec: S) => void, base: () => TenantSpec = sampleSpec): string {
  const spec = base() as S;
  mutate(spec);
  try {
    parseTenantText(toYaml(spec), "t.yaml");
  } catch (error) {
    if (error instanceof SpecError) return error.message;
    throw error;
  }
  throw new Error("expected the spec to be refused");
}
