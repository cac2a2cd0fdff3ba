/**
 * The in-memory synth (modules/private/synth-memory.ts) against CDKTF's own
 * `app.synth()`: the same bytes for every stack and the manifest, on the
 * example, its variants (CI variables, S3 backend and remote state), the
 * generated configs of the differential test, and small apps built to hold
 * every kind of token, references across stacks, and aspects.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Construct } from "constructs";
import {
  Annotations,
  App,
  Aspects,
  AwsProvider,
  Fn,
  IamRole,
  Lazy,
  TerraformOutput,
  TerraformStack,
  TerraformVariable,
  Token,
  type IAspect,
} from "../modules/private/cdk";
import { stableJson } from "../modules/private/stable-json";
import { synthInMemory } from "../modules/private/synth-memory";
import type { Config } from "../modules/config/schema";
import { buildApp } from "../modules/stacks/app";
import { generateConfig } from "./support/differential";
import { mulberry32 as random } from "./support/random";
import { exampleConfig, tree } from "./support/synth";
import { tempDir } from "./support/temp";

// the library CDKTF writes with, from CDKTF's own dependencies
const stableStringify = require(require.resolve("json-stable-stringify", { paths: [path.dirname(require.resolve("cdktf"))] })) as (
  v: unknown,
  o: { space: number },
) => string;

const tmp = () => tempDir("memory");

/** both ways for one app factory: CDKTF's synth and the in-memory one, as file trees */
function bothWays(make: (outdir: string) => App): { stock: Record<string, string>; memory: Record<string, string> | undefined } {
  const a = tmp();
  const b = tmp();
  try {
    make(a).synth();
    const app = make(b);
    const stacks = synthInMemory(app);
    if (stacks)
      for (const s of stacks) {
        const file = path.join(app.outdir, s.file);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, stableJson(s.json));
      }
    return { stock: tree(a), memory: stacks ? tree(b) : undefined };
  } finally {
    fs.rmSync(a, { recursive: true, force: true });
    fs.rmSync(b, { recursive: true, force: true });
  }
}

function configApp(config: Config) {
  return (outdir: string) => buildApp(config, { outdir, projectDir: path.dirname(outdir) });
}

describe("the in-memory synth writes what CDKTF's synth writes, byte for byte", () => {
  const cases: [string, Config][] = [
    ["the example", exampleConfig()],
    [
      "the example with CI (provider roles as variables) and an S3 backend (remote state, overrides)",
      exampleConfig((c) => {
        c.backend = { type: "s3", bucket: "acme-tf-state", region: "eu-west-1", roleArn: "arn:aws:iam::111122223333:role/state" };
        c.ci = { github: { repository: "acme/snowplow-infra" } };
      }),
    ],
    [
      "the example operating, with the installer deleted",
      exampleConfig((c) => ((c.pipeline.phase = "operate"), (c.pipeline.installer = { deleteUserWhenOperating: true }))),
    ],
    ...Array.from({ length: 10 }, (_, i): [string, Config] => [`generated config, seed ${i + 1}`, generateConfig(i + 1).config]),
  ];
  test.each(cases)("%s", (_name, config) => {
    const { stock, memory } = bothWays((outdir) => configApp(config)(path.join(outdir, "cdktf.out")));
    expect(memory).toBeDefined();
    expect(Object.keys(memory!).sort()).toEqual(Object.keys(stock).sort());
    expect(Object.keys(stock).filter((f) => f.endsWith("cdk.tf.json")).length).toBeGreaterThan(1);
    for (const f of Object.keys(stock)) expect([f, memory![f]]).toEqual([f, stock[f]]);
  });
});

/** an app with every kind of token CDKTF has, in two stacks */
function tokenApp(outdir: string, options: { crossStack?: boolean; aspect?: boolean } = {}): App {
  const app = new App({ outdir, stackTraces: false });
  const a = new TerraformStack(app, "first");
  new AwsProvider(a, "aws", { region: "eu-west-1" });
  const count = new TerraformVariable(a, "count", { type: "number", default: 2 });
  const names = new TerraformVariable(a, "names", { type: "list(string)", default: ["x"] });
  const tags = new TerraformVariable(a, "tags", { type: "map(string)", default: {} });
  const role = new IamRole(a, "role", {
    name: `r-${Lazy.stringValue({ produce: () => "lazy" })}`,
    assumeRolePolicy: Fn.jsonencode({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: names.listValue } }],
    }),
    description: "a literal ${aws:username} and $${escaped} and 1.5e+10 and e+ in text",
    maxSessionDuration: Token.asNumber(Fn.max([count.numberValue, 3600])),
    tags: tags.value,
    managedPolicyArns: Lazy.listValue({ produce: () => ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }),
    path: `/${Fn.lower("P")}/`,
  });
  role.addOverride("lifecycle.ignore_changes", ["tags"]);
  role.addOverride("force_detach_policies", undefined);
  a.addOverride("terraform.required_version", ">= 1.10");
  new TerraformOutput(a, "arn", { value: role.arn, description: `${count.numberValue} roles` });
  new TerraformOutput(a, "numbers", { value: [count.numberValue, 1e300, -123, 0.5] });
  const b = new TerraformStack(app, "second");
  new AwsProvider(b, "aws", { region: "eu-west-1" });
  new IamRole(b, "other", { name: options.crossStack ? role.name : "plain", assumeRolePolicy: "{}" });
  // annotations go into the manifest, as cdktf synth shows them
  Annotations.of(a).addInfo("synthesizing for acme");
  Annotations.of(role).addWarning("a warning on a resource");
  if (options.aspect) {
    const aspect: IAspect = { visit: (node) => node instanceof IamRole && node.addOverride("path", "/aspect/") };
    Aspects.of(b).add(aspect);
  }
  return app;
}

describe("tokens, references across stacks and aspects", () => {
  test("every kind of token resolves as CDKTF resolves it", () => {
    const { stock, memory } = bothWays((d) => tokenApp(d));
    expect(memory).toEqual(stock);
    expect(stock["stacks/first/cdk.tf.json"]).toContain("${var.count}");
    expect(stock["stacks/first/cdk.tf.json"]).toContain("$${escaped}");
    expect(stock["manifest.json"]).toContain("a warning on a resource");
  });

  test("a reference across stacks: the stacks it touches take CDKTF's own toTerraform, and the result is the same", () => {
    const { stock, memory } = bothWays((d) => tokenApp(d, { crossStack: true }));
    expect(stock["stacks/second/cdk.tf.json"]).toContain("terraform_remote_state");
    expect(stock["stacks/first/cdk.tf.json"]).toContain("cross-stack-output");
    expect(memory).toEqual(stock);
  });

  test("an app with an aspect is left to CDKTF's synth", () => {
    expect(bothWays((d) => tokenApp(d, { aspect: true })).memory).toBeUndefined();
  });

  test("an error annotation stops the synth as CDKTF's does", () => {
    const d = tmp();
    try {
      const app = tokenApp(d);
      const first = app.node.findChild("first") as Construct;
      Annotations.of(first).addError("broken");
      expect(() => synthInMemory(app)).toThrow(/\[first\] broken/);
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
});

describe("stableJson writes what json-stable-stringify writes", () => {
  test("on made-up values: empty and nested objects and arrays, undefined, integer-like and unicode keys, odd numbers", () => {
    const values: unknown[] = [
      {},
      [],
      { a: [], b: {}, c: [{}], d: undefined, e: [undefined, null, 1] },
      { "10": 1, "9": 2, b: 1, a: 2, é: 3, Z: 4, "": 5 },
      [1.5e300, -0, 0.1, 'x\ny"z', true, false, null],
      { date: new Date(0), nested: { deeper: { deepest: ["a", { k: "v" }] } } },
      "plain",
      42,
    ];
    const rnd = random(7);
    const make = (depth: number): unknown => {
      const r = rnd();
      if (depth > 3 || r < 0.3) return [null, "s", 1, true, undefined, "${x}"][Math.floor(rnd() * 6)];
      if (r < 0.6) return Array.from({ length: Math.floor(rnd() * 4) }, () => make(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(rnd() * 4) }, (_, i) => [`k${Math.floor(rnd() * 20)}${i}`, make(depth + 1)]));
    };
    // top level: what is written is a stack or the manifest, never undefined
    for (let i = 0; i < 200; i++) values.push(make(0) ?? {});
    for (const v of values) expect(stableJson(v)).toBe(stableStringify(v, { space: 2 }));
  });
});

describe("the synth command's two ways", () => {
  test("an app left to CDKTF's synth (synthInMemory declines) gives the same output folder as the in-memory way", async () => {
    const config = exampleConfig((c) => {
      // an adopted part: its stack gets import blocks, changed after the synth on both ways
      c.accounts.snowplow.mode = "adopt";
    });
    const run = async (synthesize: typeof import("../modules/stacks/synth").synthesize) => {
      const dir = tmp();
      try {
        await synthesize(config, { outdir: path.join(dir, "cdktf.out"), projectDir: dir });
        return tree(path.join(dir, "cdktf.out"));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    };
    const memory = await run((await import("../modules/stacks/synth")).synthesize);
    let stock: Record<string, string> = {};
    await jest.isolateModulesAsync(async () => {
      jest.doMock("../modules/private/synth-memory", () => ({ synthInMemory: () => undefined }));
      stock = await run((await import("../modules/stacks/synth")).synthesize);
    });
    expect(Object.keys(memory).length).toBeGreaterThan(5);
    expect(memory["stacks/management/cdk.tf.json"]).toContain('"import"');
    expect(stock).toEqual(memory);
  });
});
