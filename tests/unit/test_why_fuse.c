/*
 * `siglab why` on a real FUSE request wait.  The test mounts a FUSE file
 * system of its own (the kernel's protocol on /dev/fuse, no library) in a
 * private mount namespace, on a private temporary directory, so that the
 * mount is never seen outside the test's two processes and goes away with
 * them.  Its daemon answers FUSE_INIT and reads the client's request but
 * never answers it: the client sleeps in fs/fuse/dev.c request_wait_answer.
 *
 * What the kernel does there, and what why must say: the first wait is
 * interruptible (S); a fatal signal ends it, the kernel queues
 * FUSE_INTERRUPT for the daemon, and, since the daemon has read the
 * request, the client goes on waiting uninterruptibly (D) for the answer:
 * SIGTERM does not kill it, nor does SIGKILL, until the daemon answers or
 * the connection ends.  The test ends it by killing its daemon (the last
 * /dev/fuse descriptor closes and the kernel aborts the connection), then
 * reaps both processes.  Skipped, with the reason, where /dev/fuse or a
 * mount namespace is not available.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fuse.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "why/why.h"
#include "why/proc.h"

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void report(int fd, int v)
{
	if (write(fd, &v, sizeof v) != (ssize_t)sizeof v)
		_exit(3);
}

/* The answer to FUSE_INIT: the protocol this test speaks, no features. */
static void answer_init(int fd, const struct fuse_in_header *in)
{
	struct {
		struct fuse_out_header h;
		struct fuse_init_out o;
	} out;
	const struct fuse_init_in *ii = (const void *)(in + 1);

	memset(&out, 0, sizeof out);
	out.h.len = sizeof out;
	out.h.unique = in->unique;
	out.o.major = FUSE_KERNEL_VERSION;
	out.o.minor = FUSE_KERNEL_MINOR_VERSION;
	out.o.max_readahead = ii->max_readahead;
	out.o.max_write = 4096;
	out.o.time_gran = 1;
	if (write(fd, &out, sizeof out) != (ssize_t)sizeof out)
		_exit(4);
}

/* Any request but the client's gets ENOSYS. */
static void answer_enosys(int fd, const struct fuse_in_header *in)
{
	struct fuse_out_header h = { .len = sizeof h, .error = -ENOSYS, .unique = in->unique };

	if (write(fd, &h, sizeof h) != (ssize_t)sizeof h)
		_exit(4);
}

/* The daemon (a child of the test): its own mount namespace, the mount,
 * the client, then the requests.  Reports -errno of a failed set-up, or
 * the client's pid and then 0 once it has read the client's request. */
static void daemon_main(const char *dir, int rep)
{
	static char buf[1 << 18];	/* at least FUSE_MIN_READ_BUFFER */
	char opts[128], path[128];
	bool told = false;
	pid_t client;
	int fd;

	alarm(30);
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		report(rep, -errno), _exit(1);
	fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		report(rep, -errno), _exit(1);
	snprintf(opts, sizeof opts, "fd=%d,rootmode=40000,user_id=%u,group_id=%u", fd,
		 (unsigned)getuid(), (unsigned)getgid());
	if (mount("siglab-test", dir, "fuse", MS_NOSUID | MS_NODEV, opts) < 0)
		report(rep, -errno), _exit(1);
	snprintf(path, sizeof path, "%s/x", dir);
	client = fork();
	if (client < 0)
		report(rep, -errno), _exit(1);
	if (client == 0) {
		struct stat st;

		alarm(30);
		close(fd);
		close(rep);
		_exit(stat(path, &st) == 0 ? 0 : 1);
	}
	report(rep, client);
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		const struct fuse_in_header *in = (const void *)buf;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < (ssize_t)sizeof *in)
			_exit(0);	/* the connection is gone */
		if (in->opcode == FUSE_INIT)
			answer_init(fd, in);
		else if (in->opcode == FUSE_INTERRUPT)
			continue;	/* never answered either */
		else if ((pid_t)in->pid != client)
			answer_enosys(fd, in);
		else if (!told) {
			report(rep, 0);
			told = true;
		}
	}
}

/* One int from the daemon, within 5 s; false when none came. */
static bool hear(int fd, int *v)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 5000) == 1 && read(fd, v, sizeof *v) == (ssize_t)sizeof *v;
}

/* The client's state and wchan, once it is off the CPU (5 s at most). */
static bool asleep_in(pid_t pid, char state, struct proc_process *p)
{
	for (int i = 0; i < 500; i++) {
		if (proc_read_process("/proc", pid, true, p) == PROC_OK) {
			if (p->status.state == state && p->nthreads && p->threads[0].wchan[0])
				return true;
			proc_process_free(p);
		}
		nap_ms(10);
	}
	return false;
}

static bool notes_have(const struct why_report *r, const char *what)
{
	for (size_t i = 0; i < r->nnotes; i++)
		if (strstr(r->notes[i], what))
			return true;
	return false;
}

/* Kills the daemon (which aborts the connection), then reaps it and the
 * client, reparented to the test, its subreaper.  The client's status. */
static int end_rig(pid_t daemon, pid_t client)
{
	int status = -1, st;

	kill(daemon, SIGKILL);
	waitpid(daemon, &st, 0);
	if (client <= 0)
		return -1;
	for (int i = 0; i < 500; i++) {
		pid_t got = waitpid(client, &st, WNOHANG);

		if (got == client)
			return st;
		if (got < 0)
			return status;
		nap_ms(10);
	}
	kill(client, SIGKILL);
	return status;
}

Test(why_real, fuse_request_wait_turns_unkillable, .timeout = 60)
{
	char dir[] = "/tmp/siglab-fuse-XXXXXX";
	struct proc_process p;
	struct proc_self self;
	struct why_sender s = { .from = WHY_FROM_AUTO, .orphaned_pgrp = -1 };
	struct why_report r;
	char line[800];
	int rep[2], v = 0, status;
	pid_t daemon, client = 0;
	bool in_s, in_d, alive_after_kill = false;

	if (access("/dev/fuse", R_OK | W_OK) < 0)
		cr_skip_test("no /dev/fuse here (%s)", strerror(errno));
	cr_assert_eq(proc_read_self("/proc", &self), PROC_OK);
	s.self = self;
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	cr_assert_eq(pipe(rep), 0);
	daemon = fork();
	cr_assert(daemon >= 0);
	if (daemon == 0) {
		close(rep[0]);
		daemon_main(dir, rep[1]);
	}
	close(rep[1]);
	if (!hear(rep[0], &v) || v <= 0) {
		end_rig(daemon, 0);
		close(rep[0]);
		rmdir(dir);
		cr_skip_test("cannot mount a FUSE file system here: %s",
			     v < 0 ? strerror(-v) : "no answer from the daemon");
	}
	client = v;
	cr_expect(hear(rep[0], &v) && v == 0, "the daemon never read the client's request");

	/* S in request_wait_answer: a signal moves the wait on, never ends it. */
	in_s = asleep_in(client, 'S', &p);
	cr_expect(in_s, "the client never slept in S");
	if (in_s) {
		cr_log_info("S: wchan %s, syscall %ld, stack %s", p.threads[0].wchan,
			    p.threads[0].syscall, p.threads[0].stack);
		cr_expect_eq(why_diagnose(&p, SL_SIGTERM, &s, &r), 0);
		cr_expect_eq(r.now.verdict, WHY_TERM);
		cr_expect_eq(r.now.after_wait, client, "wchan %s, stack %s", p.threads[0].wchan,
			     p.threads[0].stack);
		why_headline(&r, &r.now, &p, line, sizeof line);
		cr_expect(strstr(line, "the signal turns its sleep (S) uninterruptible"), "%s", line);
		cr_expect(notes_have(&r, "a FUSE file system's daemon"), "wchan %s",
			  p.threads[0].wchan);
		why_report_free(&r);
		proc_process_free(&p);
	}

	/* The real kernel: SIGTERM turns the sleep into D, and the client lives. */
	kill(client, SIGTERM);
	in_d = asleep_in(client, 'D', &p);
	cr_expect(in_d, "SIGTERM did not turn the FUSE wait into D");
	if (in_d) {
		cr_log_info("D: wchan %s, stack %s", p.threads[0].wchan, p.threads[0].stack);
		cr_expect_eq(why_diagnose(&p, SL_SIGKILL, &s, &r), 0);
		cr_expect_eq(r.now.after_wait, client, "not even SIGKILL: wchan %s",
			     p.threads[0].wchan);
		cr_expect(notes_have(&r, "No signal ends it, SIGKILL included"));
		why_report_free(&r);
		proc_process_free(&p);
		kill(client, SIGKILL);
		nap_ms(300);
		if (proc_read_process("/proc", client, false, &p) == PROC_OK) {
			alive_after_kill = p.status.state == 'D';
			proc_process_free(&p);
		}
		cr_expect(alive_after_kill, "SIGKILL ended a FUSE request the daemon had read");
	}

	status = end_rig(daemon, client);
	close(rep[0]);
	cr_expect_eq(rmdir(dir), 0, "%s: %s", dir, strerror(errno));
	cr_assert(status != -1 && WIFSIGNALED(status),
		  "the client did not die once the connection ended (status %d)", status);
}
