/** The tenant overlay merged by the pure renderer: user values over role defaults, never over what botinfra renders. */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
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
  const overlay: Overlay = { source: "tenants/acme", files: [...sample.files, ...extra] };
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
    ["vars that are not YAML", "group_vars/front.yml", "a: [\n", /group_vars\/front\.yml: is not valid YAML/],
    ["a role of botinfra's name", "roles/node_app/tasks/main.yml", "---\n[]\n", /roles\/node_app\/tasks\/main\.yml: the role node_app is botinfra's/],
    ["a playbook in a subfolder", "playbooks/x/y.yml", "---\n[]\n", /playbooks\/x\/y\.yml: allowed: playbooks\/<name>\.yml/],
    ["an unknown folder", "inventory/hosts.yml", "---\n{}\n", /tenants\/acme\/inventory\/hosts\.yml: is not part of an overlay; allowed: group_vars\/, host_vars\/, roles\/, playbooks\/, files\//],
  ])("refuses %s", (_what, path, content, message) => {
    expect(refusal([{ path, content }])).toMatch(message);
  });

  it("refuses a tier role the overlay does not provide, and a certificate key kept in clear", () => {
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
});
