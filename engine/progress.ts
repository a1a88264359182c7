/**
 * From the engine's event stream to what a person or a CI job reads: one record per resource operation
 * (what, which type, which name, how long), warnings and errors, a line per stack and a summary. The
 * records are printed as lines on a terminal and as JSON lines with --json.
 */
import { OPERATION_TITLES, type Operation } from "./lifecycle.js";

/**
 * The part of the engine's events (the Automation API's EngineEvent, in the shape the CLI's
 * --event-log sends) that progress reads. Declared here so that nothing above engine/automation.ts
 * depends on the Pulumi SDK; the SDK's own type is checked against it there.
 */
export interface StepMetadata {
  op: string;
  urn: string;
  type: string;
}

export interface EngineEventLike {
  resourcePreEvent?: { metadata: StepMetadata; planning?: boolean };
  resOutputsEvent?: { metadata: StepMetadata; planning?: boolean };
  resOpFailedEvent?: { metadata: StepMetadata; status: number; steps: number };
  diagnosticEvent?: { urn?: string; message: string; severity: string; ephemeral?: boolean };
  policyEvent?: { resourceUrn?: string; message: string; policyName: string; policyPackName: string; enforcementLevel: string };
}

export type ChangeCounts = Partial<Record<string, number>>;

export type StackResult = "succeeded" | "failed" | "cancelled" | "declined" | "not run";

export type ProgressRecord =
  | { type: "stack-start"; operation: Operation; stack: string; environment: string; index: number; count: number }
  | {
      type: "resource";
      stack: string;
      op: string;
      resourceType: string;
      name: string;
      urn: string;
      /** planned: a preview's step; done/failed: a step that ran, with its duration. */
      status: "planned" | "done" | "failed";
      durationMs?: number;
    }
  | { type: "diagnostic"; stack: string; severity: string; message: string; urn?: string }
  | { type: "stack-end"; operation: Operation; stack: string; environment: string; result: StackResult; changes: ChangeCounts; durationMs: number; message?: string }
  | {
      type: "summary";
      operation: Operation;
      tenant: string;
      result: "succeeded" | "failed" | "cancelled" | "declined";
      stacks: { stack: string; environment: string; result: StackResult; changes: ChangeCounts; message?: string }[];
    };

/** The stack's own resource is the container of the others; a line for it says nothing. */
const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";
/** A step that changes nothing: not worth a line. */
const UNCHANGED = "same";

/** Pulumi's messages carry colour directives (`<{%fg 1%}>`) that only its own renderer understands. */
export function stripColorDirectives(text: string): string {
  return text.replace(/<\{%[^%]*%\}>/g, "");
}

/** The resource's name: the last part of its URN (`urn:pulumi:stack::project::type::name`). */
export function resourceName(urn: string): string {
  const parts = urn.split("::");
  return parts[parts.length - 1] ?? urn;
}

/**
 * Turns one stack's events into records. A resource's duration runs from its step's start
 * (resourcePreEvent) to its end (resOutputsEvent or resOpFailedEvent), on the clock given.
 */
export class ProgressTracker {
  private readonly started = new Map<string, number>();

  constructor(
    private readonly stack: string,
    private readonly now: () => number = Date.now,
  ) {}

  onEvent(event: EngineEventLike): ProgressRecord[] {
    if (event.resourcePreEvent) {
      const { metadata, planning } = event.resourcePreEvent;
      if (!this.reported(metadata)) return [];
      if (planning) return [this.resource(metadata, "planned")];
      this.started.set(this.key(metadata), this.now());
      return [];
    }
    if (event.resOutputsEvent) {
      const { metadata, planning } = event.resOutputsEvent;
      // A preview reports each step twice (planned, then its planned outputs); the first is the line.
      if (planning || !this.reported(metadata)) return [];
      return [this.resource(metadata, "done")];
    }
    if (event.resOpFailedEvent) {
      const { metadata } = event.resOpFailedEvent;
      return metadata.type === ROOT_STACK_TYPE ? [] : [this.resource(metadata, "failed")];
    }
    if (event.diagnosticEvent) {
      const { urn, message, severity, ephemeral } = event.diagnosticEvent;
      if (ephemeral) return [];
      return [{ type: "diagnostic", stack: this.stack, severity, message: stripColorDirectives(message).trimEnd(), ...(urn ? { urn } : {}) }];
    }
    if (event.policyEvent) {
      const { resourceUrn, message, policyName, policyPackName, enforcementLevel } = event.policyEvent;
      return [
        {
          type: "diagnostic",
          stack: this.stack,
          severity: enforcementLevel === "mandatory" ? "error" : "warning",
          message: `policy ${policyPackName}/${policyName}: ${stripColorDirectives(message).trimEnd()}`,
          ...(resourceUrn ? { urn: resourceUrn } : {}),
        },
      ];
    }
    return [];
  }

  private reported(metadata: StepMetadata): boolean {
    return metadata.type !== ROOT_STACK_TYPE && metadata.op !== UNCHANGED;
  }

  private key(metadata: StepMetadata): string {
    return `${metadata.op} ${metadata.urn}`;
  }

  private resource(metadata: StepMetadata, status: "planned" | "done" | "failed"): ProgressRecord {
    const start = this.started.get(this.key(metadata));
    this.started.delete(this.key(metadata));
    return {
      type: "resource",
      stack: this.stack,
      op: metadata.op,
      resourceType: metadata.type,
      name: resourceName(metadata.urn),
      urn: metadata.urn,
      status,
      ...(status !== "planned" && start !== undefined ? { durationMs: this.now() - start } : {}),
    };
  }
}

/** A diagnostic's message, after the name of the resource it is about (none for the stack itself). */
export function diagnosticText(message: string, urn?: string): string {
  return urn && !urn.includes(`::${ROOT_STACK_TYPE}::`) ? `${resourceName(urn)}: ${message}` : message;
}

/** Pulumi's step symbols, so that the lines read like the CLI's own. */
const OP_SYMBOLS: Record<string, string> = {
  create: "+",
  update: "~",
  delete: "-",
  replace: "+-",
  "create-replacement": "++",
  "delete-replaced": "--",
  read: ">",
  "read-replacement": ">>",
  refresh: "~",
  import: "=",
  "import-replacement": "=>",
  "discard-replaced": "<<",
  remove: "-",
};

const PAST_TENSE: Record<string, string> = {
  create: "created",
  update: "updated",
  delete: "deleted",
  replace: "replaced",
  "create-replacement": "created replacement",
  "delete-replaced": "deleted original",
  read: "read",
  "read-replacement": "read replacement",
  refresh: "refreshed",
  import: "imported",
  "import-replacement": "imported replacement",
  "discard-replaced": "discarded",
  remove: "removed",
};

export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
}

/** "3 created, 1 updated"; unchanged resources are counted last. */
export function formatChanges(changes: ChangeCounts, planned: boolean): string {
  const parts = Object.entries(changes)
    .filter(([op, count]) => op !== UNCHANGED && (count ?? 0) > 0)
    .map(([op, count]) => `${count} ${planned ? `to ${op}` : (PAST_TENSE[op] ?? op)}`);
  const same = changes[UNCHANGED] ?? 0;
  if (same > 0) parts.push(`${same} unchanged`);
  return parts.length > 0 ? parts.join(", ") : "no changes";
}

export interface LineStyle {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
}

const plain: LineStyle = { bold: (t) => t, dim: (t) => t, red: (t) => t, green: (t) => t, yellow: (t) => t };

const RESULT_WORDS: Record<StackResult, string> = {
  succeeded: "succeeded",
  failed: "FAILED",
  cancelled: "cancelled",
  declined: "not confirmed",
  "not run": "not run",
};

/** The line (or lines) a person reads for a record; empty when it has none. */
export function formatRecord(record: ProgressRecord, style: LineStyle = plain): string[] {
  switch (record.type) {
    case "stack-start":
      return [style.bold(`${OPERATION_TITLES[record.operation]} ${record.stack} (${record.environment}, ${record.index} of ${record.count})`)];
    case "resource": {
      const symbol = OP_SYMBOLS[record.op] ?? "*";
      const verb = record.status === "planned" ? record.op : record.status === "failed" ? `${record.op} FAILED` : (PAST_TENSE[record.op] ?? record.op);
      const duration = record.durationMs !== undefined ? `  ${style.dim(formatDuration(record.durationMs))}` : "";
      const line = `  ${symbol} ${verb}  ${record.resourceType}  ${record.name}${duration}`;
      return [record.status === "failed" ? style.red(line) : line];
    }
    case "diagnostic": {
      if (record.severity !== "warning" && record.severity !== "error") return [];
      const paint = record.severity === "error" ? style.red : style.yellow;
      return [`  ${paint(`${record.severity}:`)} ${diagnosticText(record.message, record.urn).split("\n").join("\n    ")}`];
    }
    case "stack-end": {
      const planned = record.operation === "preview";
      const what = record.result === "succeeded" ? formatChanges(record.changes, planned) : RESULT_WORDS[record.result];
      const paint = record.result === "succeeded" ? style.green : record.result === "failed" ? style.red : style.yellow;
      return [`  ${paint(`${record.stack}: ${what}`)} ${style.dim(`in ${formatDuration(record.durationMs)}`)}`];
    }
    case "summary": {
      const rows = record.stacks.map((stack) => {
        const detail = stack.result === "succeeded" ? formatChanges(stack.changes, record.operation === "preview") : (stack.message ?? "");
        return `  ${stack.stack.padEnd(Math.max(...record.stacks.map((s) => s.stack.length)))}  ${RESULT_WORDS[stack.result].padEnd(13)}  ${detail}`.trimEnd();
      });
      return [style.bold(`${record.operation} ${record.tenant}: ${record.result}`), ...rows];
    }
  }
}

/** The JSON line CI reads for a record. */
export function jsonLine(record: ProgressRecord): string {
  return JSON.stringify(record);
}
