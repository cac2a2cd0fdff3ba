/**
 * JSON with sorted keys, exactly as json-stable-stringify 1.3.0 writes it with
 * `{ space: 2 }`, which is how CDKTF writes `cdk.tf.json` and `manifest.json`
 * (empty objects and arrays keep a line break: `{\n  }`). A direct version of
 * it: the library's generic option handling made it a tenth of a 1,000-stream
 * synth. test/synth-memory.test.ts compares the two byte for byte.
 */
export function stableJson(value: unknown, space = "  "): string {
  const text = write(value, 0, space);
  if (text === undefined) throw new TypeError("stableJson: nothing to write (undefined)");
  return text;
}

function write(node: unknown, level: number, space: string): string | undefined {
  if (node !== null && typeof node === "object" && typeof (node as { toJSON?: unknown }).toJSON === "function")
    node = (node as { toJSON: () => unknown }).toJSON();
  if (node === undefined) return undefined;
  if (typeof node !== "object" || node === null) return JSON.stringify(node);
  const indent = `\n${space.repeat(level)}`;
  if (Array.isArray(node)) {
    let s = "[";
    for (let i = 0; i < node.length; i++) s += `${i > 0 ? "," : ""}${indent}${space}${write(node[i], level + 1, space) ?? "null"}`;
    return `${s}${indent}]`;
  }
  let s = "{";
  let first = true;
  for (const key of Object.keys(node).sort()) {
    const value = write((node as Record<string, unknown>)[key], level + 1, space);
    if (!value) continue;
    s += `${first ? "" : ","}${indent}${space}${JSON.stringify(key)}: ${value}`;
    first = false;
  }
  return `${s}${indent}}`;
}
