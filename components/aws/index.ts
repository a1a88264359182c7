/** AWS's cloud module: what botinfra needs of AWS, without loading its SDK until a stack is built. */
import { HALF_COUNT } from "../../model/addresses.js";
import { CONFIG_NAMESPACE } from "../../stacks/config.js";
import type { CloudModule } from "../contract.js";
import { awsCredentials } from "./credentials.js";
import { awsMocks, OFFLINE_IMAGES } from "./mocks.js";
import { IMAGES_KEY, ZONES_KEY } from "./pinned.js";

const ZONE_LETTERS = "abcdef";

export const aws: CloudModule = {
  loadRootComponent: async () => (await import("./platform.js")).AwsPlatform,
  mocks: awsMocks,
  // The zones and the image are not set here: the program looks them up once and asks for them to be pinned (see pinned.ts).
  stackConfig: (platform) => ({ "aws:region": { value: platform.region } }),
  // The plan pins the region's first zones by their usual names and placeholder images.
  offlineConfig: (platform) => ({
    "aws:region": platform.region,
    [`${CONFIG_NAMESPACE}:${ZONES_KEY}`]: JSON.stringify(Array.from({ length: HALF_COUNT }, (_, index) => `${platform.region}${ZONE_LETTERS[index]}`)),
    [`${CONFIG_NAMESPACE}:${IMAGES_KEY}`]: JSON.stringify(OFFLINE_IMAGES),
  }),
  credentials: awsCredentials,
};
