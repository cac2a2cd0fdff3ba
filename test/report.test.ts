import * as fs from "node:fs";
import * as path from "node:path";
import { accessReport } from "../scripts/report";
import { ROOT } from "./support/synth";

describe("access report", () => {
  let report: string;
  beforeAll(async () => {
    report = (await accessReport({ file: path.join(ROOT, "config", "example.json"), via: "--config" })).report;
  });

  test("docs/access-report.md is the report of the example config (run: npm run report -- --out docs/access-report.md)", () => {
    expect(fs.readFileSync(path.join(ROOT, "docs", "access-report.md"), "utf8")).toBe(report);
  });

  test("lists each principal with its policies, statements by service, and reasons", () => {
    expect(report).toContain("## Stack `snowplow-pipeline`, account 444455556666");
    expect(report).toContain("### group `snowplow-setup`");
    expect(report).toContain("Members managed here: `snowplow-setup`.");
    expect(report).toContain("### user `snowplow-operator`\n\nMember of `snowplow-data-pipeline`");
    expect(report).toMatch(
      /\| `kinesis` \| ReadStreams \| Allow \| `DescribeStream`, `DescribeStreamSummary`, `GetRecords`, `GetShardIterator`, `ListShards` \| `arn:aws:kinesis:eu-west-1:444455556666:stream\/acme-raw-good` \|/,
    );
  });

  test("justifies every * resource and lists acknowledged findings with their reasons", () => {
    expect(report).toMatch(
      /\| `cloudwatch` \| PublishAppMetrics \| Allow \| `PutMetricData` \| `\*` \| StringEquals `cloudwatch:namespace`: `acme-enrich` \| \*\*`\*` resource:\*\* /,
    );
    expect(report).toContain("Acknowledged findings:\n- `no-wildcard-action`: Snowplow's published installer policy");
    expect(report).toContain("- `no-wildcard-action` (AdministerKeyFromBackupAccount): AWS's default key policy statement");
  });
});
