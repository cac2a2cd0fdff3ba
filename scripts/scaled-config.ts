/** generated configs with many streams, applications and source accounts (scale tests and the benchmark) */
import * as fs from "node:fs";
import * as path from "node:path";

export interface ScaleOptions {
  /** applications, one stream each @default streams */
  readonly applications?: number;
  /** add one consumer that reads every stream (the worst case for one role's policies) @default true */
  readonly allStreamsConsumer?: boolean;
}

/** the example config (config/example.json) with n streams, applications and source accounts */
export function scaledInput(streams: number, sources: number, options: ScaleOptions = {}): any {
  const applications = options.applications ?? streams;
  const c = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "config", "example.json"), "utf8"));
  const pad = (i: number) => String(i).padStart(4, "0");
  c.kinesis.streams = Array.from({ length: streams }, (_, i) => ({ name: `acme-stream-${pad(i)}` }));
  const names = c.kinesis.streams.map((s: any) => s.name);
  c.kinesis.applications = Array.from({ length: applications }, (_, i) => ({
    name: `acme-app-${pad(i)}`,
    kind: i % 2 === 0 ? "consumer" : "producer",
    streams: [names[i % streams]],
    runAs: "ec2",
  }));
  // the worst case: one consumer of every stream, with its own lease table
  if (options.allStreamsConsumer ?? true)
    c.kinesis.applications.push({ name: "acme-all-streams", kind: "consumer", streams: names, kclVersion: 3, runAs: "ec2", createLeaseTable: true });
  c.accounts.sources = Array.from({ length: sources }, (_, i) => ({
    name: `src${pad(i)}`,
    id: String(200000000000 + i),
    method: i % 3 === 2 ? "data-pipeline" : "native-export",
    ...(i % 3 === 2 ? {} : { tables: [`orders-${pad(i)}`, `customers-${pad(i)}`] }),
  }));
  return c;
}
