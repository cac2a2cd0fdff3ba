// Preloaded into every node process of a benchmark run (NODE_OPTIONS=--require): records its peak
// memory (KB) and the CPU time it used (user + system, microseconds).
const fs = require("node:fs");
process.on("exit", () => {
  const u = process.resourceUsage();
  if (process.env.BENCH_RSS_FILE) fs.appendFileSync(process.env.BENCH_RSS_FILE, `${process.pid} ${u.maxRSS} ${u.userCPUTime + u.systemCPUTime}\n`);
});
