import { ConfigError } from "../modules/config/errors";
import { tableLogicalId } from "../modules/source-table-recovery";
import { exampleConfig, synthStacks } from "./support/synth";

const keys = {
  orders: { hashKey: { name: "order_id", type: "S" }, rangeKey: { name: "created", type: "N" } },
  customers: { hashKey: { name: "id", type: "S" } },
};

function fields(change: (c: any) => void): string[] {
  try {
    exampleConfig(change);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.field}: ${p.message}`);
    throw e;
  }
}

describe("SourceTableRecovery", () => {
  test("verify (default for native-export): one checked read per exported table, nothing managed", () => {
    const shop = synthStacks(exampleConfig())["source-shop"];
    expect(Object.keys(shop.data.aws_dynamodb_table).sort()).toEqual(["pitr_customers", "pitr_orders"]);
    const check = shop.data.aws_dynamodb_table.pitr_orders;
    expect(check.name).toBe("orders");
    expect(check.lifecycle.postcondition[0].condition).toBe("${try(self.point_in_time_recovery[0].enabled, false)}");
    expect(check.lifecycle.postcondition[0].error_message).toContain("orders has point-in-time recovery off");
    expect(shop.resource.aws_dynamodb_table).toBeUndefined();
    expect(shop.import).toBeUndefined();
  });

  test("data-pipeline sources get no check (Data Pipeline scans the table)", () => {
    expect(synthStacks(exampleConfig())["source-legacy"].data).toBeUndefined();
  });

  test("enable: imports each table and manages only its point-in-time recovery, guarded against replacement", () => {
    const shop = synthStacks(exampleConfig((c) => Object.assign(c.accounts.sources[0], { pointInTimeRecovery: "enable", tableKeys: keys })))["source-shop"];
    expect(shop.import).toEqual([
      { id: "orders", to: "aws_dynamodb_table.table_orders" },
      { id: "customers", to: "aws_dynamodb_table.table_customers" },
    ]);
    const orders = shop.resource.aws_dynamodb_table.table_orders;
    expect(orders).toMatchObject({
      name: "orders",
      hash_key: "order_id",
      range_key: "created",
      attribute: [
        { name: "order_id", type: "S" },
        { name: "created", type: "N" },
      ],
      point_in_time_recovery: { enabled: true },
    });
    expect(orders.lifecycle.prevent_destroy).toBe(true);
    // the keys stay compared: a wrong key schema plans a replacement, which prevent_destroy refuses
    expect(orders.lifecycle.ignore_changes).not.toContain("hash_key");
    expect(orders.lifecycle.ignore_changes).not.toContain("range_key");
    expect(orders.lifecycle.ignore_changes).not.toContain("point_in_time_recovery");
    expect(orders.lifecycle.ignore_changes).toEqual(expect.arrayContaining(["billing_mode", "global_secondary_index", "stream_enabled", "ttl", "tags"]));
    expect(shop.data).toBeUndefined();
  });

  test("fails when enable lacks a table's key schema, naming the table", () => {
    expect(fields((c) => Object.assign(c.accounts.sources[0], { pointInTimeRecovery: "enable", tableKeys: { orders: keys.orders } }))).toEqual([
      expect.stringMatching(/^accounts\.sources\[0\]\.tableKeys: has no key schema for table "customers"/),
    ]);
  });

  test("fails on a key schema for a table that is not exported, and on PITR settings for data-pipeline", () => {
    expect(fields((c) => (c.accounts.sources[0].tableKeys = { invoices: keys.orders }))).toEqual([
      expect.stringMatching(/^accounts\.sources\[0\]\.tableKeys\.invoices: names a table that is not in tables/),
    ]);
    expect(fields((c) => (c.accounts.sources[1].pointInTimeRecovery = "verify"))).toEqual([
      expect.stringMatching(/^accounts\.sources\[1\]\.pointInTimeRecovery: applies to native-export only/),
    ]);
  });

  test("fails on a key attribute type DynamoDB does not have", () => {
    expect(fields((c) => (c.accounts.sources[0].tableKeys = { orders: { hashKey: { name: "id", type: "X" } } }))).toEqual([
      expect.stringMatching(/^accounts\.sources\[0\]\.tableKeys\.orders\.hashKey\.type: expected one of "S", "N", "B"/),
    ]);
  });

  test("logical ids are stable and distinct for names Terraform cannot use as they are", () => {
    expect(tableLogicalId("orders")).toBe("orders");
    expect(tableLogicalId("a.b")).toMatch(/^a_b_[0-9a-f]{8}$/);
    expect(tableLogicalId("a.b")).not.toBe(tableLogicalId("a_b"));
    expect(tableLogicalId("a.b")).toBe(tableLogicalId("a.b"));
  });
});
