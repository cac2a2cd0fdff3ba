// Preloaded into every node process of a benchmark run (NODE_OPTIONS=--require): records its peak memory.
const fs = require("node:fs");
process.on("exit", () => {
  if (process.env.BENCH_RSS_FILE) fs.appendFileSync(process.env.BENCH_RSS_FILE, `${process.pid} ${process.resourceUsage().maxRSS}\n`);
});
