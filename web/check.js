/* The playground's engine against the command line: every scenario given
 * is run (with --explain, and with --json) and explored in the WebAssembly
 * build, and the text must equal what build/siglab printed for it.
 *   node web/check.js build/web/siglab.js OUTDIR FILE...
 * OUTDIR holds NAME.run, NAME.json and NAME.explore from siglab. */
"use strict";
const fs = require("fs");
const path = require("path");
const [mod, outdir, ...files] = process.argv.slice(2);
require(path.resolve(mod))().then((m) => {
  const run = m.cwrap("pg_run", "string", ["string", "number", "number"]);
  const svg = m.cwrap("pg_svg", "string", []);
  const explore = m.cwrap("pg_explore", "string", ["string", "number"]);
  let bad = 0, n = 0;
  const same = (what, got, file) => {
    if (!fs.existsSync(file)) return;
    n++;
    const want = fs.readFileSync(file, "utf8");
    if (got !== want) {
      bad++;
      console.log("FAIL " + what + ": the playground differs from siglab");
    }
  };
  for (const f of files) {
    const name = path.basename(f, ".scn");
    const src = fs.readFileSync(f, "utf8");
    same(name + " run --explain", run(src, 1, 0), path.join(outdir, name + ".run"));
    if (!svg().startsWith("<svg")) { bad++; console.log("FAIL " + name + ": no timeline"); }
    same(name + " run --json", run(src, 0, 1), path.join(outdir, name + ".json"));
    same(name + " explore", explore(src, 0), path.join(outdir, name + ".explore"));
  }
  const err = run("scenario e\nprocess a\na: kil a SIGUSR1\n", 0, 0);
  if (!/^scenario:3:\d+: /.test(err)) { bad++; console.log("FAIL error position: " + err); }
  console.log("web: " + files.length + " scenarios, " + n + " comparisons, " + bad + " failed");
  process.exit(bad ? 1 : 0);
});
