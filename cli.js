// npm run report | review | vendor | adopt | ci: the command bundled into dist/<command>.js when it
// is at least as new as every source file, else scripts/<command>.ts through tsx (launch.js).
const COMMANDS = ["report", "review", "vendor", "adopt", "ci"];
const [command, ...args] = process.argv.slice(2);
if (!COMMANDS.includes(command)) {
  process.stderr.write(`cli.js: unknown command ${JSON.stringify(command ?? "")}; one of ${COMMANDS.join(", ")}\n`);
  process.exitCode = 2;
} else {
  // the command reads its arguments from process.argv, as when run as `tsx scripts/<command>.ts ...`
  process.argv.splice(2, 1);
  require("./launch").launch(command, `scripts/${command}.ts`, args);
}
