/*
 * The little harness of the per-call programs in tests/exec/calls/: each
 * prints a deterministic transcript (never a pid, an address or a time),
 * checks every result against what Linux returns, and exits 0 when all
 * checks hold, 1 otherwise.  Each bounds its own time with alarm(20) (or
 * says why not) and reaps every child it forks.
 *
 * Run natively and under `siglab exec --` by scripts/exec-tests.sh; the
 * expected transcripts are tests/exec/calls/NAME.out, taken from this
 * machine's kernel.
 */
#ifndef T_H
#define T_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int t_failed;

/* Unbuffered stdout: a fork never duplicates pending output, and lines of
 * parent and child come out in the order they were written. */
static inline void t_start(const char *name, unsigned seconds)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("# %s\n", name);
	if (seconds)
		alarm(seconds);
}

static inline int t_end(void)
{
	if (t_failed)
		printf("result: %d check(s) failed\n", t_failed);
	else
		printf("result: ok\n");
	return t_failed ? 1 : 0;
}

static inline const char *t_errname(int e)
{
	const char *n = e ? strerrorname_np(e) : "0";

	return n ? n : "E?";
}

/* CHECK(cond, what): prints "ok what" or "FAIL what". */
#define CHECK(cond, ...) do {                                            \
	int c_ok_ = !!(cond);                                            \
	printf("%s ", c_ok_ ? "ok  " : "FAIL");                          \
	printf(__VA_ARGS__);                                             \
	printf("\n");                                                    \
	if (!c_ok_)                                                      \
		t_failed++;                                              \
} while (0)

static inline void t_expect(const char *what, long r, int e, long want,
			    int werr)
{
	int ok = r == want && (want != -1 || e == werr);

	if (r == -1)
		printf("%s %s = -1 %s", ok ? "ok  " : "FAIL", what, t_errname(e));
	else
		printf("%s %s = %ld", ok ? "ok  " : "FAIL", what, r);
	if (!ok) {
		if (want == -1)
			printf("  (want -1 %s)", t_errname(werr));
		else
			printf("  (want %ld)", want);
		t_failed++;
	}
	printf("\n");
}

/* EXPECT(call, want, werr): the call's result (and errno when it returns
 * -1) must be want (and werr); prints the call as written. */
#define EXPECT(expr, want, werr) do {                                    \
	long e_r_;                                                       \
	int e_e_;                                                        \
	errno = 0;                                                       \
	e_r_ = (long)(expr);                                             \
	e_e_ = errno;                                                    \
	t_expect(#expr, e_r_, e_e_, (long)(want), (werr));               \
} while (0)

/* EXPECT_RC: for calls that return an error number (pthread_*,
 * clock_nanosleep, posix_*): the returned value must be want. */
#define EXPECT_RC(expr, want) do {                                       \
	int r_r_ = (int)(expr);                                          \
	int r_ok_ = r_r_ == (want);                                      \
	printf("%s %s = %s", r_ok_ ? "ok  " : "FAIL", #expr, t_errname(r_r_)); \
	if (!r_ok_) {                                                    \
		printf("  (want %s)", t_errname(want));                  \
		t_failed++;                                              \
	}                                                                \
	printf("\n");                                                    \
} while (0)

/* A pointer no process has mapped: every access to it is EFAULT. */
#define T_BAD ((void *)16)

/* Wait until task TID (of this program) blocks in system call NR, as
 * /proc/TID/syscall reports; gives up after about 2 s (the caller then
 * acts anyway, and the transcript shows what happened). */
static inline void t_wait_in_syscall(pid_t tid, long nr)
{
	char path[64], buf[128];

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)tid);
	for (int i = 0; i < 2000; i++) {
		FILE *f = fopen(path, "r");
		long got = -2;

		if (f) {
			if (fgets(buf, sizeof(buf), f))
				got = strtol(buf, NULL, 10);
			fclose(f);
		}
		if (got == nr) {
			usleep(2000);   /* past the point of no return */
			return;
		}
		usleep(1000);
	}
}

/* Reap one child, return its wait status (-1 on error). */
static inline int t_reap(pid_t p)
{
	int st;

	if (waitpid(p, &st, 0) != p)
		return -1;
	return st;
}

/* A wait status as a shell would describe it. */
static inline const char *t_status(int st)
{
	static char buf[64];

	if (st == -1)
		snprintf(buf, sizeof(buf), "not reaped");
	else if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exited %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "killed by %s%s", sigabbrev_np(WTERMSIG(st)),
			 WCOREDUMP(st) ? " (core)" : "");
	else if (WIFSTOPPED(st))
		snprintf(buf, sizeof(buf), "stopped by %s", sigabbrev_np(WSTOPSIG(st)));
	else
		snprintf(buf, sizeof(buf), "status %#x", st);
	return buf;
}

#endif
