// `npm run test:e2e`: botinfra against a real cloud. Never part of `npm test` (vitest.config.ts includes
// only test/**/*.test.ts), and never a silent pass: without BOTINFRA_E2E=1 it refuses to run at all.
import { defineConfig } from "vitest/config";

if (process.env.BOTINFRA_E2E !== "1") {
  process.stderr.write(
    "test:e2e creates and destroys real cloud resources (a small throwaway tenant) through the Pulumi CLI.\n" +
      "It needs: BOTINFRA_E2E=1, the Pulumi CLI on PATH, the cloud's credentials (see the README), and optionally\n" +
      "BOTINFRA_E2E_CLOUD=azure|aws|digitalocean, BOTINFRA_E2E_REGION, PULUMI_BACKEND_URL and PULUMI_CONFIG_PASSPHRASE.\n" +
      "Run: BOTINFRA_E2E=1 npm run test:e2e\n",
  );
  process.exit(2);
}

export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.ts"],
    // Each step needs the one before: after a failure the rest would only fail again (or create what nobody destroys).
    bail: 1,
    pool: "forks",
    // Creating and deleting servers, load balancers and NAT gateways takes minutes.
    testTimeout: 45 * 60_000,
    hookTimeout: 45 * 60_000,
  },
});
