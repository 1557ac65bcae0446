/* The sim runner's state, shared by run.c (set-up and output), step.c
 * (statements and settling) and expect.c (expectations). */
#ifndef SIGLAB_SIM_SIMSTATE_H
#define SIGLAB_SIM_SIMSTATE_H

#include "scenario/render.h"
#include "sim/sim.h"
#include "sim/svg.h"

/* An event rendered when it happened, printed after its call's line. */
struct held_event {
	int tid;
	int depth;
	const char *kind;
	char *text;		/* NULL for a note (a "why:" line) */
	const char *rule;
};

/* A signal_generate or signal_deliver seen, for expectations. */
struct seen_signal {
	int sig;
	int tid;		/* target (generate) or receiver (deliver) */
	int result;
};

/* What happened to one scenario task. */
struct task_record {
	unsigned handled[SL_NSIG + 1];	/* handler runs per signal */
	long last_result[SC_OP_COUNT];	/* per syscall, the last result */
	bool called[SC_OP_COUNT];
	const char *last_pid[SC_OP_COUNT]; /* the task its last result named
				 * as a pid, or NULL */
	int order[SC_MAX_ORDER]; /* the signals whose handlers began, the
				 * first SC_MAX_ORDER of them */
	unsigned norder;	/* how many began (may exceed the array) */
	struct sl_siginfo info[SL_NSIG + 1]; /* per signal, the last siginfo
				 * taken (handler, sigtimedwait, signalfd) */
	const char *info_pid[SL_NSIG + 1]; /* its si_pid as a task name */
	bool got_info[SL_NSIG + 1];
	const struct sc_stmt *blocked; /* the call it is blocked in */
	const struct sc_stmt *traced_call; /* ptrace: the call whose
				 * syscall-enter-stop holds it; made when the
				 * tracer lets it go on */
	int sigreturn_stop;	/* ptrace: 1 stopped at a handler's
				 * rt_sigreturn entry, 2 at its exit */
	const struct sc_step *fork_step; /* explore: the fork step in
				 * progress (par.c), or NULL */
	int fork_stage;		/* 1: it entered the call; 2: the fork has
				 * begun (its window is open) */
	struct sl_ksignal *rest; /* frames set up but not run yet when it
				 * stopped there (the last runs first) */
	size_t nrest;
};

struct sim {
	const struct scenario *s;
	struct sim_options opt;
	sl_kernel *k;
	int controller;		/* the hidden parent of top-level processes */
	int scen_init;		/* the init of the scenario's own pid
				 * namespace (the host's siglab-init), or 0:
				 * the scenario lives in the root namespace */
	int *task_tid;		/* scenario task index -> tid */
	struct task_record *rec; /* per scenario task; written only through
				 * sim_rec_w */
	uint64_t *rec_ver;	/* per task, the version of its record: a
				 * value of rec_clock that no other content
				 * of that record ever had (snap.c copies only
				 * the records whose version differs) */
	uint64_t rec_clock;	/* versions handed out (never goes back,
				 * not even when a snapshot is restored) */
	int *tid_task;		/* tid -> scenario task index, or -1 */
	const char **name_of;	/* tid -> name (NULL: not a scenario task) */
	size_t ntids;
	struct sc_names names;
	struct strbuf out;
	struct strbuf report;
	struct held_event *held;
	size_t nheld, held_cap;
	struct seen_signal *generated, *delivered;
	size_t ngen, gen_cap, ndel, del_cap;
	unsigned long ngenerate;
	int step;		/* the step running, 1-based */
	int caller;		/* the tid making the statement's call: its
				 * literal pids are its namespace's */
	unsigned long handler_runs; /* in this step, against livelock */
	unsigned long step_stmts; /* body statements run in this step */
	unsigned long run_stmts; /* body statements run in the whole run */
	unsigned fork_restarts;	/* forks restarted (ERESTARTNOINTR) in this step */
	bool unwinding;		/* a longjmp is leaving handler frames */
	int rtu_depth;		/* returns to user mode in progress (nesting) */
	struct tl_line *lines;	/* every line, for the timeline picture */
	size_t nlines, lines_cap;
	bool failed;		/* a run-time scenario error */
	struct sc_diag diag;
	size_t npipes_made;	/* model pipes created so far */
	size_t nttys_made;	/* model terminals created so far */
	/* explore's choice point (NULL in `run`): when more than one task has
	 * work after a step, which settles next.  `idx` lists them (scenario
	 * task indices, declaration order); the answer is an index into it,
	 * or -1 to halt the run there (sim_settle then fails with `halted`). */
	int (*settle_pick)(void *ud, struct sim *sm, const int *idx, size_t n);
	/* explore's other choice point (NULL: the first): which of the n
	 * steps of a par block that can run goes next; `ready` lists their
	 * indices in file order.  -1 halts the run. */
	int (*step_pick)(void *ud, struct sim *sm, const size_t *ready, size_t n);
	void *pick_ud;
	size_t block;		/* the first step of the block running (or the step) */
	struct strbuf not_run;	/* par steps that never ran: "step 5 (b dead), ..." */
	bool halted;		/* settle_pick stopped the run */
	/* Settling visits the tasks with work only (sl_next_task_with_work)
	 * while tid order is declaration order; else every task. */
	bool tids_ordered;	/* task_tid[] rises with the index where set */
	int last_tid_idx;	/* the highest index with a tid, or -1 */
	uint64_t *held_map;	/* a bit per task index: set for every task the
				 * runner holds (sigreturn_stop, rest, a
				 * traced call); stale bits are dropped */
	bool has_init;		/* the scenario declares an init */
	/* The checker's policy for large runs (step.c step_check). */
	unsigned long steps_since_full_check;
	int *touched;		/* tasks a step ran (indices), for the checker */
	size_t ntouched;	/* may exceed SIM_TOUCHED_MAX: then all */
};

/* Task idx's record, to be written: its version changes. */
static inline struct task_record *sim_rec_w(struct sim *sm, int idx)
{
	sm->rec_ver[idx] = ++sm->rec_clock;
	return &sm->rec[idx];
}
/* Up to this many tasks the invariant checker reads the whole kernel
 * after every step (sl_check); beyond, it checks the tasks a step ran
 * (sl_check_task) and the whole kernel every tasks /
 * SIM_CHECK_TASKS_PER_STEP steps, so that its cost per step does not
 * grow with the tasks (step.c step_check). */
#define SIM_CHECK_FULL_TASKS 4096
#define SIM_CHECK_TASKS_PER_STEP 512
/* More tasks run in one step than this: the step gets the full check. */
#define SIM_TOUCHED_MAX 1024

/* The runner holds task idx (sim_settle must visit it). */
static inline void sim_hold_mark(struct sim *sm, int idx)
{
	sm->held_map[(size_t)idx / 64] |= (uint64_t)1 << ((size_t)idx % 64);
}
/* Recomputes tids_ordered and last_tid_idx from task_tid[]. */
void sim_tids_order(struct sim *sm);

/* How deep returns to user mode may nest (a handler returns, and the
 * next signal is taken on top of the frame below). */
#define SIM_MAX_NESTING 1000
/* How often a fault may re-execute after its handler returned. */
#define SIM_MAX_REFAULTS 64

/* Creates the kernel and the scenario's tasks and writes the trace's
 * header; the caller then runs steps (sim_step, sim_flush) and ends with
 * sim_final and sim_destroy.  Returns 0, or -1 (sm->diag when failed). */
int sim_begin(struct sim *sm, const struct scenario *s, const struct sim_options *opt);
/* Runs every step, par blocks by sim_par_block; done[i] is set as step i
 * runs.  Returns 0 or -1 (an error, or a halt by a chooser). */
int sim_schedule(struct sim *sm, bool *done);
/* Runs the par block [from, to) (par.c). */
int sim_par_block(struct sim *sm, size_t from, size_t to, bool *done);
/* What an expectation (or a condition atom) says, checked now. */
bool sim_expect_holds(struct sim *sm, const struct sc_expect *e);
/* A task state in words ("running", "a zombie", ...), for messages. */
const char *sim_task_state_name(enum sl_task_state s);
int sim_init(struct sim *sm, const struct scenario *s, const struct sim_options *opt);
void sim_destroy(struct sim *sm);
int sim_build_names(struct sim *sm);
int sim_error(struct sim *sm, struct sc_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int sim_depth(const struct sim *sm, int tid);
struct held_event *held_push(struct sim *sm);
void record_generate(struct sim *sm, const struct sl_event *ev);
void record_deliver(struct sim *sm, const struct sl_event *ev);

void sim_flush(struct sim *sm);
void sim_step_line(struct sim *sm, int task_idx, const char *text);
void sim_call_line(struct sim *sm, int tid, const char *text);
void sim_event_line(struct sim *sm, int tid, int depth, const char *kind, const char *text);

int sim_step(struct sim *sm, const struct sc_step *step);
int sim_target_pid(const struct sim *sm, const struct sc_target *t);
/* Runs every task with work until none has any; `first` goes first (-1:
 * declaration order only). */
/* The line of a step without a task ("clock", "irq"): text, or a JSON
 * record of kind "step" with --json. */
void sim_emit_clock_line(struct sim *sm, const char *who, const char *text);
int sim_settle(struct sim *sm, int first);
/* A fork's or clone's result: the child gets its name (process.c). */
void sim_fork_result(struct sim *sm, const struct sc_stmt *st, struct sc_result *r);
/* explore's fork window (par.c): a fork step in a par block is three
 * moves.  Whether picking step i now enters a fork (process.c); */
bool sim_par_enters_fork(const struct sim *sm, size_t i);
/* the name of the move picking step i makes: " enters", " begins", "" */
const char *sim_par_move_name(const struct sim *sm, size_t i);
/* the first move: the task enters the call (process.c); */
void sim_fork_enter(struct sim *sm, const struct sc_step *step);
/* the second: copy_process begins; 0 when its window is open, 1 when the
 * fork failed (the step is done), 2 when it is to restart (a signal was
 * pending: taken, and the step is to run again), -1 on error (step.c); */
int sim_fork_begin(struct sim *sm, const struct sc_step *step);
/* the third: the child is made, the system settles (step.c). */
int sim_fork_finish(struct sim *sm, const struct sc_step *step);
/* Fills in a process call's result from its SL_EV_SYSCALL_RETURN. */
void sim_proc_return(struct sim *sm, const struct sc_stmt *st, const struct sl_event *ev,
		     struct sc_result *r);
/* The model's semantics of the statements, the SIM column of
 * scenario/stmt_table.def.  A system call or a kernel function is one
 * engine call, its result in *r (zeroed by the caller); a user-mode
 * action (step.c) and a clock step (sleep.c) are run by the step runner. */
/* Signals (signal.c) */
void sim_op_sigaction(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_signal(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_sigprocmask(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_sgetmask(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_ssetmask(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_sigpending(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_kill(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_tkill(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_tgkill(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_sigqueue(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_tgsigqueue(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_pidfd_send(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_raise(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_exit(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_exit_group(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_allow_signal(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_sigaltstack(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
/* Processes (process.c) */
void sim_op_fork(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_execve(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_wait4(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_waitid(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_setpgid(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_getpgid(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_getsid(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_setsid(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_getppid(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_prctl(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_poll(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_setuid(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_setreuid(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_setresuid(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_getresuid(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_ptrace(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
/* Resource limits (rlimit.c) */
void sim_op_getrlimit(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_setrlimit(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_prlimit(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_pwrite(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
/* Sleeping and waiting (sleep.c) */
void sim_op_pause(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_sigsuspend(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_sigtimedwait(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_nanosleep(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_wait_event(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
/* Timers (timer.c) */
void sim_op_alarm(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_setitimer(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_getitimer(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_timer_create(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_timer_settime(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_timer_getoverrun(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_timer_delete(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
/* Pipes and the signalfd (fd.c) */
void sim_op_read(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_write(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_close(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_fcntl(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
/* The scenario's pipes, before the first step; hidden_init: the tid of
 * an init the scenario did not declare, 0 when it did. */
int sim_make_pipes(struct sim *sm, int hidden_init);
void sim_op_signalfd(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
/* The clock's steps (sleep.c): `advance` moves the clock, expiry by
 * expiry, and the system settles after each; `wake_up`: what the queue's
 * sleepers wait for has happened. */
int sim_op_advance(struct sim *sm, const struct sc_step *step);
int sim_op_wake_up(struct sim *sm, const struct sc_step *step);
/* tty.c: the terminal's statements and the master's steps */
void sim_op_tty_open(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_tty_ioctl(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_tty_read(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
void sim_op_tty_write(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r);
int sim_op_type(struct sim *sm, const struct sc_step *step);
int sim_op_resize(struct sim *sm, const struct sc_step *step);
int sim_op_hangup(struct sim *sm, const struct sc_step *step);
/* A siginfo a call returned, its sender named (sleep.c). */
void sim_take_info(const struct sim *sm, struct sc_result *r, const struct sl_siginfo *si);
/* What a call brought back, for expectations: its result (and the pid it
 * named), and the siginfo it took; the siginfo a handler was given. */
void sim_record_result(struct sim *sm, int idx, const struct sc_stmt *st,
		       const struct sc_result *r);
void sim_record_info(struct sim *sm, int idx, int sig, const struct sl_siginfo *si,
		     const char *pid_name);
/* The line of a blocking call that returned (SL_EV_SYSCALL_RETURN). */
void sim_syscall_return(struct sim *sm, const struct sl_event *ev, struct strbuf *text);
/* A call's bad pointers and sigsetsize (uaccess.c): before the engine call
 * (false: r->ret is the error, the call is not made) and after it. */
bool sim_uaccess_enter(const struct sc_stmt *st, struct sc_result *r);
void sim_uaccess_exit(const struct sc_stmt *st, struct sc_result *r);
void sim_final(struct sim *sm);

/* explore's snapshots of a run (snap.c): the kernel's arena and the
 * runner's record, taken at a par block's choice point and resumed with
 * sim_schedule.  The kernel must be an arena kernel (sim_options.arena). */
struct snap_bytes {
	void *p;
	size_t len, cap;
};
struct sim_snap {
	void *kbuf;		/* sl_kernel_snapshot's bytes */
	size_t klen, kcap;
	struct sim sm;		/* the scalars (its pointers are not used) */
	struct snap_bytes task_tid, tid_task, name_of, generated, delivered, out, not_run;
	struct task_record *rec; /* per task, as of rec_ver */
	uint64_t *rec_ver;	/* per task, the version saved (0: none yet) */
	struct snap_bytes *rest; /* per task, its held frames */
};
int sim_snap_save(struct sim_snap *sn, const struct sim *sm);
int sim_snap_restore(struct sim *sm, const struct sim_snap *sn);
void sim_snap_free(struct sim_snap *sn, size_t ntasks);
void sim_check_expectations(struct sim *sm, struct sim_result *r);

#endif
