/* The playground's page: picks an example, runs the scenario in the
 * engine (siglab.js, built by `make web`), shows the trace, the
 * expectations, the timeline and explore's outcomes.  ?example=NAME
 * selects an example and ?run=1 runs it on load (the test uses both). */
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const names = Object.keys(SIGLAB_EXAMPLES).sort();
  let engine = null;

  for (const n of names) {
    const o = document.createElement("option");
    o.value = o.textContent = n;
    $("examples").appendChild(o);
  }
  function pick(name) {
    if (!(name in SIGLAB_EXAMPLES)) name = names.includes("coalesce-vs-rt") ? "coalesce-vs-rt" : names[0];
    $("examples").value = name;
    $("src").value = SIGLAB_EXAMPLES[name];
  }
  pick(params.get("example"));
  $("examples").addEventListener("change", () => pick($("examples").value));

  function show(text, failed) {
    $("out").textContent = text;
    $("out").className = failed ? "fail" : "";
  }
  function run() {
    if (!engine) return;
    const text = engine.run($("src").value, $("explain").checked ? 1 : 0, $("json").checked ? 1 : 0);
    show(text, /FAILED|^scenario:\d+:\d+:/m.test(text));
    /* The timeline is the engine's own SVG text, about this scenario. */
    $("timeline").innerHTML = engine.svg();
    $("status").textContent = "ran " + $("examples").value;
    document.body.dataset.ran = "1";
  }
  function explore() {
    if (!engine) return;
    $("status").textContent = "exploring…";
    setTimeout(() => {
      const text = engine.explore($("src").value, $("json").checked ? 1 : 0);
      show(text, /^scenario:\d+:\d+:/m.test(text));
      $("status").textContent = "explored " + $("examples").value;
      document.body.dataset.explored = "1";
    }, 0);
  }
  $("run").addEventListener("click", run);
  $("explore").addEventListener("click", explore);

  SiglabModule().then((m) => {
    engine = {
      run: m.cwrap("pg_run", "string", ["string", "number", "number"]),
      svg: m.cwrap("pg_svg", "string", []),
      explore: m.cwrap("pg_explore", "string", ["string", "number"]),
    };
    $("status").textContent = "ready";
    if (params.get("run")) run();
    if (params.get("explore")) explore();
  }, (e) => { $("status").textContent = "the engine failed to load: " + e; });
})();
