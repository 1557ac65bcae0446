/*
 * The controller's processes: creating the scenario's tasks (in declaration
 * order, each after the previous one's HELLO) in the run's pid namespace,
 * commanding them, and on every way out killing them through their pidfds
 * and reaping them, bounded (docs/host-oracle.md, "Safety").
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host/controller.h"

/* ---- spawning ----------------------------------------------------------- */

int hc_send_cmd(struct host *h, int task, int kind, int arg, int pgid)
{
	struct command c = { kind, arg, pgid };

	if (write(h->env.cmd_wr[task], &c, sizeof c) != (ssize_t)sizeof c)
		return hc_fail(h, "cannot command task %s: %s", hc_task_name(h, task), strerror(errno));
	return 0;
}

/* Waits for the HELLO of `task` (bounded). */
static int await_hello(struct host *h, int task)
{
	uint64_t deadline = hc_now_ms() + 2000;
	struct pollfd p = { h->report_rd, POLLIN, 0 };

	for (;;) {
		hc_drain_reports(h);
		for (size_t i = 0; i < h->nrecs; i++) {
			const struct report *r = &h->recs[i];

			if (r->kind == REP_FAIL)
				return hc_fail(h, "task %s could not be set up: %s",
					    hc_task_name(h, r->task), strerror(r->err));
			if (r->kind == REP_HELLO && r->task == task) {
				hc_take_hello(&h->t[task], r);
				h->env.ns_pid[task] = r->ns_pid;
				h->env.ns_tid[task] = r->ns_tid;
				return 0;
			}
		}
		if (hc_interrupted)
			return hc_fail_interrupted(h);
		if (hc_now_ms() > deadline)
			return hc_fail(h, "task %s did not start", hc_task_name(h, task));
		(void)poll(&p, 1, 50);
	}
}

static int open_pidfd(struct host *h, int task)
{
	struct htask *t = &h->t[task];

	t->pidfd = (int)syscall(SYS_pidfd_open, t->g_pid, 0);
	if (t->pidfd < 0)
		return hc_fail(h, "pidfd_open(%s): %s", hc_task_name(h, task), strerror(errno));
	return 0;
}

static int spawn_direct(struct host *h, int task)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return hc_fail(h, "fork: %s", strerror(errno));
	if (pid == 0)
		agent_main(&h->env, task);
	h->t[task].direct = true;
	h->t[task].g_pid = pid;
	/* Our own unreaped child: its pid cannot be reused before we wait. */
	h->t[task].pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (h->t[task].pidfd < 0)
		return hc_fail(h, "pidfd_open: %s", strerror(errno));
	return await_hello(h, task);
}

static int await_done(struct host *h, int task)
{
	uint64_t deadline = hc_now_ms() + 2000;
	struct pollfd p = { h->report_rd, POLLIN, 0 };

	for (;;) {
		hc_drain_reports(h);
		for (size_t i = 0; i < h->nrecs; i++)
			if (h->recs[i].kind == REP_DONE && h->recs[i].task == task &&
			    h->recs[i].step == -1) {
				h->recs[i].step = -2;	/* consumed */
				return 0;
			}
		if (hc_interrupted)
			return hc_fail_interrupted(h);
		if (hc_now_ms() > deadline)
			return hc_fail(h, "task %s did not answer", hc_task_name(h, task));
		(void)poll(&p, 1, 50);
	}
}

/* A top-level nsinit: the model's is a child of the controller, whose
 * pid namespace is not the scenario's; on the host a hidden holder process
 * in the scenario's namespace clones it with CLONE_NEWPID and stays its
 * parent, never waiting, with every signal blocked.  Seen from the nsinit
 * both parents are outside its namespace. */
static int spawn_nsinit_direct(struct host *h, int task)
{
	pid_t holder;

	fflush(NULL);
	holder = fork();
	if (holder < 0)
		return hc_fail(h, "fork: %s", strerror(errno));
	if (holder == 0) {
		sigset_t all;
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);

		(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (null >= 0) {
			(void)dup2(null, 0);
			(void)dup2(null, 1);
			(void)dup2(null, 2);
		}
		if (h->env.lifeline_wr >= 0)
			close(h->env.lifeline_wr);
		if ((pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0) == 0)
			agent_main(&h->env, task);
		host_time_drop_pipes(&h->time);
		sigfillset(&all);
		(void)sigprocmask(SIG_BLOCK, &all, NULL);
		for (;;)
			pause();
	}
	h->t[task].holder_pidfd = (int)syscall(SYS_pidfd_open, holder, 0);
	if (h->t[task].holder_pidfd < 0)
		return hc_fail(h, "pidfd_open: %s", strerror(errno));
	if (await_hello(h, task) < 0)
		return -1;
	/* Its parent never waits: the pid is still this nsinit's. */
	return open_pidfd(h, task);
}

static int spawn_one(struct host *h, int i)
{
	const struct sc_task *st = &h->s->tasks[i];

	if (st->forked)
		return 0;	/* born in its fork step (take_forked) */
	if (st->kind == SC_THREAD) {
		if (hc_send_cmd(h, st->leader, CMD_THREAD, i, 0) < 0 || await_hello(h, i) < 0 ||
		    await_done(h, st->leader) < 0)
			return -1;
		h->t[i].pidfd = -1;
		return 0;
	}
	/* `in=NS` without `parent=`: the namespace's init forks it. */
	int parent = st->parent >= 0 ? st->parent : st->kind == SC_PROCESS ? st->ns : -1;

	if (parent < 0)
		return st->kind == SC_NSINIT ? spawn_nsinit_direct(h, i) : spawn_direct(h, i);
	int pgid = 0;

	if (st->pgrp >= 0 && st->pgrp != i)
		pgid = h->env.ns_of[i] >= 0 ? h->t[st->pgrp].in_pid : h->t[st->pgrp].ns_pid;
	if (hc_send_cmd(h, parent, st->kind == SC_NSINIT ? CMD_FORK_NEWPID : CMD_FORK, i, pgid) < 0 ||
	    await_hello(h, i) < 0 || await_done(h, parent) < 0)
		return -1;
	/* Its parent never waits and is idle: the pid is still this child's. */
	return open_pidfd(h, i);
}

int hc_spawn_all(struct host *h)
{
	int nsfd = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	int r = 0;

	if (nsfd < 0)
		return hc_fail(h, "cannot open /proc/self/ns/pid: %s", strerror(errno));
	if (unshare(CLONE_NEWPID) < 0) {
		close(nsfd);
		return hc_fail(h, "unshare(CLONE_NEWPID): %s", strerror(errno));
	}
	fflush(NULL);
	h->helper_pid = fork();
	if (h->helper_pid == 0)
		helper_main(&h->env);
	if (h->helper_pid < 0) {
		r = hc_fail(h, "fork: %s", strerror(errno));
	} else {
		h->helper_pidfd = (int)syscall(SYS_pidfd_open, h->helper_pid, 0);
		for (size_t i = 0; i < h->s->ntasks && r == 0; i++)
			r = spawn_one(h, (int)i);
	}
	/* Back to our own namespace for anything we fork later. */
	if (setns(nsfd, CLONE_NEWPID) < 0 && r == 0)
		r = hc_fail(h, "setns: %s", strerror(errno));
	close(nsfd);
	if (r < 0)
		return r;
	/* The agents hold the scenario's pipes now; we do not. */
	host_time_drop_pipes(&h->time);
	/* Every process learns every task's pids. */
	for (size_t i = 0; i < h->s->ntasks; i++) {
		size_t sz = h->s->ntasks * sizeof(int32_t);

		if (h->s->tasks[i].kind == SC_THREAD || h->s->tasks[i].forked)
			continue;
		if (hc_send_cmd(h, (int)i, CMD_TABLE, 0, 0) < 0 ||
		    write(h->env.cmd_wr[i], h->env.ns_pid, sz) != (ssize_t)sz ||
		    write(h->env.cmd_wr[i], h->env.ns_tid, sz) != (ssize_t)sz ||
		    await_done(h, (int)i) < 0)
			return hc_fail(h, "cannot send the pid table to %s", hc_task_name(h, (int)i));
	}
	/* Last, when nothing needs privilege any more: every thread takes the
	 * scenario's credentials. */
	for (size_t i = 0; i < h->s->ntasks; i++)
		if (!h->s->tasks[i].forked &&
		    (hc_send_cmd(h, (int)i, CMD_CREDS, 0, 0) < 0 || await_done(h, (int)i) < 0))
			return -1;
	for (size_t i = 0; i < h->nrecs; i++)
		if (h->recs[i].kind == REP_FAIL)
			return hc_fail(h, "task %s cannot take its credentials",
				    hc_task_name(h, h->recs[i].task));
	return 0;
}

/* ---- cleanup ------------------------------------------------------------ */

/* Sends SIGKILL through a pidfd: it cannot reach a process that reused the
 * pid.  This and nothing else is how the controller signals. */
static void kill_pidfd(int fd)
{
	if (fd >= 0)
		(void)syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0);
}

/* Reaps a child of ours through its pidfd if it is dead (waitid fails
 * with ECHILD for a process that is not our child): whether it is gone. */
static bool reap_pidfd(int fd)
{
	siginfo_t si;

	if (fd < 0)
		return true;
	memset(&si, 0, sizeof si);
	if (waitid(P_PIDFD, (id_t)fd, &si, WEXITED | WNOHANG | __WALL) < 0)
		return errno == ECHILD;
	return si.si_pid != 0;
}

/* How many pid namespaces /proc/PID/status's NSpid line lists: 1 for a
 * process of the root namespace, 0 when it is gone. */
static int ns_depth(const char *pid)
{
	char path[64], line[256];
	int n = 0;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%s/status", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "NSpid:", 6)) {
			for (char *p = line + 6; *p; p++)
				if (*p >= '0' && *p <= '9' && (p[-1] == ' ' || p[-1] == '\t'))
					n++;
			break;
		}
	fclose(f);
	return n;
}

/* Reaps every dead child of ours that lives in a pid namespace below
 * ours: a run's process the controller did not create itself (a clone
 * with CLONE_PARENT by one of its children makes the controller the
 * parent).  Such a zombie holds its pid, and the namespace's init, once
 * killed, waits in zap_pid_ns_processes until every pid is freed: it
 * would never die.  Only run processes live below our namespace: the
 * controller makes nothing else there.  Reaping our own child by its pid
 * is safe: the pid cannot be reused before it is reaped. */
static void reap_stray_children(void)
{
	char path[64], pid[24];
	int mine = ns_depth("self");
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "/proc/self/task/%.20s/children", e->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		while (fscanf(f, "%23s", pid) == 1) {
			siginfo_t si;

			if (ns_depth(pid) <= mine)
				continue;
			memset(&si, 0, sizeof si);
			(void)waitid(P_PID, (id_t)strtol(pid, NULL, 10), &si,
				     WEXITED | WNOHANG | __WALL);
		}
		fclose(f);
	}
	closedir(d);
}

/* Whether every process of the run the controller may be the parent of
 * is reaped: the namespace's init (whose death means that every other
 * process of the namespace, nested ones included, is gone:
 * zap_pid_ns_processes), the scenario's processes (the top-level ones,
 * and any a CLONE_PARENT clone gave us) and the holders of top-level
 * nsinits.  A process that is not our child counts as reaped. */
static bool all_reaped(struct host *h)
{
	bool done = true;

	for (size_t i = 0; i < h->s->ntasks; i++) {
		struct htask *t = &h->t[i];

		if (t->pidfd >= 0 && !t->reaped)
			t->reaped = reap_pidfd(t->pidfd);
		if (t->holder_pidfd >= 0 && reap_pidfd(t->holder_pidfd)) {
			close(t->holder_pidfd);
			t->holder_pidfd = -1;
		}
		if ((t->pidfd >= 0 && !t->reaped) || t->holder_pidfd >= 0)
			done = false;
	}
	if (h->helper_pid > 0 && !h->helper_reaped)
		h->helper_reaped = h->helper_pidfd >= 0
				   ? reap_pidfd(h->helper_pidfd)
				   : waitpid(h->helper_pid, NULL, WNOHANG | __WALL) != 0;
	return done && (h->helper_pid <= 0 || h->helper_reaped);
}

/* Reaps everything the run created, bounded: the known processes by their
 * pidfds, and any other child of ours left in the run's namespaces.  An
 * interrupt does not cut this short: it is how an interrupted run ends
 * clean.  False when something outlived the bound. */
static bool reap_all(struct host *h)
{
	uint64_t deadline = hc_now_ms() + HOST_CLEANUP_MS;
	struct timespec nap = { 0, 1000000 };

	for (int round = 0;; round++) {
		if (all_reaped(h))
			return true;
		/* The known processes die in a few milliseconds; a namespace
		 * init still there after that waits for a zombie of ours. */
		if (round >= 5)
			reap_stray_children();
		if (hc_now_ms() > deadline)
			return false;
		nanosleep(&nap, NULL);
		if (nap.tv_nsec < 20000000)
			nap.tv_nsec *= 2;
	}
}

/* Kills every process of the run (the helper last: the namespace goes
 * down with it) without releasing anything yet. */
void hc_kill_all(struct host *h)
{
	if (h->traced)
		tracefs_stop(&h->tr);
	for (size_t i = 0; i < h->s->ntasks; i++) {
		kill_pidfd(h->t[i].pidfd);
		kill_pidfd(h->t[i].holder_pidfd);
	}
	kill_pidfd(h->helper_pidfd);
}

static void note_pids(struct host *h)
{
	struct host_result *r = h->r;

	if (h->helper_pid > 0)
		r->pids[r->npids++] = h->helper_pid;
	for (size_t i = 0; i < h->s->ntasks && r->npids < HOST_RESULT_MAX_PIDS; i++)
		if (h->t[i].g_pid > 0 && h->s->tasks[i].kind != SC_THREAD)
			r->pids[r->npids++] = h->t[i].g_pid;
}

void hc_cleanup(struct host *h)
{
	const struct scenario *s = h->s;

	note_pids(h);
	hc_kill_all(h);
	/* The helper also goes when its lifeline breaks: this is its end. */
	if (h->env.lifeline_wr >= 0)
		close(h->env.lifeline_wr);
	h->env.lifeline_wr = -1;
	if (!reap_all(h))
		h->unreaped = true;
	for (size_t i = 0; i < s->ntasks; i++) {
		if (h->t[i].holder_pidfd >= 0)
			close(h->t[i].holder_pidfd);
		h->t[i].holder_pidfd = -1;
	}
	for (size_t i = 0; i < s->ntasks; i++) {
		if (h->t[i].pidfd >= 0)
			close(h->t[i].pidfd);
		h->t[i].pidfd = -1;
		if (h->env.cmd_rd[i] >= 0)
			close(h->env.cmd_rd[i]);
		if (h->env.cmd_wr[i] >= 0)
			close(h->env.cmd_wr[i]);
	}
	if (h->helper_pidfd >= 0)
		close(h->helper_pidfd);
	h->helper_pidfd = -1;
	if (h->env.lifeline_wr >= 0)
		close(h->env.lifeline_wr);
	if (h->env.lifeline_rd >= 0)
		close(h->env.lifeline_rd);
	if (h->report_rd >= 0)
		close(h->report_rd);
	if (h->env.report_fd >= 0)
		close(h->env.report_fd);
	host_time_release(&h->time);
	if (h->traced)
		tracefs_close(&h->tr);
}
