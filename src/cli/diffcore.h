/* One scenario on the model and on the real kernel, compared
 * (diffcore.c): what `siglab diff` does per file and `siglab fuzz` per
 * generated scenario. */
#ifndef SIGLAB_CLI_DIFFCORE_H
#define SIGLAB_CLI_DIFFCORE_H

#include <stdbool.h>
#include <stdio.h>

#include "host/host.h"
#include "scenario/ast.h"

enum diff_outcome { DIFF_AGREE, DIFF_SKIPPED, DIFF_DIVERGE, DIFF_FAILED, DIFF_ERROR };

/* Runs `s` (parsed from `file`) on both sides and prints the verdict to
 * `out`: "FILE: agree", "FILE: skipped (REASON)", "FILE: DIVERGE at trace
 * line N" and the lines side by side, "FILE: host failed: ...", "FILE:
 * ERROR"; with `quiet` only divergences, failures and errors. */
enum diff_outcome diff_scenario(const char *file, struct scenario *s,
				const struct host_options *o, bool quiet, FILE *out);

#endif
