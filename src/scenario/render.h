/* How a scenario's statements, sets, flags and results are written in a
 * trace (docs/trace-format.md).  Shared by the model's runner and the host
 * runner, so that both print the same text for the same behaviour. */
#ifndef SIGLAB_SCENARIO_RENDER_H
#define SIGLAB_SCENARIO_RENDER_H

#include "scenario/ast.h"
#include "scenario/strbuf.h"

/* The handler value a runner gives handler i of the scenario; 0..3 are
 * SIG_DFL, SIG_IGN and the kernel-thread values. */
#define SC_HANDLER_BASE 16u
#define SC_HANDLER_VALUE(i) ((uint64_t)(i) + SC_HANDLER_BASE)

/* A pid that names no task, in the model and on any host (above
 * PID_MAX_LIMIT). */
#define SC_NOBODY_PID 0x3fffffff

/* The descriptor number a pipe end has in traces (si_fd): the model and
 * the host both report it so, whatever number the host's kernel gave it;
 * the trace writes it "p[0]" (read end) or "p[1]" (write end). */
#define SC_PIPE_FD(pipe, end) (1000 + 2 * (pipe) + (end))
#define SC_PIPE_FD_MAX (SC_PIPE_FD(64, 0))
/* "p[0]": a pipe end as the trace writes it. */
void sc_render_pipe_end(struct strbuf *b, const struct scenario *s, int pipe, int end);

/* What a statement returned: the value (or -errno), and a set for the
 * calls that return one (sigpending). */
struct sc_result {
	long ret;
	sl_sigset set;
	/* Process calls: the task a returned pid names (NULL: none
	 * of the scenario's, printed "?"), wait4's status word, and waitid's
	 * si_code, si_status and si_pid (as a task name). */
	const char *pid_name;
	int status;		/* also prctl's PR_GET_* value */
	int wcode;
	int wstatus;
	const char *wpid_name;
	/* Sleeping and time: the call blocked (printed "..."),
	 * the siginfo sigtimedwait or a signalfd read returned (its si_pid
	 * as a task name), nanosleep's time left, getitimer's value and
	 * interval, sigaltstack's flags and size. */
	bool blocked;
	bool has_info;
	struct sl_siginfo info;
	const char *info_pid_name;
	int64_t rem;
	int64_t it_value, it_interval;
	uint32_t ss_flags;
	uint64_t ss_size;
	/* sigaction with `old`: the old action (its handler as a scenario
	 * handler value); sigprocmask with `old`: the old set is in `set`. */
	struct sl_sigaction old_act;
	/* getrlimit, and prlimit with `old`: the old limits. */
	struct sl_rlimit rlim;
	/* ptrace PEEKSIGINFO: the siginfo it read (ret of them), their si_pid
	 * as task names. */
	struct sl_siginfo peek[SC_MAX_PEEK];
	const char *peek_pid_name[SC_MAX_PEEK];
	/* getresuid: the real, effective and saved uid. */
	uint32_t uids[3];
};

/* The siginfo a call returned: " (code=0 pid=a)" (render_sleep.c). */
void sc_render_info(struct strbuf *b, const struct scenario *s, const struct sc_result *r);
/* A handler's siginfo after its code: " pid=a uid=1000 value=7" ...;
 * an I/O signal's " band=65 fd=p[0]". */
void sc_render_handler_info(struct strbuf *b, const struct scenario *s, int sig,
			    const struct sl_siginfo *si, const char *pid_name);
/* A duration: "2s", "1500ms", "10us", "7ns". */
void sc_render_duration(struct strbuf *b, int64_t ns);

/* A wait status word as the trace writes it: "exited 3", "killed SIGTERM",
 * "stopped SIGTSTP", "continued". */
void sc_render_wait_status(struct strbuf *b, int status);
/* A ptrace stop's exit code: "SIGUSR1", "SIGTRAP|0x80",
 * "SIGTRAP PTRACE_EVENT_EXEC", "SIGSTOP PTRACE_EVENT_STOP". */
void sc_render_ptrace_code(struct strbuf *b, int code);

/* A named bit (a flag) or value, for the tables the renderers share. */
struct sc_named {
	const char *name;
	uint64_t value;
};

/* Flags as "A|B" from a table, unknown bits in hex, "0" for none. */
void sc_render_bits(struct strbuf *b, const struct sc_named *tab, size_t n, uint64_t v);
/* PTRACE_O_* by name: what the parser reads and the trace prints. */
extern const struct sc_named sc_ptrace_options[];
extern const size_t sc_nptrace_options;
/* A statement's target: "a", "-a" (its process group), a number, "nobody". */
void sc_render_target(struct strbuf *b, const struct scenario *s, const struct sc_target *t);
/* The name of a resource the language knows ("RLIMIT_CORE"), or NULL
 * (stmt_rlimit.c). */
const char *sc_resource_name(int resource);

/* "{SIGINT,SIGTERM}", "{}" */
void sc_render_set(struct strbuf *b, sl_sigset set);
/* "SA_SIGINFO|SA_RESTART", "0"; unknown bits in hex. */
void sc_render_flags(struct strbuf *b, uint64_t flags);
/* "SIGUSR1", "SIGRTMIN+2", or the number when it is no signal. */
void sc_render_signal(struct strbuf *b, int sig);
/* A handler value: its scenario name, SIG_DFL or SIG_IGN (for calls). */
void sc_render_handler(struct strbuf *b, const struct scenario *s, uint64_t value);
/* A handler value as the signal_deliver tracepoint field: 0, 1, or the
 * scenario name. */
void sc_render_handler_field(struct strbuf *b, const struct scenario *s, uint64_t value);

/* The call text of a statement: "kill(a, SIGUSR1) = 0".  r NULL: the
 * statement has no result (exit, fault, log, ...), or failed to run. */
void sc_render_call(struct strbuf *b, const struct scenario *s,
		    const struct sc_stmt *st, const struct sc_result *r);

/* A task's final state: "running", "stopped", "exited 3",
 * "killed SIGTERM", "killed SIGSEGV (core dumped)", "oops". */
void sc_render_final(struct strbuf *b, const struct sl_task_info *ti);

/* The text of an engine event, without the task column; NULL-free.
 * names[tid] names the scenario's tasks (NULL: not a scenario task); tids
 * at or above ntids are not scenario tasks. */
struct sc_names {
	const char *const *names;
	size_t ntids;
};
const char *sc_task_name(const struct sc_names *n, int tid);
/* false when the event involves no scenario task and is not printed. */
bool sc_render_event(struct strbuf *b, const struct scenario *s,
		     const struct sc_names *n, const struct sl_event *ev);

#endif
