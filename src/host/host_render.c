/*
 * The controller's trace: pids turned into task names, agent reports and
 * tracepoint events turned into trace lines in the order they happened,
 * deaths and their statuses, and the text of docs/trace-format.md.
 */
#include <signal.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "host/controller.h"

/* ---- names -------------------------------------------------------------- */

static int task_by_gtid(const struct host *h, int tid)
{
	for (size_t i = 0; i < h->s->ntasks; i++)
		if (h->t[i].spawned && h->t[i].g_tid == tid)
			return (int)i;
	return -1;
}

/* The task a pid names as task `observer` sees pids: in the scenario's
 * namespace, or in the nested one it lives in; NULL when none. */
static const char *name_seen(const struct host *h, int observer, int pid)
{
	int ns = observer >= 0 ? h->env.ns_of[observer] : -1;

	for (size_t i = 0; pid > 0 && i < h->s->ntasks; i++) {
		const struct htask *t = &h->t[i];

		if (!t->spawned)
			continue;
		if (ns < 0 ? t->ns_tid == pid
			   : h->env.ns_of[i] == ns && t->in_tid == pid)
			return h->s->tasks[i].name;
	}
	return NULL;
}

/* A pid as a task sees it (si_pid), printed: a name, "0" or "?". */
static const char *name_ns_pid(const struct host *h, int observer, int pid)
{
	const char *n = name_seen(h, observer, pid);

	return n ? n : pid == 0 ? "0" : "?";
}

int hc_task_seen(const struct host *h, int observer, int pid)
{
	const char *n = name_seen(h, observer, pid);

	for (size_t i = 0; n && i < h->s->ntasks; i++)
		if (h->s->tasks[i].name == n)
			return (int)i;
	return -1;
}

const char *hc_task_name(const struct host *h, int task)
{
	return task >= 0 ? h->s->tasks[task].name : "?";
}

/* ---- turning reports and trace events into lines ------------------------ */

/* The handler frames task is in: from the trace when there is one (the
 * kernel may stack several frames before the first handler runs), else as
 * the agent counts them. */
int hc_depth_of(const struct host *h, int task)
{
	if (task < 0)
		return 0;
	return h->traced ? h->t[task].frames : h->t[task].depth;
}

static struct htask *sighand_of(struct host *h, int task)
{
	const struct sc_task *t = &h->s->tasks[task];

	return &h->t[t->kind == SC_THREAD ? t->leader : task];
}

/* A sigaction or signal call about to change a disposition: remember
 * whether the host adds SA_SIGINFO to it (agent.c installs every handler
 * with SA_SIGINFO); the bit stays when the kernel resets the handler. */
static void note_disposition(struct host *h, int task, const struct sc_stmt *st)
{
	bool added;

	if (st->sig < 1 || st->sig > SL_NSIG || st->sig == SL_SIGKILL || st->sig == SL_SIGSTOP)
		return;
	if (st->op == SC_OP_SIGACTION)
		added = st->handler >= 0 && !(st->flags & SL_SA_SIGINFO);
	else if (st->op == SC_OP_SIGNAL)
		added = st->handler >= 0;
	else
		return;
	sighand_of(h, task)->added_siginfo[st->sig] = added;
}

/* A blocking call returned: its value goes on the call's own
 * line when nothing of its task came between, else on a line of its own
 * where it returned (docs/trace-format.md). */
static void place_return(struct host *h, const struct report *rep)
{
	const struct report *begin = hc_find_record(h, rep->task, rep->ref);
	struct line *l;

	if (!begin || !begin->stmt || !sc_op_may_block(begin->stmt->op))
		return;
	/* A WNOHANG wait never sleeps: what came during it (a tracer's wait
	 * that hands a zombie back to its real parent sends SIGCHLD) is its
	 * own doing. */
	if ((begin->stmt->op == SC_OP_WAIT4 || begin->stmt->op == SC_OP_WAITID) &&
	    (begin->stmt->flags & SL_WNOHANG))
		return;
	for (size_t i = h->nlines; i-- > h->step_first_line;) {
		if (h->lines[i].task != rep->task)
			continue;
		/* A pipe read's own I/O signal (POLL_OUT to the writers'
		 * owner) is sent by the reader during the call, asleep or
		 * not: it does not say the call slept. */
		if (begin->stmt->op == SC_OP_READ && begin->stmt->pipe >= 0 &&
		    h->lines[i].kind == L_TEXT && !strncmp(h->lines[i].text, "signal_generate", 15))
			continue;
		if (h->lines[i].kind == L_CALL && h->lines[i].seq == rep->ref && !h->lines[i].ret)
			return;
		goto own_line;
	}
	if (begin->step == h->cur_step && h->step_seq[h->cur_step] == rep->ref)
		return;
own_line:
	l = hc_add_line(h, L_CALL, rep->task, hc_depth_of(h, rep->task));
	if (l) {
		l->stmt = begin->stmt;
		l->seq = rep->ref;
		l->ret = true;
	}
}

static void place_record(struct host *h, const struct report *rep)
{
	struct htask *t = &h->t[rep->task];
	struct line *l;

	t->frame_unsure = false;
	switch (rep->kind) {
	case REP_BEGIN:
		t->depth = rep->depth;
		if (rep->stmt)
			note_disposition(h, rep->task, rep->stmt);
		if (rep->step == h->cur_step && h->step_seq[h->cur_step] == rep->seq)
			return;	/* the step line itself */
		l = hc_add_line(h, L_CALL, rep->task, hc_depth_of(h, rep->task));
		if (l) {
			l->stmt = rep->stmt;
			l->seq = rep->seq;
		}
		break;
	case REP_HANDLER:
		if (h->traced && t->frames == 0)
			t->frames = 1;	/* its signal_deliver was not recorded */
		l = hc_add_line(h, L_TEXT, rep->task, h->traced ? t->frames - 1 : rep->depth);
		if (l) {
			struct sl_siginfo si = { .signo = rep->sig, .code = rep->code,
						 .uid = rep->info_uid, .status = rep->info_status,
						 .value = rep->value, .overrun = rep->overrun,
						 .timerid = rep->info_timerid,
						 .band = rep->info_band, .fd = rep->info_fd,
						 .addr = rep->info_addr };
			struct strbuf tail = { 0 };

			sc_render_handler_info(&tail, h->s, rep->sig, &si,
					       name_ns_pid(h, rep->task, rep->pid));
			snprintf(l->text, sizeof l->text, "handler %s sig=%d code=%d%s",
				 h->s->handlers[rep->handler].name, rep->sig, rep->code,
				 sb_str(&tail));
			sb_free(&tail);
		}
		t->depth = rep->depth + 1;
		break;
	case REP_END:
		place_return(h, rep);
		break;
	case REP_SIGRETURN:
	case REP_LONGJMP:
	case REP_SIGLONGJMP:
		t->depth = rep->depth;
		if (t->frames > 0)
			t->frames--;
		l = hc_add_line(h, L_TEXT, rep->task, hc_depth_of(h, rep->task));
		/* A jump to the task's own code drops every frame, also those
		 * whose handler never ran. */
		if (rep->kind != REP_SIGRETURN && rep->depth == 0)
			t->frames = 0;
		if (l)
			snprintf(l->text, sizeof l->text, "%s",
				 rep->kind == REP_SIGRETURN ? "sigreturn" :
				 rep->kind == REP_LONGJMP ? "longjmp" : "siglongjmp");
		break;
	default:
		break;
	}
}

void hc_place_death(struct host *h, int task)
{
	if (task < 0 || h->t[task].death_line)
		return;
	h->t[task].death_line = true;
	/* A leader that exit()s while other threads of its process live on
	 * ends as a thread: the process's status is not its. */
	if (h->t[task].self_exit && h->s->tasks[task].kind != SC_THREAD) {
		for (size_t i = 0; i < h->s->ntasks; i++) {
			struct line *l;

			if ((int)i == task || h->t[i].g_pid != h->t[task].g_pid || h->t[i].dead)
				continue;
			l = hc_add_line(h, L_TEXT, task, hc_depth_of(h, task));
			if (l)
				snprintf(l->text, sizeof l->text, "exited %ld", h->t[task].self_code);
			return;
		}
	}
	hc_add_line(h, L_DEATH, task, hc_depth_of(h, task));
}

/*
 * A thread that joined a group stop begun in this step (do_signal_stop:
 * it stops without a signal_deliver of its own) and that a SIGCONT to
 * its process ends in the same step: /proc never saw it stopped, so its
 * "stopped SIG" (the signal a sibling stopped on) and its "continued"
 * are written here, when the group stop completed (its CLD_STOPPED was
 * sent) before the SIGCONT.  Found with a parent-death SIGTTIN in a
 * group orphaned in the same step (tests/scenarios/orphan-pdeath-ttin).
 */
static void joined_and_continued(struct host *h, int i, int target)
{
	struct htask *x = &h->t[i];
	struct line *l;
	int sig = 0;

	if (x->death_line || x->was_stopped || x->stopped_in_step || x->step_stop_sig ||
	    !x->group_stop_told || x->g_pid != h->t[target].g_pid)
		return;
	for (size_t j = 0; j < h->s->ntasks && !sig; j++)
		if (h->t[j].g_pid == x->g_pid)
			sig = h->t[j].step_stop_sig;
	if (!sig)
		return;
	l = hc_add_line(h, L_TEXT, i, hc_depth_of(h, i));
	if (l)
		snprintf(l->text, sizeof l->text, "stopped %s", sl_signal_name(sig));
	x->stop_line = true;
	x->step_stop_sig = sig;
	x->stopped_in_step = true;
}

static void place_trace_event(struct host *h, const struct tev *ev)
{
	int sender = task_by_gtid(h, ev->common_pid);
	int target;
	struct line *l;
	bool info = false;
	int hidx;
	uint64_t flags;
	char hname[64];

	switch (ev->kind) {
	case TEV_GENERATE:
		target = task_by_gtid(h, ev->pid);
		if (host_time_generated_by_timer(ev->sig, ev->code))
			sender = target;
		/* the terminal's signals from its master's step (the flip
		 * buffer's worker, or the controller): on no task's behalf */
		if (sender < 0 && h->cur_step >= 0 &&
		    sc_is_master_step(h->s->steps[h->cur_step].stmt.op))
			sender = target;
		/* force_sigsegv right after a handler's signal_deliver: the
		 * frame did not fit (an overflowing alternate stack), so no
		 * frame was pushed */
		if (sender >= 0 && sender == target && ev->sig == SL_SIGSEGV &&
		    ev->code == SL_SI_KERNEL && h->t[sender].frame_unsure && h->t[sender].frames > 0)
			h->t[sender].frames--;
		if (sender >= 0)
			h->t[sender].frame_unsure = false;
		l = hc_add_line(h, L_TEXT, sender, hc_depth_of(h, sender));
		if (l)
			snprintf(l->text, sizeof l->text,
				 "signal_generate sig=%d errno=%d code=%d comm=%s pid=%s grp=%d res=%d",
				 ev->sig, ev->err, ev->code, hc_task_name(h, target), hc_task_name(h, target),
				 ev->grp, ev->res);
		if (ev->sig == SL_SIGCHLD && ev->code == CLD_STOPPED && sender >= 0)
			for (size_t i = 0; i < h->s->ntasks; i++)
				if (h->t[i].g_pid == h->t[sender].g_pid)
					h->t[i].group_stop_told = true;
		if (ev->sig == SL_SIGCONT && target >= 0) {
			for (size_t i = 0; i < h->s->ntasks; i++)
				joined_and_continued(h, (int)i, target);
			for (size_t i = 0; i < h->s->ntasks; i++) {
				struct htask *x = &h->t[i];

				/* stopped before the step, or in it (found by
				 * siglab fuzz: an orphaned group's SIGCONT to a
				 * task stopped earlier in the same step; and a
				 * tracee whose tracer died in the step, then
				 * stopped on a pending SIGSTOP: unsure until
				 * the step ends, see place_state_changes) */
				bool before = x->was_stopped && !x->was_ptraced;

				if ((before || x->stopped_in_step) && x->g_pid == h->t[target].g_pid) {
					x->cont_unsure = !before && x->was_ptraced;
					x->was_stopped = false;
					x->stopped_in_step = false;
					x->stopped = false;
					l = hc_add_line(h, L_TEXT, (int)i, hc_depth_of(h, (int)i));
					if (l)
						snprintf(l->text, sizeof l->text, "continued");
				}
			}
		}
		break;
	case TEV_DELIVER:
		if (sender < 0)
			break;
		flags = ev->flags & ~(uint64_t)SL_SA_RESTORER;
		if (ev->handler == SL_SIG_DFL || ev->handler == SL_SIG_IGN) {
			snprintf(hname, sizeof hname, "%llu", (unsigned long long)ev->handler);
			if (ev->sig >= 1 && ev->sig <= SL_NSIG &&
			    sighand_of(h, sender)->added_siginfo[ev->sig])
				flags &= ~(uint64_t)SL_SA_SIGINFO;
		} else if ((hidx = agent_handler_index(ev->handler - h->t[sender].img_delta,
							&info)) >= 0) {
			snprintf(hname, sizeof hname, "%s", h->s->handlers[hidx].name);
			if (!info)
				flags &= ~(uint64_t)SL_SA_SIGINFO;
		} else {
			snprintf(hname, sizeof hname, "?");
		}
		l = hc_add_line(h, L_TEXT, sender, hc_depth_of(h, sender));
		if (l)
			snprintf(l->text, sizeof l->text,
				 "signal_deliver sig=%d errno=%d code=%d sa_handler=%s sa_flags=%llx",
				 ev->sig, ev->err, ev->code, hname, (unsigned long long)flags);
		if (ev->handler != SL_SIG_DFL && ev->handler != SL_SIG_IGN)
			h->t[sender].frames++;
		h->t[sender].frame_unsure = ev->handler != SL_SIG_DFL && ev->handler != SL_SIG_IGN;
		if (xlat_sig_is_stop(ev->sig) && ev->handler == SL_SIG_DFL) {
			l = hc_add_line(h, L_TEXT, sender, hc_depth_of(h, sender));
			if (l) {
				snprintf(l->text, sizeof l->text, "stopped %s", sl_signal_name(ev->sig));
				h->t[sender].stop_line = true;
				h->t[sender].step_stop_sig = ev->sig;
				h->t[sender].stopped_in_step = true;
			}
		}
		break;
	case TEV_EXIT:
		hc_place_death(h, task_by_gtid(h, ev->pid));
		break;
	case TEV_MARK: {
		const struct report *rep;

		if (ev->mark_task < 0 || (size_t)ev->mark_task >= h->s->ntasks)
			break;
		rep = hc_find_record(h, ev->mark_task, ev->mark_seq);
		while (!rep && hc_drain_reports(h))
			rep = hc_find_record(h, ev->mark_task, ev->mark_seq);
		if (!rep)
			rep = hc_find_record(h, ev->mark_task, ev->mark_seq);
		if (rep)
			place_record(h, rep);
		break;
	}
	case TEV_OTHER:
	default:
		break;
	}
}

static int cmp_ts(const void *a, const void *b)
{
	const struct report *x = *(const struct report *const *)a;
	const struct report *y = *(const struct report *const *)b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Turns what was collected during the current step into lines. */
void hc_place_step_events(struct host *h)
{
	if (h->traced) {
		struct tev ev;

		for (size_t i = 0; i < h->ntlines; i++) {
			if (tracefs_parse(h->tlines[i], &ev) == 0)
				place_trace_event(h, &ev);
			free(h->tlines[i]);
		}
		h->ntlines = 0;
	} else {
		size_t n = h->nrecs - h->marked_upto, k = 0;
		const struct report **v = calloc(n ? n : 1, sizeof *v);

		if (!v) {
			hc_fail(h, "out of memory");
			return;
		}
		for (size_t i = h->marked_upto; i < h->nrecs; i++) {
			int kind = h->recs[i].kind;

			if (h->recs[i].task >= 0 &&
			    (kind == REP_BEGIN || kind == REP_END || kind == REP_HANDLER ||
			     kind == REP_SIGRETURN ||
			     kind == REP_LONGJMP || kind == REP_SIGLONGJMP))
				v[k++] = &h->recs[i];
		}
		qsort(v, k, sizeof *v, cmp_ts);
		for (size_t i = 0; i < k; i++)
			place_record(h, v[i]);
		free(v);
		h->marked_upto = h->nrecs;
	}
}

/* ---- /proc: quiescence and deaths --------------------------------------- */

/* The wait status of task's process, when it is known to be dead. */
bool hc_process_status(struct host *h, int task, int *status)
{
	int lead = h->s->tasks[task].kind == SC_THREAD ? h->s->tasks[task].leader : task;
	struct htask *t = &h->t[lead];
	struct proc_thread pt;

	if (t->have_status) {
		*status = t->status;
		return true;
	}
	if (t->direct && t->pidfd >= 0) {
		siginfo_t si;

		memset(&si, 0, sizeof si);
		if (waitid(P_PIDFD, (id_t)t->pidfd, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
		    si.si_pid != 0) {
			t->status = si.si_code == CLD_EXITED ? (si.si_status & 0xff) << 8
				  : (si.si_status & 0x7f) | (si.si_code == CLD_DUMPED ? 0x80 : 0);
			t->have_status = true;
		}
	}
	/* A zombie the parent's wait cannot see yet (a tracer has not
	 * reaped it, or a traced thread of it) still says its status. */
	if (t->have_status) {
		/* known */
	} else if (proc_read_thread(t->g_pid, t->g_pid, &pt) == 0 && !pt.gone &&
		   pt.state == 'Z') {
		/* a zombie's exit_code is its wait status */
		bool alive = false;

		for (size_t i = 0; i < h->s->ntasks; i++)
			if (h->t[i].g_pid == t->g_pid && !h->t[i].dead)
				alive = true;
		if (!alive) {
			t->status = pt.exit_code;
			t->have_status = true;
		}
	} else {
		for (size_t i = 0; i < h->nrecs; i++)
			if (h->recs[i].kind == REP_REAPED && h->recs[i].ns_pid == t->ns_pid) {
				t->status = h->recs[i].status;
				t->have_status = true;
			}
		/* reaped by someone who did not report it (a namespace init's
		 * zap_pid_ns_processes): the pidfd still knows */
		if (!t->have_status && proc_pidfd_exit_status(t->pidfd, &t->status))
			t->have_status = true;
	}
	*status = t->status;
	return t->have_status;
}

void hc_death_text(struct host *h, int task, char *buf, size_t n)
{
	int st;
	int sig;

	/* A thread that called exit(N) ended that way; a process (its
	 * leader) ended as wait reports it, once that is known (a leader
	 * that left before its threads takes the last thread's code). */
	if (h->t[task].self_exit &&
	    (h->s->tasks[task].kind == SC_THREAD || !hc_process_status(h, task, &st))) {
		snprintf(buf, n, "exited %ld", h->t[task].self_code);
		return;
	}
	/* A thread gone while its process lives on, that did not exit
	 * itself: an execve of another thread killed it (de_thread), with
	 * SIGKILL, whatever state the process is in now (a traced one
	 * reports its SIGTRAP stop, not the thread's death). */
	if (h->s->tasks[task].kind == SC_THREAD && !h->t[h->s->tasks[task].leader].dead) {
		snprintf(buf, n, "killed SIGKILL");
		return;
	}
	if (!hc_process_status(h, task, &st)) {
		snprintf(buf, n, "zombie");
		return;
	}
	if (WIFEXITED(st)) {
		snprintf(buf, n, "exited %d", WEXITSTATUS(st));
		return;
	}
	sig = WTERMSIG(st);
	snprintf(buf, n, "killed %s%s", sl_signal_name(sig), WCOREDUMP(st) ? " (core dumped)" : "");
}

/* ---- rendering ---------------------------------------------------------- */

/* The result of a call nobody saw return (the task died, stopped or left a
 * handler taken on the way back by a jump): the kernel delivered a signal
 * to it on the way out of this call, so the call succeeded, and these
 * calls return 0 on success. */
static bool assumed_result(const struct sc_stmt *st, int64_t *out)
{
	switch (st->op) {
	case SC_OP_SIGACTION: case SC_OP_SIGPROCMASK: case SC_OP_KILL:
	case SC_OP_TKILL: case SC_OP_TGKILL: case SC_OP_SIGQUEUE:
	case SC_OP_TGSIGQUEUE: case SC_OP_PIDFD_SEND: case SC_OP_RAISE:
	case SC_OP_EXECVE:	/* a tracee stops (or dies) after its success */
	case SC_OP_SETITIMER:	/* its timer may fire before the report */
		*out = 0;
		return true;
	case SC_OP_PTRACE:	/* the requests that return 0 (found by siglab
				 * fuzz, seed 802060: a SIGCHLD handler that
				 * kills the tracer on its way out of ATTACH) */
		if (st->how == SL_PTRACE_GETSIGINFO || st->how == SL_PTRACE_GETSIGMASK ||
		    st->how == SL_PTRACE_PEEKSIGINFO || st->how == SL_PTRACE_GETEVENTMSG)
			return false;
		*out = 0;
		return true;
	case SC_OP_PWRITE:	/* only its own SIGXFSZ kills a writer on the
				 * way out: the write failed with EFBIG */
		*out = -SL_EFBIG;
		return true;
	default:
		return false;
	}
}

/* Whether the return of the blocking call `seq` has a line of its own. */
static bool has_return_line(const struct host *h, int task, int seq)
{
	for (size_t i = 0; i < h->nlines; i++)
		if (h->lines[i].ret && h->lines[i].task == task && h->lines[i].seq == seq)
			return true;
	return false;
}

static void render_line_call(struct host *h, struct strbuf *b, int task, int seq,
			     const struct sc_stmt *st, bool ret_line)
{
	const struct report *end = seq >= 0 ? hc_find_end(h, task, seq) : NULL;
	int64_t res = 0;
	bool known = end != NULL;
	struct sc_result r = { 0 };

	/* A blocking call that did not return at once: "..." here, and its
	 * value on its own line, if it returned at all. */
	if (sc_op_may_block(st->op) && !ret_line && (!end || has_return_line(h, task, seq))) {
		r.blocked = true;
		sc_render_call(b, h->s, st, &r);
		return;
	}
	if (end) {
		res = end->result;
	} else if (st->op == SC_OP_SSETMASK && seq >= 0) {
		/* the old mask, which the agent put in its BEGIN report */
		const struct report *begin = hc_find_record(h, task, seq);

		known = begin && begin->kind == REP_BEGIN;
		if (known)
			res = (int64_t)(int32_t)(uint32_t)begin->value;
	} else {
		known = assumed_result(st, &res);
	}
	/* a write nobody saw return: the EPIPE its agent foresaw, the
	 * SIGPIPE that came with it having killed the writer */
	if (!end && st->op == SC_OP_WRITE && seq >= 0) {
		const struct report *begin = hc_find_record(h, task, seq);

		if (begin && begin->kind == REP_BEGIN && begin->result == -EPIPE) {
			res = -EPIPE;
			known = true;
		}
	}
	if (!known) {
		sc_render_call(b, h->s, st, NULL);
		if (sc_stmt_has_result(st->op))
			sb_add(b, " = ?");
		return;
	}
	r.ret = (long)res;
	if (st->op == SC_OP_SIGPENDING && (res >= 0 || res < -4095)) {
		r.set = (sl_sigset)res;
		r.ret = 0;
	}
	/* process calls: pids become task names */
	r.pid_name = res > 0 ? name_seen(h, task, (int)res) : NULL;
	if (end) {
		r.status = end->status;
		r.wcode = end->code;
		r.wstatus = end->status;
		r.wpid_name = name_seen(h, task, end->pid);
		host_call_result(st, end, &r);
		if (r.has_info)
			r.info_pid_name = name_ns_pid(h, task, end->pid);
		for (long i = 0; st->op == SC_OP_PTRACE && i < end->result && i < SC_MAX_PEEK; i++)
			r.peek_pid_name[i] = name_ns_pid(h, task, end->peek[i].pid);
	}
	sc_render_call(b, h->s, st, &r);
}

static const char *final_state(struct host *h, int i, char *buf, size_t n)
{
	struct htask *t = &h->t[i];
	uint64_t dl;

	enum tstate st;

	if (!t->spawned)
		return h->s->tasks[i].forked ? "not forked" : "?";
	/* A task busy on its way back to its command read (after its HELLO,
	 * when no step settled it) is running: give it up to 1 s to get
	 * there, as a loaded machine may need. */
	for (int tries = 0; (st = hc_poll_task(h, i, &dl)) == T_BUSY && tries < 500; tries++)
		nanosleep(&(struct timespec){ 0, 2000000 }, NULL);
	switch (st) {
	case T_DEAD:
		hc_death_text(h, i, buf, n);
		return buf;
	case T_STOPPED:
		return t->ptraced ? "traced" : "stopped";
	case T_IDLE:
		return "running";
	case T_BUSY:
	default:
		return "sleeping";
	}
}

/* A thread that died in a step where another thread of its process
 * made a successful execve: de_thread (fs/exec.c) killed it with
 * SIGKILL, whatever the process dies of later. */
static bool zapped_by_exec(const struct host *h, int task, int step)
{
	const struct scenario *s = h->s;
	const struct sc_step *sp = &s->steps[step];
	int lead = s->tasks[task].kind == SC_THREAD ? s->tasks[task].leader : task;
	int slead;

	if (sp->task < 0 || sp->task == task || sp->stmt.op != SC_OP_EXECVE)
		return false;
	slead = s->tasks[sp->task].kind == SC_THREAD ? s->tasks[sp->task].leader : sp->task;
	return slead == lead;
}

void hc_render(struct host *h, struct strbuf *b, bool final)
{
	const struct scenario *s = h->s;
	size_t li = 0;
	char buf[128];

	sb_addf(b, "# scenario %s\n", s->name ? s->name : "?");
	for (int step = 0; step <= h->cur_step && step < (int)s->nsteps; step++) {
		const struct sc_step *sp = &s->steps[step];
		struct strbuf call = { 0 };

		if (sp->task < 0)	/* advance: the clock's step */
			sc_render_call(&call, s, &sp->stmt, NULL);
		else
			render_line_call(h, &call, sp->task, h->step_seq[step], &sp->stmt, false);
		sb_addf(b, "%3d %-6s %s\n", step + 1,
			sp->task >= 0 ? s->tasks[sp->task].name
			: sc_is_master_step(sp->stmt.op) ? "tty" : "clock",
			sb_str(&call));
		sb_free(&call);
		for (; li < h->nlines && h->lines[li].step == step; li++) {
			struct line *l = &h->lines[li];
			const char *who = l->task >= 0 ? s->tasks[l->task].name : "?";

			sb_addf(b, "    %-6s %*s", who, 2 * l->depth, "");
			if (l->kind == L_CALL) {
				render_line_call(h, b, l->task, l->seq, l->stmt, l->ret);
				sb_addf(b, "\n");
			} else if (l->kind == L_DEATH && zapped_by_exec(h, l->task, step)) {
				sb_addf(b, "killed SIGKILL\n");
			} else if (l->kind == L_DEATH) {
				hc_death_text(h, l->task, buf, sizeof buf);
				sb_addf(b, "%s\n", buf);
			} else {
				sb_addf(b, "%s\n", l->text);
			}
		}
	}
	if (h->failed || !final)
		return;
	sb_addf(b, "final\n");
	for (size_t i = 0; i < s->ntasks; i++)
		sb_addf(b, "    %-6s %s\n", s->tasks[i].name,
			  final_state(h, (int)i, buf, sizeof buf));
}
