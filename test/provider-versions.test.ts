/**
 * hashicorp/aws 5.100+ and 6.x together (issue #19): every resource and data
 * source type, argument and attribute the vendored modules use exists in
 * 5.100.0 (the bindings this project installs) and in 6.x (the community
 * fork's bindings for hashicorp/aws 6.66.0, recorded by `npm run
 * provider-schema`), and the modules' constraint combines with a repository
 * that pins either major.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as semver from "semver";
import { REQUIRED_PROVIDERS, TEMPLATES, vendorFiles } from "../modules/vendor/vendor";
import { bindingNames, missing, templateUsage } from "./support/provider-schema";
import { exampleConfig, ROOT } from "./support/synth";

const usage = templateUsage(TEMPLATES);
const six = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "provider-aws-schema.json"), "utf8")) as {
  package: string;
  provider: string;
  types: Record<string, string[]>;
};
const FIVE = path.join(ROOT, "node_modules", "@cdktf", "provider-aws");

/** a Terraform version constraint ("~> 6.0", ">= 5.100.0, < 7.0.0") as an npm semver range */
export function terraformRange(constraint: string): string {
  return constraint
    .split(",")
    .map((c) => c.trim())
    .map((c) => {
      const m = /^(~>|>=|<=|!=|>|<|=)?\s*(\d+(?:\.\d+){0,2})$/.exec(c);
      if (!m) throw new Error(`not a version constraint: ${c}`);
      const [op = "=", v] = [m[1], m[2]];
      const parts = v.split(".").map(Number);
      const full = [...parts, 0, 0].slice(0, 3).join(".");
      if (op === "~>") {
        // ~> 6.0 allows 6.x; ~> 5.100.1 allows 5.100.x: the last given part may grow
        const upper = parts.length === 1 ? [parts[0] + 1, 0, 0] : [...parts.slice(0, -2), parts[parts.length - 2] + 1, 0, 0].slice(0, 3);
        return `>=${full} <${[...upper, 0, 0].slice(0, 3).join(".")}`;
      }
      if (op === "!=") return `<${full} || >${full}`;
      return `${op === "=" ? "" : op}${full}`;
    })
    .join(" ");
}

const awsConstraint = (text: string) => /source\s*=\s*"hashicorp\/aws"\s*\n\s*version\s*=\s*"([^"]+)"/.exec(text)?.[1];
const moduleConstraint = () => awsConstraint(REQUIRED_PROVIDERS)!;

describe("the vendored modules on hashicorp/aws 5.100 and 6.x", () => {
  test("the templates use what they are expected to (the parser is not blind)", () => {
    expect(Object.keys(usage)).toEqual(expect.arrayContaining(["resource aws_iam_role", "resource aws_s3_bucket_policy", "data aws_dynamodb_table"]));
    expect(usage["resource aws_iam_role"].args).toEqual(expect.arrayContaining(["assume_role_policy", "permissions_boundary"]));
    expect(usage["resource aws_dynamodb_table"].args).toEqual(expect.arrayContaining(["point_in_time_recovery", "attribute", "hash_key"]));
    expect(usage["data aws_dynamodb_table"].reads).toContain("point_in_time_recovery");
    expect(usage["resource aws_iam_policy"].reads).toContain("arn");
  });

  test("every type, argument and attribute exists in 5.100.0", () => {
    expect(bindingNames(FIVE, "resource aws_iam_role")?.version).toBe("5.100.0");
    expect(missing(usage, (k) => bindingNames(FIVE, k)?.names)).toEqual([]);
  });

  test(`every type, argument and attribute exists in 6.x (${six.provider}, from ${six.package})`, () => {
    expect(six.provider).toMatch(/^hashicorp\/aws 6\./);
    // the record covers every type the templates use (re-run npm run provider-schema when a module adds one)
    expect(Object.keys(six.types).sort()).toEqual(Object.keys(usage).sort());
    expect(missing(usage, (k) => six.types[k])).toEqual([]);
  });

  test("a name that does not exist is reported, on either side", () => {
    const wrong = { "resource aws_iam_role": { args: ["inline_policy_v9"], reads: ["no_such_attr"] }, "resource aws_nothing": { args: [], reads: [] } };
    expect(missing(wrong, (k) => six.types[k])).toEqual([
      "resource aws_iam_role: argument inline_policy_v9",
      "resource aws_iam_role: attribute no_such_attr",
      "resource aws_nothing: no such type",
    ]);
    expect(missing(wrong, (k) => bindingNames(FIVE, k)?.names)).toHaveLength(3);
  });

  test("the constraint is >= 5.100.0, < 7.0.0 in every module and the example, and combines with a repository pinned to either major", () => {
    expect(moduleConstraint()).toBe(">= 5.100.0, < 7.0.0");
    const files = vendorFiles(exampleConfig(), "config/example.json");
    const versions = Object.entries(files).filter(([n]) => n.endsWith("versions.tf"));
    expect(versions.length).toBe(8); // seven modules and the example
    for (const [name, text] of versions) expect([name, awsConstraint(text)]).toEqual([name, ">= 5.100.0, < 7.0.0"]);
    const ours = new semver.Range(terraformRange(moduleConstraint()));
    for (const [pin, expected] of [
      ["~> 6.0", "6.66.0"],
      ["~> 5.100", "5.100.0"],
      [">= 6.9", "6.66.0"],
    ] as const) {
      const theirs = new semver.Range(terraformRange(pin));
      expect([pin, semver.intersects(ours, theirs)]).toEqual([pin, true]);
      expect(semver.satisfies(expected, ours) && semver.satisfies(expected, theirs)).toBe(true);
    }
    // what cannot combine is seen as such
    expect(semver.intersects(ours, new semver.Range(terraformRange("~> 7.0")))).toBe(false);
    expect(semver.intersects(ours, new semver.Range(terraformRange("~> 5.99.0")))).toBe(false);
    expect(terraformRange("~> 5.100.1")).toBe(">=5.100.1 <5.101.0");
  });
});
