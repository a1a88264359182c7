/**
 * Tags on clouds whose tags are plain names rather than key/value pairs (DigitalOcean): botinfra
 * writes each tag as one `key:value` name, so the policy pack reads the same tags on every cloud.
 */
import type { Tags } from "./platform.js";

const TAG_NAME_SEPARATOR = ":";

export function tagNames(tags: Tags): string[] {
  return Object.entries(tags).map(([key, value]) => `${key}${TAG_NAME_SEPARATOR}${value}`);
}

/** Names without a separator are plain labels, not key/value tags: they are left out. */
export function parseTagNames(names: readonly string[]): Tags {
  const tags: Tags = {};
  for (const name of names) {
    const at = name.indexOf(TAG_NAME_SEPARATOR);
    if (at > 0) tags[name.slice(0, at)] = name.slice(at + 1);
  }
  return tags;
}
