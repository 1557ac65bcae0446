/*
 * The real-kernel runner: executes a scenario with real processes and
 * threads on the running kernel and renders the trace of
 * docs/trace-format.md, so that `siglab diff` can hold it against the model.
 * See docs/host-oracle.md for how it works and what it guarantees.
 */
#ifndef SIGLAB_HOST_HOST_H
#define SIGLAB_HOST_HOST_H

#include <stdbool.h>
#include <stddef.h>

#include "scenario/ast.h"

struct host_options {
	int step_timeout_ms;	/* quiescence bound per step; 0: 2000 */
	bool no_trace;		/* do not use tracefs even when available */
	bool verbose;		/* host-only details on stderr */
	int64_t real_ns_per_s;	/* real ns a scenario second lasts; 0: 100 ms */
	const char *command;	/* names the run in warnings ("siglab diff");
				 * NULL: "siglab host" */
};

enum host_status {
	HOST_OK,		/* the scenario ran; r->trace is the trace */
	HOST_SKIPPED,		/* the host cannot run it; r->skip says why */
	HOST_ERROR,		/* a scenario error at run time (r->diag) */
	HOST_FAILED		/* a runtime failure or timeout (r->failure) */
};

#define HOST_RESULT_MAX_PIDS 80

struct host_result {
	enum host_status status;
	char *trace;		/* malloc'd trace text (also on HOST_FAILED: the
				 * part recorded before the failure) */
	char skip[160];		/* HOST_SKIPPED: the reason */
	char failure[512];	/* HOST_FAILED: what went wrong */
	struct sc_diag diag;	/* HOST_ERROR */
	bool traced;		/* the kernel's tracepoints were recorded */
	/* Every process the run created (the namespace's init first), as
	 * the caller's namespace numbers them; all are dead and reaped when
	 * host_run returns.  For tests and --verbose. */
	int pids[HOST_RESULT_MAX_PIDS];
	size_t npids;
	double seconds;		/* wall time of the run (host-only information) */
};

/* Why the host cannot run `s` on this machine, or NULL when it can.  Writes
 * the reason into buf. */
const char *host_skip_reason(const struct scenario *s, char *buf, size_t n);

/* Runs `s` on the real kernel.  Returns r->status.  Every process it
 * created is killed and reaped before it returns, whatever happens.  Free
 * with host_result_free. */
enum host_status host_run(const struct scenario *s, const struct host_options *o,
			  struct host_result *r);
void host_result_free(struct host_result *r);

/* Installs SIGINT/SIGTERM/SIGHUP handlers in the controller so that an
 * interrupted run still kills its children and removes its trace instance;
 * host_run then returns HOST_FAILED and host_interrupted() is true. */
void host_install_interrupt_handlers(void);
bool host_interrupted(void);
/* "interrupted by SIGINT" (or the signal that came). */
const char *host_interrupt_message(void);

/* The kernel's signal tracepoints for a process tree (siglab exec
 * --diff, tracetree.c): every task's signal_generate and signal_deliver
 * and the forks, recorded from open to close in a private tracefs
 * instance; the events of one tree are picked out afterwards. */
struct host_tree_trace;
/* 0, or -1 with the reason in why (not root, no tracefs). */
int host_tree_trace_open(struct host_tree_trace **out, char *why, size_t n);
/* Reads what the kernel has recorded so far (call it often during a
 * long run: the ring buffer is finite). */
void host_tree_trace_poll(struct host_tree_trace *t);
/* Forgets what was recorded (between two runs). */
void host_tree_trace_reset(struct host_tree_trace *t);
/* The tasks of the tree under `root` (root itself, or with skip_root its
 * first child and what descends from it), named by their place in it:
 * "T" for the top, "T.2" for its second child (threads included), and so
 * on.  Calls fn(ud, tid, name) for each. */
void host_tree_trace_tasks(struct host_tree_trace *t, int root, bool skip_root,
			   void (*fn)(void *ud, int tid, const char *name), void *ud);
/* Calls fn for each signal event of the record, in order: kind 'G'
 * (generate: tid = the target's pid) or 'D' (deliver: tid = the
 * delivering task), with the tracepoint's fields. */
struct host_sig_event {
	char kind;
	int tid;
	int sig, err, code, grp, res;
	unsigned long long handler, flags;
};
void host_tree_trace_events(struct host_tree_trace *t,
			    void (*fn)(void *ud, const struct host_sig_event *ev), void *ud);
void host_tree_trace_close(struct host_tree_trace *t);

#endif
