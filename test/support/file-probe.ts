/** A file system holding only the files a test gives, for the readiness and credentials checks. */
import type { FileProbe } from "../../components/contract.js";

export const HOME = "/home/ops";

/** The given files (path to text), each with mode 0600 unless `modes` says otherwise; nothing else exists. */
export function files(contents: Record<string, string> = {}, modes: Record<string, number> = {}): FileProbe {
  return { home: HOME, readText: (path) => contents[path], mode: (path) => (path in contents ? (modes[path] ?? 0o600) : undefined) };
}
