/**
 * The policy pack's entry, run by the Pulumi CLI (`pulumi preview --policy-pack policies`): the only
 * place a PolicyPack is built, because building one starts the analyzer's gRPC server, which runs
 * until the engine stops it. Nothing imports this file; `botinfra check` runs the same policies from
 * pack.ts without the engine (offline.ts).
 */
import { PolicyPack } from "@pulumi/policy";
import { defaultPolicyConfig } from "./config.js";
import { PACK_ENFORCEMENT_LEVEL, PACK_NAME, policies } from "./pack.js";

new PolicyPack(
  PACK_NAME,
  {
    policies,
    enforcementLevel: PACK_ENFORCEMENT_LEVEL,
    description: "botinfra's security and availability promises for Azure, AWS and DigitalOcean programs.",
  },
  // The engine applies this first, then any --policy-pack-config file: levels and settings live in config.json.
  defaultPolicyConfig(),
);
