// Loaded with `node --import`: records every module URL the program resolves into the file named by
// BOTINFRA_TRACE_IMPORTS, so a test can see which packages a command loads.
import { register } from "node:module";

register(new URL("./trace-imports-hooks.mjs", import.meta.url), { data: { file: process.env.BOTINFRA_TRACE_IMPORTS } });
