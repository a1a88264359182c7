/**
 * The readable form of a plan: per environment, its components as a tree (what each stands for in the
 * spec, then its cloud resources by type), and the counts per type and per tier.
 */
import { componentType } from "../components/component-types.js";
import { CLOUD_PROFILES } from "../model/clouds.js";
import { describePeer } from "../model/ingress.js";
import type { Environment, Platform, ServerGroup } from "../model/platform.js";
import type { Plan, PlannedResource, PlannedStack } from "../engine/graph.js";
import type { StackOutputs } from "../model/outputs.js";
import { plural, style, table } from "./output.js";

/** How many names a line lists before it only counts the rest. */
const NAMES_SHOWN = 3;

const shortType = (type: string) => type.slice(type.lastIndexOf(":") + 1);
const placeholder = (address: string | undefined) => (address === undefined ? "not known" : `${address} ${style.yellow("(placeholder)")}`);

function listNames(resources: PlannedResource[]): string {
  const names = resources.map((resource) => resource.name + (resource.protect ? ` ${style.cyan("(protected)")}` : ""));
  if (names.length <= NAMES_SHOWN) return names.join(", ");
  return `${names.slice(0, NAMES_SHOWN - 1).join(", ")}, ... ${names[names.length - 1]}`;
}

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function describeGroup(group: ServerGroup, outputs: StackOutputs): string {
  const servers = `${group.count} × ${group.size}${group.subnet ? ` in ${group.subnet.cidr}` : ""}`;
  if (group.kind === "proxy") {
    const rules = group.ingress.map((rule) => `${rule.ports.join(", ")} from ${rule.peers.map(describePeer).join(", ")}`);
    return `${servers}, ports ${rules.join("; ")}, public address ${placeholder(outputs.publicAddress)}`;
  }
  if (group.stateful) return `${servers}, stateful: no load balancer, ${group.dnsName} lists every server`;
  const balancer = outputs.loadBalancers.find((candidate) => candidate.group === group.name);
  return `${servers}, load balancer ${balancer?.privateIp ?? "(assigned at deployment)"}:${group.port} (${group.dnsName})`;
}

/** What a component stands for in the spec, for its header line. */
function describeComponent(component: PlannedResource, plan: Plan, environment: Environment, outputs: StackOutputs): string {
  if (component.type === componentType(plan.cloud, "environment")) return `network ${environment.cidr}, private DNS ${environment.dnsZone}`;
  if (component.type === componentType(plan.cloud, "proxy")) return describeGroup(environment.proxy, outputs);
  const tier = environment.tiers.find((candidate) => candidate.name === component.name);
  if (component.type === componentType(plan.cloud, "tier") && tier) {
    const route = environment.routes.find((candidate) => candidate.tier === tier.name);
    return describeGroup(tier, outputs) + (route ? `, serves ${route.host}` : "");
  }
  return "";
}

/** How deep in the dependency graph each resource is: the order in which a deployment creates them. */
function creationOrder(resources: PlannedResource[]): Map<string, number> {
  const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
  const depths = new Map<string, number>();
  const depth = (resource: PlannedResource): number => {
    let known = depths.get(resource.urn);
    if (known === undefined) {
      known = 1 + Math.max(0, ...resource.dependencies.map((urn) => byUrn.get(urn)).filter((dependency) => dependency !== undefined).map(depth));
      depths.set(resource.urn, known);
    }
    return known;
  };
  resources.forEach(depth);
  return depths;
}

function describeStack(stack: PlannedStack, plan: Plan, environment: Environment): string[] {
  const outputs = stack.outputs;
  const depths = creationOrder(stack.resources);
  const custom = stack.resources.filter((resource) => resource.custom);
  const children = (parent: string) => stack.resources.filter((resource) => resource.parent === parent);
  const root = stack.resources.find((resource) => resource.parent === undefined);
  const lines = [
    "",
    `${style.bold(environment.name)}  ${style.dim(`stack ${stack.stack}`)}  ${plural(custom.length, "resource")} in ${plural(stack.resources.length - custom.length, "component")}` +
      `  served at ${environment.publicHost} → ${placeholder(outputs.publicAddress)}` +
      (environment.protect ? `  ${style.cyan("protected")}` : ""),
  ];
  const tierCounts: [string, number][] = [];
  const walk = (component: PlannedResource, depth: number) => {
    const indent = "  ".repeat(depth);
    const below = children(component.urn);
    const resources = below.filter((resource) => resource.custom);
    lines.push(`${indent}${style.bold(`${shortType(component.type)} ${component.name}`)}  ${style.dim(describeComponent(component, plan, environment, outputs))}`.trimEnd());
    const types = [...new Set(resources.map((resource) => resource.type))];
    const firstCreated = (type: string) => Math.min(...resources.filter((resource) => resource.type === type).map((resource) => depths.get(resource.urn)!));
    types.sort((a, b) => firstCreated(a) - firstCreated(b) || a.localeCompare(b));
    const byType = types.map((type) => {
      const ofType = resources.filter((resource) => resource.type === type);
      return [shortType(type), String(ofType.length), listNames(ofType)];
    });
    lines.push(...table(byType, `${indent}  `));
    if (component.type === componentType(plan.cloud, "tier") || component.type === componentType(plan.cloud, "proxy")) {
      tierCounts.push([component.name, resources.length]);
    }
    for (const child of below.filter((resource) => !resource.custom)) walk(child, depth + 1);
  };
  if (root) walk(root, 1);
  const typeCounts = [...countBy(custom, (resource) => shortType(resource.type))].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  lines.push(
    `  ${style.dim("per type:")} ${typeCounts.map(([type, count]) => `${type} ${count}`).join(", ")}`,
    `  ${style.dim("per tier:")} ${tierCounts.map(([tier, count]) => `${tier} ${count}`).join(", ")}`,
  );
  return lines;
}

export function describePlan(plan: Plan, platform: Platform, source: string, placeholderRange: string): string[] {
  const total = plan.stacks.reduce((sum, stack) => sum + stack.resources.filter((resource) => resource.custom).length, 0);
  const cloud = CLOUD_PROFILES[plan.cloud].title;
  return [
    `${style.bold(platform.tenant)}  ${platform.cloud} ${platform.region}  ${platform.domain}  ${style.dim(`(${source})`)}`,
    `Planned offline: the stacks' program ran under Pulumi's mock runtime; ${cloud} was not asked and nothing was created.`,
    `Public addresses are ${style.yellow("placeholders")} from ${placeholderRange} (reserved for documentation): ${cloud} assigns the real ones at deployment.`,
    `High availability on ${cloud}: ${platform.placement.description}.`,
    ...plan.stacks.flatMap((stack) => describeStack(stack, plan, platform.environments.find((environment) => environment.name === stack.environment)!)),
    "",
    `${plural(plan.stacks.length, "stack")}, ${plural(total, `${cloud} resource`)}. ${style.dim("With --json: the whole graph (inputs, dependencies, outputs).")}`,
  ];
}
