/** `botinfra tenants list|show|validate`: what tenants exist and what their specs resolve to. */
import { resolve } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { SpecError, UserError, type SpecIssue } from "../../model/errors.js";
import { describeFailure, failureOf, type Failure } from "../failures.js";
import { displayPath } from "../../spec-files/display-path.js";
import type { TenantRef } from "../../spec-files/load.js";
import type { Platform } from "../../model/platform.js";
import { plural, printJson, printLines, style, table } from "../output.js";
import { tenantRefFrom, withTenantOptions, type TenantArgs } from "../tenant-options.js";
import type { GlobalArgs } from "../globals.js";

type Args = GlobalArgs & TenantArgs & { all?: boolean };

interface Checked {
  tenant: string;
  source: string;
  valid: boolean;
  platform?: Platform;
  issues: SpecIssue[];
  /** Why it is not valid: the user's mistake (exit 2) or a bug (exit 1). */
  failure?: Failure;
}

/** The model (zod, yaml, address arithmetic) loads only when a command runs, not for --help. */
const model = () => import("../../spec-files/load.js");

/** Loads a tenant for a listing: whatever goes wrong with one is a result to show, never a reason to stop. */
async function check(ref: TenantRef, tenant: string): Promise<Checked> {
  const { loadTenant, tenantFileFor } = await model();
  const source = "file" in ref ? displayPath(ref.file) : displayPath(tenantFileFor(ref.name, ref.tenantsDir));
  try {
    const loaded = loadTenant(ref);
    (await import("../tenant-overlay.js")).checkTenantOverlay(ref, loaded.platform);
    return { tenant: loaded.spec.tenant, source, valid: true, platform: loaded.platform, issues: [] };
  } catch (error) {
    const failure = failureOf(error);
    const issues = error instanceof SpecError ? error.issues : [{ path: [], message: describeFailure(failure) }];
    return { tenant, source, valid: false, issues, failure };
  }
}

/** The exit code is the worst of the tenants': a bad spec (2) outranks a bug (1); 0 when all are valid. */
function setWorstExitCode(results: Checked[]): void {
  const worst = Math.max(0, ...results.map((result) => result.failure?.exitCode ?? 0));
  if (worst !== 0) process.exitCode = worst;
}

async function allTenants(argv: Args): Promise<Checked[]> {
  const { listTenantNames } = await model();
  const tenantsDir = resolve(argv["tenants-dir"]);
  const names = listTenantNames(tenantsDir);
  if (names.length === 0) throw new UserError(`--tenants-dir: no tenant files (*.yaml) in ${displayPath(tenantsDir)}`);
  return Promise.all(names.map((name) => check({ name, tenantsDir }, name)));
}

const list: CommandModule<GlobalArgs, Args> = {
  command: "list",
  describe: "List the tenants in the tenants folder",
  builder: (yargs) => yargs.example("$0 tenants list", "Every tenant, its cloud and environments").example("$0 tenants list --json", "The same, for scripts"),
  handler: async (argv) => {
    const tenants = await allTenants(argv);
    setWorstExitCode(tenants);
    if (argv.json) {
      printJson(
        tenants.map((t) => ({
          tenant: t.tenant,
          file: t.source,
          valid: t.valid,
          ...(t.platform
            ? { cloud: t.platform.cloud, region: t.platform.region, domain: t.platform.domain, environments: t.platform.environments.map((e) => e.name) }
            : {}),
        })),
      );
      return;
    }
    printLines(
      table([
        ["TENANT", "CLOUD", "REGION", "DOMAIN", "ENVIRONMENTS"].map(style.bold),
        ...tenants.map((t) =>
          t.platform
            ? [t.tenant, t.platform.cloud, t.platform.region, t.platform.domain, t.platform.environments.map((e) => e.name).join(", ")]
            : [t.tenant, style.red("invalid"), "", "", `run: botinfra tenants validate --tenant ${t.tenant}`],
        ),
      ]),
    );
  },
};

const show: CommandModule<GlobalArgs, Args> = {
  command: "show",
  describe: "Show the platform a tenant spec resolves to: address plan, servers, load balancers, routes",
  builder: (yargs) =>
    withTenantOptions(yargs as Argv<Args>)
      .example("$0 tenants show --tenant acme", "The resolved platform of stacks/tenants/acme.yaml")
      .example("$0 tenants show --tenant-file ./globex.yaml --json", "The whole model as JSON"),
  handler: async (argv) => {
    const { platform, source } = (await model()).loadTenant(tenantRefFrom(argv));
    if (argv.json) printJson(platform);
    else printLines((await import("../platform-view.js")).describePlatform(platform, source));
  },
};

const pin: CommandModule<GlobalArgs, Args> = {
  command: "pin",
  describe: "Write every range botinfra allocated (environments, tiers) into the spec file, keeping its comments",
  builder: (yargs) =>
    withTenantOptions(yargs as Argv<Args>)
      .example("$0 tenants pin --tenant acme", "Pin acme's address plan once it is deployed")
      .example("$0 tenants pin --tenant-file ./globex.yaml --json", "What was pinned, as JSON"),
  handler: async (argv) => {
    const { pinTenant } = await import("../tenant-pin.js");
    const { file, pinned } = pinTenant(tenantRefFrom(argv));
    if (argv.json) printJson({ file: displayPath(file), pinned: pinned.map((edit) => ({ field: edit.path.join("."), cidr: edit.value })) });
    else if (pinned.length === 0) printLines([`${displayPath(file)}: every range is already pinned`]);
    else printLines([`${displayPath(file)}: pinned ${plural(pinned.length, "range")}`, ...pinned.map((edit) => `  ${edit.path.join(".")}: ${edit.value}`)]);
  },
};

const validate: CommandModule<GlobalArgs, Args> = {
  command: "validate",
  describe: "Check tenant specs; exit 2 when any is invalid",
  builder: (yargs) =>
    withTenantOptions(yargs as Argv<Args>)
      .option("all", { type: "boolean", describe: "Check every tenant in the tenants folder", conflicts: ["tenant", "tenant-file"] })
      .example("$0 tenants validate --tenant acme", "Check one tenant")
      .example("$0 tenants validate --all --json", "Check all of them, for CI"),
  handler: async (argv) => {
    const results = argv.all ? await allTenants(argv) : [await check(tenantRefFrom(argv), argv.tenant ?? "")];
    if (argv.json) {
      printJson(results.map(({ tenant, source, valid, issues }) => ({ tenant, file: source, valid, issues })));
    } else {
      for (const result of results) {
        const label = result.tenant ? `${result.tenant} (${result.source})` : result.source;
        if (result.valid) printLines([`${style.green("valid")}    ${label}`]);
        else process.stderr.write(`${style.red("invalid")}  ${label}\n${describeFailure(result.failure!)}\n`);
      }
    }
    setWorstExitCode(results);
  },
};

export const tenantsCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: "tenants <command>",
  describe: "List, show and validate tenant specs",
  builder: (yargs) =>
    yargs
      .command(list)
      .command(show)
      .command(validate)
      .command(pin)
      .demandCommand(1, "say which: list, show, validate or pin")
      .example("$0 tenants validate --all", "Check every tenant spec"),
  handler: () => undefined,
};
