/** DigitalOcean's cloud module. Its components are not written yet: planning or deploying a DigitalOcean tenant says so. */
import { UserError } from "../../model/errors.js";
import type { CloudModule } from "../contract.js";
import { digitalOceanCredentials } from "./credentials.js";

const notYet = () => new UserError("botinfra has no components for digitalocean yet: the tenant's cloud must be azure for now");

export const digitalocean: CloudModule = {
  loadRootComponent: () => Promise.reject(notYet()),
  mocks: () => {
    throw notYet();
  },
  // DigitalOcean's resources name their region themselves: the provider has no region setting.
  stackConfig: () => ({}),
  offlineConfig: () => ({}),
  credentials: (env) => digitalOceanCredentials(env),
};
