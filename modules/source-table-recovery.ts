import { DataAwsDynamodbTable, DynamodbTable } from "./private/cdk";
import { createHash } from "node:crypto";
import { Construct } from "constructs";
import { PropsError } from "./private/props-error";

/** a key attribute of a DynamoDB table */
export interface KeyAttribute {
  readonly name: string;
  /** S (string), N (number) or B (binary) */
  readonly type: "S" | "N" | "B";
}

export interface TableKey {
  readonly hashKey: KeyAttribute;
  /** @default - the table has no sort key */
  readonly rangeKey?: KeyAttribute;
}

export interface SourceTableRecoveryProps {
  /** the tables that are exported with ExportTableToPointInTime */
  readonly tables: readonly string[];
  /**
   * verify: each table is read at plan time and the plan fails unless
   * point-in-time recovery is on. enable: each table is imported and only its
   * point-in-time recovery is managed.
   */
  readonly mode: "verify" | "enable";
  /** key schema per table; required for every table when mode is "enable" @default {} */
  readonly tableKeys?: Readonly<Record<string, TableKey>>;
}

/**
 * ExportTableToPointInTime only works on tables with point-in-time recovery
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.HowItWorks.html).
 * The tables belong to the production account, and hashicorp/aws has no
 * resource for the PITR setting alone, so there are two ways:
 *
 * - verify: a data source per table whose postcondition fails the plan when
 *   PITR is off, saying how to turn it on. Nothing of the table is managed.
 * - enable: the table is imported (`import` block) and managed with PITR on.
 *   Everything else is in `ignore_changes`, so Terraform never edits it, and
 *   `prevent_destroy` stops a wrong key schema from planning a replacement.
 */
export class SourceTableRecovery extends Construct {
  readonly checks: DataAwsDynamodbTable[] = [];
  readonly tables: DynamodbTable[] = [];

  constructor(scope: Construct, id: string, props: SourceTableRecoveryProps) {
    super(scope, id);
    for (const name of props.tables) {
      const logical = tableLogicalId(name);
      if (props.mode === "verify") {
        const check = new DataAwsDynamodbTable(this, logical, {
          name,
          lifecycle: {
            postcondition: [
              {
                condition: "${try(self.point_in_time_recovery[0].enabled, false)}",
                errorMessage:
                  `DynamoDB table ${name} has point-in-time recovery off, and ExportTableToPointInTime needs it. ` +
                  `Turn it on (aws dynamodb update-continuous-backups --table-name ${name} --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true), ` +
                  `or set pointInTimeRecovery to "enable" for this source.`,
              },
            ],
          },
        });
        check.overrideLogicalId(`pitr_${logical}`);
        this.checks.push(check);
        continue;
      }
      const key = props.tableKeys?.[name];
      if (key === undefined) throw new PropsError("SourceTableRecovery", `table ${name} has no key schema; mode "enable" needs tableKeys for every table`);
      const attributes = [key.hashKey, ...(key.rangeKey ? [key.rangeKey] : [])];
      const table = new DynamodbTable(this, logical, {
        name,
        hashKey: key.hashKey.name,
        rangeKey: key.rangeKey?.name,
        attribute: attributes.map((a) => ({ name: a.name, type: a.type })),
        pointInTimeRecovery: { enabled: true },
        // ignored below like everything but point-in-time recovery; set so that a plan before the import is valid
        billingMode: "PAY_PER_REQUEST",
        lifecycle: {
          preventDestroy: true,
          // Only point_in_time_recovery is ours; the table stays its owner's.
          ignoreChanges: [
            "attribute",
            "billing_mode",
            "deletion_protection_enabled",
            "global_secondary_index",
            "local_secondary_index",
            "on_demand_throughput",
            "read_capacity",
            "replica",
            "server_side_encryption",
            "stream_enabled",
            "stream_view_type",
            "table_class",
            "tags",
            "tags_all",
            "ttl",
            "write_capacity",
          ],
        },
      });
      table.overrideLogicalId(`table_${logical}`);
      table.importFrom(name);
      this.tables.push(table);
    }
  }
}

/**
 * a stable Terraform name for a table: its name when that is already a valid
 * identifier, else a readable form plus a short hash, so `a.b` and `a_b` differ
 */
export function tableLogicalId(name: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(name)) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${name.replace(/[^A-Za-z0-9_-]/g, "_")}_${hash}`;
}
