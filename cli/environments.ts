/** Which of a tenant's environments a command's `--env` names, for every command alike. */
import { UserError } from "../model/errors.js";
import type { Environment, Platform } from "../model/platform.js";

/** `--env all`: every environment, production last. */
export const ALL_ENVIRONMENTS = "all";

/**
 * No name: every environment, in spec order. `all` (for commands that change stacks): every one with
 * production moved last, so that a change meets every other environment before it meets production.
 * Otherwise the one named.
 */
export function selectEnvironments(platform: Platform, env: string | undefined, { allowAll = false } = {}): Environment[] {
  if (env === undefined) return platform.environments;
  if (allowAll && env === ALL_ENVIRONMENTS) {
    return [...platform.environments.filter((e) => !e.production), ...platform.environments.filter((e) => e.production)];
  }
  const found = platform.environments.find((e) => e.name === env);
  if (!found) {
    const allowed = [...(allowAll ? [ALL_ENVIRONMENTS] : []), ...platform.environments.map((e) => e.name)].join(", ");
    throw new UserError(`--env: found "${env}"; allowed: ${allowed} (the environments of tenant ${platform.tenant})`);
  }
  return [found];
}
