/**
 * The structure the three-cloud contract promises, read from the source: a cloud's folder is imported
 * only through the registry, clouds never import each other, the model imports nothing but itself
 * and touches no file, path or process, and no static import cycle exists anywhere.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { CLOUDS } from "../../model/spec.js";
import { REPO_ROOT } from "../support/cli.js";

const SOURCE_FOLDERS = ["model", "spec-files", "components", "engine", "cli", "ansible", "policies", "stacks"];

interface Import {
  from: string;
  to: string;
  dynamic: boolean;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(join(REPO_ROOT, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts"))
    .map((entry) => relative(REPO_ROOT, join(entry.parentPath, entry.name)));
}

/** Every relative import of the project's source, resolved to the imported file. */
function projectImports(): Import[] {
  return SOURCE_FOLDERS.flatMap(sourceFiles).flatMap((file) => {
    const text = readFileSync(join(REPO_ROOT, file), "utf8");
    const found: Import[] = [];
    for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s(?:type\s)?[^;]*?from\s+"(\.[^"]+)"|import\("(\.[^"]+)"\)/g)) {
      const target = match[1] ?? match[2]!;
      const typeOnly = /^\s*(?:import|export)\s+type\s/.test(match[0]);
      if (typeOnly) continue;
      found.push({ from: file, to: normalize(join(dirname(file), target)).replace(/\.js$/, ".ts"), dynamic: match[2] !== undefined });
    }
    return found;
  });
}

const imports = projectImports();

describe("the code's structure", () => {
  it("reads a meaningful number of imports (the scan works)", () => {
    expect(imports.length).toBeGreaterThan(100);
    expect(imports.some((edge) => edge.from === "components/registry.ts" && edge.to === "components/azure/index.ts" && edge.dynamic)).toBe(true);
  });

  it.each(CLOUDS)("imports components/%s/ only from inside it and through the registry", (cloud) => {
    const folder = `components/${cloud}/`;
    const outside = imports.filter((edge) => edge.to.startsWith(folder) && !edge.from.startsWith(folder) && edge.from !== "components/registry.ts");
    expect(outside.map((edge) => `${edge.from} -> ${edge.to}`)).toEqual([]);
  });

  it("keeps the model pure: it imports only itself", () => {
    const outward = imports.filter((edge) => edge.from.startsWith("model/") && !edge.to.startsWith("model/"));
    expect(outward.map((edge) => `${edge.from} -> ${edge.to}`)).toEqual([]);
  });

  it("keeps the model free of I/O: no file system, paths, OS or child processes, and no process object", () => {
    const model = sourceFiles("model");
    expect(model.length).toBeGreaterThan(10);
    const found = model.flatMap((file) => {
      const text = readFileSync(join(REPO_ROOT, file), "utf8");
      const modules = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)"((?:node:)?(?:fs|path|os|child_process)(?:\/[\w]+)?)"/g)].map((match) => `${file} imports ${match[1]}`);
      const process = /\bprocess\s*[.[]|\bglobalThis\.process\b/.test(text) ? [`${file} reads process`] : [];
      return [...modules, ...process];
    });
    expect(found).toEqual([]);
  });

  it("names no cloud in the command, the engine, the program or the renderer: a cloud's facts are its profile's or its module's", () => {
    const named = new RegExp(`"(?:${CLOUDS.join("|")})"|\\b(?:ARM|AWS|DIGITALOCEAN)_[A-Z_]+`);
    const found = ["cli", "engine", "stacks", "spec-files", "ansible"]
      .flatMap(sourceFiles)
      .filter((file) => named.test(readFileSync(join(REPO_ROOT, file), "utf8")));
    expect(found).toEqual([]);
  });

  it("keeps the command on top: nothing outside cli/ imports it", () => {
    const upward = imports.filter((edge) => edge.to.startsWith("cli/") && !edge.from.startsWith("cli/"));
    expect(upward.map((edge) => `${edge.from} -> ${edge.to}`)).toEqual([]);
  });

  it("has no import cycle among static imports", () => {
    const graph = new Map<string, string[]>();
    for (const edge of imports.filter((candidate) => !candidate.dynamic)) graph.set(edge.from, [...(graph.get(edge.from) ?? []), edge.to]);
    const cycles: string[] = [];
    const state = new Map<string, "visiting" | "done">();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "visiting") {
        cycles.push([...path.slice(path.indexOf(file)), file].join(" -> "));
        return;
      }
      state.set(file, "visiting");
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, "done");
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
