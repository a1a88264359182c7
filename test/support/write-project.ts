/** A small rendered project for the tests of writeProject. */
import type { RenderedFile } from "../../ansible/render.js";

export const PROJECT_FILES: RenderedFile[] = [
  { path: "ansible.cfg", content: "# Rendered by botinfra for tenant t\n" },
  { path: "inventory/hosts.yml", content: "---\nall: {}\n" },
  { path: "inventory/group_vars/all.yml", content: "---\na: 1\n" },
];
