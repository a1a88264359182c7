/** Reading environment variables the way the cloud providers do: an empty value is an unset one. */
import type { Env } from "./contract.js";

export const isSet = (env: Env, name: string) => (env[name] ?? "") !== "";
export const isTrue = (env: Env, name: string) => env[name]?.toLowerCase() === "true";

export function missing(env: Env, names: string[]): string[] {
  return names.filter((name) => !isSet(env, name));
}
