/**
 * YAML from a user's file, read with bounds: nesting depth (checked on the parser's tokens, before
 * anything recursive runs), alias expansion, and duplicate keys found in linear time (the yaml
 * library's own uniqueKeys check compares every key with every other: 40,000 keys took 13 s).
 */
import { Composer, CST, isMap, isScalar, isSeq, LineCounter, Parser, type Document, type Node } from "yaml";
import type { SpecIssue } from "./errors.js";

/** A tenant spec nests about 6 levels; this leaves room for anything sane and none for a stack overflow. */
export const YAML_MAX_DEPTH = 32;
/** The yaml library's measure of alias expansion (aliases times the size of what they repeat). */
export const YAML_MAX_ALIAS_COUNT = 100;

export type YamlResult = { ok: true; value: unknown; document: Document } | { ok: false; issues: SpecIssue[] };

/** Parses one YAML document; every problem is an issue with its line and column. */
export function parseYamlText(text: string, lineCounter: LineCounter): YamlResult {
  const at = (offset: number, message: string): SpecIssue => {
    const position = lineCounter.linePos(offset);
    return { path: [], message, line: position.line, column: position.col };
  };
  const tokens = [...new Parser(lineCounter.addNewLine).parse(text)];
  const tooDeep = tokens.map(deepOffset).find((offset) => offset !== undefined);
  if (tooDeep !== undefined) {
    return { ok: false, issues: [at(tooDeep, `nests deeper than ${YAML_MAX_DEPTH} levels; allowed: at most ${YAML_MAX_DEPTH} levels of mappings and lists`)] };
  }
  const documents = [...new Composer({ prettyErrors: false, uniqueKeys: false }).compose(tokens, true, text.length)];
  // The composer always yields a document, an empty one for an empty text.
  const document = documents[0]!;
  if (documents.length > 1) return { ok: false, issues: [at(documents[1]!.range[0], "starts a second YAML document; allowed: one document per file")] };
  const errors = document.errors.map((error) => at(error.pos[0], `is not valid YAML: ${error.message.split("\n")[0]}`));
  const duplicates = duplicateKeys(document).map((node) => at(node.range![0], `repeats the key "${String((node as { value?: unknown }).value)}"; allowed: each key once per mapping`));
  if (errors.length > 0 || duplicates.length > 0) return { ok: false, issues: [...errors, ...duplicates] };
  try {
    return { ok: true, value: document.toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT }), document };
  } catch (error) {
    // The library's guard against alias bombs ("Excessive alias count").
    if (!(error instanceof ReferenceError)) throw error;
    return { ok: false, issues: [{ path: [], message: `expands its YAML aliases too much; allowed: aliases that repeat at most ${YAML_MAX_ALIAS_COUNT} nodes in all` }] };
  }
}

/** The offset of the first collection nested deeper than allowed, walking the tokens without recursion. */
function deepOffset(root: CST.Token): number | undefined {
  const pending: [CST.Token, number][] = [[root, 0]];
  while (pending.length > 0) {
    const [token, depth] = pending.pop()!;
    if (token.type === "document") {
      if (token.value) pending.push([token.value, depth]);
      continue;
    }
    if (token.type !== "block-map" && token.type !== "block-seq" && token.type !== "flow-collection") continue;
    if (depth >= YAML_MAX_DEPTH) return token.offset;
    for (const item of token.items as CST.CollectionItem[]) {
      if (item.key) pending.push([item.key, depth + 1]);
      if (item.value) pending.push([item.value, depth + 1]);
    }
  }
  return undefined;
}

/** Keys that repeat one before them in the same mapping (scalar keys; others cannot be tenant fields). */
function duplicateKeys(document: Document): Node[] {
  const found: Node[] = [];
  const pending: unknown[] = [document.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        if (isScalar(pair.key)) {
          if (seen.has(pair.key.value)) found.push(pair.key);
          seen.add(pair.key.value);
        }
        pending.push(pair.value);
      }
    } else if (isSeq(node)) {
      pending.push(...node.items);
    }
  }
  return found.sort((a, b) => a.range![0] - b.range![0]);
}
