/* JSON forms of `siglab why` and `siglab ps` (json.c). */
#ifndef SIGLAB_WHY_JSON_H
#define SIGLAB_WHY_JSON_H

#include "why/why.h"
#include "scenario/strbuf.h"

/* One JSON object (and a newline): the process, the verdict now and, if
 * any, after the next act (`then`), the answer from the other side
 * (`alternative`, NULL when none) and the notes. */
void why_report_json(struct strbuf *b, const struct proc_process *p, int sig,
		     const struct why_report *r, const char *alt_label,
		     const struct why_report *alt);

/* One JSON object (and a newline) for a `siglab ps` row; with `tasks`
 * (ps -T), the threads read, each with its state, pending and blocked
 * sets, as "tasks". */
void ps_row_json(struct strbuf *b, const struct proc_process *p, enum why_kind kind,
		 const char *flags, bool tasks);

#endif
