/** How a path is shown in messages. */
import { relative } from "node:path";

/** Paths inside the working directory are shown relative to it, the way the user typed them. */
export function displayPath(file: string): string {
  const fromCwd = relative(process.cwd(), file);
  return fromCwd && !fromCwd.startsWith("..") && !fromCwd.startsWith("/") ? fromCwd : file;
}
