#!/usr/bin/env node
// The fleet bench: `npm run bench:fleet` (after `npm run build`). Generates BENCH_TENANTS tenants
// (default 100; two environments each, see fleet-tenants.mjs) in a temporary folder and times the
// folder-wide commands on them, then the same for one tenant and for 10 tenants (memory should not grow
// with the fleet). Every figure is also given as a ratio, to bare node and to a floor measured in the
// same run (a plain Pulumi program registering as many resources under the mock runtime), because the
// machine it runs on may be busy. BENCH_JOBS sets --jobs (default: the CLI's, the number of cores).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { tenantName, writeTenants } from "./fleet-tenants.mjs";

const cli = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const probe = fileURLToPath(new URL("./usage-probe.mjs", import.meta.url));
const floorProgram = fileURLToPath(new URL("./fleet-floor.mjs", import.meta.url));
const tenants = Number(process.env.BENCH_TENANTS ?? 100);
const jobs = process.env.BENCH_JOBS ? ["--jobs", process.env.BENCH_JOBS] : [];
const work = mkdtempSync(join(tmpdir(), "botinfra-bench-fleet-"));

/** Runs node with `args` under the usage probe: wall time, CPU time (all threads) and peak memory. */
function measure(args, { stdout = "ignore" } = {}) {
  const usageFile = join(work, "usage.json");
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ["--import", probe, ...args], {
    stdio: ["ignore", stdout, "pipe"],
    env: { ...process.env, NO_COLOR: "1", CI: "true", BENCH_USAGE_FILE: usageFile },
    maxBuffer: 1 << 30,
    encoding: "utf8",
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(" ")} exited with ${result.status}:\n${result.stderr}`);
  const usage = JSON.parse(readFileSync(usageFile, "utf8"));
  return { wallMs, cpuMs: usage.userMs + usage.systemMs, peakMb: usage.maxRssKb / 1024, stdout: result.stdout };
}

function fleetOf(count) {
  const dir = join(work, `tenants-${count}`);
  writeTenants(dir, count);
  return dir;
}

function commands(dir, count) {
  const out = join(work, `out-${count}`);
  const some = count === 1 ? ["--tenant", tenantName(1)] : ["--all", ...jobs];
  return [
    ["validate", [cli, "tenants", "validate", ...(count === 1 ? ["--tenant", tenantName(1)] : ["--all"]), "--tenants-dir", dir]],
    ["plan --json", [cli, "plan", ...some, "--json", "--tenants-dir", dir]],
    ["check", [cli, "check", ...some, "--tenants-dir", dir]],
    ["render", [cli, "render", ...some, "--from", "plan", "--out", count === 1 ? join(out, tenantName(1)) : out, "--tenants-dir", dir]],
  ];
}

const fmt = (value, digits = 0) => value.toFixed(digits).padStart(8);

function run(count) {
  const dir = fleetOf(count);
  return commands(dir, count).map(([name, args]) => ({ name, tenants: count, ...measure(args) }));
}

console.log(`fleet bench: ${tenants} generated tenants, 2 environments each; ${availableParallelism()} cores; --jobs ${jobs[1] ?? "default"}`);
const bare = measure(["-e", "0"]);

// The floor: as many resources as the generated tenants' plans hold, registered by a plain program.
const single = fleetOf(1);
const plan = JSON.parse(measure([cli, "plan", "--tenant", tenantName(1), "--json", "--tenants-dir", single], { stdout: "pipe" }).stdout);
const perStack = plan.stacks.map((stack) => stack.resources.length - 1);
const floor = measure([floorProgram, String(tenants), ...perStack.map(String)]);

const results = [...run(1), ...run(10 === tenants ? 10 : Math.min(10, tenants)), ...(tenants > 10 ? run(tenants) : [])];
rmSync(work, { recursive: true, force: true });

console.log(`bare node: ${bare.wallMs.toFixed(0)} ms wall; floor (${tenants} tenants' ${perStack.reduce((a, b) => a + b + 1, 0) * tenants} resources, one thread): ${floor.wallMs.toFixed(0)} ms wall, ${floor.cpuMs.toFixed(0)} ms CPU`);
console.log("");
console.log(`${"command".padEnd(14)}${"tenants".padStart(8)}${"wall ms".padStart(9)}${"cpu ms".padStart(9)}${"peak MB".padStart(9)}${"wall/t".padStart(9)}${"cpu/t".padStart(9)}${"x node".padStart(9)}${"x floor".padStart(9)}`);
for (const result of results) {
  // The floor ran the whole fleet: compared with the fleet's own rows (the SDKs' load included in both).
  const vsFloor = result.name === "validate" || result.tenants !== tenants ? "" : (result.cpuMs / floor.cpuMs).toFixed(1);
  console.log(
    `${result.name.padEnd(14)}${String(result.tenants).padStart(8)}${fmt(result.wallMs, 0).padStart(9)}${fmt(result.cpuMs).padStart(9)}${fmt(result.peakMb).padStart(9)}` +
      `${fmt(result.wallMs / result.tenants).padStart(9)}${fmt(result.cpuMs / result.tenants).padStart(9)}${(result.wallMs / bare.wallMs).toFixed(1).padStart(9)}${vsFloor.padStart(9)}`,
  );
}

const at = (count) => results.filter((result) => result.tenants === count && result.name !== "validate");
const fleet = at(tenants);
const total = fleet.reduce((sum, result) => sum + result.wallMs, 0);
const peak = Math.max(...fleet.map((result) => result.peakMb));
const small = at(Math.min(10, tenants));
const growth = Math.max(...fleet.map((result, i) => result.peakMb / small[i].peakMb));
console.log("");
const cpu = fleet.reduce((sum, result) => sum + result.cpuMs, 0);
console.log(
  `plan + check + render --all, ${tenants} tenants: ${(total / 1000).toFixed(1)} s wall (target 30 s), ${(cpu / 1000).toFixed(1)} s CPU; ` +
    `${(total / floor.wallMs).toFixed(1)}x the floor's wall time, ${(cpu / floor.cpuMs).toFixed(1)}x its CPU time; bare node took ${bare.wallMs.toFixed(0)} ms`,
);
console.log(`peak memory ${peak.toFixed(0)} MB (target 1024 MB); at ${tenants} tenants at most ${growth.toFixed(2)}x the peak at ${Math.min(10, tenants)} (target 1.20x)`);
if (process.env.BENCH_JSON) console.log(JSON.stringify({ bare, floor: { ...floor, stdout: undefined }, results: results.map(({ stdout: _stdout, ...rest }) => rest) }));
