// Writes config/schema.json from the zod schema, so editors complete and check config files.
// `npm run schema`; a test fails when the committed file is stale.
import * as fs from "node:fs";
import * as path from "node:path";
import { renderConfigJsonSchema } from "../modules/config/json-schema";

const out = path.join(__dirname, "..", "config", "schema.json");
fs.writeFileSync(out, renderConfigJsonSchema());
console.log(`wrote ${path.relative(process.cwd(), out)}`);
