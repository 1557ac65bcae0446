/*
 * The notes of `siglab why` that answer what operators ask: where each
 * thread sleeps and what a signal does to that sleep (wait.c), a handler
 * stuck on a lock, a shell waiting for its foreground child, a namespace
 * init that drops SIGTERM or never reaps, and where an ignored
 * disposition came from.  Each note states what /proc shows and the
 * kernel rule; the advice is the usual fix.
 */
#include <stdio.h>
#include <string.h>

#include "why/mirror.h"

/* "TERM" for SIGTERM. */
static const char *bare(int sig)
{
	const char *n = sl_signal_name(sig);

	return n[3] >= '0' && n[3] <= '9' ? n : n + 3;
}

int why_exit_status(int sig)
{
	return sig > 0 && sig <= SL_NSIG ? 128 + sig : -1;
}

void why_wait_place(const struct proc_thread *t, char *buf, size_t cap)
{
	const char *name = t->syscall >= 0 ? proc_syscall_name(t->syscall) : NULL;
	char sc[64];

	if (t->syscall >= 0)
		snprintf(sc, sizeof sc, "syscall %s%s%ld%s", name ? name : "", name ? " (" : "",
			 t->syscall, name ? ")" : "");
	else if (t->syscall == PROC_SYSCALL_NONE)
		snprintf(sc, sizeof sc, "not in a syscall");
	else if (t->syscall == PROC_SYSCALL_RUNNING)
		snprintf(sc, sizeof sc, "syscall unknown (running)");
	else if (t->syscall_err == PROC_DENIED)
		snprintf(sc, sizeof sc, "syscall unreadable (permission denied)");
	else
		snprintf(sc, sizeof sc, "syscall unknown");
	if (t->wchan[0])
		snprintf(buf, cap, "wchan %s, %s", t->wchan, sc);
	else
		snprintf(buf, cap, "wchan %s, %s",
			 t->wchan_err == PROC_DENIED ? "unreadable (permission denied)"
			 : t->state == 'S' || t->state == 'D' ? "unknown" : "- (not sleeping)", sc);
}

/* ---- sleeps ------------------------------------------------------------------ */

static void d_note(struct why_report *r, const struct proc_thread *t, const struct proc_wait *w,
		   const char *where)
{
	if (w->kind == PROC_WAIT_KILLABLE) {
		why_note(r, "thread %d is in a killable sleep (D, TASK_KILLABLE; %s): %s (%s). A "
			 "fatal signal ends it at once: SIGKILL, or a signal whose action is the "
			 "default Term (not caught, blocked or ignored, no tracer), which "
			 "complete_signal turns into a group exit (SIGKILL to every thread, "
			 "signal_wake_up with TASK_WAKEKILL; kernel/signal.c). A Core signal "
			 "(SIGQUIT, SIGABRT, SIGSEGV, ...: sig_kernel_coredump, left to get_signal), "
			 "a handler or a stop waits until the sleep ends.", t->tid, where,
			 w->what ? w->what : "a *_killable wait", w->rule);
	} else if (w->kind == PROC_WAIT_UNINTERRUPTIBLE) {
		why_note(r, "thread %d is in an uninterruptible sleep (D, TASK_UNINTERRUPTIBLE; "
			 "%s): %s (%s). No signal ends it, SIGKILL included: it stays pending until "
			 "the wait ends (signal_wake_up does not wake TASK_UNINTERRUPTIBLE).",
			 t->tid, where, w->what, w->rule);
	} else {
		why_note(r, "thread %d is in uninterruptible sleep (D; %s)%s%s: it acts on no "
			 "signal until that wait ends, and SIGKILL too stays pending until then (a "
			 "TASK_UNINTERRUPTIBLE sleep is not woken by signal_wake_up). If the sleep is "
			 "TASK_KILLABLE, also shown as D, SIGKILL ends it at once. Look for I/O that "
			 "does not complete: a hung NFS server, a failing disk, a stuck driver.",
			 t->tid, where, w->what ? ", " : "", w->what ? w->what : "");
	}
}

/* A futex wait in a thread that blocks a caught signal which is pending
 * (or is the one asked about): the kernel blocks a signal while its
 * handler runs (handle_signal -> signal_delivered: sa_mask plus the
 * signal unless SA_NODEFER), so the thread is most likely inside that
 * handler, waiting for a lock the code it interrupted holds. */
static void stuck_handler_note(const struct proc_process *p, const struct proc_thread *t,
			       struct why_report *r)
{
	uint64_t held = t->sigblk & p->status.sigcgt;
	uint64_t asked = r->sig ? sl_sigmask(r->sig) : 0;
	uint64_t sus = held & ((t->sigpnd | p->status.shdpnd) | asked);
	char set[256];

	if (!sus)
		return;
	why_format_set(sus, set, sizeof set);
	why_note(r, "thread %d waits on a futex while %s is caught (SigCgt) and blocked in it%s: "
		 "the kernel blocks a signal while its handler runs (handle_signal, "
		 "signal_delivered: sa_mask plus the signal unless SA_NODEFER), so the thread is "
		 "probably inside that handler, stuck on a lock the code it interrupted holds "
		 "(malloc, printf, a mutex). Such a handler deadlocks for good; only "
		 "async-signal-safe functions belong in a handler (signal-safety(7)): set a "
		 "volatile sig_atomic_t flag or write to a pipe, and do the work outside. Another "
		 "SIGKILL still kills it.", t->tid, set,
		 (t->sigpnd | p->status.shdpnd) & sus ? ", and pending again" : "");
}

static void s_note(const struct proc_process *p, struct why_report *r,
		   const struct proc_thread *t, const struct proc_wait *w, const char *where)
{
	if (w->kind == PROC_WAIT_TURNS_UNINTERRUPTIBLE) {
		why_note(r, "thread %d sleeps interruptibly (S; %s) in %s, but the signal will not "
			 "end it: %s. A process stuck like this survives SIGTERM and SIGKILL until "
			 "the daemon answers.", t->tid, where, w->what, w->rule);
		return;
	}
	why_note(r, "thread %d is in an interruptible sleep (S, TASK_INTERRUPTIBLE; %s)%s%s: a "
		 "signal that it does not block and that is not ignored wakes it%s%s.", t->tid,
		 where, w->what ? ", " : "", w->what ? w->what : "", w->rule ? ": " : "",
		 w->rule ? w->rule : "");
	if (w->place == PROC_AT_FUTEX)
		stuck_handler_note(p, t, r);
}

void why_wait_notes(const struct proc_process *p, struct why_report *r)
{
	char where[192];
	size_t shown = 0;

	for (size_t i = 0; i < p->nthreads && shown < 4; i++) {
		const struct proc_thread *t = &p->threads[i];
		struct proc_wait w;

		if (t->state != 'D' && t->state != 'S')
			continue;
		/* Many threads in the same ordinary wait say nothing new. */
		if (t->state == 'S' && i > 0 && shown >= 2)
			continue;
		shown++;
		why_wait_place(t, where, sizeof where);
		proc_thread_wait(t, &w);
		if (t->state == 'D')
			d_note(r, t, &w, where);
		else
			s_note(p, r, t, &w, where);
	}
}

/* ---- a shell waiting for its foreground child --------------------------------- */

static bool is_shell(const char *comm)
{
	static const char *const shells[] = { "sh", "bash", "dash", "zsh", "ksh", "mksh", "ash",
					       "busybox", "fish", "tcsh", "csh", "yash", NULL };

	for (size_t i = 0; shells[i]; i++)
		if (!strcmp(comm, shells[i]))
			return true;
	return false;
}

static void list_children(const struct proc_process *p, char *buf, size_t cap)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < p->nchildren && len + 8 < cap; i++) {
		char name[4 * PROC_COMM_MAX];
		int n;

		why_printable(p->children[i].comm, name, sizeof name);
		n = snprintf(buf + len, cap - len, "%s%d (%s, %c)", i ? ", " : "",
			     p->children[i].pid, name, p->children[i].state);
		if (n < 0)
			break;
		len += (size_t)n;
	}
	if (p->nchildren_all > p->nchildren && len < cap)
		snprintf(buf + len, cap - len, " and %zu more", p->nchildren_all - p->nchildren);
}

static bool waits_for_child(const struct proc_process *p)
{
	for (size_t i = 0; i < p->nthreads; i++) {
		struct proc_wait w;

		proc_thread_wait(&p->threads[i], &w);
		if (w.place == PROC_AT_CHILD)
			return true;
	}
	return false;
}

void why_shell_notes(const struct proc_process *p, struct why_report *r)
{
	char kids[640], comm[4 * PROC_COMM_MAX];
	const char *name = r->sig ? sl_signal_name(r->sig) : "signal 0";
	enum why_verdict v = r->now.verdict;

	if (!p->nchildren || !waits_for_child(p) || !r->sig || r->sig == SL_SIGKILL)
		return;
	list_children(p, kids, sizeof kids);
	why_printable(p->status.name[0] ? p->status.name : p->stat.comm, comm, sizeof comm);
	if (!is_shell(p->status.name)) {
		why_note(r, "%d waits for a child (wait4/waitid); its children: %s. A signal sent "
			 "to %d is not passed on to them: kill(2) signals one process (or a process "
			 "group with kill -- -PGID).", r->pid, kids, r->pid);
		return;
	}
	if (v == WHY_HANDLER)
		why_note(r, "%d is a shell (%s) that waits for its foreground child: %s. It has a "
			 "trap for %s (SigCgt), but a shell runs its traps only between commands: the "
			 "trap runs after the foreground child exits, and the shell does not forward "
			 "%s to it. Start the command in the background and wait for it, which a "
			 "trapped signal interrupts at once: `cmd & pid=$!; trap 'kill -TERM $pid' "
			 "TERM; wait $pid`; or end the script with `exec cmd`, so that cmd itself gets "
			 "the signal; or signal the whole process group (kill -- -PGID).", r->pid, comm,
			 kids, name, name);
	else if (v == WHY_TERM || v == WHY_CORE)
		why_note(r, "%d is a shell (%s) that waits for its foreground child: %s. The shell "
			 "has no trap for %s, so it dies, but the signal is not forwarded: its "
			 "children live on (reparented to init or a subreaper). Make the program get "
			 "the signal: `exec cmd` as the script's last command (cmd replaces the "
			 "shell), signal the process group (kill -- -PGID), or, as PID 1 of a "
			 "container, run a small init that forwards signals (tini, dumb-init, docker "
			 "run --init).", r->pid, comm, kids, name);
	else
		why_note(r, "%d is a shell (%s) that waits for its foreground child: %s. A signal "
			 "sent to the shell is not forwarded to the child; send it to the child, or to "
			 "the process group (kill -- -PGID); `exec cmd` lets the program itself be "
			 "the one signalled.", r->pid, comm, kids);
}

/* ---- inits ---------------------------------------------------------------------- */

void why_init_notes(const struct proc_process *p, const struct why_sender *s,
		    struct why_report *r)
{
	const struct proc_parent *pp = &p->parent;
	char pname[4 * PROC_COMM_MAX];

	(void)s;
	if (r->kind == WHY_KIND_NS_INIT && r->sig && r->sig != SL_SIGKILL &&
	    r->now.verdict == WHY_DROPPED && !(p->status.sigign & sl_sigmask(r->sig)))
		why_note(r, "as PID 1 of a container, %d drops %s because it has no handler for "
			 "it: `docker stop` (and Kubernetes) sends SIGTERM, waits for the grace "
			 "period (docker stop -t, 10 s by default; terminationGracePeriodSeconds, 30 s), "
			 "then sends SIGKILL from the parent namespace, which kills it: the exit "
			 "status is 137 (128+9), and its whole namespace dies with it "
			 "(zap_pid_ns_processes). Give the program a %s handler that exits, or run it "
			 "under a small init that forwards signals and reaps (tini, dumb-init, "
			 "`docker run --init`).", r->pid, sl_signal_name(r->sig), bare(r->sig));
	if (!why_all_threads_dead(p) || !pp->known || pp->ns_pid != 1)
		return;
	why_printable(p->parent_comm[0] ? p->parent_comm : "?", pname, sizeof pname);
	if (pp->nspid_count > 1 && !(pp->sigcgt & sl_sigmask(SL_SIGCHLD)) &&
	    !(pp->sigign & sl_sigmask(SL_SIGCHLD)))
		why_note(r, "its parent %d (%s) is PID 1 of a pid namespace, the init that adopts "
			 "every orphan of the namespace (kernel/exit.c find_child_reaper), and it has "
			 "no SIGCHLD handler: this init never reaps. Zombies pile up under it until it "
			 "calls wait(); ending it ends the whole namespace. Run a real init as PID 1 "
			 "(tini, dumb-init, `docker run --init`), or make the program reap: a SIGCHLD "
			 "handler that loops waitpid(-1, &st, WNOHANG).", p->parent_pid, pname);
	else if (pp->nspid_count > 1)
		why_note(r, "its parent %d (%s) is PID 1 of a pid namespace and has a SIGCHLD "
			 "handler; if zombies pile up, the handler does not reap every child: "
			 "SIGCHLD is a standard signal, merged when several children exit at once "
			 "(legacy_queue), so it must loop waitpid(-1, &st, WNOHANG) until it returns "
			 "0.", p->parent_pid, pname);
}

/* ---- where SIG_IGN came from --------------------------------------------------- */

static const char *ignored_advice(int sig)
{
	switch (sig) {
	case SL_SIGINT:
	case SL_SIGQUIT:
		return " A shell without job control (a script, sh -c) starts background jobs "
		       "(cmd &) with SIGINT and SIGQUIT ignored (POSIX), which is why `kill -INT` "
		       "does nothing to them: `set -m` in the script runs jobs in their own process "
		       "group with the signals at their default, or the program restores them "
		       "(signal(SIGINT, SIG_DFL)).";
	case SL_SIGPIPE:
		return " An inherited SIG_IGN for SIGPIPE makes a write to a closed pipe fail with "
		       "EPIPE instead of ending the writer (`yes | head` never stops): systemd "
		       "starts services so (IgnoreSIGPIPE=yes), and programs that ignore SIGPIPE "
		       "forget to restore it before exec. Restore the default between fork and "
		       "exec (signal(SIGPIPE, SIG_DFL), posix_spawnattr_setsigdefault; Python's "
		       "subprocess does it with restore_signals=True).";
	case SL_SIGHUP:
		return " nohup sets SIGHUP to SIG_IGN before it runs the command.";
	default:
		return " The parent should restore the default between fork and exec "
		       "(sigaction SIG_DFL, posix_spawnattr_setsigdefault).";
	}
}

void why_ignored_origin(const struct proc_process *p, struct why_report *r)
{
	const struct proc_parent *pp = &p->parent;
	char pname[4 * PROC_COMM_MAX];
	sl_sigset bit = r->sig > 0 ? sl_sigmask(r->sig) : 0;

	if (!bit || !(p->status.sigign & bit) || r->kind == WHY_KIND_KTHREAD)
		return;
	why_printable(p->parent_comm[0] ? p->parent_comm : "?", pname, sizeof pname);
	if (!pp->known)
		why_note(r, "where the SIG_IGN for %s came from cannot be told: the parent's "
			 "status is unreadable. SIG_IGN survives fork and execve (only caught "
			 "signals are reset: kernel/signal.c flush_signal_handlers), so a program "
			 "often inherits it.%s", sl_signal_name(r->sig), ignored_advice(r->sig));
	else if (pp->sigign & bit)
		why_note(r, "the SIG_IGN for %s was most likely inherited: its parent %d (%s) "
			 "ignores it too, and SIG_IGN survives fork and execve (only caught signals "
			 "are reset: kernel/signal.c flush_signal_handlers). A non-interactive shell "
			 "cannot undo it: a signal ignored when it starts cannot be trapped or reset "
			 "(POSIX trap).%s", sl_signal_name(r->sig), p->parent_pid, pname,
			 ignored_advice(r->sig));
	else
		why_note(r, "the SIG_IGN for %s was set after the fork: its parent %d (%s) does "
			 "not ignore it, so the process set it itself (signal, sigaction), or whoever "
			 "started it did between fork and execve (a shell starting a background job "
			 "without job control, nohup, a wrapper); /proc does not tell which.%s", sl_signal_name(r->sig), p->parent_pid, pname,
			 ignored_advice(r->sig));
}
