/** Reading a plan that `botinfra plan --json` wrote: checked, so that a bad file is one clear message. */
import { z } from "zod";
import { formatPath, UserError } from "../model/errors.js";
import { readUserFile } from "../spec-files/user-file.js";
import { CLOUDS } from "../model/spec.js";
import type { Plan } from "./graph.js";

const resourceSchema = z.object({
  urn: z.string(),
  type: z.string(),
  name: z.string(),
  custom: z.boolean(),
  parent: z.string().optional(),
  dependencies: z.array(z.string()),
  protect: z.boolean(),
  inputs: z.record(z.string(), z.unknown()),
});

const planSchema = z.object({
  tenant: z.string(),
  cloud: z.enum(CLOUDS),
  stacks: z.array(
    z.object({
      stack: z.string(),
      environment: z.string(),
      resources: z.array(resourceSchema),
      // The check reads no outputs: their shape is the planner's to keep.
      outputs: z.record(z.string(), z.unknown()),
    }),
  ),
});

function parsePlanText(text: string, source: string): Plan {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${source}: is not valid JSON (${(error as Error).message}); allowed: the output of botinfra plan --json`);
  }
  const result = planSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length > 0 ? ` ${formatPath(issue.path.map((part) => (typeof part === "symbol" ? String(part) : part)))}:` : "";
    throw new UserError(`${source}:${where} ${issue.message}; allowed: the output of botinfra plan --json`);
  }
  return result.data as unknown as Plan;
}

export function readPlanFile(file: string, source = file): Plan {
  return parsePlanText(readUserFile(file, "plan file", (why) => new UserError(`${source}: ${why}`)), source);
}
