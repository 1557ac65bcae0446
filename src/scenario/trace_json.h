/* A trace line's fields as JSON members (docs/trace-format.md, "--json"). */
#ifndef SCENARIO_TRACE_JSON_H
#define SCENARIO_TRACE_JSON_H

#include "scenario/strbuf.h"

/* Appends the members that name the fields of one trace line (a call, a
 * tracepoint, a handler, a death...), each after a comma:
 * ,"event":"signal_generate","sig":10,...  The line is the text the trace
 * prints (docs/trace-format.md), so the model's and the host's lines give
 * the same members. */
void sc_trace_json(struct strbuf *b, const char *text);

/* The same for a task's final state ("killed SIGQUIT (core dumped)"):
 * ,"state":"killed","signal":"SIGQUIT","sig":3,"core_dumped":true. */
void sc_final_json(struct strbuf *b, const char *text);

#endif
