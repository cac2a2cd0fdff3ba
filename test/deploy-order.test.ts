/**
 * `cdktf deploy '*'` follows the dependencies in the manifest: the stacks
 * apply as one system, management -> snowplow-pipeline -> backup -> source-*.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildApp } from "../modules/stacks/app";
import { exampleConfig } from "./support/synth";

function manifest(change?: (c: any) => void): Record<string, string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snowplow-iac-order-"));
  buildApp(exampleConfig(change), { outdir: path.join(dir, "cdktf.out"), projectDir: dir }).synth();
  const m = JSON.parse(fs.readFileSync(path.join(dir, "cdktf.out", "manifest.json"), "utf8"));
  return Object.fromEntries(Object.entries<any>(m.stacks).map(([name, s]) => [name, s.dependencies]));
}

test("the manifest orders the stacks as the README's apply order", () => {
  expect(manifest()).toEqual({
    management: [],
    "snowplow-pipeline": ["management"],
    backup: ["snowplow-pipeline"],
    "source-shop": ["backup"],
    "source-legacy": ["backup"],
  });
});

test("without the pipeline stack (a new account's first phase), backup follows management", () => {
  expect(manifest((c) => delete c.accounts.snowplow.id)).toEqual({
    management: [],
    backup: ["management"],
    "source-shop": ["backup"],
    "source-legacy": ["backup"],
  });
});
