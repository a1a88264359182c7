/** The `pipeline` command's options, apart from its writers so that `--help` loads none of them. */
import type { GlobalArgs } from "../globals.js";

export const PROVIDERS = ["github", "gitlab"] as const;

export type PipelineArgs = GlobalArgs & {
  provider: (typeof PROVIDERS)[number];
  out: string;
  tenant?: string[];
  "default-branch": string;
  "drift-schedule": string;
};
