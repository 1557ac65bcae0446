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

#endif
