#!/usr/bin/env node
// Cost per planned resource, Azure's sample (acme) against AWS's (initech), in one run:
// `node bench/plan-cost.mjs` (after `npm run build`). Each `plan --json` is a fresh process (start-up
// included, as a user pays it); medians over BENCH_PLAN_RUNS runs, interleaved so that load on the
// machine falls on both alike. The goal is the same order of cost per resource on both clouds.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const runs = Number(process.env.BENCH_PLAN_RUNS ?? 5);
const tenants = ["acme", "initech"];

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const times = Object.fromEntries(tenants.map((tenant) => [tenant, []]));
const resources = {};
for (let i = 0; i < runs; i += 1) {
  for (const tenant of tenants) {
    const start = process.hrtime.bigint();
    const stdout = execFileSync(process.execPath, [cli, "plan", "--tenant", tenant, "--json"], { env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 1 << 28, stdio: ["ignore", "pipe", "ignore"] });
    times[tenant].push(Number(process.hrtime.bigint() - start) / 1e6);
    resources[tenant] = JSON.parse(stdout).stacks.reduce((count, stack) => count + stack.resources.length, 0);
  }
}
const perResource = {};
for (const tenant of tenants) {
  const ms = median(times[tenant]);
  perResource[tenant] = ms / resources[tenant];
  console.log(`plan --tenant ${tenant.padEnd(8)} ${String(resources[tenant]).padStart(4)} resources  ${String(Math.round(ms)).padStart(6)} ms  ${perResource[tenant].toFixed(1)} ms/resource`);
}
console.log(`AWS / Azure cost per resource: ${(perResource.initech / perResource.acme).toFixed(2)}`);
