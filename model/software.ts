/**
 * What runs on each server, in the model: a tier's role (and, for node_app, its app), and each
 * environment's certificate source. Pure; the spec's single fields are already checked by zod,
 * this checks the rules that span fields.
 */
import { TIER_ROLES, type AppSpec, type TlsSpec } from "./software-spec.js";

type Report = (path: (string | number)[], message: string) => void;

export type AppSource = { kind: "git"; repo: string; ref: string } | { kind: "tarball"; url: string; sha256: string };

export interface NodeApp {
  /** Absent: no code is deployed and the app's service stays stopped (servers are ready for it). */
  source?: AppSource;
  script: string;
  env: Record<string, string>;
  /** Names of secret environment variables: values come from the overlay's vault or the configure run's environment. */
  secrets: string[];
}

export interface TierSoftware {
  /** node_app, postgresql, none, or a role of the tenant overlay. */
  role: string;
  /** Set when the role is not botinfra's: the overlay must provide it. */
  overlayRole: boolean;
  app?: NodeApp;
}

/** Where the proxies' certificate comes from. */
export type Tls =
  | { kind: "self-signed" }
  | { kind: "acme"; email: string; directory: string }
  /** Files in the tenant overlay's files/; the key is Ansible Vault encrypted. */
  | { kind: "files"; certificate: string; key: string };

export const LETS_ENCRYPT_DIRECTORY = "https://acme-v02.api.letsencrypt.org/directory";
/** Roles every rendered project has for its own use: a tenant role may not take their names. */
export const RESERVED_ROLE_NAMES = ["debian_base", "nodejs", "nginx_proxy", "data_disk"] as const;
export const DEFAULT_APP_SCRIPT = "index.js";
export const DEFAULT_APP_REF = "main";

export function tierSoftware(tier: { role?: string | undefined; app?: AppSpec | undefined }, stateful: boolean, path: (string | number)[], report: Report): TierSoftware {
  const role = tier.role ?? (stateful ? "none" : "node_app");
  if ((RESERVED_ROLE_NAMES as readonly string[]).includes(role)) {
    report([...path, "role"], `found "${role}", a role botinfra applies itself; allowed: ${TIER_ROLES.join(", ")} or a role of the tenant overlay`);
  }
  const overlayRole = !(TIER_ROLES as readonly string[]).includes(role);
  if (tier.app !== undefined && role !== "node_app") {
    report([...path, "app"], `is only for the node_app role; this tier's role is ${role}`);
  }
  if (role !== "node_app") return { role, overlayRole };
  return { role, overlayRole, app: nodeApp(tier.app ?? {}, [...path, "app"], report) };
}

function nodeApp(app: AppSpec, path: (string | number)[], report: Report): NodeApp {
  const source = appSource(app, path, report);
  const env = app.env ?? {};
  const secrets = [...new Set(app.secrets ?? [])];
  for (const name of secrets) {
    if (name in env) report([...path, "secrets"], `names ${name}, which env sets in clear too; allowed: each variable in env or in secrets, not both`);
  }
  for (const name of ["PORT", "NODE_ENV"]) {
    if (name in env || secrets.includes(name)) report([...path, name in env ? "env" : "secrets"], `sets ${name}, which botinfra sets (the tier's port, production); allowed: any other name`);
  }
  return { ...(source ? { source } : {}), script: app.script ?? DEFAULT_APP_SCRIPT, env, secrets };
}

function appSource(app: AppSpec, path: (string | number)[], report: Report): AppSource | undefined {
  if (app.repo !== undefined && app.tarball !== undefined) {
    report(path, "has both repo and tarball; allowed: one source, a git repo (with ref) or a tarball (with sha256)");
    return undefined;
  }
  if (app.tarball !== undefined) {
    if (app.sha256 === undefined) report([...path, "sha256"], "is required with tarball: the SHA-256 the download must match");
    if (app.ref !== undefined) report([...path, "ref"], "is only for a git repo; a tarball is one release");
    return app.sha256 === undefined ? undefined : { kind: "tarball", url: app.tarball, sha256: app.sha256 };
  }
  if (app.sha256 !== undefined) report([...path, "sha256"], "is only for a tarball");
  if (app.repo === undefined) {
    if (app.ref !== undefined) report([...path, "ref"], "needs repo: the git repository to take it from");
    return undefined;
  }
  return { kind: "git", repo: app.repo, ref: app.ref ?? DEFAULT_APP_REF };
}

/** Checks one tls setting (the tenant's or an environment's, at `path`); absent is the self-signed fallback. */
export function resolveTls(tls: TlsSpec | undefined, path: (string | number)[], report: Report): Tls {
  if (tls === undefined) return { kind: "self-signed" };
  const files = tls.certificate !== undefined || tls.key !== undefined;
  if (tls.acme !== undefined && files) {
    report(path, "has both acme and certificate/key; allowed: one source of certificates");
    return { kind: "self-signed" };
  }
  if (tls.acme !== undefined) return { kind: "acme", email: tls.acme.email, directory: tls.acme.directory ?? LETS_ENCRYPT_DIRECTORY };
  if (!files) {
    report(path, "is empty; allowed: acme, or certificate and key");
    return { kind: "self-signed" };
  }
  if (tls.certificate === undefined || tls.key === undefined) {
    report([...path, tls.certificate === undefined ? "certificate" : "key"], "is required with the other: a certificate and its key");
    return { kind: "self-signed" };
  }
  return { kind: "files", certificate: tls.certificate, key: tls.key };
}
