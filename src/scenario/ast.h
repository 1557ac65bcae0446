/*
 * The scenario AST: what the parser produces and every runner (the model's
 * sim runner, the host runner, explore) consumes.  Library code: no I/O here
 * beyond what parse.c does with the text it is given.
 *
 * Tasks, handlers and statements refer to each other by index into the
 * arrays of struct scenario, never by pointer, so a scenario can be copied
 * and freed as a whole.
 */
#ifndef SIGLAB_SCENARIO_AST_H
#define SIGLAB_SCENARIO_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "siglab.h"

struct sc_pos {
	int line;		/* 1-based */
	int col;		/* 1-based */
};

/* ---- declarations ------------------------------------------------------- */

enum sc_task_kind {
	SC_PROCESS,		/* process NAME [uid=N] [parent=P] [pgrp=P] [in=NSINIT] */
	SC_THREAD,		/* thread NAME of PROCESS */
	SC_KTHREAD,		/* kthread NAME */
	SC_INIT,		/* init NAME: the global init, pid 1 */
	SC_NSINIT		/* nsinit NAME [uid=N]: init of a new pid namespace */
};

struct sc_task {
	char *name;
	enum sc_task_kind kind;
	struct sc_pos pos;
	int leader;		/* SC_THREAD: index of its process; else -1 */
	int parent;		/* index of the parent process, or -1 */
	int pgrp;		/* index of the task whose group it joins, or -1 */
	int ns;			/* index of the nsinit whose namespace holds it, or -1 */
	uint32_t uid;		/* default 0 (root) — see docs */
	bool forked;		/* `process NAME forked`: created by a fork/clone step */
};

/* Handler references in statements. */
#define SC_HANDLER_DFL (-1)	/* SIG_DFL */
#define SC_HANDLER_IGN (-2)	/* SIG_IGN */

struct sc_stmt;

struct sc_handler {
	char *name;
	struct sc_pos pos;
	struct sc_stmt *body;
	size_t nbody;
};

/* ---- statements (one syscall or one user-mode action) ------------------- */

/* One enum member per row of scenario/stmt_table.def, in its order. */
enum sc_op {
#define SC_STMT(op, ...) SC_OP_##op,
#include "scenario/stmt_table.def"
	SC_OP_COUNT
};

/* What a statement is (the KIND column of stmt_table.def). */
enum sc_stmt_kind {
	SC_KIND_CALL,		/* a system call */
	SC_KIND_KERNEL,		/* a kernel function a kernel thread calls */
	SC_KIND_USER,		/* a user-mode action: no call, no result */
	SC_KIND_CLOCK		/* a step without a task */
};

/* Its FLAGS column. */
#define SC_BLOCKS	1u	/* the call may sleep: its line may end in "..." */
#define SC_NORETURN	2u	/* the call never returns: no result */

/* A statement's row as data. */
struct sc_stmt_info {
	const char *keyword;	/* what a scenario writes */
	const char *name;	/* the call's name in traces and expectations */
	enum sc_stmt_kind kind;
	unsigned flags;		/* SC_BLOCKS, SC_NORETURN */
	const char *synopsis;	/* its arguments, as docs write them */
};

enum sc_target_kind {
	SC_TGT_NONE,
	SC_TGT_TASK,		/* NAME: that task's pid (tid for tkill) */
	SC_TGT_PGRP,		/* -NAME: the process group led by NAME */
	SC_TGT_NUM,		/* a literal number: 0, -1, or any other */
	SC_TGT_NOBODY		/* nobody: a pid that names no task (ESRCH) */
};

struct sc_target {
	enum sc_target_kind kind;
	int task;		/* SC_TGT_TASK / SC_TGT_PGRP: task index */
	long num;		/* SC_TGT_NUM */
};

struct sc_stmt {
	enum sc_op op;
	struct sc_pos pos;
	int sig;		/* signal number; 0 is a valid probe */
	struct sc_target target;
	struct sc_target target2;
	int notify;		/* timer_create: SL_SIGEV_* (thread= is
				 * SIGNAL | THREAD_ID, its thread `target`) */
	int clock;		/* timer_create: 0 (CLOCK_MONOTONIC), or the
				 * caller's process or thread CPUCLOCK_PROF */
	int handler;		/* handler index, SC_HANDLER_DFL or SC_HANDLER_IGN */
	uint64_t flags;		/* SL_SA_* */
	sl_sigset mask;		/* sa_mask, or the set of sigprocmask/ssetmask */
	int how;		/* SL_SIG_BLOCK / UNBLOCK / SETMASK, or a raw number */
	int code;		/* si_code for fault / sigqueue */
	bool has_code;
	uint64_t value;		/* si_value for sigqueue */
	long num;		/* exit code, repeat count */
	char *text;		/* log text */
	struct sc_stmt *body;	/* repeat body */
	size_t nbody;
	int64_t dur;		/* a duration in ns (nanosleep, timeouts,
				 * timer values, advance), or a stack size */
	int64_t interval;	/* interval= of setitimer/timer_settime */
	int pipe;		/* read/write: pipe index, -1 = signalfd */
	int end;		/* close/fcntl: SL_PIPE_READ or SL_PIPE_WRITE */
	int cmd;		/* fcntl: SL_F_* */
	int owner_type;		/* fcntl F_SETOWN_EX: SL_F_OWNER_* */
	int ss_mode;		/* sigaltstack: 0 query, 1 set, 2 disable */
	int waitq;		/* wait_event/wake_up: wait queue index */
	int sleep;		/* wait_event: enum sl_sleep_state */
	bool wstopped;		/* wait4/waitid: WSTOPPED written (not WUNTRACED) */
	bool has_count;		/* read signalfd COUNT: num is the count */
	bool prefill;		/* waitid ... prefilled: the siginfo is filled
				 * with a pattern before the call */
	bool null_set;		/* sigprocmask: the set is NULL; sigaction: the
				 * act is NULL (a query) */
	bool want_old;		/* sigprocmask, sigaction: `old`, the old set or
				 * action comes back */
	bool has_ts;		/* sigtimedwait/nanosleep: a raw {SEC, NSEC} */
	int64_t ts_sec, ts_nsec; /* ... its fields, as written */
	bool has_spid, has_suid; /* sigqueue: pid= and uid= given */
	struct sc_target spid;	/* sigqueue pid=: the si_pid it puts in */
	uint32_t suid;		/* sigqueue uid=: the si_uid it puts in */
	int tty;		/* the terminal statements: its index */
	unsigned lflag_set;	/* stty: the c_lflag bits turned on ... */
	unsigned lflag_clear;	/* ... and off */
	unsigned rows, cols;	/* resize: the window size */
	/* Resource limits (stmt_rlimit.c): the resource is `how`; prlimit's
	 * pid is `target`, its new limit absent when null_set, its old one
	 * asked with want_old. */
	uint64_t rlim_cur, rlim_max; /* setrlimit/prlimit: the new limits */
	int64_t offset;		/* pwrite: the file offset (count in num) */
	bool has_addr;		/* fault addr=: the address, in `value` */
	uint64_t peek_off;	/* ptrace PEEKSIGINFO off= */
	int peek_nr;		/* ... nr= (SC_MAX_PEEK unless given) */
	uint32_t uids[3];	/* setuid, setreuid, setresuid: the ids, as
				 * written ((uint32_t)-1: unchanged) */
	unsigned bad;		/* bad=: the SC_PTR_* pointer arguments passed
				 * as an address nothing is mapped at */
	bool has_setsize;	/* sigsetsize= given */
	uint64_t setsize;	/* ... the sigsetsize argument, as written */
};

/* The pointer arguments `bad=` may name (the kernel's parameter names);
 * which a statement takes is sc_uaccess_ptrs(op). */
enum {
	SC_PTR_ACT = 1u << 0, SC_PTR_OACT = 1u << 1, SC_PTR_SET = 1u << 2,
	SC_PTR_OSET = 1u << 3, SC_PTR_INFO = 1u << 4, SC_PTR_TIMEOUT = 1u << 5,
	SC_PTR_SS = 1u << 6, SC_PTR_OSS = 1u << 7
};

/* The address a `fault SIGSEGV SEGV_MAPERR` touches unless addr= says
 * (below mmap_min_addr: never mapped), and the highest addr= takes. */
#define SC_FAULT_ADDR 8
#define SC_MAX_FAULT_ADDR 4095

/* The most siginfo a ptrace PEEKSIGINFO statement reads. */
#define SC_MAX_PEEK 8

/* The address a bad pointer is: below mmap_min_addr, never mapped. */
#define SC_BAD_ADDR 0x10
/* sizeof(sigset_t) in the kernel: the sigsetsize every rt_* call wants. */
#define SC_SIGSETSIZE 8

struct sc_step {
	int task;		/* the task performing it */
	struct sc_stmt stmt;
	int par;		/* 0, or the number of the par { } block it is in */
};

/* ---- expectations ------------------------------------------------------- */

enum sc_expect_kind {
	SC_EXP_STATE,		/* expect TASK running|sleeping|stopped|traced|zombie|dead */
	SC_EXP_EXITED,		/* expect TASK exited N */
	SC_EXP_KILLED,		/* expect TASK killed SIG */
	SC_EXP_DUMPED,		/* expect TASK dumped SIG   (killed, core) */
	SC_EXP_OOPS,		/* expect TASK oops */
	SC_EXP_HANDLED,		/* expect TASK handled SIG N */
	SC_EXP_SYSCALL,		/* expect TASK syscall NAME = RESULT */
	SC_EXP_BLOCKED,		/* expect TASK blocked SET */
	SC_EXP_PENDING,		/* expect TASK pending SET (private | shared) */
	SC_EXP_GENERATE,	/* expect generate SIG -> TASK RESULT */
	SC_EXP_DELIVER,		/* expect deliver SIG -> TASK */
	SC_EXP_TRACE,		/* expect trace "substring" */
	SC_EXP_NO_TRACE,	/* expect no trace "substring" */
	SC_EXP_ORDER,		/* expect TASK handled order SIG, SIG, ... */
	SC_EXP_SIGINFO		/* expect TASK siginfo SIG FIELD=VALUE ... */
};

/* The largest count of a signalfd read (32 records of 128 bytes). */
#define SC_MAX_SIGNALFD_READ 4096

/* The most signals `handled order` lists. */
#define SC_MAX_ORDER 32

/* The siginfo fields an `expect TASK siginfo` line names (si_fields). */
enum {
	SC_SI_CODE = 1u << 0, SC_SI_PID = 1u << 1, SC_SI_UID = 1u << 2,
	SC_SI_STATUS = 1u << 3, SC_SI_VALUE = 1u << 4, SC_SI_OVERRUN = 1u << 5,
	SC_SI_TIMERID = 1u << 6, SC_SI_ERRNO = 1u << 7, SC_SI_ADDR = 1u << 8
};

struct sc_expect {
	enum sc_expect_kind kind;
	struct sc_pos pos;
	int task;
	enum sl_task_state state; /* SC_EXP_STATE */
	int sig;
	long num;		/* exit code, handled count, syscall result */
	enum sc_op syscall;	/* SC_EXP_SYSCALL */
	int result_task;	/* SC_EXP_SYSCALL: the result is the pid of this
				 * task (`= kid`), or -1 when it is num */
	int order[SC_MAX_ORDER]; /* SC_EXP_ORDER: the signals whose handlers
				 * began, in that order */
	int norder;
	unsigned si_fields;	/* SC_EXP_SIGINFO: SC_SI_* named */
	struct sl_siginfo si;	/* SC_EXP_SIGINFO: their values */
	int si_pid_task;	/* SC_EXP_SIGINFO: pid= names this task, or -1
				 * when si.pid is the number */
	int result;		/* SC_EXP_GENERATE: enum sl_trace_result */
	sl_sigset set;		/* BLOCKED / PENDING */
	char *text;		/* TRACE / NO_TRACE */
	char *source;		/* the expectation as written, for reports */
};

/* ---- explore conditions (exists / forall) ------------------------------- */

/* A condition is a tree in scenario.conds; its leaves are atoms, which are
 * expectations without the `expect` (scenario.atoms) and mean what the
 * expectation would check. */
enum sc_cond_op {
	SC_COND_ATOM,		/* atoms[atom] */
	SC_COND_NOT,		/* ! lhs */
	SC_COND_AND,		/* lhs && rhs */
	SC_COND_OR		/* lhs || rhs */
};

struct sc_cond {
	enum sc_cond_op op;
	int atom;		/* SC_COND_ATOM: index into scenario.atoms */
	int lhs, rhs;		/* children: indices into scenario.conds, or -1 */
};

/* `exists COND` holds when one outcome satisfies COND; `forall COND` when
 * every outcome does. */
struct sc_check {
	bool forall;
	struct sc_pos pos;	/* of the keyword */
	int root;		/* index into scenario.conds */
	char *source;		/* the condition as written, for reports */
};

/* ---- the scenario ------------------------------------------------------- */

struct scenario {
	char *file;		/* as given to the parser, for diagnostics */
	char *source;		/* a copy of the text parsed (the host's exec'd
				 * agents parse it again) */
	size_t source_len;
	char *name;		/* scenario NAME */
	unsigned what_if;	/* SL_CONFIG_* from config lines */
	uint64_t rlimit_sigpending; /* config rlimit_sigpending=N, or 0 */
	enum sl_arch arch;	/* config arch=NAME */
	bool requires_root;
	bool requires_pidns;
	char *model_only;	/* model-only "reason", or NULL */
	struct sc_task *tasks;
	size_t ntasks;
	struct sc_handler *handlers;
	size_t nhandlers;
	struct sc_step *steps;
	size_t nsteps;
	struct sc_expect *expects;
	size_t nexpects;
	struct sc_expect *atoms; /* the atoms of exists/forall conditions */
	size_t natoms;
	struct sc_cond *conds;
	size_t nconds;
	struct sc_check *checks; /* exists/forall lines, in file order */
	size_t nchecks;
	char **pipes;		/* pipe names, in order of first use */
	size_t npipes;
	char **waitqs;		/* wait queue names, in order of first use */
	size_t nwaitqs;
	char **ttys;		/* terminal names, in order of first use */
	size_t nttys;
};

/* A scenario error: "file:line:col: message". */
struct sc_diag {
	struct sc_pos pos;
	char message[256];
};

/* The most scenario text sc_parse accepts, and the CLI reads. */
#define SC_MAX_SOURCE_BYTES (16u << 20)

/* The work a run may do, the same in every runner (run, explore, host):
 * statements of repeat and handler bodies per step and in the whole run,
 * and handler runs per step.  Nested repeats or handlers that keep
 * raising would otherwise run for ever; a run that passes a limit stops
 * with a scenario error at the step (docs/scenario-language.md, Limits). */
#define SC_MAX_STEP_STMTS 1000000ul
#define SC_MAX_RUN_STMTS 4000000ul
#define SC_MAX_STEP_HANDLER_RUNS 100000ul
enum sc_limit { SC_LIMIT_STEP_STMTS, SC_LIMIT_RUN_STMTS, SC_LIMIT_STEP_HANDLER_RUNS };
/* The message of a run that passed limit `l` (limits.c). */
void sc_limit_message(enum sc_limit l, char *buf, size_t n);

/* Parses `len` bytes of `text`; `file` names it in diagnostics.  On success
 * returns 0 and a scenario to free with sc_free; on error returns -1 and
 * fills *diag (the first error).  Never crashes, whatever the input. */
int sc_parse(const char *file, const char *text, size_t len,
	     struct scenario **out, struct sc_diag *diag);
void sc_free(struct scenario *s);

/* The row of `op` in stmt_table.def (stmt_table.c); NULL out of range. */
/* The characters a `type` step sends (caret notation decoded:
 * "^C" is 0x03); returns how many of at most n went into out. */
size_t sc_tty_input_bytes(const char *text, char *out, size_t n);
/* A step of the terminal's master: type, resize, hangup. */
bool sc_is_master_step(enum sc_op op);

const struct sc_stmt_info *sc_stmt_info(enum sc_op op);
/* The syscall name of an op as expectations and traces write it
 * ("kill", "rt_sigaction" is written "sigaction", ...); "?" out of range. */
const char *sc_op_name(enum sc_op op);
/* Whether the op may block (its call line may end in "..."). */
bool sc_op_may_block(enum sc_op op);
/* True when the statement's call line carries a result: a system call or
 * kernel function that returns. */
bool sc_stmt_has_result(enum sc_op op);
/* The SC_PTR_* pointers `bad=` may name for op (0: none), their names, and
 * whether op takes `sigsetsize=` (stmt_uaccess.c). */
unsigned sc_uaccess_ptrs(enum sc_op op);
const char *sc_ptr_name(enum sc_op op, unsigned ptr);
bool sc_uaccess_setsize(enum sc_op op);
/* The sigsetsize a statement passes: sigsetsize= or SC_SIGSETSIZE. */
uint64_t sc_sigsetsize(const struct sc_stmt *st);
struct strbuf;
/* Writes `, bad=PTR, sigsetsize=N` into a call text's parentheses. */
void sc_render_uaccess(struct strbuf *b, const struct sc_stmt *st);

#endif
