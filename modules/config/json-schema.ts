import { configJsonSchema } from "./schema";

/** the committed config/schema.json, byte for byte */
export function renderConfigJsonSchema(): string {
  const schema = { ...configJsonSchema(), title: "snowplow-aws-iac configuration" };
  return `${JSON.stringify(schema, null, 2)}\n`;
}
