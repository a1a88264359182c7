/**
 * The fleet's progress line on a terminal: tenants done / total, the tenant last started, the time so
 * far, redrawn in place on stderr. Quiet when stderr is no terminal, in CI and with --json.
 */
/** How often the elapsed time is redrawn while nothing else happens. */
const TICK_MS = 250;

export interface FleetProgress {
  started(tenant: string): void;
  finished(): void;
  /** Clears the line before other output is written to stderr. */
  clear(): void;
  stop(): void;
}

const QUIET: FleetProgress = { started: () => undefined, finished: () => undefined, clear: () => undefined, stop: () => undefined };

export function shouldShowProgress(json: boolean, stream: { isTTY?: boolean } = process.stderr, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !json && !env.CI;
}

/** `verb` names the work: "planning", "checking", "rendering". */
export function fleetProgress(verb: string, total: number, show: boolean, stream: NodeJS.WriteStream = process.stderr): FleetProgress {
  if (!show) return QUIET;
  const start = performance.now();
  let done = 0;
  let current = "";
  let shown = false;
  const draw = () => {
    const seconds = ((performance.now() - start) / 1000).toFixed(1);
    // Plain text, cut to the terminal's width: a wrapped line could not be redrawn in place.
    const line = `${verb} [${done}/${total}] ${seconds} s  ${current}`;
    stream.write(`\r\u001b[2K${line.slice(0, (stream.columns || 80) - 1)}`);
    shown = true;
  };
  const timer = setInterval(draw, TICK_MS);
  timer.unref();
  return {
    started: (tenant) => {
      current = tenant;
      draw();
    },
    finished: () => {
      done += 1;
      draw();
    },
    clear: () => {
      if (shown) stream.write("\r\u001b[2K");
      shown = false;
    },
    stop: () => {
      clearInterval(timer);
      if (shown) stream.write("\r\u001b[2K");
      shown = false;
    },
  };
}
