/**
 * The rendered project file by file: the fixed settings (ansible.cfg, .ansible-lint, .yamllint), the
 * playbooks, the inventory's comments, the group vars of each cloud's shape (subnets or none, private
 * DNS or none, egress through the proxy), and the refusals of outputs that do not match the spec.
 * Each test renders inside itself, so that what it asserts is what the renderer gives it.
 */
import { describe, expect, it } from "vitest";
import { renderProject, yamlFile, type RenderedFile } from "../../ansible/render.js";
import type { StackOutputs } from "../../model/outputs.js";
import type { Platform } from "../../model/platform.js";
import type { TenantSpec } from "../../model/spec.js";
import { parseRendered, plannedFor, sampleOverlay } from "../support/ansible.js";
import { platformOf } from "../support/plan.js";
import { sampleSpec } from "../support/specs.js";

const overlay = sampleOverlay();

function render(platform: Platform, outputs = plannedFor(platform), source: "plan" | "stack" = "plan") {
  return renderProject(platform, outputs, { source, roles: [], overlay: platform.tenant === "acme" ? overlay : { source: "overlay", files: [] } });
}

function fileOf(files: RenderedFile[], path: string): string {
  const file = files.find((candidate) => candidate.path === path);
  if (!file) throw new Error(`no rendered ${path}; have ${files.map((f) => f.path).join(", ")}`);
  return file.content;
}

function varsOf(files: RenderedFile[], path: string): Record<string, unknown> {
  return parseRendered(fileOf(files, path)) as Record<string, unknown>;
}

function commentsOf(text: string): string[] {
  return text.split("\n").filter((line) => line.startsWith("#"));
}

/** Outputs as a deployed stack gives them: every server's private address, proxies' public ones, private balancers'. */
function deployed(platform: Platform): Map<string, StackOutputs> {
  const outputs = plannedFor(platform);
  let next = 10;
  for (const each of outputs.values()) {
    each.hosts = each.hosts.map((host) => ({
      ...host,
      privateIp: host.privateIp ?? `10.99.0.${next++}`,
      ...(host.group === "proxy" ? { publicIp: `198.51.100.${next++}` } : {}),
    }));
    each.loadBalancers = each.loadBalancers.map((balancer) => (balancer.public ? balancer : { ...balancer, privateIp: balancer.privateIp ?? `10.99.1.${next++}` }));
  }
  return outputs;
}

function specWith(name: string, change: (spec: TenantSpec) => void): Platform {
  const spec = sampleSpec(name);
  change(spec);
  return platformOf(spec);
}

describe("the project's fixed files", () => {
  it("writes ansible.cfg, .ansible-lint and .yamllint with the settings a run relies on", () => {
    const { files } = render(platformOf(sampleSpec()));
    expect(fileOf(files, "ansible.cfg")).toBe(`# Rendered by botinfra for tenant acme: \`botinfra render\` replaces the files listed in .botinfra-manifest.json.
# Relative paths are relative to this file; run Ansible from this folder (botinfra configure does).

[defaults]
inventory = inventory
roles_path = roles
forks = 20
# Facts are gathered once and cached: later runs skip the gathering while the cache is fresh.
gathering = smart
fact_caching = jsonfile
fact_caching_connection = ~/.ansible/botinfra-facts/acme
fact_caching_timeout = 7200
interpreter_python = auto_silent
retry_files_enabled = false

[inventory]
# An inventory that fails to parse is an error, never an empty inventory.
unparsed_is_failed = true

[ssh_connection]
pipelining = true
ssh_args = -o ControlMaster=auto -o ControlPersist=120s -o ServerAliveInterval=30
`);
    expect(fileOf(files, ".ansible-lint")).toBe(`---
# ansible-lint settings for this project: the strictest profile, no network.
profile: production
offline: true
`);
    expect(fileOf(files, ".yamllint")).toBe(`---
# yamllint settings: the defaults, with the line length ansible-lint uses.
extends: default
rules:
  line-length:
    max: 160
  comments:
    min-spaces-from-content: 1
  comments-indentation: false
  braces:
    max-spaces-inside: 1
  octal-values:
    forbid-implicit-octal: true
    forbid-explicit-octal: true
`);
  });

  it("renders exactly these files for one environment: settings, inventory, group vars, playbooks, the overlay's", () => {
    const acme = platformOf(sampleSpec());
    const tools = acme.environments.find((environment) => environment.name === "tools")!;
    const { files } = render(acme, plannedFor(acme, [tools]));
    expect(files.map((file) => file.path)).toEqual([
      ".ansible-lint",
      ".yamllint",
      "ansible.cfg",
      "inventory/group_vars/acme.yml",
      "inventory/group_vars/gitlab_tools.yml",
      "inventory/group_vars/proxy.yml",
      "inventory/group_vars/proxy_tools.yml",
      "inventory/group_vars/runner_tools.yml",
      "inventory/group_vars/tools.yml",
      "inventory/hosts.yml",
      "playbooks/gitlab-tools.yml",
      "playbooks/proxy.yml",
      "playbooks/rollback.yml",
      "playbooks/runner-tools.yml",
      "playbooks/site.yml",
      "roles/docker_host/defaults/main.yml",
      "roles/docker_host/meta/main.yml",
      "roles/docker_host/tasks/main.yml",
    ]);
  });

  it("refuses, as an internal error, to render without the outputs of any environment", () => {
    const acme = platformOf(sampleSpec());
    expect(() => render(acme, new Map())).toThrow(/^internal: renderProject needs the outputs of at least one environment$/);
  });
});

describe("playbooks", () => {
  it("rolls the proxies one at a time and each tier half at a time, stopping at the first failure", () => {
    const { files } = render(platformOf(sampleSpec()));
    expect(fileOf(files, "playbooks/proxy.yml")).toBe(`---
# The reverse proxies of every environment, one at a time so that a balanced environment keeps serving.
- name: Configure the reverse proxies
  hosts: proxy
  become: true
  serial: 1
  max_fail_percentage: 0
  roles:
    - role: debian_base
    - role: nginx_proxy
`);
    expect(fileOf(files, "playbooks/db-production.yml")).toBe(`---
# Tier db of production (role postgresql): debian_base, data_disk, postgresql; half the servers at a time.
- name: Configure the db tier of production
  hosts: db_production
  become: true
  serial: 50%
  max_fail_percentage: 0
  roles:
    - role: debian_base
    - role: data_disk
      vars:
        data_disk_device: "{{ botinfra_data_disk.device }}"
        data_disk_mount_point: "{{ botinfra_data_disk.mount }}"
    - role: postgresql
`);
  });

  it("rolls back every node_app tier of every environment, and nothing where there is none", () => {
    const acme = platformOf(sampleSpec());
    expect(fileOf(render(acme).files, "playbooks/rollback.yml")).toBe(`---
# botinfra configure --rollback: the node_app tiers of tenant acme back to their previous release, half the servers at a time.
- name: Roll the apps back to their previous release
  hosts: front_production:api_production:nlp_production:ml_production:front_development:api_development
  become: true
  serial: 50%
  max_fail_percentage: 0
  tasks:
    - name: Switch the app back
      ansible.builtin.include_role:
        name: node_app
        tasks_from: rollback.yml
`);
    // The tools environment has a bare server and the overlay's docker_host: no app to roll back.
    const tools = acme.environments.find((environment) => environment.name === "tools")!;
    const [play] = parseRendered(fileOf(render(acme, plannedFor(acme, [tools])).files, "playbooks/rollback.yml")) as { hosts: string }[];
    expect(play!.hosts).toBe("!all");
  });

  it("imports the proxies first, then each tier of each environment, then the overlay's playbooks", () => {
    const acme = platformOf(sampleSpec());
    expect(fileOf(render(acme).files, "playbooks/site.yml")).toBe(`---
# Every server of tenant acme: the proxies first (they are the jump hosts), then each tier.
- name: Configure the reverse proxies
  ansible.builtin.import_playbook: proxy.yml
- name: Configure the front tier of production
  ansible.builtin.import_playbook: front-production.yml
- name: Configure the api tier of production
  ansible.builtin.import_playbook: api-production.yml
- name: Configure the nlp tier of production
  ansible.builtin.import_playbook: nlp-production.yml
- name: Configure the ml tier of production
  ansible.builtin.import_playbook: ml-production.yml
- name: Configure the db tier of production
  ansible.builtin.import_playbook: db-production.yml
- name: Configure the front tier of development
  ansible.builtin.import_playbook: front-development.yml
- name: Configure the api tier of development
  ansible.builtin.import_playbook: api-development.yml
- name: Configure the gitlab tier of tools
  ansible.builtin.import_playbook: gitlab-tools.yml
- name: Configure the runner tier of tools
  ansible.builtin.import_playbook: runner-tools.yml
`);
    const tools = acme.environments.find((environment) => environment.name === "tools")!;
    const withPlaybook = { ...overlay, files: [...overlay.files, { path: "playbooks/backup.yml", content: "---\n- name: Back up\n  hosts: db\n" }] };
    const { files } = renderProject(acme, plannedFor(acme, [tools]), { source: "plan", roles: [], overlay: withPlaybook });
    expect(fileOf(files, "playbooks/site.yml")).toBe(`---
# Every server of tenant acme: the proxies first (they are the jump hosts), then each tier, then the tenant overlay's playbooks.
- name: Configure the reverse proxies
  ansible.builtin.import_playbook: proxy.yml
- name: Configure the gitlab tier of tools
  ansible.builtin.import_playbook: gitlab-tools.yml
- name: Configure the runner tier of tools
  ansible.builtin.import_playbook: runner-tools.yml
- name: Run the tenant's tenant/backup.yml
  ansible.builtin.import_playbook: tenant/backup.yml
`);
  });
});

describe("the inventory's comments", () => {
  it("says where the addresses came from and lists the servers reached by name until the stacks are deployed", () => {
    const acme = platformOf(sampleSpec());
    expect(commentsOf(fileOf(render(acme).files, "inventory/hosts.yml"))).toEqual([
      "# Every server of tenant acme (azure westeurope), from the plan.",
      "# Groups: one per environment, per tier, per tier and environment (front_production), proxy, and the tenant above all.",
      "# Proxies are reached at their public address; every other server through its environment's first proxy.",
      "# Addresses the cloud assigns are not known yet, so these servers are reached by their inventory names:",
      "#   acme-production-proxy-1: public address",
      "#   acme-production-proxy-2: public address",
      "#   acme-development-proxy-1: public address",
      "#   acme-tools-proxy-1: public address",
      "# Run `botinfra render --from stack` once the stacks are deployed.",
    ]);
    expect(commentsOf(fileOf(render(acme, deployed(acme), "stack").files, "inventory/hosts.yml"))).toEqual([
      "# Every server of tenant acme (azure westeurope), from the deployed stacks' outputs.",
      "# Groups: one per environment, per tier, per tier and environment (front_production), proxy, and the tenant above all.",
      "# Proxies are reached at their public address; every other server through its environment's first proxy.",
    ]);
  });
});

describe("outputs that do not match the spec", () => {
  const acme = platformOf(sampleSpec());
  const refusal = (change: (outputs: StackOutputs) => void, source: "plan" | "stack" = "stack") => {
    const outputs = deployed(acme);
    change(outputs.get("production")!);
    return () => render(acme, outputs, source);
  };
  const tail = "; the stack does not match the spec: deploy the spec first, or render with --from plan";

  it("refuses outputs of another tenant, environment, stack or cloud, naming what they are for", () => {
    expect(refusal((outputs) => (outputs.tenant = "other"))).toThrow(
      `the outputs of stack acme-production: they are for tenant "other", environment "production", stack "acme-production"${tail}`,
    );
    expect(refusal((outputs) => (outputs.stack = "acme-staging"))).toThrow(
      `the outputs of stack acme-production: they are for tenant "acme", environment "production", stack "acme-staging"${tail}`,
    );
    expect(refusal((outputs) => (outputs.environment = "staging"), "plan")).toThrow(
      `the plan of acme-production: they are for tenant "acme", environment "staging", stack "acme-production"${tail}`,
    );
    expect(refusal((outputs) => (outputs.cloud = "aws"))).toThrow(`the outputs of stack acme-production: they are for cloud aws, the spec says azure${tail}`);
  });

  it("refuses outputs missing servers of the spec, or holding servers it does not have, naming them all", () => {
    expect(refusal((outputs) => (outputs.hosts = outputs.hosts.filter((host) => host.group !== "front")))).toThrow(
      `the outputs of stack acme-production: no server acme-production-front-1, acme-production-front-2 of that group${tail}`,
    );
    expect(refusal((outputs) => outputs.hosts.push({ name: "acme-production-old-1", group: "old" }, { name: "acme-production-old-2", group: "old" }))).toThrow(
      `the outputs of stack acme-production: servers acme-production-old-1, acme-production-old-2 are not in the spec${tail}`,
    );
  });
});

describe("Ansible group names", () => {
  const clash = (change: (spec: TenantSpec) => void) => {
    const platform = specWith("acme", change);
    return () => render(platform);
  };

  it("refuses a spec whose groups would merge, naming both owners", () => {
    expect(clash((spec) => (spec.tenant = "proxy"))).toThrow(
      'the Ansible group "proxy" would stand for both tenant proxy and the proxies; rename the tenant, an environment or a tier',
    );
    expect(clash((spec) => (spec.tenant = "front-production"))).toThrow(
      'the Ansible group "front_production" would stand for both tenant front-production and front in production; rename the tenant, an environment or a tier',
    );
    expect(clash((spec) => (spec.tenant = "tools"))).toThrow(
      'the Ansible group "tools" would stand for both tenant tools and environment tools; rename the tenant, an environment or a tier',
    );
  });
});
