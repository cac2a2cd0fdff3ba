// Writes config/schema.json from the zod schema, so editors complete and check config files.
// `npm run schema`; a test fails when the committed file is stale.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseCommand, type CommandSpec } from "../modules/cli/command";
import { renderConfigJsonSchema } from "../modules/config/json-schema";

export const SCHEMA_COMMAND: CommandSpec = {
  name: "npm run schema --",
  summary: "Write config/schema.json (the config's JSON Schema, for editors) from the zod schema.",
  config: false,
  examples: ["npm run schema"],
};

const parsed = parseCommand(SCHEMA_COMMAND, process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l) });
if (parsed.kind === "exit") process.exitCode = parsed.code;
else {
  const out = path.join(__dirname, "..", "config", "schema.json");
  fs.writeFileSync(out, renderConfigJsonSchema());
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}
