/** What each server runs, as Ansible sees it: a tier's roles and app variables, and the proxy's certificate source. */
import { HTTP_PORT, type Environment, type ServerGroup } from "../model/platform.js";
import type { NodeApp, Tls } from "../model/software.js";

/** The roles of a tier's playbook, in order: the Debian base, a stateful tier's data disk, then what the tier's role needs. */
export function tierRoles(tier: ServerGroup): string[] {
  const role = tier.software!.role;
  const base = tier.stateful ? ["debian_base", "data_disk"] : ["debian_base"];
  switch (role) {
    case "node_app":
      return [...base, "nodejs", "node_app"];
    case "none":
      return base;
    default:
      return [...base, role];
  }
}

/** The tier's variables for its role; an overlay role gets none (the overlay sets its own). */
export function softwareVars(tier: ServerGroup, environment: Environment): Record<string, unknown> {
  const app = tier.software!.app;
  if (app) return { node_app_name: tier.name, node_app_port: tier.port, ...nodeAppVars(app) };
  if (tier.software!.role === "postgresql") {
    return { postgresql_port: tier.port, postgresql_client_cidrs: [environment.cidr], postgresql_replication_cidrs: [tier.subnet?.cidr ?? environment.cidr] };
  }
  return {};
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

/** The proxy's certificate source for its role: ACME (with the environment's other proxies to relay challenges), files, or none. */
export function proxyTlsVars(tls: Tls, peerAddresses: string[]): Record<string, unknown> {
  switch (tls.kind) {
    case "acme":
      return {
        nginx_proxy_acme_email: tls.email,
        nginx_proxy_acme_directory: tls.directory,
        nginx_proxy_acme_peers: peerAddresses.length > 1 ? peerAddresses.map((address) => `${address}:${HTTP_PORT}`) : [],
      };
    case "files":
      return { nginx_proxy_tls_certificate_file: tls.certificate, nginx_proxy_tls_key_file: tls.key };
    case "self-signed":
      return {};
  }
}
