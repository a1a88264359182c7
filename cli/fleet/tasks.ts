/**
 * One tenant's share of a fleet command, as a worker runs it: load the spec, then plan, check or
 * render. Nothing is printed here; the outcome carries what the command shows, and a failure is an
 * outcome too, so that one bad tenant never hides the others.
 */
import type { PolicyPackConfig } from "@pulumi/policy";
import type { Plan } from "../../engine/graph.js";
import { displayPath } from "../../spec-files/display-path.js";
import { loadTenant, tenantFileOf, type TenantRef } from "../../spec-files/load.js";
import type { Report } from "../../policies/offline.js";
import { checkDeps, stackDeps } from "../deps.js";
import { failureOf, type Failure } from "../failures.js";
import type { OutputsFrom } from "../stack-outputs.js";

export type FleetTask =
  | { kind: "plan"; ref: TenantRef; env?: string; json: boolean }
  | { kind: "check"; ref: TenantRef; env?: string; policyConfig: PolicyPackConfig[] }
  | { kind: "render"; ref: TenantRef; env?: string; out: string; from?: OutputsFrom };

/** What `plan` shows of a tenant: the plan's JSON text or its readable lines, ready to print. */
export interface PlanShown {
  text: string;
  stacks: number;
  resources: number;
}

/** What `render` wrote for a tenant. */
export interface RenderShown {
  out: string;
  from: OutputsFrom;
  environments: string[];
  files: string[];
  unknownAddresses: string[];
  notes: string[];
}

/** A tenant's result: `value` when it went through, `error` when it did not. */
export interface Outcome<V> {
  tenant: string;
  /** The spec file, as the user sees it. */
  file: string;
  value?: V;
  error?: Failure;
}

/**
 * Plans one tenant: the plan's JSON or its readable form. `progress` (for one tenant on a terminal) hears
 * what is being planned and each stack as it is done.
 */
export async function planTenant(ref: TenantRef, env: string | undefined, json: boolean, progress?: (message: string) => void): Promise<PlanShown> {
  const { platform, source } = loadTenant(ref);
  const { selectEnvironments } = await import("../environments.js");
  const environments = selectEnvironments(platform, env);
  progress?.(`planning ${platform.tenant} offline: ${environments.map((environment) => environment.stack).join(", ")}`);
  // The Pulumi SDK and the cloud's SDK load here, not for --help.
  const [{ planOffline }, { describePlan }, { PLACEHOLDER_RANGE }] = await Promise.all([
    import("../../engine/offline.js"),
    import("../plan-view.js"),
    import("../../components/placeholders.js"),
  ]);
  const plan = await planOffline(platform, environments, ({ stack, index, count, milliseconds }) =>
    progress?.(`  [${index + 1}/${count}] ${stack.stack}: ${stack.resources.length} registrations in ${Math.round(milliseconds)} ms`),
  );
  const text = json ? JSON.stringify(plan, null, 2) : describePlan(plan, platform, displayPath(source), PLACEHOLDER_RANGE).join("\n");
  return { text, stacks: plan.stacks.length, resources: plan.stacks.reduce((sum, stack) => sum + stack.resources.length, 0) };
}

async function checkTask(ref: TenantRef, env: string | undefined, policyConfig: PolicyPackConfig[]): Promise<Report> {
  const [{ checkPlan }, { tenantPolicyConfig }] = await Promise.all([import("../../policies/offline.js"), import("../../policies/tenant-config.js")]);
  const tenant = loadTenant(ref);
  const plan: Plan = await checkDeps.planner(tenant, env === undefined ? {} : { environment: env });
  return checkPlan(plan, [tenantPolicyConfig(tenant.platform), ...policyConfig]);
}

async function renderTask(ref: TenantRef, env: string | undefined, out: string, from: OutputsFrom | undefined): Promise<RenderShown> {
  const { renderTenant } = await import("../render-run.js");
  const notes: string[] = [];
  const rendered = await renderTenant(ref, { env, out, from }, stackDeps, (note) => notes.push(note));
  return { out: rendered.out, from: rendered.from, environments: rendered.environments, files: rendered.files, unknownAddresses: rendered.unknownAddresses, notes };
}

function run(task: FleetTask): Promise<unknown> {
  switch (task.kind) {
    case "plan":
      return planTenant(task.ref, task.env, task.json);
    case "check":
      return checkTask(task.ref, task.env, task.policyConfig);
    case "render":
      return renderTask(task.ref, task.env, task.out, task.from);
  }
}

/** The tenant as the user named it: its name, or its file. */
const tenantOf = (ref: TenantRef) => ("file" in ref ? displayPath(ref.file) : ref.name);

export function failed(task: FleetTask, error: Failure): Outcome<never> {
  return { tenant: tenantOf(task.ref), file: displayPath(tenantFileOf(task.ref)), error };
}

/** Runs one tenant's task; never throws. */
export async function runTask(task: FleetTask): Promise<Outcome<unknown>> {
  try {
    const value = await run(task);
    return { tenant: tenantOf(task.ref), file: displayPath(tenantFileOf(task.ref)), value };
  } catch (error) {
    return failed(task, failureOf(error));
  }
}
