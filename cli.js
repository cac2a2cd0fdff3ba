// npm run report | review | vendor | adopt | ci, and the developer tools (bench, differential, ...):
// the command bundled into dist/<command>.js when it is at least as new as every source file, else
// its source in scripts/ through tsx (launch.js).
// name -> source; npm run build bundles each into dist/<name>.js
const COMMANDS = require("./scripts/commands.json");
const [command, ...args] = process.argv.slice(2);
if (!Object.hasOwn(COMMANDS, command ?? "")) {
  process.stderr.write(`cli.js: unknown command ${JSON.stringify(command ?? "")}; one of ${Object.keys(COMMANDS).join(", ")}\n`);
  process.exitCode = 2;
} else {
  // the command reads its arguments from process.argv, as when run as `tsx scripts/<command>.ts ...`
  process.argv.splice(2, 1);
  require("./launch").launch(command, COMMANDS[command], args);
}
