/* The messages of the run-time limits of ast.h (SC_MAX_STEP_STMTS and its
 * siblings): one text for every runner, so that run, explore and host
 * report a scenario that does not end in the same words. */
#include <stdio.h>

#include "scenario/ast.h"

void sc_limit_message(enum sc_limit l, char *buf, size_t n)
{
	switch (l) {
	case SC_LIMIT_STEP_STMTS:
		snprintf(buf, n, "the step does not end: it runs more than %lu statements "
			 "of repeat and handler bodies", SC_MAX_STEP_STMTS);
		return;
	case SC_LIMIT_RUN_STMTS:
		snprintf(buf, n, "the scenario does not end: it runs more than %lu statements "
			 "of repeat and handler bodies in all", SC_MAX_RUN_STMTS);
		return;
	case SC_LIMIT_STEP_HANDLER_RUNS:
		snprintf(buf, n, "the scenario does not settle: more than %lu handler runs "
			 "in one step", SC_MAX_STEP_HANDLER_RUNS);
		return;
	}
	snprintf(buf, n, "a limit was passed");
}
