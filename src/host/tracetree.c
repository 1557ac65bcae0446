/*
 * The kernel's signal tracepoints for a process tree that siglab did not
 * script (siglab exec --diff): a private tracefs instance records every
 * task's signal_generate and signal_deliver and every fork, unfiltered,
 * since the tree's pids are not known before it runs and a timer's signal
 * is generated from whatever task the interrupt found; the tree is picked
 * out afterwards from the fork events.  Only what the tracepoints say is
 * kept; nothing is signalled or traced.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/host.h"
#include "host/internal.h"

struct fork_ev {
	int parent, child;
};

struct host_tree_trace {
	struct tracefs tr;
	struct host_sig_event *ev;
	size_t nev, cap;
	struct fork_ev *fk;
	size_t nfk, fcap;
};

static int parse_fork(const char *line, struct fork_ev *f)
{
	const char *body = strstr(line, ": sched_process_fork: ");
	const char *p, *c;

	if (!body || !(p = strstr(body, " pid=")) || !(c = strstr(body, " child_pid=")))
		return -1;
	f->parent = (int)strtol(p + 5, NULL, 10);
	f->child = (int)strtol(c + 11, NULL, 10);
	return 0;
}

static void take_line(void *ud, const char *line)
{
	struct host_tree_trace *t = ud;
	struct fork_ev f;
	struct tev e;

	if (parse_fork(line, &f) == 0) {
		if (t->nfk == t->fcap) {
			size_t cap = t->fcap ? t->fcap * 2 : 64;
			struct fork_ev *n = realloc(t->fk, cap * sizeof *n);

			if (!n)
				return;
			t->fk = n;
			t->fcap = cap;
		}
		t->fk[t->nfk++] = f;
		return;
	}
	if (tracefs_parse(line, &e) || (e.kind != TEV_GENERATE && e.kind != TEV_DELIVER))
		return;
	if (t->nev == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct host_sig_event *n = realloc(t->ev, cap * sizeof *n);

		if (!n)
			return;
		t->ev = n;
		t->cap = cap;
	}
	t->ev[t->nev++] = (struct host_sig_event){
		.kind = e.kind == TEV_GENERATE ? 'G' : 'D',
		.tid = e.kind == TEV_GENERATE ? e.pid : e.common_pid,
		.sig = e.sig, .err = e.err, .code = e.code, .grp = e.grp, .res = e.res,
		.handler = e.handler, .flags = e.flags,
	};
}

int host_tree_trace_open(struct host_tree_trace **out, char *why, size_t n)
{
	struct host_tree_trace *t = calloc(1, sizeof *t);

	*out = NULL;
	if (!t) {
		snprintf(why, n, "out of memory");
		return -1;
	}
	if (tracefs_open(&t->tr, why, n)) {
		free(t);
		return -1;
	}
	if (tracefs_start_tree(&t->tr)) {
		snprintf(why, n, "cannot enable the signal and fork events");
		tracefs_close(&t->tr);
		free(t);
		return -1;
	}
	*out = t;
	return 0;
}

/* Drains what the kernel has buffered, in bounded chunks so that a
 * program that signals without pause cannot keep the tracer here. */
void host_tree_trace_poll(struct host_tree_trace *t)
{
	for (int chunk = 0; chunk < 64; chunk++)
		if (!tracefs_drain(&t->tr, 64 * 1024, take_line, t))
			break;
}

void host_tree_trace_reset(struct host_tree_trace *t)
{
	host_tree_trace_poll(t);
	t->nev = 0;
	t->nfk = 0;
}

/* Names tid's children in fork order, then theirs. */
static void name_children(const struct host_tree_trace *t, int tid, const char *name,
			  void (*fn)(void *ud, int tid, const char *name), void *ud)
{
	char child[256];
	int k = 0;

	for (size_t i = 0; i < t->nfk; i++) {
		if (t->fk[i].parent != tid)
			continue;
		snprintf(child, sizeof child, "%s.%d", name, ++k);
		fn(ud, t->fk[i].child, child);
		if (strlen(child) < sizeof child - 16)
			name_children(t, t->fk[i].child, child, fn, ud);
	}
}

void host_tree_trace_tasks(struct host_tree_trace *t, int root, bool skip_root,
			   void (*fn)(void *ud, int tid, const char *name), void *ud)
{
	if (skip_root) {
		for (size_t i = 0; i < t->nfk; i++) {
			if (t->fk[i].parent == root) {
				root = t->fk[i].child;
				break;
			}
		}
	}
	fn(ud, root, "T");
	name_children(t, root, "T", fn, ud);
}

void host_tree_trace_events(struct host_tree_trace *t,
			    void (*fn)(void *ud, const struct host_sig_event *ev), void *ud)
{
	for (size_t i = 0; i < t->nev; i++)
		fn(ud, &t->ev[i]);
}

void host_tree_trace_close(struct host_tree_trace *t)
{
	if (!t)
		return;
	tracefs_close(&t->tr);
	free(t->ev);
	free(t->fk);
	free(t);
}
