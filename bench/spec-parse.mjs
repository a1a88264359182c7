#!/usr/bin/env node
// Validation time of a tenant spec against its size: `node bench/spec-parse.mjs` (after `npm run build`).
// A spec with N unknown keys (what an attacker can pack in) must take time linear in N: doubling N
// should double the time, not quadruple it. Files over the spec size limit are refused before this.
import { fileURLToPath } from "node:url";

const { parseTenantText } = await import(fileURLToPath(new URL("../dist/model/tenant-text.js", import.meta.url)));
const { SpecError } = await import(fileURLToPath(new URL("../dist/model/errors.js", import.meta.url)));
const base = `tenant: acme
cloud: azure
region: westeurope
domain: acme.example.com
admin:
  username: botadmin
  sshPublicKeys:
    - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJE5Eo5AGXTotl9+mE98fz/9CI+nehkqRQEo3YGYamBj ops@acme
environments:
  production:
    tiers:
      api: {count: 1, size: Standard_B2s, port: 8080}
extra:
`;

for (const keys of (process.env.BENCH_KEYS ?? "10000,20000,40000").split(",").map(Number)) {
  const text = base + Array.from({ length: keys }, (_, index) => `  k${index}: 1\n`).join("");
  const start = process.hrtime.bigint();
  try {
    parseTenantText(text, "bench.yaml");
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(`${String(keys).padStart(6)} keys (${(text.length / 1024).toFixed(0)} KiB): ${ms.toFixed(0)} ms`);
}
