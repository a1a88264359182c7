/**
 * The policy pack as `pulumi preview --policy-pack policies` runs it: Pulumi's Node language host
 * starts `@pulumi/pulumi/cmd/run-policy-pack <engine> <pack folder>` in the pack folder (resolved from
 * there), reads the port it prints, and speaks the Analyzer gRPC protocol to it. This plays the
 * engine's part, for tests; it needs the built pack (dist/policies).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { PACK_DIR } from "../../policies/files.js";

const policyRequire = createRequire(createRequire(import.meta.url).resolve("@pulumi/policy/server.js"));

type Callback = (error: Error | null, response: unknown) => void;
type ClientMethod = (request: unknown, callback: Callback) => void;
interface AnalyzerClient {
  getAnalyzerInfo: ClientMethod;
  configure: ClientMethod;
  analyze: ClientMethod;
  analyzeStack: ClientMethod;
  close(): void;
}

const grpc = policyRequire("@grpc/grpc-js") as { credentials: { createInsecure(): unknown } };
const { AnalyzerClient } = policyRequire("@pulumi/pulumi/proto/analyzer_grpc_pb") as { AnalyzerClient: new (address: string, credentials: unknown) => AnalyzerClient };
const { Empty } = policyRequire("google-protobuf/google/protobuf/empty_pb") as { Empty: new () => unknown };

export interface AnalyzerInfo {
  getName(): string;
  getVersion(): string;
  getPoliciesList(): { getName(): string; getEnforcementlevel(): number }[];
  getInitialconfigMap(): { forEach(callback: (value: { getEnforcementlevel(): number; getProperties(): { toJavaScript(): object } | undefined }, key: string) => void): void };
}

export interface PackProcess {
  stderr: () => string;
  getAnalyzerInfo(): Promise<AnalyzerInfo>;
  configure(request: unknown): Promise<unknown>;
  analyze(request: unknown): Promise<unknown>;
  analyzeStack(request: unknown): Promise<unknown>;
  stop(): void;
}

export async function startPack(): Promise<PackProcess> {
  const runner = createRequire(join(PACK_DIR, "package.json")).resolve("@pulumi/pulumi/cmd/run-policy-pack");
  const child: ChildProcess = spawn(process.execPath, [runner, "127.0.0.1:0", PACK_DIR], { cwd: PACK_DIR, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`the pack exited with ${code} before serving:\n${stderr}`)));
  });
  const client = new AnalyzerClient(`127.0.0.1:${port.trim()}`, grpc.credentials.createInsecure());
  const rpc = (method: ClientMethod) => (request: unknown) =>
    new Promise<unknown>((resolve, reject) => method.call(client, request, (error, response) => (error ? reject(error) : resolve(response))));
  return {
    stderr: () => stderr,
    getAnalyzerInfo: () => rpc(client.getAnalyzerInfo)(new Empty()) as Promise<AnalyzerInfo>,
    configure: rpc(client.configure),
    analyze: rpc(client.analyze),
    analyzeStack: rpc(client.analyzeStack),
    stop: () => {
      client.close();
      child.kill("SIGTERM");
    },
  };
}
