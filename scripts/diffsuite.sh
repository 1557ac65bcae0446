#!/bin/sh
# The differential suite (make diff): every example and every golden
# scenario, on the model and on the real kernel (siglab diff).  Prints each
# verdict, then the counts and the time taken; exits non-zero when a
# scenario diverges, the host fails, or a scenario is in error.
#   scripts/diffsuite.sh [SIGLAB]      (default: build/siglab)
set -u
SIGLAB=${1:-build/siglab}
cd "$(dirname "$0")/.." || exit 2

if [ ! -x "$SIGLAB" ]; then
	echo "diffsuite: $SIGLAB not built" >&2
	exit 2
fi

files=$(ls examples/*.scn tests/scenarios/*.scn 2>/dev/null)
if [ -z "$files" ]; then
	echo "diffsuite: no scenarios"
	exit 0
fi

start=$(date +%s.%N)
# shellcheck disable=SC2086  # file names have no spaces
"$SIGLAB" diff $files
status=$?
end=$(date +%s.%N)
echo "diffsuite: $(echo "$end - $start" | bc 2>/dev/null || echo "?") s"
exit $status
