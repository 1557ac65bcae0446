/* The renderers stmt_table.def names (its CALL and RESULT columns),
 * shared by the render files.  A call renderer writes the call without its
 * value ("kill(a, SIGUSR1)"); a result renderer the value after " = " when
 * the call did not fail. */
#ifndef SIGLAB_SCENARIO_RENDER_CALL_H
#define SIGLAB_SCENARIO_RENDER_CALL_H

#include "scenario/render.h"

/* Shapes several statements share, and the signal statements
 * (render_signal.c): */
void sc_call_fault(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_log(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_num(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_repeat(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_set(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_sig(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_sigaction(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_sigaltstack(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_signal(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_sigprocmask(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_sigqueue(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_target(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_target_sig(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_tgkill(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_void(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_poll(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_uids(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_ret_getresuid(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		      const struct sc_result *r);
void sc_call_word(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_ret_handler(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		const struct sc_result *r);
void sc_ret_prctl(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		  const struct sc_result *r);
void sc_ret_sigaction(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		      const struct sc_result *r);
void sc_ret_sigprocmask(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
			const struct sc_result *r);
void sc_ret_long(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		const struct sc_result *r);
void sc_ret_set(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		const struct sc_result *r);
void sc_ret_sgetmask(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		const struct sc_result *r);
void sc_ret_sigaltstack(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		const struct sc_result *r);
void sc_ret_ssetmask(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		const struct sc_result *r);

/* The resource-limit statements (render_rlimit.c): */
void sc_call_getrlimit(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_setrlimit(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_prlimit(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_pwrite(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_spin(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_ret_getrlimit(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		      const struct sc_result *r);

/* The process statements (render_process.c): */
void sc_call_clone(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_prctl(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_ptrace(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_setpgid(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_wait4(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_waitid(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_ret_pid(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		const struct sc_result *r);
void sc_ret_ptrace(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		const struct sc_result *r);
void sc_ret_wait4(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		const struct sc_result *r);
void sc_ret_waitid(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		const struct sc_result *r);

/* The statements that sleep, and the clock's steps (render_sleep.c): */
void sc_call_advance(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_nanosleep(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_sigtimedwait(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_wait_event(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_wake_up(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_ret_siginfo(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		const struct sc_result *r);

/* The timers (render_timer.c): */
void sc_call_getitimer(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_setitimer(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_timer_create(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_timer_settime(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_ret_getitimer(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		const struct sc_result *r);

/* Terminals (render_tty.c): */
void sc_call_tty_open(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_tty_ioctl(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_tcsetpgrp(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_stty(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_tty_read(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_tty_write(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_tty_type(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_resize(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_hangup(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
/* Pipes and the signalfd (render_fd.c): */
void sc_call_read(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_signalfd(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_write(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_ret_fd(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		const struct sc_result *r);
void sc_ret_read(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		const struct sc_result *r);
void sc_call_close(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_call_fcntl(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st);
void sc_ret_fcntl(struct strbuf *b, const struct scenario *s, const struct sc_stmt *st,
		const struct sc_result *r);

#endif
