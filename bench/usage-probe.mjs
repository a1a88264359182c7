// Loaded with `node --import`: when the process exits, writes its resource usage (every thread's CPU
// time and the peak resident memory) as JSON to the file named by BENCH_USAGE_FILE. Worker threads are
// threads of this process, so the figures cover them; no /usr/bin/time needed.
import { writeFileSync } from "node:fs";

const file = process.env.BENCH_USAGE_FILE;
if (file) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ userMs: usage.userCPUTime / 1000, systemMs: usage.systemCPUTime / 1000, maxRssKb: usage.maxRSS }));
  });
}
