/**
 * Policy config as the Pulumi engine handles it: config files in the `--policy-pack-config` format,
 * merged over the policies' defaults in order (`all` first, then per-policy entries), then checked
 * against each policy's config schema. Ported from the engine's ReconcilePolicyPackConfig so that
 * `botinfra check` configures the pack exactly as `pulumi preview --policy-pack` would.
 */
import type { EnforcementLevel, Policy, PolicyPackConfig } from "@pulumi/policy";
import { describeValue, UserError } from "../model/errors.js";
import { readPackJson } from "./files.js";
import type { ConfigProperty } from "./rules/resources.js";

/** What a policy's metadata holds; botinfra's policies and a loaded pack's alike. */
export type PolicyMeta = Pick<Policy, "name" | "description" | "enforcementLevel" | "configSchema" | "severity">;

const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** One policy's config after reconciliation: what the engine sends the pack in its Configure call. */
export interface PolicyConfigEntry {
  enforcementLevel: EnforcementLevel | undefined;
  properties: Record<string, unknown>;
}

export type ReconciledConfig = Record<string, PolicyConfigEntry>;

const isLevel = (value: unknown): value is EnforcementLevel => ENFORCEMENT_LEVELS.includes(value as EnforcementLevel);
const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** Checks a parsed config file with the engine's rules; `source` names the file in messages. */
function parsePolicyConfig(value: unknown, source: string): PolicyPackConfig {
  if (!isObject(value)) throw new UserError(`${source}: found ${describeValue(value)}; allowed: a JSON object mapping policy names (or "all") to a level or settings`);
  const levels = ENFORCEMENT_LEVELS.join(", ");
  for (const [name, entry] of Object.entries(value)) {
    const level = isObject(entry) ? entry.enforcementLevel : entry;
    if (!isObject(entry) && typeof entry !== "string") {
      throw new UserError(`${source}: ${name}: found ${describeValue(entry)}; allowed: an enforcement level (${levels}) or an object of settings`);
    }
    if (level !== undefined && !isLevel(level)) throw new UserError(`${source}: ${name}: found enforcement level ${describeValue(level)}; allowed: ${levels}`);
  }
  return value as PolicyPackConfig;
}

export function parsePolicyConfigText(text: string, source: string): PolicyPackConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${source}: is not valid JSON: ${(error as Error).message}`);
  }
  return parsePolicyConfig(value, source);
}

/** The pack's default config (policies/config.json): the first layer under the engine and offline alike. */
export function defaultPolicyConfig(): PolicyPackConfig {
  return parsePolicyConfig(readPackJson("config.json"), "policies/config.json");
}

function split(entry: PolicyPackConfig[string] | undefined): PolicyConfigEntry {
  if (typeof entry === "string") return { enforcementLevel: entry, properties: {} };
  const { enforcementLevel, ...properties } = entry ?? {};
  return { enforcementLevel: enforcementLevel as EnforcementLevel | undefined, properties };
}

/**
 * Schema defaults first (with each policy's own level or the pack's), then each layer in order:
 * its `all` level for every policy, then its per-policy levels and settings. Throws a UserError
 * naming every setting its policy's schema refuses.
 */
export function reconcilePolicyConfig(policies: readonly PolicyMeta[], packLevel: EnforcementLevel, layers: readonly PolicyPackConfig[]): ReconciledConfig {
  const result: ReconciledConfig = {};
  for (const policy of policies) {
    const defaults = Object.entries(policy.configSchema?.properties ?? {}).flatMap(([key, schema]) =>
      isObject(schema) && "default" in schema ? [[key, schema.default] as const] : [],
    );
    result[policy.name] = { enforcementLevel: policy.enforcementLevel ?? packLevel, properties: Object.fromEntries(defaults) };
  }
  for (const layer of layers) {
    const all = split(layer.all).enforcementLevel;
    if (all !== undefined) for (const entry of Object.values(result)) entry.enforcementLevel = all;
    for (const [name, given] of Object.entries(layer)) {
      const { enforcementLevel, properties } = split(given);
      const previous = result[name];
      result[name] = {
        enforcementLevel: enforcementLevel ?? previous?.enforcementLevel,
        properties: { ...previous?.properties, ...properties },
      };
    }
  }
  const problems = policies.flatMap((policy) =>
    Object.entries(policy.configSchema?.properties ?? {}).flatMap(([key, schema]) => {
      const value = result[policy.name]!.properties[key];
      if (value === undefined) return policy.configSchema?.required?.includes(key) ? [`${policy.name}: ${key}: is required`] : [];
      return schemaProblems(value, schema, `${policy.name}: ${key}`);
    }),
  );
  if (problems.length > 0) throw new UserError(`policy config: ${problems.join("; ")}`);
  return result;
}

/** Names in the layers that are neither a policy of the pack nor `all`: the engine ignores them silently. */
export function unknownPolicyNames(policies: readonly PolicyMeta[], layers: readonly PolicyPackConfig[]): string[] {
  const known = new Set(["all", ...policies.map((policy) => policy.name)]);
  return [...new Set(layers.flatMap((layer) => Object.keys(layer)))].filter((name) => !known.has(name));
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (Number.isInteger(value)) return "integer";
  return typeof value;
}

/** The subset of JSON schema the pack's config schemas use: type, enum, minimum, maximum, items, properties. */
function schemaProblems(value: unknown, schema: ConfigProperty | boolean, path: string): string[] {
  if (typeof schema === "boolean") return schema ? [] : [`${path}: is not allowed`];
  const types = schema.type === undefined ? [] : [schema.type].flat();
  const actual = typeOf(value);
  if (types.length > 0 && !types.some((type) => type === actual || (type === "number" && actual === "integer"))) {
    return [`${path}: found ${describeValue(value)}; allowed: ${types.join(" or ")}`];
  }
  if (schema.enum !== undefined && !schema.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))) {
    return [`${path}: found ${describeValue(value)}; allowed: ${schema.enum.map((allowed) => JSON.stringify(allowed)).join(", ")}`];
  }
  if (typeof value === "number" && schema.minimum !== undefined && value < schema.minimum) return [`${path}: found ${value}; allowed: at least ${schema.minimum}`];
  if (typeof value === "number" && schema.maximum !== undefined && value > schema.maximum) return [`${path}: found ${value}; allowed: at most ${schema.maximum}`];
  if (Array.isArray(value) && isObject(schema.items)) {
    return value.flatMap((item, index) => schemaProblems(item, schema.items as ConfigProperty, `${path}[${index}]`));
  }
  if (isObject(value)) {
    return Object.entries(value).flatMap(([key, item]) => {
      const property = schema.properties?.[key] ?? schema.additionalProperties;
      return property === undefined ? [] : schemaProblems(item, property, `${path}.${key}`);
    });
  }
  return [];
}
