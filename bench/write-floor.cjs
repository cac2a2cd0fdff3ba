// The disk's share of a synth: write the files one synth wrote (its manifest, access report and one
// folder with one cdk.tf.json per stack) into a new folder the way the synth does (a folder and a
// file per stack, 32 at a time), with nothing else. Prints the milliseconds the writes took.
// node bench/write-floor.cjs <a synth's output folder> <an empty folder to write into>
const fs = require("node:fs");
const path = require("node:path");

async function main() {
  const [from, to] = process.argv.slice(2);
  const stacks = fs.readdirSync(path.join(from, "stacks")).sort();
  const files = [
    ["manifest.json", fs.readFileSync(path.join(from, "manifest.json"))],
    ["access-report.md", fs.readFileSync(path.join(from, "access-report.md"))],
    ...stacks.map((s) => [path.join("stacks", s, "cdk.tf.json"), fs.readFileSync(path.join(from, "stacks", s, "cdk.tf.json"))]),
  ];
  const start = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const [rel, body] = files[next++];
      await fs.promises.mkdir(path.dirname(path.join(to, rel)), { recursive: true });
      await fs.promises.writeFile(path.join(to, rel), body);
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  process.stdout.write(`${Number(process.hrtime.bigint() - start) / 1e6}\n`);
}

main();
