// The app that cdktf.json runs: the app bundled into dist/synth.js when it is at least as new as
// every source file, else the TypeScript sources through tsx (launch.js). Bundled, a synth of the
// example takes about a third of the time.
require("./launch").launch("synth", "main.ts", process.argv.slice(2));
