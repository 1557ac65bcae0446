/*
 * The report of `siglab why`: the verdict of the mirror (verdict.c), the
 * threads that could take the signal and those that block it, the notes
 * in plain words that explain the process's kind and state, and the
 * verdict in one sentence.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "why/mirror.h"

/* ---- notes in plain words --------------------------------------------------- */

void why_note(struct why_report *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nnotes == WHY_MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(r->notes[r->nnotes++], WHY_NOTE_MAX, fmt, ap);
	va_end(ap);
}

/* "TERM" for SIGTERM; SIG32 and SIG33 keep their prefix. */
static const char *short_name(int sig)
{
	const char *n = sl_signal_name(sig);

	return n[3] >= '0' && n[3] <= '9' ? n : n + 3;
}

void why_format_set(uint64_t set, char *buf, size_t cap)
{
	size_t len = 0;

	if (cap == 0)
		return;
	buf[0] = '\0';
	if (set == 0 || set == ~(uint64_t)0) {
		snprintf(buf, cap, "%s", set ? "all" : "-");
		return;
	}
	for (int sig = 1; sig <= SL_NSIG && len < cap; sig++) {
		int last = sig;
		int n;

		if (!(set & sl_sigmask(sig)))
			continue;
		if (sig > SL_SIGSYS)
			while (last < SL_NSIG && (set & sl_sigmask(last + 1)))
				last++;
		if (last - sig >= 2)
			n = snprintf(buf + len, cap - len, "%s%s..%s", len ? "," : "",
				     short_name(sig), short_name(last));
		else
			n = snprintf(buf + len, cap - len, "%s%s", len ? "," : "", short_name(sig));
		if (n < 0)
			break;
		len += (size_t)n;
		if (last - sig >= 2)
			sig = last;
	}
	if (len >= cap && cap > 4)
		memcpy(buf + cap - 4, "...", 4);
}

/* A process name as the notes print it: made printable (text.c), "?"
 * when unknown. */
static const char *name_or(const char *s, char *buf, size_t cap)
{
	if (!s || !*s)
		return "?";
	why_printable(s, buf, cap);
	return buf;
}

static void kind_notes(const struct proc_process *p, const struct why_sender *s,
		       enum why_kind kind, struct why_report *r)
{
	char set[256];

	if (kind == WHY_KIND_KTHREAD) {
		why_format_set(p->status.sigcgt, set, sizeof set);
		if (!p->status.sigcgt)
			snprintf(set, sizeof set, "none");
		why_note(r, "%d is a kernel thread (PF_KTHREAD): it has no user mode, so no handler or "
		     "default action ever runs in it; it drops every signal it has not allowed with "
		     "allow_signal(), SIGKILL included (kernel/signal.c sig_task_ignored). Signals it "
		     "allowed: %s; one of those only sets a flag its own loop may check "
		     "(signal_pending).", r->pid, set);
	} else if (kind == WHY_KIND_GLOBAL_INIT) {
		why_note(r, "%d is pid 1 of the initial pid namespace, the global init "
		     "(SIGNAL_UNKILLABLE): it gets only the signals it has a handler for; the others "
		     "are dropped, and SIGKILL and SIGSTOP never reach it, not even from root "
		     "(kernel/signal.c sig_task_ignored).%s", r->pid,
		     s->self.root_pidns < 0 ? " (Whether this is the initial namespace could not "
					      "be checked: /proc/self/ns/pid is unreadable.)" : "");
	} else if (kind == WHY_KIND_NS_INIT) {
		why_note(r, "%d is pid 1 of a pid namespace (SIGNAL_UNKILLABLE): sent from inside the "
		     "namespace, signals whose action is the default are dropped, SIGKILL and "
		     "SIGSTOP included; sent from a parent namespace, SIGKILL and SIGSTOP get through "
		     "(kernel/signal.c sig_task_ignored: force for a sender in an ancestor "
		     "namespace). When it dies, every process of its namespace is killed "
		     "(zap_pid_ns_processes).", r->pid);
	}
}

static void state_notes(const struct proc_process *p, struct why_report *r)
{
	const struct proc_thread *lead = &p->threads[0];
	char pname[4 * PROC_COMM_MAX], tname[4 * PROC_COMM_MAX];

	why_wait_notes(p, r);
	if (why_thread_dead(lead) && p->nthreads == 1) {
		why_note(r, "%d is a zombie: it has exited and runs no code, so no signal, SIGKILL "
		     "included, does anything to it. The entry stays until its parent, %d (%s), "
		     "reaps it with wait(); it was sent %s when it exited.%s",
		     r->pid, p->parent_pid, name_or(p->parent_comm, pname, sizeof pname),
		     p->stat.exit_signal > 0 && p->stat.exit_signal <= SL_NSIG
			     ? sl_signal_name(p->stat.exit_signal)
			     : p->stat.exit_signal == 0 ? "no signal (exit signal 0)" : "its exit signal",
		     p->parent.known && p->parent.ns_pid == 1
			     ? "" : " If the parent never waits, fix or end the parent: init (or a "
				    "subreaper) then adopts the zombie and reaps it.");
	} else if (why_thread_dead(lead)) {
		why_note(r, "the main thread of %d has exited (pthread_exit: Z), but the process lives "
		     "on in its other threads, which take process-directed signals.", r->pid);
	}
	if (lead->state == 'T')
		why_note(r, "%d is stopped (T, a group stop by a stop signal): only SIGKILL acts at once "
		     "and SIGCONT resumes it; any other signal stays pending until SIGCONT "
		     "(kernel/signal.c wants_signal, do_signal_stop).", r->pid);
	if (lead->state == 't')
		why_note(r, "%d is in a ptrace stop (t), held by its tracer %d (%s): it runs again only "
		     "when the tracer resumes it, detaches or exits — SIGCONT does not resume it; "
		     "SIGKILL still kills it at once (kernel/ptrace.c ptrace_resume, "
		     "kernel/signal.c ptrace_stop).", r->pid,
		     p->status.tracer_pid, name_or(p->tracer_comm, tname, sizeof tname));
	if (p->status.tracer_pid > 0)
		why_note(r, "%d is traced by %d (%s): the tracer sees every signal but SIGKILL first, "
		     "even one the process ignores, in a signal-delivery-stop, and may suppress it, "
		     "pass it on or change it (kernel/signal.c sig_ignored, ptrace_signal); a fatal "
		     "signal is not turned into a group exit while it is traced (complete_signal: "
		     "sig == SIGKILL || !p->ptrace). The model has a tracer too: the verdict is the "
		     "stop, then what happens if the tracer passes the signal on (strace does).",
		     r->pid, p->status.tracer_pid, name_or(p->tracer_comm, tname, sizeof tname));
	if ((p->status.sigpnd | p->status.shdpnd) & sl_sigmask(SL_SIGKILL))
		why_note(r, "SIGKILL is already pending for %d: it is being killed, and dies as soon as "
		     "its threads leave the kernel.", r->pid);
}

static void list_tids(const int *tids, size_t n, char *buf, size_t cap)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && len + 16 < cap; i++) {
		if (i == 8) {
			snprintf(buf + len, cap - len, " and %zu more", n - i);
			return;
		}
		len += (size_t)snprintf(buf + len, cap - len, "%s%d", i ? ", " : "", tids[i]);
	}
}

static void signal_notes(const struct proc_process *p, const struct why_sender *s,
			 struct why_report *r)
{
	const char *name = r->sig ? sl_signal_name(r->sig) : "signal 0";
	sl_sigset bit = r->sig ? sl_sigmask(r->sig) : 0;
	char list[160];

	if (r->sig == SL_SIGKILL || r->sig == SL_SIGSTOP)
		why_note(r, "%s cannot be caught, blocked or ignored (do_sigaction refuses it, "
		     "sigprocmask drops it from masks); only inits and kernel threads are spared.", name);
	switch (r->now.verdict) {
	case WHY_EPERM:
		why_note(r, "you (uid %u, euid %u) may not signal %d (uid %u): kill fails with EPERM "
		     "(kernel/signal.c check_kill_permission, kill_ok_by_cred: a matching uid or "
		     "CAP_KILL is needed; SIGCONT within the session is the exception).",
		     s->self.uid, s->self.euid, r->pid, p->status.uid[0]);
		break;
	case WHY_HANDLER:
		list_tids(r->takers, r->ntakers, list, sizeof list);
		why_note(r, "%s is caught (SigCgt): /proc shows that a handler is installed, not what it "
		     "does; it may exit, ignore the request or carry on. Threads that do not block it "
		     "and could run it: %s (complete_signal tries the main thread first).", name, list);
		break;
	case WHY_PENDING:
		list_tids(r->blockers, r->nblockers, list, sizeof list);
		why_note(r, "%s is blocked (SigBlk) in every thread (%s): it stays pending until a thread "
		     "unblocks it or takes it with sigwaitinfo/signalfd.", name, list);
		break;
	case WHY_DROPPED:
		if ((p->status.sigign & bit) && r->kind != WHY_KIND_KTHREAD)
			why_note(r, "%s is set to SIG_IGN (SigIgn); a signal that is ignored and not "
			     "blocked is discarded when it is sent.", name);
		if (r->sig == SL_SIGCONT)
			why_note(r, "SIGCONT resumes a stopped process even when it is ignored; %d is not "
			     "stopped.", r->pid);
		break;
	case WHY_ALREADY_PENDING:
		why_note(r, "%s is already pending: a standard signal is queued at most once, so the "
		     "pending one stands for both (kernel/signal.c __send_signal_locked: "
		     "legacy_queue); a real-time signal (SIGRTMIN..SIGRTMAX) would queue another "
		     "instance.", name);
		if (r->nblockers && !r->ntakers) {
			list_tids(r->blockers, r->nblockers, list, sizeof list);
			why_note(r, "%s is blocked (SigBlk) in every thread (%s): it stays pending until "
			     "a thread unblocks it (sigprocmask, pthread_sigmask; the kernel then "
			     "delivers it on that thread's way back to user mode: "
			     "__set_task_blocked, recalc_sigpending, get_signal) or takes it with "
			     "sigwaitinfo/signalfd.", name, list);
		}
		break;
	default:
		break;
	}
	if ((bit & WHY_STOP_SIGNALS & ~sl_sigmask(SL_SIGSTOP)) && s->orphaned_pgrp == 1)
		why_note(r, "the process group of %d is orphaned (no member has a parent in another group "
		     "of its session): the job-control stop signals SIGTSTP, SIGTTIN and SIGTTOU do "
		     "nothing to it; SIGSTOP still stops it.", r->pid);
}

/* ---- the diagnosis ---------------------------------------------------------- */

static int threads_by_mask(const struct proc_process *p, int sig, struct why_report *r)
{
	r->takers = calloc(p->nthreads, sizeof *r->takers);
	r->blockers = calloc(p->nthreads, sizeof *r->blockers);
	if (!r->takers || !r->blockers)
		return -1;
	for (size_t i = 0; sig && i < p->nthreads; i++) {
		const struct proc_thread *t = &p->threads[i];

		if (why_thread_dead(t))
			continue;
		if (t->sigblk & sl_sigmask(sig) & ~WHY_KERNEL_ONLY)
			r->blockers[r->nblockers++] = t->tid;
		else
			r->takers[r->ntakers++] = t->tid;
	}
	return 0;
}
int why_diagnose(const struct proc_process *p, int sig, const struct why_sender *from,
		 struct why_report *out)
{
	struct why_mirror *m;

	*out = (struct why_report){ .pid = p->threads[0].tid, .sig = sig,
				    .kind = why_classify(p, &from->self) };
	why_outcome_start(&out->now);
	if (p->nthreads == 0 || threads_by_mask(p, sig, out) < 0)
		return -1;
	m = why_mirror_new(p);
	if (!m)
		return -1;
	if (why_mirror_build(m, out->kind, from) == 0)
		why_verdict(m, sig, out);
	else
		why_note(out, "the model could not rebuild this process's state, so there is no "
		     "verdict; the notes below still hold.");
	why_mirror_free(m);
	kind_notes(p, from, out->kind, out);
	state_notes(p, out);
	signal_notes(p, from, out);
	why_shell_notes(p, out);
	why_init_notes(p, from, out);
	why_ignored_origin(p, out);
	return 0;
}

void why_sender_read(const char *root, const struct proc_process *p, int sig,
		     struct why_sender *s)
{
	*s = (struct why_sender){ .from = WHY_FROM_AUTO, .orphaned_pgrp = -1 };
	proc_read_self(root, &s->self);
	if (sig && (sl_sigmask(sig) & (sl_sigmask(SL_SIGTSTP) | sl_sigmask(SL_SIGTTIN) |
				       sl_sigmask(SL_SIGTTOU))))
		s->orphaned_pgrp = proc_pgrp_orphaned(root, p->stat.pgrp);
}

const char *why_alternative(const struct proc_process *p, int sig, const struct why_sender *s,
			    const struct why_report *r, struct why_report *ar)
{
	struct why_sender alt = *s;
	const char *label;

	if (r->now.verdict == WHY_EPERM && !s->self.cap_kill) {
		alt.self.cap_kill = true;
		label = "as root";
	} else if (r->kind == WHY_KIND_NS_INIT && sig) {
		bool inside = why_sender_inside(p, s);

		alt.from = inside ? WHY_FROM_PARENT_NS : WHY_FROM_INSIDE;
		label = inside ? "from a parent pid namespace" : "from inside its pid namespace";
	} else {
		return NULL;
	}
	if (why_diagnose(p, sig, &alt, ar) != 0)
		return NULL;
	return label;
}

void why_report_free(struct why_report *r)
{
	free(r->takers);
	free(r->blockers);
	r->takers = r->blockers = NULL;
}

/* ---- the verdict in one sentence ---------------------------------------------- */

static const char *drop_reason(const struct why_report *r, const struct proc_process *p)
{
	sl_sigset bit = sl_sigmask(r->sig);
	const struct sl_signal_desc *d = r->sig <= SL_SIGSYS ? sl_signal_describe(r->sig) : NULL;
	bool dfl = !((p->status.sigign | p->status.sigcgt) & bit);

	if (r->kind == WHY_KIND_KTHREAD)
		return "a kernel thread drops the signals it has not allowed";
	if ((r->kind == WHY_KIND_GLOBAL_INIT || r->kind == WHY_KIND_NS_INIT) &&
	    (dfl || (bit & WHY_KERNEL_ONLY)))
		return r->kind == WHY_KIND_GLOBAL_INIT
			       ? "the global init takes only the signals it has a handler for"
			       : "a namespace init takes only the signals it has a handler for";
	if (p->status.sigign & bit)
		return "the process ignores it (SIG_IGN)";
	if (dfl && d && d->action == SL_ACT_IGN)
		return "its default action is to ignore it";
	if (dfl && r->sig == SL_SIGCONT)
		return "its default action is to continue, and the process is not stopped";
	return "see the rule below";
}

void why_headline(const struct why_report *r, const struct why_outcome *o,
		  const struct proc_process *p, char *buf, size_t cap)
{
	const char *name = r->sig ? sl_signal_name(r->sig) : "signal 0";
	size_t len;

	switch (o->verdict) {
	case WHY_EXISTS:
		snprintf(buf, cap, "the process exists and you may signal it (kill -0 succeeds)");
		break;
	case WHY_EPERM:
		snprintf(buf, cap, "kill fails with EPERM: you may not signal this process");
		break;
	case WHY_DROPPED:
		snprintf(buf, cap, "dropped: %s is discarded as it is sent; %s", name,
			 drop_reason(r, p));
		break;
	case WHY_ALREADY_PENDING:
		snprintf(buf, cap, "merged: %s is already pending, and a standard signal is "
			 "queued only once%s", name,
			 r->nblockers && !r->ntakers ? "; it is blocked in every thread" : "");
		break;
	case WHY_PENDING:
		snprintf(buf, cap, "stays pending: %s is blocked in every thread", name);
		break;
	case WHY_HANDLER:
		snprintf(buf, cap, "handled: thread %d runs the process's %s handler", o->taker, name);
		break;
	case WHY_TERM:
		if (r->sig == SL_SIGKILL)
			snprintf(buf, cap, "kills it: SIGKILL terminates the process; its parent "
				 "sees it killed by signal 9 (exit status 137 in a shell)");
		else
			snprintf(buf, cap, "kills it: the default action of %s terminates the "
				 "process; its parent sees it killed by signal %d (exit status %d in "
				 "a shell)", name, r->sig, why_exit_status(r->sig));
		break;
	case WHY_CORE:
		snprintf(buf, cap, "kills it: the default action of %s terminates the process with "
			 "a core dump (if RLIMIT_CORE allows one); its parent sees it killed by signal "
			 "%d, WCOREDUMP set if dumped (exit status %d in a shell, \"core dumped\")",
			 name, r->sig, why_exit_status(r->sig));
		break;
	case WHY_STOP:
		snprintf(buf, cap, "stops it: the default action of %s stops every thread", name);
		break;
	case WHY_CONTINUE:
		snprintf(buf, cap, "continues it: %s resumes the stopped process", name);
		break;
	case WHY_NOTHING:
		snprintf(buf, cap, "no effect: %s is queued, then dropped when it is delivered", name);
		break;
	case WHY_FLUSHED:
		snprintf(buf, cap, "discarded: %s is removed from the pending set before it is "
			 "delivered", name);
		break;
	case WHY_KTHREAD_QUEUED:
		snprintf(buf, cap, "queued: the kernel thread allowed %s; what happens is up to its "
			 "own code", name);
		break;
	case WHY_WAITS:
		snprintf(buf, cap, "waits: the process is stopped, so %s stays pending until SIGCONT",
			 name);
		break;
	case WHY_ZOMBIE:
		snprintf(buf, cap, "no effect: the process is a zombie, already dead");
		break;
	case WHY_TRACER:
		snprintf(buf, cap, "stops for its tracer: thread %d enters a signal-delivery-stop "
			 "(t) with %s, and tracer %d decides: pass it on, suppress it or change it",
			 o->taker, name, p->status.tracer_pid);
		break;
	default:
		snprintf(buf, cap, "no verdict: the model could not rebuild this process");
		break;
	}
	len = strlen(buf);
	/* The model's D threads, and S threads in a wait a signal turns
	 * uninterruptible, sleep on (mirror.c): a process dies only
	 * when its last thread has left the kernel, and a handler or a stop
	 * waits for the thread to leave it. */
	if ((o->verdict == WHY_HANDLER || o->verdict == WHY_STOP || o->verdict == WHY_TERM ||
	     o->verdict == WHY_CORE) && o->after_wait && len < cap) {
		if (o->after_state == 'S')
			snprintf(buf + len, cap - len, ", but not before thread %d's wait ends: the "
				 "signal turns its sleep (S) uninterruptible", o->after_wait);
		else
			snprintf(buf + len, cap - len, ", but not before thread %d leaves its %s "
				 "sleep (D)", o->after_wait,
				 o->after_killable ? "killable" : "uninterruptible");
	}
}
