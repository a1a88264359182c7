/** What each tier runs, rendered: the roles of its playbook, its app's variables, and the rollback playbook. */
import { beforeAll, describe, expect, it } from "vitest";
import { PLAYBOOK_ROLLBACK, renderProject, type RenderedFile } from "../../ansible/render.js";
import { readRoleFiles } from "../../ansible/roles.js";
import { proxyTlsVars } from "../../ansible/software.js";
import { ROLES_DIR } from "../../cli/render-run.js";
import { buildPlatform, type Platform } from "../../model/platform.js";
import type { TenantSpec } from "../../model/spec.js";
import { parseRendered, plannedFor, sampleOverlay } from "../support/ansible.js";
import { sampleSpec } from "../support/specs.js";

const roles = readRoleFiles(ROLES_DIR);
const overlay = sampleOverlay();

function render(mutate: (spec: TenantSpec) => void, extraFiles: RenderedFile[] = []): RenderedFile[] {
  const spec = sampleSpec();
  mutate(spec);
  const built = buildPlatform(spec);
  if (!built.platform) throw new Error(JSON.stringify(built.issues));
  const platform: Platform = built.platform;
  return renderProject(platform, plannedFor(platform), { source: "plan", roles, overlay: { ...overlay, files: [...overlay.files, ...extraFiles] } }).files;
}

function yamlOf(files: RenderedFile[], path: string): unknown {
  const file = files.find((candidate) => candidate.path === path);
  if (!file) throw new Error(`no rendered ${path}`);
  return parseRendered(file.content);
}

const playRoles = (files: RenderedFile[], playbook: string) => (yamlOf(files, `playbooks/${playbook}.yml`) as { roles: { role: string }[] }[])[0]!.roles.map((role) => role.role);

// Rendered in beforeAll, not while the file is collected: mutation testing switches a mutant on in
// beforeAll, so a project rendered before that would never show it.
describe("each tier's software", () => {
  let files: RenderedFile[];
  beforeAll(() => {
    files = render((spec) => {
      const production = spec.environments.production!.tiers;
      Object.assign(production.front!, { app: { repo: "https://git.example.com/bots/front.git", ref: "v1.2.0", env: { LOG_LEVEL: "info" }, secrets: ["BOT_TOKEN"] } });
      Object.assign(production.api!, { app: { tarball: "https://releases.example.com/api.tgz", sha256: "b".repeat(64), script: "dist/main.js" } });
      Object.assign(production.nlp!, { role: "none" });
      Object.assign(production.db!, { role: "postgresql" });
    });
  });

  it("gives each tier the roles its role needs, after the Debian base", () => {
    expect(playRoles(files, "front-production")).toEqual(["debian_base", "nodejs", "node_app"]);
    expect(playRoles(files, "nlp-production")).toEqual(["debian_base"]);
    expect(playRoles(files, "db-production")).toEqual(["debian_base", "data_disk", "postgresql"]);
  });

  it("gives a node_app tier its source, script, environment and secret names, never a secret's value", () => {
    expect(yamlOf(files, "inventory/group_vars/front_production.yml")).toMatchObject({
      node_app_name: "front",
      node_app_port: 3000,
      node_app_repo: "https://git.example.com/bots/front.git",
      node_app_version: "v1.2.0",
      node_app_script: "index.js",
      node_app_env: { LOG_LEVEL: "info" },
      node_app_secret_names: ["BOT_TOKEN"],
    });
    const api = yamlOf(files, "inventory/group_vars/api_production.yml") as Record<string, unknown>;
    expect(api).toMatchObject({ node_app_tarball_url: "https://releases.example.com/api.tgz", node_app_tarball_sha256: "b".repeat(64), node_app_script: "dist/main.js" });
    expect(api).not.toHaveProperty("node_app_repo");
  });

  it("gives a tier that runs no app no app variables, and postgresql's only to a postgresql tier", () => {
    const roleVars = (group: string) => Object.keys(yamlOf(files, `inventory/group_vars/${group}.yml`) as object).filter((key) => /^(node_app|postgresql)_/.test(key));
    expect(roleVars("db_production")).toEqual(["postgresql_port", "postgresql_client_cidrs", "postgresql_replication_cidrs"]);
    // No role, and a role of the overlay's (which sets its own variables).
    for (const group of ["nlp_production", "gitlab_tools", "runner_tools"]) expect(roleVars(group)).toEqual([]);
  });

  it("rolls back exactly the node_app tiers of every environment", () => {
    const [play] = yamlOf(files, PLAYBOOK_ROLLBACK) as { hosts: string; tasks: { "ansible.builtin.include_role": unknown }[] }[];
    expect(play!.hosts.split(":")).toEqual(["front_production", "api_production", "ml_production", "front_development", "api_development"]);
    expect(play!.tasks[0]!["ansible.builtin.include_role"]).toEqual({ name: "node_app", tasks_from: "rollback.yml" });
  });
});

describe("each environment's certificate source, for the proxy role", () => {
  let files: RenderedFile[];
  beforeAll(() => {
    files = render((spec) => {
      spec.tls = { acme: { email: "ops@acme.example.com" } };
      spec.environments.tools!.tls = { certificate: "tools.crt", key: "tools.key" };
    }, [
      { path: "files/tools.crt", content: "-----BEGIN CERTIFICATE-----\n" },
      { path: "files/tools.key", content: "$ANSIBLE_VAULT;1.1;AES256\n6162\n" },
    ]);
  });
  const proxyVars = (environment: string) => yamlOf(files, `inventory/group_vars/proxy_${environment}.yml`) as Record<string, unknown>;

  it("asks ACME for every public host name, relaying challenges to the other proxies where there are several", () => {
    expect(proxyVars("production")).toMatchObject({
      nginx_proxy_acme_email: "ops@acme.example.com",
      nginx_proxy_acme_directory: "https://acme-v02.api.letsencrypt.org/directory",
      nginx_proxy_acme_peers: ["10.20.0.5:80", "10.20.0.133:80"],
    });
    expect(proxyVars("development")).toMatchObject({ nginx_proxy_acme_peers: [] });
  });

  it("relays challenges only between two proxies or more: a lone proxy answers its own", () => {
    const acme = { kind: "acme", email: "ops@acme.example.com", directory: "https://acme.example.com/directory" } as const;
    expect(proxyTlsVars(acme, ["10.20.0.5"]).nginx_proxy_acme_peers).toEqual([]);
    expect(proxyTlsVars(acme, ["10.20.0.5", "10.20.0.133"]).nginx_proxy_acme_peers).toEqual(["10.20.0.5:80", "10.20.0.133:80"]);
  });

  it("serves the overlay's certificate files where the spec names them, and nothing else there", () => {
    expect(proxyVars("tools")).toMatchObject({ nginx_proxy_tls_certificate_file: "tools.crt", nginx_proxy_tls_key_file: "tools.key" });
    expect(Object.keys(proxyVars("tools")).filter((key) => key.startsWith("nginx_proxy_acme"))).toEqual([]);
  });
});

describe("the postgresql role's variables", () => {
  it("gives a postgresql tier its port, its environment's network as clients and its own subnet for replication", () => {
    const files = render(() => {});
    expect(playRoles(files, "db-production")).toEqual(["debian_base", "data_disk", "postgresql"]);
    expect(yamlOf(files, "inventory/group_vars/db_production.yml")).toMatchObject({
      postgresql_port: 5432,
      postgresql_client_cidrs: ["10.20.0.0/16"],
      postgresql_replication_cidrs: ["10.20.5.0/24"],
    });
  });
});
