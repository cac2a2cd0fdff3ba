import { configJsonSchema } from "./schema";

/**
 * the schema's id: stable per major version of the file format, so tools
 * (a schema store entry, an editor mapping) can name it; the file ships in
 * the repository as config/schema.json
 */
export const CONFIG_SCHEMA_ID = "urn:snowplow-aws-iac:config:v1";

/** the committed config/schema.json, byte for byte */
export function renderConfigJsonSchema(): string {
  const { $schema, ...rest } = configJsonSchema() as { $schema?: string };
  const schema = { $schema, $id: CONFIG_SCHEMA_ID, title: "snowplow-aws-iac configuration", ...rest };
  return `${JSON.stringify(schema, null, 2)}\n`;
}
