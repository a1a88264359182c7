/** AWS's cloud module. Its components are not written yet: planning or deploying an AWS tenant says so. */
import { UserError } from "../../model/errors.js";
import type { CloudModule } from "../contract.js";
import { awsCredentials } from "./credentials.js";

const notYet = () => new UserError("botinfra has no components for aws yet: the tenant's cloud must be azure for now");

export const aws: CloudModule = {
  loadRootComponent: () => Promise.reject(notYet()),
  mocks: () => {
    throw notYet();
  },
  stackConfig: (platform) => ({ "aws:region": { value: platform.region } }),
  offlineConfig: () => ({}),
  credentials: awsCredentials,
};
