#!/usr/bin/env node
// Startup cost of the CLI against bare node: `npm run bench` (after `npm run build`).
// Reports medians over many runs; the design goal is a small multiple of bare node for commands
// that need no cloud SDK. `plan` loads Pulumi and the cloud's SDK and evaluates every stack: it is
// measured over fewer runs (BENCH_PLAN_RUNS).
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 15);
const planRuns = Number(process.env.BENCH_PLAN_RUNS ?? 5);
const cases = [
  ["node -e 0 (baseline)", ["-e", "0"], runs],
  ["botinfra --help", [cli, "--help"], runs],
  ["botinfra tenants show --tenant acme --json", [cli, "tenants", "show", "--tenant", "acme", "--json"], runs],
  ["botinfra plan --tenant acme --json (3 stacks)", [cli, "plan", "--tenant", "acme", "--json"], planRuns],
];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const results = cases.map(([name, args, count]) => {
  const times = [];
  for (let i = 0; i < count; i += 1) {
    const start = process.hrtime.bigint();
    execFileSync(process.execPath, args, { stdio: "ignore", env: { ...process.env, NO_COLOR: "1" } });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { name, medianMs: Math.round(median(times)) };
});
const baseline = results[0].medianMs;
for (const { name, medianMs } of results) {
  console.log(`${name.padEnd(48)} ${String(medianMs).padStart(6)} ms  ${(medianMs / baseline).toFixed(1)}x node`);
}
