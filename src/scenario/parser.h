/*
 * Internals shared by the scenario parser's files: parse.c (the file,
 * declarations, steps, expectations, memory) and stmt.c (statements and
 * their arguments).  Not part of the scenario API (ast.h is).
 */
#ifndef SIGLAB_SCENARIO_PARSER_H
#define SIGLAB_SCENARIO_PARSER_H

#include "scenario/ast.h"
#include "scenario/lex.h"

/* How deep `{ }` bodies may nest (a handler body counts as one level). */
#define SC_MAX_DEPTH 32
#define SC_MAX_TASK_NAME 15	/* as the kernel's comm */
#define SC_MAX_REPEAT 1000000
/* Steps in one par block: far more than a race needs (explore tries up to
 * n! orders), few enough that every pass over a block is cheap. */
#define SC_MAX_PAR_STEPS 256

/* One declared name in the parser's hash index (tasks and handlers share
 * one namespace). */
struct name_slot {
	uint32_t hash;
	int index;		/* into tasks or handlers; -1: the slot is free */
	bool handler;		/* which array index points into */
};

struct parser {
	struct lexer lx;
	struct token tok;	/* the current token */
	size_t prev_end;	/* end offset of the token before tok */
	struct scenario *s;
	int depth;		/* `{ }` bodies currently open */
	int npar;		/* par blocks so far */
	bool clock_step;	/* parsing a step without a task (advance, wake_up) */
	int init;		/* index of the `init` task, or -1 */
	size_t cap_tasks, cap_handlers, cap_steps, cap_expects;
	size_t cap_atoms, cap_conds, cap_checks;
	struct name_slot *names; /* open addressing, at most half full */
	size_t names_cap;	/* a power of two, or 0 */
	size_t nnames;
};

/* The word of cands nearest to `word` when it is near enough to be a
 * typo of it (suggest.c), or NULL: for "did you mean ...?". */
const char *sc_suggest(const char *word, const char *const *cands, size_t n);
/* Whether the current identifier is a reserved word (a declaration's or an
 * expectation's keyword). */
bool p_is_reserved(const struct parser *p);

/* Advances to the next token.  Returns 0 or -1 (diagnosed). */
int p_next(struct parser *p);
/* An error at the current token; always -1. */
int p_error(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "expected WHAT, found TOKEN" at the current token; always -1. */
int p_expected(struct parser *p, const char *what);
int p_oom(struct parser *p);
/* Consumes a token of kind k or fails with "expected WHAT". */
int p_expect(struct parser *p, enum tok_kind k, const char *what);

/* Index of the task / handler named by the current identifier, or -1. */
int p_find_task(const struct parser *p);
int p_find_handler(const struct parser *p);
/* Consumes a declared task's name into *task. */
int p_task_ref(struct parser *p, int *task);
/* Consumes an integer in [lo, hi]; `what` names it in errors. */
int p_int(struct parser *p, long long lo, long long hi, const char *what,
	  long long *out);

/* What an expectation checks (after `expect`, or an atom of a condition):
 * fills *e but not its source. */
int p_expect_body(struct parser *p, struct sc_expect *e);
/* A copy of the text from byte `start` to the end of the last token. */
char *p_source_since(struct parser *p, size_t start);
/* An `exists COND` or `forall COND` line (cond.c). */
int p_check_line(struct parser *p);
/* Grows an array of n elements of `size` bytes to hold one more;
 * NULL when memory runs out (the array is kept). */
void *p_grow(void *a, size_t n, size_t *cap, size_t size);

/* Statements (stmt.c): whether the current identifier is a statement's
 * keyword, or that of a step without a task. */
bool p_is_stmt_keyword(const struct parser *p);
bool p_is_clock_keyword(const struct parser *p);
int p_stmt(struct parser *p, struct sc_stmt *st);
/* A `{ STMT ; ... }` body; `what` names it in errors ("handler body"). */
int p_body(struct parser *p, struct sc_stmt **body, size_t *nbody,
	   const char *what);
int p_signal(struct parser *p, int *sig);
int p_set(struct parser *p, sl_sigset *set);
void p_stmt_clear(struct sc_stmt *st);
/* The op whose syscall name (sc_op_name) or keyword the current
 * identifier is, among those with a result, or -1. */
int p_syscall_name(const struct parser *p);
/* An integer as 64 bits (negative ones wrap); an si_code name or number. */
int p_uint64(struct parser *p, const char *what, uint64_t *out);
int p_code(struct parser *p, int *code);
/* `expect TASK syscall NAME = RESULT`, `expect TASK handled order SIG, ...`
 * and `expect TASK siginfo SIG FIELD=VALUE ...` after their keyword
 * (expect.c). */
int p_expect_syscall(struct parser *p, struct sc_expect *e);
int p_expect_order(struct parser *p, struct sc_expect *e);
int p_expect_siginfo(struct parser *p, struct sc_expect *e);
/* TASK | -TASK | INT | nobody */
int p_target(struct parser *p, struct sc_target *t);
/* The index in names[] of the current identifier, which a first use adds
 * (pipes and terminals are declared where they are first named); `what`
 * names the kind in the error past `max` of them. */
int p_first_use_name(struct parser *p, char ***names, size_t *n, size_t max,
		     const char *what, int *out);
/* NAME=VALUE options (flags=, mask= of sigaction; value=, code= else). */
int p_options(struct parser *p, struct sc_stmt *st, const char *allowed);
/* `bad=` and `sigsetsize=` after a statement's arguments, and whether
 * the current token starts one (stmt_uaccess.c). */
int p_uaccess(struct parser *p, struct sc_stmt *st);
bool p_at_uaccess(const struct parser *p, const struct sc_stmt *st);
/* A duration: 2s, 500ms, 100us, 10ns (stmt_sleep.c). */
int p_duration(struct parser *p, int64_t *out);
/* Checks a parsed file's fork statements and forked tasks (stmt_process.c). */
int p_proc_check(struct parser *p);

/* The readers of the statements' arguments, after the keyword: the PARSE
 * column of stmt_table.def.  Shapes several statements share, and the
 * signal statements (stmt.c): */
int p_no_args(struct parser *p, struct sc_stmt *st);
int p_set_args(struct parser *p, struct sc_stmt *st);
int p_sig_args(struct parser *p, struct sc_stmt *st);
int p_target_args(struct parser *p, struct sc_stmt *st);
int p_target_sig_args(struct parser *p, struct sc_stmt *st);
int p_sigaction_args(struct parser *p, struct sc_stmt *st);
int p_signal_args(struct parser *p, struct sc_stmt *st);
int p_sigprocmask_args(struct parser *p, struct sc_stmt *st);
int p_tgkill_args(struct parser *p, struct sc_stmt *st);
int p_sigqueue_args(struct parser *p, struct sc_stmt *st);
int p_tgsigqueue_args(struct parser *p, struct sc_stmt *st);
int p_fault_args(struct parser *p, struct sc_stmt *st);
int p_log_args(struct parser *p, struct sc_stmt *st);
int p_exit_args(struct parser *p, struct sc_stmt *st);
int p_repeat_args(struct parser *p, struct sc_stmt *st);
int p_sigaltstack_args(struct parser *p, struct sc_stmt *st);
/* the process statements (stmt_process.c), */
int p_fork_args(struct parser *p, struct sc_stmt *st);
int p_wait4_args(struct parser *p, struct sc_stmt *st);
int p_waitid_args(struct parser *p, struct sc_stmt *st);
int p_setpgid_args(struct parser *p, struct sc_stmt *st);
int p_prctl_args(struct parser *p, struct sc_stmt *st);
/* setuid UID, setreuid UID UID, setresuid UID UID UID (-1: unchanged). */
int p_uid_args(struct parser *p, struct sc_stmt *st);
int p_poll_args(struct parser *p, struct sc_stmt *st);
int p_ptrace_args(struct parser *p, struct sc_stmt *st);
/* those that sleep and the clock's steps (stmt_sleep.c), */
int p_sigtimedwait_args(struct parser *p, struct sc_stmt *st);
int p_duration_args(struct parser *p, struct sc_stmt *st);
/* stmt_rlimit.c */
int p_getrlimit_args(struct parser *p, struct sc_stmt *st);
int p_setrlimit_args(struct parser *p, struct sc_stmt *st);
int p_prlimit_args(struct parser *p, struct sc_stmt *st);
int p_pwrite_args(struct parser *p, struct sc_stmt *st);
int p_spin_args(struct parser *p, struct sc_stmt *st);
int p_wait_event_args(struct parser *p, struct sc_stmt *st);
int p_wake_up_args(struct parser *p, struct sc_stmt *st);
/* the timers (stmt_timer.c), */
int p_alarm_args(struct parser *p, struct sc_stmt *st);
int p_setitimer_args(struct parser *p, struct sc_stmt *st);
int p_timer_create_args(struct parser *p, struct sc_stmt *st);
int p_timer_settime_args(struct parser *p, struct sc_stmt *st);
int p_timer_id_args(struct parser *p, struct sc_stmt *st);
/* and those on pipes and the signalfd (stmt_fd.c). */
int p_read_args(struct parser *p, struct sc_stmt *st);
int p_signalfd_args(struct parser *p, struct sc_stmt *st);
int p_write_args(struct parser *p, struct sc_stmt *st);
/* and those on terminals (stmt_tty.c). */
int p_tty_args(struct parser *p, struct sc_stmt *st);
int p_tty_open_args(struct parser *p, struct sc_stmt *st);
int p_tty_target_args(struct parser *p, struct sc_stmt *st);
int p_stty_args(struct parser *p, struct sc_stmt *st);
int p_tty_text_args(struct parser *p, struct sc_stmt *st);
int p_resize_args(struct parser *p, struct sc_stmt *st);
int p_close_args(struct parser *p, struct sc_stmt *st);
int p_fcntl_args(struct parser *p, struct sc_stmt *st);

#endif
