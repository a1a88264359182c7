/** What each tier runs, as Ansible sees it: the roles of its playbook and the variables they take from the spec. */
import type { ServerGroup } from "../model/platform.js";
import type { NodeApp } from "../model/software.js";

/** The roles of a tier's playbook, in order: the Debian base first, then what the tier's role needs. */
export function tierRoles(tier: ServerGroup): string[] {
  const role = tier.software!.role;
  switch (role) {
    case "node_app":
      return ["debian_base", "nodejs", "node_app"];
    case "none":
      return ["debian_base"];
    default:
      return ["debian_base", role];
  }
}

/** The tier's variables for its role; an overlay role gets none (the overlay sets its own). */
export function softwareVars(tier: ServerGroup): Record<string, unknown> {
  const app = tier.software!.app;
  return app ? { node_app_name: tier.name, node_app_port: tier.port, ...nodeAppVars(app) } : {};
}

function nodeAppVars(app: NodeApp): Record<string, unknown> {
  const source = app.source;
  return {
    ...(source?.kind === "git" ? { node_app_repo: source.repo, node_app_version: source.ref } : {}),
    ...(source?.kind === "tarball" ? { node_app_tarball_url: source.url, node_app_tarball_sha256: source.sha256 } : {}),
    node_app_script: app.script,
    node_app_env: app.env,
    node_app_secret_names: app.secrets,
  };
}
