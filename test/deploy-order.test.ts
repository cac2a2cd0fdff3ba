/**
 * `cdktf deploy '*'` follows the dependencies in the manifest: the stacks
 * apply as one system, management -> snowplow-pipeline -> backup -> source-*.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { buildApp } from "../modules/stacks/app";
import { exampleConfig, synthStacks } from "./support/synth";
import { tempDir } from "./support/temp";

function manifest(change?: (c: any) => void): Record<string, string[]> {
  const dir = tempDir("order");
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

test("a new account without its id yet: the same order, the pipeline after the management stack whose state it reads", () => {
  expect(manifest((c) => delete c.accounts.snowplow.id)).toEqual({
    management: [],
    "snowplow-pipeline": ["management"],
    backup: ["snowplow-pipeline"],
    "source-shop": ["backup"],
    "source-legacy": ["backup"],
  });
});

test("each stack outputs what a user or another stack needs, under readable names", () => {
  const stacks = synthStacks(exampleConfig());
  const outputs = (name: string) => Object.keys(stacks[name].output ?? {}).sort();
  expect(outputs("snowplow-pipeline")).toEqual([
    "app_acme_collector_instance_profile_name",
    "app_acme_collector_role_arn",
    "app_acme_enrich_role_arn",
    "app_acme_s3_loader_instance_profile_name",
    "app_acme_s3_loader_role_arn",
    "operator_policy_arn",
    "operator_user_arn",
    "spark_instance_profile_name",
    "spark_launcher_policy_arn",
    "spark_node_role_arn",
  ]);
  expect(outputs("backup")).toEqual(["backup_bucket_arn", "backup_key_arn"]);
  expect(outputs("source-shop")).toEqual(["backup_writer_role_arn"]);
  expect(stacks["snowplow-pipeline"].output.app_acme_enrich_role_arn.value).toMatch(/^\$\{aws_iam_role\..*\.arn\}$/);
});
