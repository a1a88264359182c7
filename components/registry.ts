/**
 * The one place that maps a cloud to its module. Each entry is a lazy import, so a process loads only
 * the cloud it uses; a cloud missing here, or a module missing a piece, is a compile error.
 */
import type { Cloud } from "../model/spec.js";
import type { CloudModule } from "./contract.js";

const CLOUD_MODULES: Record<Cloud, () => Promise<CloudModule>> = {
  azure: async () => (await import("./azure/index.js")).azure,
  aws: async () => (await import("./aws/index.js")).aws,
  digitalocean: async () => (await import("./digitalocean/index.js")).digitalocean,
};

export function cloudModule(cloud: Cloud): Promise<CloudModule> {
  return CLOUD_MODULES[cloud]();
}
