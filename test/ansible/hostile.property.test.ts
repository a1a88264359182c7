/**
 * Hostile strings in every free-text field of a spec and of an outputs file: each is refused with a
 * message naming its field, or rendered as data. The real ansible-inventory and `ansible -m debug`
 * then give every such value back byte for byte, and nothing in it is evaluated.
 */
import fc from "fast-check";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument, visit } from "yaml";
import { checkOverlayReferences } from "../../ansible/overlay.js";
import { renderProject, type RenderedFile } from "../../ansible/render.js";
import { readRoleFiles } from "../../ansible/roles.js";
import { writeProject } from "../../ansible/write.js";
import { ROLES_DIR } from "../../cli/render-run.js";
import { readOutputsFile } from "../../cli/stack-outputs.js";
import { formatPath, SpecError, UserError } from "../../model/errors.js";
import { parseTenantText } from "../../model/tenant-text.js";
import { plannedOutputs, type StackOutputs } from "../../model/outputs.js";
import type { Platform } from "../../model/platform.js";
import { formatSshPublicKey } from "../../model/ssh.js";
import { parseRendered, runIn, sampleOverlay, unwrapUnsafe } from "../support/ansible.js";
import { sampleSpec, toYaml } from "../support/specs.js";

const roles = readRoleFiles(ROLES_DIR);
// The sample tenant names a role of its overlay; the overlay's vars are checked as botinfra's are.
const overlay = sampleOverlay();

/** What an attacker reaches for: template delimiters, line breaks, quotes, shell and YAML syntax, odd unicode. */
const HOSTILE_PIECES = [
  "{{ lookup('pipe', 'touch MARKER') }}", "{% if true %}", "{#", "#}", "}}", "{{", "\n", "\r\n", "'", '"', "`", "$(touch MARKER)",
  ";", "&&", "|", ": ", " #", "#", "&anchor", "*alias", "!unsafe", "!!python/object/apply:os.system", "|-", ">", "- ", "-", "%", "@",
  "\\", "\t", "é", "日本語", "🙂", "\u2028", "\u0000", "\uFEFF", "---", "...", "[", "]", "{", "}", ",", "?", "null", "true", "0x1F", "~", "ops@acme",
];
const hostile = fc.array(fc.constantFrom(...HOSTILE_PIECES), { minLength: 1, maxLength: 8 }).map((pieces) => pieces.join(""));

type Path = (string | number)[];
type Spec = ReturnType<typeof sampleSpec>;

/** Every place a user's spec holds text: each string value, and each mapping key that is a name (environments, tiers). */
function textFields(value: unknown, path: Path = []): { path: Path; kind: "value" | "key" }[] {
  if (typeof value === "string") return [{ path, kind: "value" }];
  if (Array.isArray(value)) return value.flatMap((item, index) => textFields(item, [...path, index]));
  if (value === null || typeof value !== "object") return [];
  const named = path.at(-1) === "environments" || path.at(-1) === "tiers";
  return Object.entries(value).flatMap(([key, item]) => [...(named ? [{ path: [...path, key], kind: "key" as const }] : []), ...textFields(item, [...path, key])]);
}

const SPEC_FIELDS = textFields(sampleSpec());

/** Puts `text` at the field: a value replaced, a key renamed, and for an SSH key, the key's comment. */
function inject(spec: Spec, field: { path: Path; kind: "value" | "key" }, text: string): void {
  const parent = field.path.slice(0, -1).reduce<Record<string | number, unknown>>((node, part) => node[part] as Record<string | number, unknown>, spec as never);
  const last = field.path.at(-1)!;
  if (field.kind === "key") {
    const renamed = Object.entries(parent).map(([key, value]) => [key === last ? text : key, value]);
    for (const key of Object.keys(parent)) Reflect.deleteProperty(parent, key);
    Object.assign(parent, Object.fromEntries(renamed));
  } else if (field.path[1] === "sshPublicKeys") {
    parent[last] = `${(parent[last] as string).split(" ").slice(0, 2).join(" ")} ${text}`;
  } else {
    parent[last] = text;
  }
}

const VARS_FILE = /^inventory\//;

/** Strings of the inventory and group vars that are not tagged !unsafe: there must be none. */
function unmarkedStrings(files: RenderedFile[]): string[] {
  const unmarked: string[] = [];
  for (const file of files.filter((candidate) => VARS_FILE.test(candidate.path))) {
    visit(parseDocument(file.content, { version: "1.1", customTags: [{ tag: "!unsafe", resolve: (text: string) => text }] }), {
      Scalar(key, node) {
        if (key !== "key" && typeof node.value === "string" && node.tag !== "!unsafe") unmarked.push(`${file.path}: ${JSON.stringify(node.value)}`);
      },
    });
  }
  return unmarked;
}

/** Every string value of the rendered vars files, as Ansible's YAML reader would see it. */
function renderedStrings(files: RenderedFile[]): string[] {
  const strings: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === "string") strings.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value !== null && typeof value === "object") Object.values(value).forEach(collect);
  };
  for (const file of files.filter((candidate) => VARS_FILE.test(candidate.path))) collect(parseRendered(file.content));
  return strings;
}

function planned(platform: Platform): Map<string, StackOutputs> {
  return new Map(platform.environments.map((environment) => [environment.name, plannedOutputs(platform, environment)]));
}

describe("hostile strings in a spec", () => {
  it("are refused naming their field, or rendered only as !unsafe data that reads back unchanged", () => {
    fc.assert(
      fc.property(fc.constantFrom(...SPEC_FIELDS), hostile, (field, text) => {
        const spec = sampleSpec();
        inject(spec, field, text);
        let platform: Platform;
        // Named by the field itself, or by its parent when a name was renamed or a list entry changed.
        const named = field.kind === "key" ? formatPath(field.path.slice(0, -1)) : formatPath(field.path);
        try {
          platform = parseTenantText(toYaml(spec), "t.yaml").platform;
        } catch (error) {
          if (!(error instanceof SpecError)) throw error;
          expect(error.message).toContain(named);
          expect(error.message.split("\n").every((line) => line.startsWith("t.yaml"))).toBe(true);
          return;
        }
        // A tier role that is not botinfra's must be in the overlay: `tenants validate` refuses it as render would.
        try {
          checkOverlayReferences(overlay, platform);
        } catch (error) {
          if (!(error instanceof UserError) || field.path.at(-1) !== "role") throw error;
          expect(error.message.startsWith(`${named}: `)).toBe(true);
          return;
        }
        const files = renderProject(platform, planned(platform), { source: "plan", roles, overlay }).files;
        expect(unmarkedStrings(files)).toEqual([]);
        if (field.path[1] === "sshPublicKeys") {
          const key = platform.admin.sshPublicKeys[field.path[2] as number]!;
          expect(key.comment).toBe(text.trim() || undefined);
          expect(renderedStrings(files)).toContain(formatSshPublicKey(key));
        } else if (field.kind === "value" && typeof field.path[0] === "string" && ["region", "tenant", "domain"].includes(field.path[0])) {
          expect(renderedStrings(files)).toContain(text);
        }
      }),
      { numRuns: 400 },
    );
  });
});

/** Every string leaf of an environment's outputs (with the addresses a deployed stack adds). */
function outputsWithEverything(platform: Platform): StackOutputs {
  const outputs = plannedOutputs(platform, platform.environments[0]!);
  outputs.hosts = outputs.hosts.map((host) => (host.group === "proxy" ? { ...host, publicIp: "198.51.100.7" } : host));
  outputs.publicAddress = "198.51.100.7";
  return outputs;
}

describe("hostile strings in an outputs file", () => {
  const platform = parseTenantText(toYaml(sampleSpec()), "acme.yaml").platform;
  const base = outputsWithEverything(platform);
  const fields = textFields(base).filter((field) => field.kind === "value");
  const dir = mkdtempSync(join(tmpdir(), "botinfra-hostile-outputs-"));

  it("are refused naming the file and the field, or are values a name or an address may be", () => {
    fc.assert(
      fc.property(fc.constantFrom(...fields), hostile, (field, text) => {
        const outputs = structuredClone(base) as unknown as Spec;
        inject(outputs, { ...field, path: field.path }, text);
        const file = join(dir, "outputs.json");
        writeFileSync(file, JSON.stringify(outputs));
        let read: Map<string, StackOutputs>;
        try {
          read = readOutputsFile(file);
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
          expect(error.message).toContain(`--outputs ${file}: ${formatPath(field.path)}: found `);
          expect(error.message).not.toContain("\n");
          return;
        }
        // What passes is a plain name or address (letters, digits, '.', '-', '_'): nothing hostile is left in it.
        expect(text).toMatch(/^[A-Za-z0-9._-]+$/);
        expect(read.size).toBe(1);
      }),
      { numRuns: 400 },
    );
  });
});

describe("the real Ansible tools read hostile values as data", () => {
  /**
   * A bounded number of projects (the tools take about a second each). The comment comes from the
   * generator; the second half of each project's values bypass the spec checks (as a missed check
   * would): template expressions must still reach Ansible as text and never run.
   */
  const comments = fc.sample(
    hostile.map((text) => text.trim()).filter((text) => text.length > 0 && text.length <= 200 && !/\{\{|\}\}|\{%|%\}|\{#|#\}|[\p{C}\p{Zl}\p{Zp}]/u.test(text)),
    { numRuns: 3, seed: 14 },
  );

  it.each(comments.map((comment, index) => [index, comment] as const))("project %i: values come back byte for byte and nothing is evaluated", async (_, comment) => {
    const dir = mkdtempSync(join(tmpdir(), "botinfra-hostile-"));
    const marker = join(dir, "evaluated");
    const spec = sampleSpec();
    inject(spec, { path: ["admin", "sshPublicKeys", 0], kind: "value" }, comment);
    const platform = parseTenantText(toYaml(spec), "acme.yaml").platform;
    // Past every check, as if one were missing: a template and shell syntax in a comment and in the public address.
    const smuggled = `{{ lookup('pipe', 'touch ${marker}') }} $(touch ${marker}) {% raw %}`;
    platform.admin.sshPublicKeys.push({ ...platform.admin.sshPublicKeys[0]!, comment: smuggled });
    const outputs = planned(platform);
    const environment = platform.environments[0]!;
    outputs.get(environment.name)!.publicAddress = smuggled;
    const project = join(dir, "project");
    writeProject(project, renderProject(platform, outputs, { source: "stack", roles, overlay }).files);

    const host = environment.proxy.hosts[0]!.name;
    const expectedKeys = platform.admin.sshPublicKeys.map(formatSshPublicKey);
    const unmarked: string[] = [];
    const inventory = await runIn(project, "ansible-inventory", ["-i", "inventory", "--host", host]);
    expect(inventory.exitCode).toBe(0);
    const vars = unwrapUnsafe(JSON.parse(inventory.stdout), unmarked) as Record<string, unknown>;
    expect(unmarked).toEqual([]);
    expect(vars.debian_base_admin_users).toEqual([{ name: platform.admin.username, ssh_keys: expectedKeys }]);
    expect(vars.botinfra_public_address).toBe(smuggled);

    // debug templates the variable it shows: an unsafe value is printed as it is, never evaluated.
    const debug = await runIn(project, "ansible", [host, "-i", "inventory", "-c", "local", "-m", "ansible.builtin.debug", "-a", JSON.stringify({ var: "[debian_base_admin_users, botinfra_public_address]" })]);
    expect(debug.exitCode).toBe(0);
    const shown = JSON.parse(debug.stdout.slice(debug.stdout.indexOf("{"))) as Record<string, unknown>;
    expect(unwrapUnsafe(Object.values(shown)[0])).toEqual([[{ name: platform.admin.username, ssh_keys: expectedKeys }], smuggled]);
    expect(existsSync(marker)).toBe(false);
  });
});
