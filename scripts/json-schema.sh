#!/bin/sh
# Every JSON output checked against its schema (docs/schema/):
#   scripts/json-schema.sh [BUILD_DIR]
# run --json (and --explain) of every example and golden scenario, explore
# --json of every example, why --json of this process, pid 1 and pid 2,
# ps --json and ps --json -T of every process, exec --json (and --explain)
# of a shell that catches, blocks and dies of signals.
set -eu
B=${1:-build}
python3 -c 'import jsonschema' 2>/dev/null || {
	echo "deps: installing python3-jsonschema" >&2
	apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		python3-jsonschema >/dev/null
}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
for f in examples/*.scn tests/scenarios/*.scn; do
	"$B/siglab" run --json --explain "$f" >>"$T/run" 2>/dev/null || true
done
for f in examples/*.scn; do
	timeout 20 "$B/siglab" explore --json "$f" >>"$T/explore" 2>/dev/null || true
done
for p in self 1 2; do
	"$B/siglab" why --json "$p" TERM >>"$T/why" 2>/dev/null || true
	"$B/siglab" why --json "$p" KILL >>"$T/why" 2>/dev/null || true
done
"$B/siglab" ps --json >"$T/ps"
"$B/siglab" ps --json -T >>"$T/ps"
# exec's records go to stderr; the shell's own output is left out
X='trap "echo usr1" USR1; kill -USR1 $$; trap "" USR2; kill -USR2 $$; kill -TERM $$'
timeout 30 "$B/siglab" exec --json -- /bin/sh -c "$X" 2>"$T/exec" >/dev/null || true
timeout 30 "$B/siglab" exec --json --explain -- /bin/sh -c "$X" 2>>"$T/exec" >/dev/null || true
grep -q '"event":"signal_deliver"' "$T/exec" || { echo "exec --json: no records"; exit 1; }
st=0
scripts/json-schema.py run.schema.json "$T/run" || st=1
scripts/json-schema.py explore.schema.json "$T/explore" || st=1
scripts/json-schema.py why.schema.json "$T/why" || st=1
scripts/json-schema.py ps.schema.json "$T/ps" || st=1
scripts/json-schema.py exec.schema.json "$T/exec" || st=1
exit $st
