/** DigitalOcean's cloud module: what botinfra needs of DigitalOcean, without loading its SDK until a stack is built. */
import type { CloudModule } from "../contract.js";
import { digitalOceanCredentials } from "./credentials.js";
import { digitalOceanMocks } from "./mocks.js";

export const digitalocean: CloudModule = {
  loadRootComponent: async () => (await import("./platform.js")).DigitalOceanPlatform,
  mocks: digitalOceanMocks,
  // DigitalOcean's resources name their region themselves: the provider has no region setting.
  stackConfig: () => ({}),
  offlineConfig: () => ({}),
  credentials: (env) => digitalOceanCredentials(env),
};
