/*
 * siglab ps and threads: the THR column and "threads" of --json count
 * every thread (the Threads: line, not the one leader read), and -T lists
 * each thread with its own state, pending and blocked sets (the blocked
 * mask is per thread: kernel/signal.c sigprocmask sets current->blocked),
 * as text and as "tasks" in --json.  A fake proc tree of a 4-thread
 * process, and a real one: a child of the test with 3 more threads, each
 * blocking another signal, killed and reaped at the end.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include "helpers.h"
#include "json_check.h"

#include "cli/commands.h"
#include "scenario/strbuf.h"
#include "why/json.h"
#include "why/proc.h"
#include "why/why.h"

static void thread_status(char *buf, size_t cap, int tid, char state, const char *pnd,
			  const char *blk)
{
	snprintf(buf, cap,
		 "Name:\tworker%d\nState:\t%c (x)\nTgid:\t4400\nPid:\t%d\nPPid:\t1\n"
		 "TracerPid:\t0\nUid:\t0\t0\t0\t0\nNSpid:\t%d\nNSsid:\t4400\nKthread:\t0\n"
		 "Threads:\t4\nSigPnd:\t%s\nShdPnd:\t0000000000000000\nSigBlk:\t%s\n"
		 "SigIgn:\t0000000000000000\nSigCgt:\t0000000000000000\n",
		 tid, state, tid, tid, pnd, blk);
}

#define Z16 "0000000000000000"

/* Process 4400: 4 threads; 4401 blocks USR1, 4402 USR2 with USR2 pending
 * for it alone, 4403 is in D. */
static void four_thread_tree(char *root)
{
	static const struct { int tid; char state; const char *pnd, *blk; } t[] = {
		{ 4400, 'S', Z16, Z16 }, { 4401, 'S', Z16, "0000000000000200" },
		{ 4402, 'S', "0000000000000800", "0000000000000800" }, { 4403, 'D', Z16, Z16 },
	};
	char dir[300], st[1024];

	cr_assert(mkdtemp(root));
	snprintf(dir, sizeof dir, "%s/4400", root);
	cr_assert_eq(mkdir(dir, 0755), 0);
	thread_status(st, sizeof st, 4400, 'S', Z16, Z16);
	put(dir, "status", st);
	put(dir, "stat", "4400 (worker4400) S 1 4400 4400 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 4 0 "
			 "25 1000 200 0 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n");
	snprintf(dir, sizeof dir, "%s/4400/task", root);
	cr_assert_eq(mkdir(dir, 0755), 0);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		snprintf(dir, sizeof dir, "%s/4400/task/%d", root, t[i].tid);
		cr_assert_eq(mkdir(dir, 0755), 0);
		thread_status(st, sizeof st, t[i].tid, t[i].state, t[i].pnd, t[i].blk);
		put(dir, "status", st);
	}
}

static char *read_all(FILE *f)
{
	static char buf[65536];
	size_t n = fread(buf, 1, sizeof buf - 1, f);

	buf[n] = '\0';
	return buf;
}

Test(ps_threads, json_counts_every_thread, .init = cr_redirect_stdout)
{
	char root[] = "/tmp/siglab-psthr-XXXXXX";
	char *argv[] = { (char[]){"ps"}, (char[]){"--proc"}, root, (char[]){"--json"}, NULL };
	char *out;

	four_thread_tree(root);
	cr_assert_eq(cmd_ps(4, argv), 0);
	fflush(stdout);
	out = read_all(cr_get_redirected_stdout());
	*strchr(out, '\n') = '\0';
	cr_assert(json_valid(out), "%s", out);
	cr_assert(strstr(out, "\"threads\":4,"), "only the leader was read: %s", out);
	cr_assert_null(strstr(out, "\"tasks\""), "%s", out);
	rm_tree(root);
}

Test(ps_threads, json_tasks_with_their_masks, .init = cr_redirect_stdout)
{
	char root[] = "/tmp/siglab-psthr-XXXXXX";
	char *argv[] = { (char[]){"ps"}, (char[]){"--proc"}, root, (char[]){"--json"},
			 (char[]){"-T"}, (char[]){"--"}, (char[]){"4400"}, NULL };
	char *out;

	four_thread_tree(root);
	cr_assert_eq(cmd_ps(7, argv), 0);
	fflush(stdout);
	out = read_all(cr_get_redirected_stdout());
	*strchr(out, '\n') = '\0';
	cr_assert(json_valid(out), "%s", out);
	cr_assert(strstr(out, "\"threads\":4,"), "%s", out);
	cr_assert(strstr(out, "{\"tid\":4401,\"comm\":\"worker4401\",\"state\":\"S\","
			      "\"pending\":{\"mask\":\"0x0000000000000000\",\"names\":[]},"
			      "\"blocked\":{\"mask\":\"0x0000000000000200\",\"names\":[\"SIGUSR1\"]}}"),
		  "%s", out);
	cr_assert(strstr(out, "{\"tid\":4402,\"comm\":\"worker4402\",\"state\":\"S\","
			      "\"pending\":{\"mask\":\"0x0000000000000800\",\"names\":[\"SIGUSR2\"]}"),
		  "%s", out);
	cr_assert(strstr(out, "{\"tid\":4403,\"comm\":\"worker4403\",\"state\":\"D\""), "%s", out);
	rm_tree(root);
}

Test(ps_threads, table_thr_column_and_one_row_per_thread, .init = cr_redirect_stdout)
{
	char root[] = "/tmp/siglab-psthr-XXXXXX";
	char *argv[] = { (char[]){"ps"}, (char[]){"--proc"}, root, (char[]){"4400"}, NULL };
	char *argv_t[] = { (char[]){"ps"}, (char[]){"--proc"}, root, (char[]){"-T"}, NULL };
	char *out;

	four_thread_tree(root);
	cr_assert_eq(cmd_ps(4, argv), 0);
	cr_assert_eq(cmd_ps(4, argv_t), 0);
	fflush(stdout);
	out = read_all(cr_get_redirected_stdout());
	cr_assert(strstr(out, "    PID S  THR COMM "), "%s", out);
	cr_assert(strstr(out, "   4400 S    4 worker4400 "), "%s", out);
	cr_assert(strstr(out, "    PID     TID S  THR COMM "), "%s", out);
	cr_assert(strstr(out, "   4400    4401 S    4 worker4401 -     -       USR1 "), "%s", out);
	cr_assert(strstr(out, "   4400    4402 S    4 worker4402 -     USR2    USR2 "), "%s", out);
	cr_assert(strstr(out, "   4400    4403 D    4 worker4403 "), "%s", out);
	rm_tree(root);
}

/* ---- a real process with 4 threads -------------------------------------------- */

static void *blocker(void *arg)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, (int)(long)arg);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	for (;;)
		pause();
	return NULL;
}

/* Three threads, each blocking one of sigs[0..2]. */
static void start_blockers(void *arg)
{
	const int *sigs = arg;

	for (int i = 0; i < 3; i++) {
		pthread_t t;

		if (pthread_create(&t, NULL, blocker, (void *)(long)sigs[i]) != 0)
			_exit(1);
	}
	sleep(1);	/* each thread has set its mask by then */
}

Test(ps_threads, real_four_thread_child)
{
	static const int sigs[] = { SIGUSR1, SIGUSR2, SIGHUP };
	struct proc_process p;
	struct strbuf b = { 0 };
	int seen = 0;
	pid_t child = spawn_waiting_child(start_blockers, (void *)sigs);

	if (proc_read_process("/proc", child, false, &p) == PROC_OK) {
		cr_expect_eq(proc_thread_count(&p), 4);
		ps_row_json(&b, &p, WHY_KIND_PROCESS, "-", false);
		cr_expect(strstr(sb_str(&b), "\"threads\":4,"), "%s", sb_str(&b));
		sb_free(&b);
		proc_process_free(&p);
	}
	if (proc_read_process("/proc", child, true, &p) == PROC_OK) {
		cr_expect_eq(p.nthreads, 4);
		for (size_t i = 1; i < p.nthreads; i++)
			for (int k = 0; k < 3; k++)
				seen |= p.threads[i].sigblk == (1ull << (sigs[k] - 1)) ? 1 << k : 0;
		cr_expect_eq(seen, 7, "each thread's own mask");
		cr_expect_eq(p.threads[0].sigblk, 0);
		proc_process_free(&p);
	}
	kill(child, SIGKILL);
	cr_assert_eq(waitpid(child, NULL, 0), child);
}
