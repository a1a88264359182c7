/** The tenant overlay merged by the pure renderer: user values over role defaults, never over what botinfra renders. */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import type { Overlay } from "../../ansible/overlay.js";
import { PLAYBOOK_SITE, renderProject, type RenderedFile } from "../../ansible/render.js";
import { readOverlay, readRoleFiles } from "../../ansible/roles.js";
import { ROLES_DIR } from "../../cli/render-run.js";
import { UserError } from "../../model/errors.js";
import { buildPlatform, type Platform } from "../../model/platform.js";
import type { TenantSpec } from "../../model/spec.js";
import { plannedFor, sampleOverlay } from "../support/ansible.js";
import { thrownBy } from "../support/errors.js";
import { sampleSpec } from "../support/specs.js";

const roles = readRoleFiles(ROLES_DIR);
const sample = sampleOverlay();

function platformOf(mutate: (spec: TenantSpec) => void = () => {}): Platform {
  const spec = sampleSpec();
  mutate(spec);
  const built = buildPlatform(spec);
  if (!built.platform) throw new Error(JSON.stringify(built.issues));
  return built.platform;
}

function render(extra: RenderedFile[], platform = platformOf()): RenderedFile[] {
  // A folder holds one file a path: an extra file replaces the sample's of the same path.
  const kept = sample.files.filter((file) => !extra.some((added) => added.path === file.path));
  const overlay: Overlay = { source: "tenants/acme", files: [...kept, ...extra] };
  return renderProject(platform, plannedFor(platform), { source: "plan", roles, overlay }).files;
}

const contentOf = (files: RenderedFile[], path: string) => files.find((file) => file.path === path)?.content;
const refusal = (extra: RenderedFile[], platform?: Platform) => thrownBy(UserError, () => render(extra, platform)).message;

/** A value of `ansible-vault encrypt_string`, as it sits under a key two spaces in. */
const VAULTED = `!vault |
    $ANSIBLE_VAULT;1.1;AES256
    62313365396662343061393464336163383764373764613633653634306231386433626436623361
`;

describe("the tenant overlay", () => {
  it("adds the overlay's group vars, roles and files to the project as they are", () => {
    const files = render([{ path: "files/banner.txt", content: "hello\n" }]);
    for (const file of sample.files.filter((candidate) => !candidate.path.startsWith("group_vars/"))) expect(contentOf(files, file.path)).toBe(file.content);
    // The overlay's values are data, as botinfra's are: tagged !unsafe, comments kept.
    expect(contentOf(files, "inventory/group_vars/proxy.yml")).toBe(contentOf(sample.files, "group_vars/proxy.yml")!.replace(": 20m", ": !unsafe 20m"));
    expect(contentOf(files, "files/banner.txt")).toBe("hello\n");
  });

  it("appends the overlay's variables to the vars botinfra renders for the same group, vaulted values kept vaulted", () => {
    const files = render([{ path: "group_vars/front_production.yml", content: `---\nnode_app_keep_releases: 2\nbanner: "{{ lookup('pipe', 'id') }}"\nnode_app_secrets:\n  BOT_TOKEN: ${VAULTED}` }]);
    const text = contentOf(files, "inventory/group_vars/front_production.yml")!;
    // A user's value is data, never a template.
    expect(text).toContain(`banner: !unsafe "{{ lookup('pipe', 'id') }}"`);
    expect(text).toContain("# From the tenant overlay (tenants/acme):\nnode_app_keep_releases: 2");
    expect(text).toContain("BOT_TOKEN: !vault |\n    $ANSIBLE_VAULT;1.1;AES256");
    const vars = parse(text, { version: "1.1", logLevel: "silent" }) as Record<string, unknown>;
    expect(vars).toMatchObject({ node_app_name: "front", node_app_port: 3000, botinfra_tier: "front", node_app_keep_releases: 2 });
  });

  it("keeps every string botinfra renders tagged !unsafe in a vars file the overlay appends to", () => {
    const path = "inventory/group_vars/front_production.yml";
    const alone = contentOf(render([]), path)!;
    const merged = contentOf(render([{ path: "group_vars/front_production.yml", content: "---\nnode_app_keep_releases: 2\n" }]), path)!;
    const tagged = (text: string) => text.split("\n").filter((line) => line.includes("!unsafe"));
    expect(tagged(alone).length).toBeGreaterThan(0);
    expect(tagged(merged)).toEqual(tagged(alone));
    expect(merged.startsWith(alone.trimEnd())).toBe(true);
  });

  it("imports the overlay's playbooks from site.yml, after botinfra's", () => {
    const files = render([{ path: "playbooks/backup.yml", content: "---\n- name: Back up\n  hosts: db\n  tasks: []\n" }]);
    expect(contentOf(files, "playbooks/tenant/backup.yml")).toContain("Back up");
    const site = parse(contentOf(files, PLAYBOOK_SITE)!) as { "ansible.builtin.import_playbook": string }[];
    expect(site.at(-1)).toEqual({ name: "Run the tenant's tenant/backup.yml", "ansible.builtin.import_playbook": "tenant/backup.yml" });
  });

  it.each([
    ["a firewall rule", "group_vars/front.yml", "debian_base_firewall_rules: []\n", /tenants\/acme\/group_vars\/front\.yml: debian_base_firewall_rules: botinfra sets it from the spec and the plan/],
    ["an upstream", "group_vars/proxy_production.yml", "nginx_proxy_upstreams: []\n", /nginx_proxy_upstreams: botinfra sets it/],
    ["the app's port", "group_vars/all.yml", "node_app_port: 80\n", /group_vars\/all\.yml: node_app_port: botinfra sets it/],
    ["a server's address", "host_vars/acme-production-front-1.yml", "ansible_host: 192.0.2.1\n", /host_vars\/acme-production-front-1\.yml: ansible_host: botinfra sets it/],
    ["a botinfra_ variable", "group_vars/front.yml", "botinfra_public_hosts: [evil.example.com]\n", /botinfra_public_hosts: botinfra sets it/],
  ])("refuses to override %s, naming the file and the variable", (_what, path, content, message) => {
    expect(refusal([{ path, content: `---\n${content}` }])).toMatch(message);
  });

  it.each([
    ["a whole vaulted vars file", "group_vars/front.yml", "$ANSIBLE_VAULT;1.1;AES256\n6162\n", /group_vars\/front\.yml: is a vaulted file, whose variable names botinfra cannot check; allowed: plain YAML with vaulted values/],
    ["vars of an unknown group", "group_vars/frontend.yml", "---\na: 1\n", /group_vars\/frontend\.yml: is not a vars file of a group of this tenant \(.*front.*\)/],
    ["vars of an unknown server", "host_vars/web-1.yml", "---\na: 1\n", /host_vars\/web-1\.yml: is not a vars file of a server of this tenant/],
    ["vars that are not a mapping", "group_vars/front.yml", "---\n- a\n", /group_vars\/front\.yml: is not a mapping of variable names to values/],
    ["vars that are a lone value", "group_vars/front.yml", "---\nfront\n", /group_vars\/front\.yml: is not a mapping of variable names to values/],
    ["vars that are not YAML", "group_vars/front.yml", "a: [\n", /group_vars\/front\.yml:2:1: is not valid YAML/],
    ["a role of botinfra's name", "roles/node_app/tasks/main.yml", "---\n[]\n", /roles\/node_app\/tasks\/main\.yml: the role node_app is botinfra's/],
    ["a playbook in a subfolder", "playbooks/x/y.yml", "---\n[]\n", /playbooks\/x\/y\.yml: allowed: playbooks\/<name>\.yml/],
    ["an unknown folder", "inventory/hosts.yml", "---\n{}\n", /tenants\/acme\/inventory\/hosts\.yml: is not part of an overlay; allowed: group_vars\/, host_vars\/, roles\/, playbooks\/, files\//],
  ])("refuses %s", (_what, path, content, message) => {
    expect(refusal([{ path, content }])).toMatch(message);
  });

  it("refuses a tier role the overlay does not provide, and a certificate key kept in clear", () => {
    expect(refusal([{ path: "group_vars/db.yml", content: "---\na: 1\n" }, { path: "group_vars/db.yaml", content: "---\nb: 2\n" }])).toBe(
      "tenants/acme/group_vars/db.yml: holds vars of db, as tenants/acme/group_vars/db.yaml does; allowed: one vars file for each name",
    );
    expect(refusal([{ path: "host_vars/acme-production-db-1.yaml", content: "---\na: 1\n" }, { path: "host_vars/acme-production-db-1.yml", content: "---\nb: 2\n" }])).toMatch(
      /host_vars\/acme-production-db-1\.yml: holds vars of acme-production-db-1, as .*host_vars\/acme-production-db-1\.yaml does/,
    );
    expect(refusal([], platformOf((spec) => Object.assign(spec.environments.production!.tiers.ml!, { role: "gpu_worker" })))).toBe(
      'environments.production.tiers.ml.role: "gpu_worker" is not botinfra\'s and tenants/acme has no roles/gpu_worker/tasks/main.yml',
    );
    const withFiles = platformOf((spec) => (spec.tls = { certificate: "acme.crt", key: "acme.key" }));
    expect(refusal([{ path: "files/acme.crt", content: "cert" }], withFiles)).toBe("tls.key: tenants/acme has no files/acme.key");
    expect(refusal([{ path: "files/acme.crt", content: "cert" }, { path: "files/acme.key", content: "-----BEGIN PRIVATE KEY-----\n" }], withFiles)).toMatch(
      /^tls\.key: tenants\/acme\/files\/acme\.key is not Ansible Vault encrypted/,
    );
  });

  it("is read from regular files only: a link, a missing named folder or a file is refused; a missing default is no overlay", () => {
    const dir = mkdtempSync(join(tmpdir(), "botinfra-overlay-"));
    mkdirSync(join(dir, "group_vars"));
    writeFileSync(join(dir, "group_vars", "all.yml"), "---\na: 1\n");
    expect(readOverlay(dir, true)!.files).toEqual([{ path: "group_vars/all.yml", content: "---\na: 1\n" }]);
    symlinkSync("/etc/passwd", join(dir, "files"));
    expect(thrownBy(UserError, () => readOverlay(dir, true)).message).toMatch(/\/files: is not a regular file \(a link\?\); allowed: files and folders only$/);
    expect(readOverlay(join(dir, "absent"), false)).toBeUndefined();
    expect(thrownBy(UserError, () => readOverlay(join(dir, "absent"), true)).message).toMatch(/^overlay: .*absent does not exist/);
    expect(thrownBy(UserError, () => readOverlay(join(dir, "group_vars", "all.yml"), true)).message).toMatch(/is not a folder$/);
  });

  it("is read in byte-wise path order, not folder by folder", () => {
    const dir = mkdtempSync(join(tmpdir(), "botinfra-overlay-"));
    // Folder by folder, roles/web/ would come before roles/web-extra/ ('-' sorts before '/').
    const paths = ["files/motd", "group_vars/all.yml", "roles/web-extra/tasks/main.yml", "roles/web/tasks/main.yml"];
    for (const path of paths) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), "---\n");
    }
    expect(readOverlay(dir, true)!.files.map((file) => file.path)).toEqual(paths);
  });
});

describe("the overlay's vars, playbooks and roles, where the project renders some environments", () => {
  const platform = platformOf();
  /** Production alone: the overlay is checked against the whole tenant, written where the project has the group or server. */
  function renderProduction(extra: RenderedFile[]): RenderedFile[] {
    // A folder holds one file a path: an extra file replaces the sample's of the same path.
  const kept = sample.files.filter((file) => !extra.some((added) => added.path === file.path));
  const overlay: Overlay = { source: "tenants/acme", files: [...kept, ...extra] };
    return renderProject(platform, plannedFor(platform, [platform.environments[0]!]), { source: "plan", roles, overlay }).files;
  }
  const refusalOf = (extra: RenderedFile[]) => thrownBy(UserError, () => renderProduction(extra)).message;

  it("writes the vars of the rendered groups and servers, checks those of the others and leaves them out", () => {
    const files = renderProduction([
      { path: "group_vars/all.yml", content: "---\nacme_contact: ops@acme.example.com\n" },
      { path: "group_vars/production.yml", content: "---\nacme_stage: live\n" },
      { path: "group_vars/development.yml", content: "---\nacme_stage: trial\n" },
      // Without a document start: the written file has one, like every vars file.
      { path: "host_vars/acme-production-front-1.yml", content: "acme_canary: true\n" },
      { path: "host_vars/acme-development-front-1.yml", content: "---\nacme_canary: false\n" },
    ]);
    expect(contentOf(files, "inventory/group_vars/all.yml")).toBe("---\nacme_contact: !unsafe ops@acme.example.com\n");
    expect(contentOf(files, "inventory/group_vars/production.yml")).toMatch(/\n# From the tenant overlay \(tenants\/acme\):\nacme_stage: !unsafe live\n$/);
    expect(files.filter((file) => file.path.startsWith("inventory/host_vars/"))).toEqual([{ path: "inventory/host_vars/acme-production-front-1.yml", content: "---\nacme_canary: true\n" }]);
    expect(contentOf(files, "inventory/group_vars/development.yml")).toBeUndefined();
    expect(refusalOf([{ path: "group_vars/development.yml", content: "---\nnode_app_port: 80\n" }])).toBe(
      "tenants/acme/group_vars/development.yml: node_app_port: botinfra sets it from the spec and the plan; allowed: any variable botinfra does not render (change the spec for this one)",
    );
  });

  it("appends the overlay's variables as written: the comment once, YAML 1.1 booleans and numbers untagged, long values unfolded", () => {
    const banner = `Welcome to ACME's bots, ${"and more ".repeat(10)}end`;
    const files = renderProduction([{ path: "group_vars/front_production.yml", content: `---\nacme_feature: yes\nacme_mode: 0644\nacme_banner: ${banner}\n` }]);
    const text = contentOf(files, "inventory/group_vars/front_production.yml")!;
    expect(text.slice(text.indexOf("  - !unsafe BOT_TOKEN\n"))).toBe(
      `  - !unsafe BOT_TOKEN\n# From the tenant overlay (tenants/acme):\nacme_feature: yes\nacme_mode: 0644\nacme_banner: !unsafe ${banner}\n`,
    );
  });

  it.each([
    ["an empty file", ""],
    ["a document start and comments only", "---\n# Nothing of ours yet.\n"],
  ])("takes %s as no variables", (_what, content) => {
    const path = "inventory/group_vars/front_production.yml";
    expect(contentOf(renderProduction([{ path: "group_vars/front_production.yml", content }]), path)).toBe(contentOf(renderProduction([]), path));
  });

  it("merges vaulted values without a YAML warning", () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    try {
      renderProduction([{ path: "group_vars/front_production.yml", content: `---\nnode_app_secrets:\n  BOT_TOKEN: ${VAULTED}` }]);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it.each([
    ["an editor's backup of a vars file", "group_vars/front.yml~"],
    ["vars in a subfolder", "group_vars/extra/front.yml"],
    ["vars in a group's folder", "group_vars/front/.yml"],
  ])("refuses %s, naming the groups allowed", (_what, path) => {
    expect(refusalOf([{ path, content: "---\nacme_stage: live\n" }])).toBe(
      `tenants/acme/${path}: is not a vars file of a group of this tenant (acme, all, api, api_development, api_production, db, db_production, development, front, front_development, front_production, gitlab, gitlab_tools, ml, ml_production, nlp, nlp_production, production, proxy, proxy_development, proxy_production, proxy_tools, runner, runner_tools, tools); allowed: group_vars/<name>.yml`,
    );
  });

  it.each([
    ["repeats a variable", "acme_stage: live\nacme_stage: trial\n", "2:1: is not valid YAML: Map keys must be unique"],
    ["is not YAML", "acme_hosts: [\n", "2:1: is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]"],
    ["is not YAML after a first line", "acme_stage: live\nacme_hosts: a: b\n", "2:13: is not valid YAML: Nested mappings are not allowed in compact mappings"],
  ])("refuses a vars file that %s, with the parser's sentence at its line and column", (_what, content, error) => {
    expect(refusalOf([{ path: "group_vars/front.yml", content }])).toBe(`tenants/acme/group_vars/front.yml:${error}`);
  });

  it.each(["playbooks/notes.txt", "playbooks/my backup.yml", "playbooks/backup.yml~"])("refuses %s: a playbook's name is plain", (path) => {
    expect(refusalOf([{ path, content: "---\n[]\n" }])).toBe(`tenants/acme/${path}: allowed: playbooks/<name>.yml, directly in playbooks/`);
  });

  it("imports the overlay's playbooks in name order, and none where it has none", () => {
    const imports = (files: RenderedFile[]) => (parse(contentOf(files, PLAYBOOK_SITE)!) as { "ansible.builtin.import_playbook": string }[]).map((entry) => entry["ansible.builtin.import_playbook"]);
    const botinfras = ["proxy.yml", "front-production.yml", "api-production.yml", "nlp-production.yml", "ml-production.yml", "db-production.yml"];
    expect(imports(renderProduction([]))).toEqual(botinfras);
    const play = "---\n- name: Tenant play\n  hosts: all\n  tasks: []\n";
    const files = renderProduction([{ path: "playbooks/zz-report.yml", content: play }, { path: "playbooks/backup.yml", content: play }]);
    expect(imports(files)).toEqual([...botinfras, "tenant/backup.yml", "tenant/zz-report.yml"]);
  });

  it("takes a role of any name botinfra does not ship, even a name the project uses for a folder", () => {
    const files = renderProduction([{ path: "roles/group_vars/tasks/main.yml", content: "---\n[]\n" }]);
    expect(contentOf(files, "roles/group_vars/tasks/main.yml")).toBe("---\n[]\n");
  });

  it("takes a vaulted certificate key", () => {
    const withFiles = platformOf((spec) => (spec.tls = { certificate: "acme.crt", key: "acme.key" }));
    const files = render([{ path: "files/acme.crt", content: "cert" }, { path: "files/acme.key", content: "$ANSIBLE_VAULT;1.1;AES256\n6162\n" }], withFiles);
    expect(contentOf(files, "files/acme.key")).toBe("$ANSIBLE_VAULT;1.1;AES256\n6162\n");
  });
});
