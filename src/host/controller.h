/*
 * The controller of the real-kernel runner, shared by its files:
 *   host.c         the run: skip reasons, set-up, the steps, the result
 *   host_spawn.c   creating, commanding, killing and reaping the tasks
 *   host_settle.c  reports and trace lines as they come, quiescence, a step
 *   host_render.c  names, events into trace lines, deaths, the trace text
 */
#ifndef SIGLAB_HOST_CONTROLLER_H
#define SIGLAB_HOST_CONTROLLER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host/internal.h"
#include "host/timing.h"
#include "scenario/render.h"
#include "scenario/strbuf.h"

/* ---- state -------------------------------------------------------------- */

struct htask {
	bool spawned;		/* HELLO received */
	int32_t ns_pid, ns_tid;	/* in the scenario's namespace */
	int32_t g_pid, g_tid;	/* in the controller's namespace */
	int32_t in_pid, in_tid;	/* in its nested namespace, or 0 */
	int pidfd;		/* process tasks: a pidfd, else -1 */
	int holder_pidfd;	/* a top-level nsinit's hidden parent, or -1 */
	bool direct;		/* a child of the controller */
	bool dead;		/* the thread is gone or a zombie */
	bool reaped_seen;	/* dead, and seen gone from /proc */
	uint64_t dead_seen_ms;	/* when it was first seen dead (hc_now_ms) */
	bool reaped;		/* cleanup: reaped by us, or not our child */
	bool stopped;		/* last seen in T state */
	bool was_stopped;	/* stopped when the current step began */
	bool stop_line;		/* a "stopped" line was written this step */
	bool stopped_in_step;	/* ... and no "continued" line since */
	bool ptraced;		/* last seen in t state (a ptrace stop) */
	bool was_ptraced;	/* in a ptrace stop when the current step began */
	int step_stop_sig;	/* the stop signal it delivered this step */
	bool group_stop_told;	/* its process's CLD_STOPPED was sent this
				 * step (the group stop completed) */
	bool cont_unsure;	/* a "continued" for a stop begun in this step
				 * by a task then in a ptrace stop: kept only
				 * if it is not traced when the step ends */
	int pt_code;		/* that stop's exit code (stat field 52) */
	int pt_code_before;	/* its exit code when the step began */
	int pt_last_stop;	/* the last stop signal a ptrace stop showed */
	bool death_line;	/* a death line was written */
	bool self_exit;		/* it called exit(N) itself */
	long self_code;
	int status;		/* process wait status, when have_status */
	bool have_status;
	int depth;		/* handler frames, as the agent last reported */
	int frames;		/* handler frames on its stack, from the trace:
				 * one per signal_deliver of a handler, so it
				 * counts frames whose handler has not run yet */
	/* SA_SIGINFO in the action of each signal was added by the host,
	 * not asked for (process tasks only; threads share the leader's) */
	bool added_siginfo[SL_NSIG + 1];
	struct host_block blk;	/* its blocking calls in progress */
	bool frame_unsure;	/* a handler's signal_deliver was the task's
				 * last event: its frame may not be written */
	uint64_t img_delta;	/* where its image is loaded minus where ours
				 * is (not 0 after an execve) */
};

enum line_kind { L_CALL, L_TEXT, L_DEATH };

struct line {
	int step;
	enum line_kind kind;
	int task;
	int depth;
	int seq;			/* L_CALL: the BEGIN's seq */
	const struct sc_stmt *stmt;	/* L_CALL */
	char text[192];			/* L_TEXT */
	bool ret;			/* L_CALL: a blocking call's return,
					 * on a line of its own */
};

struct host {
	const struct scenario *s;
	const struct host_options *o;
	struct host_result *r;
	struct agent_env env;
	struct htask *t;
	int report_rd;
	int helper_pidfd;
	pid_t helper_pid;
	bool helper_reaped;	/* cleanup: the helper is reaped */
	bool unreaped;		/* cleanup: something outlived HOST_CLEANUP_MS */
	bool traced;
	struct tracefs tr;
	/* everything the agents reported, in arrival order */
	struct report *recs;
	size_t nrecs, caprecs;
	/* per task: record index of each seq */
	size_t **seqidx;
	size_t *nseq, *capseq;
	size_t marked_upto;	/* no-trace mode: records already placed */
	/* trace lines of the current step, in trace order */
	char **tlines;
	size_t ntlines, captlines;
	struct line *lines;
	size_t nlines, caplines;
	int *step_seq;		/* per step: seq of the step's BEGIN, or -1 */
	size_t step_lines;	/* lines of the current step */
	size_t dropped;		/* lines of the current step over the limit */
	size_t step_first_rec;	/* first record of the current step */
	size_t step_first_line;	/* first line of the current step */
	int cur_step;
	/* the run's work, bounded as in the model (scenario/ast.h) */
	unsigned long step_stmts; /* body statements begun in this step */
	unsigned long run_stmts; /* body statements begun in the run */
	unsigned long step_handler_runs; /* handlers entered in this step */
	int limit;		/* 1 + the sc_limit passed, or 0 */
	size_t agent_fail;	/* 1 + the record of an agent's REP_FAIL in
				 * a step, or 0 */
	bool failed;
	bool new_tasks;		/* a fork step made tasks the trace must follow */
	struct host_time time;	/* pipes and the scenario clock */
};

/* A step whose agents report more than this has passed the limits of
 * statements and handler runs already (a statement is two reports, a
 * handler run two); the bound only keeps the controller's memory in
 * check should they not have stopped it.  The trace of a failed step
 * keeps its first lines only. */
#define HOST_MAX_STEP_REPORTS 5000000u
#define HOST_MAX_STEP_LINES 2000u
/* How long the cleanup may wait for the run's processes to die and be
 * reaped (they take milliseconds; a loaded machine may take longer). */
#define HOST_CLEANUP_MS 10000u
/* What one drain takes at most, so that agents that report (or a kernel
 * that traces) as fast as the controller reads cannot hold it in a drain:
 * the step loop sees its deadline and an interrupt between drains. */
#define HOST_DRAIN_REPORTS 4096u
#define HOST_DRAIN_TRACE_BYTES (256u * 1024u)
/* T_ASLEEP: asleep in the blocking call it is making. */
enum tstate { T_IDLE, T_BUSY, T_STOPPED, T_DEAD, T_ASLEEP };

/* ---- host.c ------------------------------------------------------------- */

/* The signal that interrupted the run (SIGINT, SIGTERM, SIGHUP), or 0. */
extern volatile sig_atomic_t hc_interrupted;
uint64_t hc_now_ms(void);
/* Records the first failure (r->failure) and marks the run failed; -1. */
int hc_fail(struct host *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* hc_fail for an interrupt: "interrupted by SIGINT". */
int hc_fail_interrupted(struct host *h);
/* Follows the spawned tasks in the tracepoints' filters. */
int hc_start_trace(struct host *h);

/* ---- host_spawn.c ------------------------------------------------------- */

int hc_send_cmd(struct host *h, int task, int kind, int arg, int pgid);
/* Creates every task in the run's pid namespace, sends the pid table and
 * gives each thread its credentials. */
int hc_spawn_all(struct host *h);
/* SIGKILL through every pidfd, the namespace's init last. */
void hc_kill_all(struct host *h);
/* Kills, reaps (bounded) and releases everything of the run. */
void hc_cleanup(struct host *h);

/* ---- host_settle.c ------------------------------------------------------ */

/* Reads what the agents reported, at most HOST_DRAIN_REPORTS records:
 * true when there may be more. */
bool hc_drain_reports(struct host *h);
/* Takes a task's ids from its HELLO and marks it spawned. */
void hc_take_hello(struct htask *t, const struct report *hello);
/* Reads the trace, at most HOST_DRAIN_TRACE_BYTES: true when there may be
 * more. */
bool hc_drain_trace(struct host *h);
/* Drains both until nothing is left; -1 (failed) on an interrupt or
 * past `deadline` (hc_now_ms). */
int hc_drain_all(struct host *h, uint64_t deadline);
const struct report *hc_find_record(const struct host *h, int task, int seq);
/* The END of the statement whose BEGIN is `seq`, or NULL. */
const struct report *hc_find_end(const struct host *h, int task, int seq);
enum tstate hc_poll_task(struct host *h, int i, uint64_t *deliverable);
/* Runs step `step` to quiescence: 0, 1 (a scenario error, r->diag) or
 * -1 (failed). */
int hc_run_step(struct host *h, int step);

/* ---- host_render.c ------------------------------------------------------ */

const char *hc_task_name(const struct host *h, int task);
/* The task that `pid` names as `observer`'s namespace numbers it, or -1. */
int hc_task_seen(const struct host *h, int observer, int pid);
struct line *hc_add_line(struct host *h, enum line_kind kind, int task, int depth);
int hc_depth_of(const struct host *h, int task);
void hc_place_death(struct host *h, int task);
/* Turns what was collected during the current step into lines. */
void hc_place_step_events(struct host *h);
bool hc_process_status(struct host *h, int task, int *status);
void hc_death_text(struct host *h, int task, char *buf, size_t n);
void hc_render(struct host *h, struct strbuf *b, bool final);

#endif
