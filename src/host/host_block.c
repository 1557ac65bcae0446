/*
 * The controller's view of the calls that block: which blocking call each
 * task is in (so that a task asleep in its step's call counts as
 * quiescent), and what calls bring back beside their value.
 */
#include <string.h>
#include <sys/syscall.h>

#include "host/timing.h"

void host_block_track(struct host_block *b, const struct report *rep,
		      const struct report *begin)
{
	int d = rep->depth;

	if (d < 0 || d > HOST_MAX_DEPTH)
		return;
	switch (rep->kind) {
	case REP_BEGIN:
		if (rep->stmt && sc_op_may_block(rep->stmt->op)) {
			b->stmt[d] = rep->stmt;
			b->seq[d] = rep->seq;
		}
		break;
	case REP_END:
		if (begin && b->stmt[d] && b->seq[d] == rep->ref)
			b->stmt[d] = NULL;
		break;
	case REP_LONGJMP:
	case REP_SIGLONGJMP:
		/* back in the task's own code: every call under the frames
		 * it left is abandoned, the one the first frame interrupted
		 * too (its result went with the frame) */
		if (d == 0)
			memset(b->stmt, 0, sizeof b->stmt);
		break;
	default:
		break;
	}
}

bool host_block_asleep(const struct host_block *b, const struct host_time *tm,
		       long nr, long arg0)
{
	const struct sc_stmt *st = NULL;

	for (int d = HOST_MAX_DEPTH; d >= 0 && !st; d--)
		st = b->stmt[d];
	if (!st)
		return false;
	switch (st->op) {
	case SC_OP_PAUSE:
		return nr == SYS_pause;
	case SC_OP_SIGSUSPEND:
		return nr == SYS_rt_sigsuspend;
	case SC_OP_SIGTIMEDWAIT:
	case SC_OP_SIGWAITINFO:
		return nr == SYS_rt_sigtimedwait;
	case SC_OP_NANOSLEEP:
		/* after a stop, the sleep goes on in restart_syscall */
		return nr == SYS_nanosleep || nr == SYS_restart_syscall;
	case SC_OP_POLL:	/* restarted through restart_syscall */
		return nr == SYS_poll || nr == SYS_restart_syscall;
	case SC_OP_PPOLL:
		return nr == SYS_ppoll;
	case SC_OP_SELECT:
		return nr == SYS_select;
	case SC_OP_PSELECT6:
		return nr == SYS_pselect6;
	case SC_OP_EPOLL_WAIT:
		return nr == SYS_epoll_wait;
	case SC_OP_EPOLL_PWAIT:
		return nr == SYS_epoll_pwait;
	case SC_OP_WAIT4:
		return nr == SYS_wait4;
	case SC_OP_WAITID:
		return nr == SYS_waitid;
	case SC_OP_READ:
		if (nr != SYS_read)
			return false;
		if (st->pipe < 0)
			return true;	/* the signalfd */
		return (size_t)st->pipe < tm->npipes && arg0 == tm->pipe_rd[st->pipe];
	case SC_OP_TTY_READ:
		return nr == SYS_read && st->tty >= 0 && (size_t)st->tty < tm->nttys &&
		       arg0 == tm->tty_slave[st->tty];
	default:
		return false;
	}
}

static void info_from(const struct report *end, struct sc_result *r)
{
	if (end->result <= 0)
		return;
	r->has_info = true;
	r->info.signo = end->sig;
	r->info.code = end->code;
	r->info.pid = end->pid;
	r->info.value = end->value;
	r->info.overrun = end->overrun;
	r->info.uid = end->info_uid;
	r->info.status = end->info_status;
	r->info.timerid = end->info_timerid;
	r->info.band = end->info_band;
	r->info.fd = end->info_fd;
}

void host_call_result(const struct sc_stmt *st, const struct report *end, struct sc_result *r)
{
	switch (st->op) {
	case SC_OP_SIGTIMEDWAIT:
	case SC_OP_SIGWAITINFO:
		info_from(end, r);
		break;
	case SC_OP_READ:
		if (st->pipe < 0)
			info_from(end, r);
		break;
	case SC_OP_NANOSLEEP:
		if (end->result == -SL_EINTR)
			r->rem = end->t_value;
		break;
	case SC_OP_GETITIMER:
		r->it_value = end->t_value;
		r->it_interval = end->t_interval;
		break;
	case SC_OP_SIGACTION:	/* the old action (agent_signal.c) */
		r->old_act.handler = end->value;
		r->old_act.flags = (uint64_t)end->t_value;
		r->old_act.mask = (sl_sigset)end->t_interval;
		break;
	case SC_OP_GETRESUID:	/* agent_cred.c */
		r->uids[0] = (uint32_t)end->t_value;
		r->uids[1] = (uint32_t)end->t_interval;
		r->uids[2] = (uint32_t)end->value;
		break;
	case SC_OP_SIGPROCMASK:	/* the old set (agent_signal.c) */
		r->set = (sl_sigset)end->t_value;
		break;
	case SC_OP_GETRLIMIT:	/* the old limits (agent_rlimit.c) */
	case SC_OP_PRLIMIT:
		r->rlim.cur = (uint64_t)end->t_value;
		r->rlim.max = (uint64_t)end->t_interval;
		break;
	case SC_OP_SIGALTSTACK:
		r->ss_flags = (uint32_t)end->overrun;
		r->ss_size = (uint64_t)end->t_value;
		break;
	case SC_OP_PTRACE:	/* GETSIGINFO's siginfo (agent_process.c op_ptrace) */
		if (st->how == SL_PTRACE_GETSIGMASK || st->how == SL_PTRACE_SETSIGMASK)
			r->set = (sl_sigset)end->t_value;
		for (long i = 0; st->how == SL_PTRACE_PEEKSIGINFO && i < end->result &&
				 i < SC_MAX_PEEK; i++) {
			r->peek[i].signo = end->peek[i].sig;
			r->peek[i].code = end->peek[i].code;
			r->peek[i].pid = end->peek[i].pid;
			r->peek[i].value = end->peek[i].value;
		}
		if (st->how == SL_PTRACE_GETSIGINFO && end->result == 0) {
			r->has_info = true;
			r->info.signo = end->sig;
			r->info.code = end->code;
			r->info.pid = end->pid;
		}
		break;
	default:
		break;
	}
}
