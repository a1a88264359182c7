/** `botinfra check`: a tenant's plan against the policy pack, without the Pulumi engine. */
import { readFileSync } from "node:fs";
import { relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { Argv, CommandModule } from "yargs";
import type { Plan } from "../../engine/graph.js";
import { UserError } from "../../model/errors.js";
import { displayPath } from "../../spec-files/display-path.js";
import { readUserFile } from "../../spec-files/user-file.js";
import type { LoadedTenant } from "../../model/tenant-text.js";
import type { TenantRef } from "../../spec-files/load.js";
import type { Report, Violation } from "../../policies/offline.js";
import type { CheckDeps } from "../deps.js";
import type { GlobalArgs } from "../globals.js";
import { plural, printJson, printLines, progress, style } from "../output.js";
import { fleetRefs, parseJobs, withFleetOptions, type FleetArgs } from "../fleet/options.js";
import type { Failure } from "../failures.js";
import { tenantRefFrom, withTenantOptions } from "../tenant-options.js";


const FORMATS = ["text", "json", "sarif", "codequality"] as const;
type Format = (typeof FORMATS)[number];

type Args = GlobalArgs &
  FleetArgs & {
    plan?: string;
    env?: string;
    format?: Format;
    "policy-config"?: string;
    "policy-pack"?: string;
  };

/** The exit code of a check that found a mandatory violation. */
const EXIT_VIOLATIONS = 1;

interface Checked {
  /** The tenant spec file, to point CI annotations at. */
  file: string;
  report: Report;
}

const modules = () =>
  Promise.all([import("../../spec-files/load.js"), import("../../engine/plan-file.js"), import("../../policies/offline.js"), import("../../policies/tenant-config.js"), import("../../policies/config.js")]);

function specFile(ref: TenantRef, tenantFileFor: (name: string, dir: string) => string): string {
  return "file" in ref ? ref.file : tenantFileFor(ref.name, ref.tenantsDir);
}

function onlyEnvironment(plan: Plan, tenant: LoadedTenant, environment: string | undefined, source: string): Plan {
  if (environment === undefined) return plan;
  const known = tenant.platform.environments.map((candidate) => candidate.name);
  if (!known.includes(environment)) throw new UserError(`--env: found "${environment}"; allowed: ${known.join(", ")} (the environments of tenant ${tenant.spec.tenant})`);
  const stacks = plan.stacks.filter((stack) => stack.environment === environment);
  if (stacks.length === 0) throw new UserError(`${source}: has no stack for environment ${environment}; it holds ${plan.stacks.map((stack) => stack.environment).join(", ")}`);
  return { ...plan, stacks };
}

async function runChecks(argv: Args, deps: CheckDeps): Promise<Checked[]> {
  const [load, planFile, offline, tenantConfig, config] = await modules();
  const userConfig = argv["policy-config"] === undefined ? [] : [config.parsePolicyConfigText(readConfig(argv["policy-config"]), argv["policy-config"])];
  // Another pack knows nothing of botinfra's per-tenant settings: it gets its own config and the user's.
  // Loaded before anything else reads a path: loading runs the pack from inside its own folder.
  const pack = Promise.resolve(argv["policy-pack"] === undefined ? await offline.botinfraPack() : await (await import("../../policies/external-pack.js")).loadPolicyPack(argv["policy-pack"]));
  const tenantLayers = (tenant: LoadedTenant) => (argv["policy-pack"] === undefined ? [tenantConfig.tenantPolicyConfig(tenant.platform)] : []);
  const check = async (tenant: LoadedTenant, file: string, plan: Plan, source: string): Promise<Checked> => {
    if (plan.tenant !== tenant.spec.tenant || plan.cloud !== tenant.platform.cloud) {
      throw new UserError(`${source}: is a plan of tenant ${plan.tenant} on ${plan.cloud}, not of ${tenant.spec.tenant} on ${tenant.platform.cloud} (${tenant.source})`);
    }
    const selected = onlyEnvironment(plan, tenant, argv.env, source);
    const resources = selected.stacks.reduce((count, stack) => count + stack.resources.length, 0);
    progress(`checking ${tenant.spec.tenant}: ${plural(selected.stacks.length, "stack")}, ${resources} resources`);
    const report = await offline.checkPlan(selected, [...tenantLayers(tenant), ...userConfig], pack);
    return { file, report };
  };

  if (argv.plan !== undefined) {
    const plan = planFile.readPlanFile(resolve(argv.plan), argv.plan);
    if (argv.tenant !== undefined && argv.tenant !== plan.tenant) throw new UserError(`--tenant: found "${argv.tenant}", but ${argv.plan} is a plan of tenant ${plan.tenant}`);
    const tenantsDir = resolve(argv["tenants-dir"]);
    if (argv["tenant-file"] === undefined && !load.listTenantNames(tenantsDir).includes(plan.tenant)) {
      throw new UserError(`${argv.plan}: is a plan of tenant ${plan.tenant}, which has no spec in ${displayPath(tenantsDir)}: give its spec with --tenant-file PATH`);
    }
    const ref: TenantRef = argv["tenant-file"] !== undefined ? tenantRefFrom(argv) : { name: plan.tenant, tenantsDir };
    return [await check(load.loadTenant(ref), specFile(ref, load.tenantFileFor), plan, argv.plan)];
  }

  const ref = tenantRefFrom(argv);
  const tenant = load.loadTenant(ref);
  progress(`planning ${tenant.spec.tenant}`);
  return [await check(tenant, specFile(ref, load.tenantFileFor), await deps.planner(tenant, argv.env === undefined ? {} : { environment: argv.env }), `the plan of ${tenant.spec.tenant}`)];
}

/** A tenant of a fleet check: its report, or why it has none. */
type FleetEntry = Checked | { tenant: string; file: string; error: Failure };

/** Checks every tenant on worker threads; each entry in tenant order, with the worst exit code of the failed ones. */
async function checkFleet(argv: Args, refs: TenantRef[], jobs: number): Promise<{ entries: FleetEntry[]; worst: number }> {
  const [{ runFleet }, { parsePolicyConfigText }] = await Promise.all([import("../fleet/run.js"), import("../../policies/config.js")]);
  const policyConfig = argv["policy-config"] === undefined ? [] : [parsePolicyConfigText(readConfig(argv["policy-config"]), argv["policy-config"])];
  const entries: FleetEntry[] = [];
  const worst = await runFleet<Report>(
    refs.map((ref) => ({ kind: "check", ref, env: argv.env, policyConfig })),
    { jobs, verb: "checking", done: "checked", json: (argv.format ?? (argv.json ? "json" : "text")) !== "text" },
    ({ tenant, file, value, error }) => entries.push(value ? { file: resolve(file), report: value } : { tenant, file, error: error! }),
  );
  return { entries, worst };
}

function readConfig(file: string): string {
  return readUserFile(resolve(file), "policy config file", (why) => new UserError(`--policy-config: ${file} ${why}`));
}

function describeViolation(violation: Violation): string[] {
  const level = violation.level === "mandatory" ? style.red("mandatory") : style.yellow("advisory ");
  const resource = violation.resource ? `${violation.resource.name} (${violation.resource.type})` : "the whole stack";
  return [`${level}  ${style.bold(violation.policy)}  ${violation.stack}  ${resource}`, `           ${violation.message}`];
}

function describeReport({ report }: Checked): string[] {
  const resources = report.stacks.reduce((count, stack) => count + stack.resources, 0);
  const { mandatory, advisory, passed } = report.summary;
  const verdict = passed ? style.green("passed") : style.red("failed");
  const counts = `${mandatory} mandatory, ${advisory} advisory violation${mandatory + advisory === 1 ? "" : "s"}`;
  return [
    `${style.bold(report.tenant)}  ${report.cloud}  ${report.stacks.length} stacks, ${resources} resources  ${style.dim(`policy pack ${report.pack.name} ${report.pack.version}`)}`,
    ...report.violations.flatMap(describeViolation),
    `${report.tenant}: ${counts}: ${verdict}`,
  ];
}

/** SARIF points each violation at the spec line of its tier (or environment): paths relative to the working directory. */
async function locator(checked: Checked[]) {
  const { fieldLine } = await import("../../model/tenant-text.js");
  const { PROXY_GROUP } = await import("../../model/platform.js");
  const texts = new Map(checked.map(({ file, report }) => [report.tenant, { file, text: readFileSync(file, "utf8") }]));
  return (report: Report, violation: Violation) => {
    const { file, text } = texts.get(report.tenant)!;
    const fromCwd = relative(process.cwd(), file);
    const uri = fromCwd.startsWith("..") || fromCwd === file ? pathToFileURL(file).href : fromCwd.split(sep).join("/");
    const tier = violation.resource?.tier;
    const path = ["environments", violation.environment, ...(tier === undefined ? [] : tier === PROXY_GROUP ? ["proxy"] : ["tiers", tier])];
    return { uri, line: fieldLine(text, path) ?? 1 };
  };
}

export function checkCommand(deps: CheckDeps): CommandModule<GlobalArgs, Args> {
  return {
    command: "check",
    describe: "Check a tenant's plan against the policy pack, without the Pulumi engine; exit 1 on a mandatory violation",
    builder: (yargs) =>
      withFleetOptions(withTenantOptions(yargs as Argv<Args>))
        .conflicts("all", "plan")
        .option("plan", { type: "string", describe: "A plan written by botinfra plan --json: check it instead of planning (its tenant's spec gives the policy config)" })
        .option("env", { alias: "e", type: "string", describe: "Check only this environment's stack" })
        .option("format", { type: "string", choices: FORMATS, describe: "text, json (same as --json), sarif (SARIF 2.1.0, for CI annotations) or codequality (a GitLab Code Quality report)" })
        .option("policy-config", { type: "string", describe: "A policy config file (the --policy-pack-config format) applied over the tenant's" })
        .option("policy-pack", { type: "string", describe: "Another CrossGuard policy pack's folder (compiled), checked instead of botinfra's" })
        .example("$0 check --plan plan.json", "Check a plan recorded with botinfra plan --json > plan.json")
        .example("$0 check --plan plan.json --env production --json", "Production's stack only, as JSON")
        .example("$0 check --plan plan.json --format sarif > policies.sarif", "For GitHub code scanning and other CI annotations")
        .example("$0 check --tenant acme", "Plan acme and check it (needs botinfra plan)")
        .example("$0 check --all --policy-config strict.json", 'Every tenant, with e.g. {"all": "mandatory"}')
        .example("$0 check --tenant initech --policy-pack policy-packs/awsguard", "Pulumi's AWS pack (AwsGuard) against an AWS tenant"),
    handler: async (argv) => {
      const format: Format = argv.format ?? (argv.json ? "json" : "text");
      const jobs = parseJobs(argv.jobs);
      const refs = argv.plan === undefined ? await fleetRefs(argv) : undefined;
      const { entries, worst } = refs ? await checkFleet(argv, refs, jobs) : { entries: await runChecks(argv, deps), worst: 0 };
      const checked = entries.filter((entry): entry is Checked => "report" in entry);
      // A warning about the policy config is the same for every tenant: said once.
      for (const warning of new Set(checked.flatMap(({ report }) => report.warnings))) process.stderr.write(`${style.yellow("warning:")} ${warning}\n`);
      const reports = checked.map(({ report }) => report);
      if (format === "json") printJson(refs ? entries.map((entry) => ("report" in entry ? entry.report : entry)) : reports[0]);
      else if (format === "sarif") printJson((await import("../../policies/sarif.js")).toSarif(reports, await locator(checked)));
      else if (format === "codequality") printJson((await import("../../policies/codequality.js")).toCodeQuality(reports, await locator(checked)));
      else printLines(checked.flatMap(describeReport));
      const violations = reports.some((report) => !report.summary.passed) ? EXIT_VIOLATIONS : 0;
      const exitCode = Math.max(worst, violations);
      if (exitCode !== 0) process.exitCode = exitCode;
    },
  };
}
