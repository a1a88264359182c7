// Writes N generated tenant specs (the fleet bench's shape) into a folder: each on Azure with two
// environments, production (three tiers of two servers, two proxies) and development (two tiers of one).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJE5Eo5AGXTotl9+mE98fz/9CI+nehkqRQEo3YGYamBj ops@example";

/** `tenant-007`: names sort in creation order. */
export const tenantName = (index) => `tenant-${String(index).padStart(3, "0")}`;

export function tenantSpec(index) {
  const name = tenantName(index);
  return `tenant: ${name}
cloud: azure
region: westeurope
domain: ${name}.example.com
admin:
  username: botadmin
  sshPublicKeys:
    - ${KEY}
managementCidrs: ["203.0.113.0/24"]
proxy: { size: Standard_B2s }
environments:
  production:
    proxy: { count: 2 }
    tiers:
      front: { count: 2, size: Standard_B2s, port: 3000, expose: "@" }
      api:   { count: 2, size: Standard_B2s, port: 8080, expose: "api" }
      db:    { count: 2, size: Standard_D2s_v5, port: 27017 }
  development:
    tiers:
      front: { count: 1, size: Standard_B1s, port: 3000, expose: "@" }
      api:   { count: 1, size: Standard_B1s, port: 8080, expose: "api" }
`;
}

export function writeTenants(dir, count) {
  mkdirSync(dir, { recursive: true });
  for (let index = 1; index <= count; index += 1) writeFileSync(join(dir, `${tenantName(index)}.yaml`), tenantSpec(index));
}
