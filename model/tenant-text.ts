/** A tenant spec's YAML text to a validated model, with each issue placed at its line and column. */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { SpecError, type SpecIssue } from "./errors.js";
import { buildPlatform, type Platform, type PlatformContext } from "./platform.js";
import { parseTenantSpec, type TenantSpec } from "./spec.js";
import { parseYamlText } from "./yaml-text.js";

export interface LoadedTenant {
  /** The path as the user should see it in messages (relative to the working directory when inside it). */
  source: string;
  spec: TenantSpec;
  platform: Platform;
}

/** Parses and validates a tenant from YAML text; `source` names it in messages; `context` adds what the spec alone does not hold. */
export function parseTenantText(text: string, source: string, context: (spec: TenantSpec) => PlatformContext = () => ({})): LoadedTenant {
  const lineCounter = new LineCounter();
  const yaml = parseYamlText(text, lineCounter);
  if (!yaml.ok) throw new SpecError(source, yaml.issues);
  const { value: raw, document } = yaml;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new SpecError(source, [{ path: [], message: "is not a tenant spec: expected a YAML mapping with tenant, cloud, region, domain, admin and environments" }]);
  }
  const parsed = parseTenantSpec(raw);
  if (!parsed.spec) throw new SpecError(source, locate(parsed.issues, document, lineCounter));
  const built = buildPlatform(parsed.spec, context(parsed.spec));
  if (!built.platform) throw new SpecError(source, locate(built.issues, document, lineCounter));
  return { source, spec: parsed.spec, platform: built.platform };
}

/** Adds the line and column of each issue's field: the deepest node of its path present in the file. */
function locate(issues: SpecIssue[], document: Document, lineCounter: LineCounter): SpecIssue[] {
  return issues
    .map((issue) => {
      const node = deepestNode(document, issue.path);
      if (!node?.range) return issue;
      const position = lineCounter.linePos(node.range[0]);
      return { ...issue, line: position.line, column: position.col };
    })
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

/** The 1-based line of a field in a tenant file's text (of its deepest part present), for pointing tools at it. */
export function fieldLine(text: string, path: readonly (string | number)[]): number | undefined {
  const lineCounter = new LineCounter();
  const node = deepestNode(parseDocument(text, { lineCounter }), path);
  return node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
}

function deepestNode(document: Document, path: readonly (string | number)[]): Node | undefined {
  let node: unknown = document.contents;
  let found = node as Node | undefined;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === part);
      if (!pair) break;
      found = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof part === "number" && node.items[part]) {
      node = node.items[part];
      found = node as Node;
    } else {
      break;
    }
  }
  return found;
}
