/** Azure's cloud module: what botinfra needs of Azure, without loading its SDK until a stack is built. */
import type { CloudModule } from "../contract.js";
import { azureCredentials } from "./credentials.js";
import { azureMocks } from "./mocks.js";

export const azure: CloudModule = {
  loadRootComponent: async () => (await import("./platform.js")).AzurePlatform,
  mocks: azureMocks,
  stackConfig: (platform) => ({ "azure-native:location": { value: platform.region } }),
  offlineConfig: () => ({}),
  credentials: azureCredentials,
};
