/*
 * The host runner's safety guarantees (docs/host-oracle.md), each proven
 * here: it never signals a process it did not create, kill(-1) and kill(0)
 * in a scenario stay inside it, every process it creates is killed and
 * reaped on success, timeout and interruption, and tracefs is left as it
 * was found.  These tests need root (a pid namespace); they skip without.
 */
#include <errno.h>
#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "host/host.h"
#include "host/internal.h"
#include "scenario/ast.h"

static const char *const tracing = "/sys/kernel/tracing";

static void need_root(void)
{
	if (geteuid() != 0)
		cr_skip_test("the host runner needs root");
}

static struct scenario *parse(const char *text)
{
	struct scenario *s = NULL;
	struct sc_diag d;

	cr_assert_eq(sc_parse("test.scn", text, strlen(text), &s, &d), 0, "%d:%d: %s",
		     d.pos.line, d.pos.col, d.message);
	return s;
}

/* Children of this process, as /proc/self/task/TID/children lists them. */
static size_t count_children(void)
{
	char path[320], buf[4096];
	size_t n = 0;
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;

	cr_assert_not_null(d);
	while ((e = readdir(d))) {
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "/proc/self/task/%s/children", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fscanf(f, "%4095s", buf) == 1)
			n++;
		fclose(f);
	}
	closedir(d);
	return n;
}

/* A pid the run created is gone: no such process, or (reused) one that is
 * neither our child nor running under the host's scenario uids. */
static bool pid_gone(int pid)
{
	char path[64], line[256];
	long ppid = -1, uid = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return true;
	while (fgets(line, sizeof line, f)) {
		if (!strncmp(line, "PPid:", 5))
			ppid = strtol(line + 5, NULL, 10);
		if (!strncmp(line, "Uid:", 4))
			uid = strtol(line + 4, NULL, 10);
	}
	fclose(f);
	return ppid != getpid() && (uid < (long)HOST_UID_BASE ||
				     uid >= (long)HOST_UID_BASE + (long)HOST_UID_SPAN * HOST_UID_RUNS);
}

static void assert_all_gone(const struct host_result *r)
{
	cr_assert_gt(r->npids, 0, "the run reports the processes it created");
	for (size_t i = 0; i < r->npids; i++)
		cr_assert(pid_gone(r->pids[i]), "process %d outlived the run", r->pids[i]);
	cr_assert_eq(count_children(), 0, "a child of the controller is left");
}

static bool instance_exists(long pid)
{
	char path[128];
	struct stat st;

	snprintf(path, sizeof path, "%s/instances/siglab-%ld", tracing, pid);
	return stat(path, &st) == 0;
}

static const char refault[] =
	"scenario refault\n"
	"process main\n"
	"process other\n"
	"handler h { log \"again\" }\n"
	"main: sigaction SIGSEGV h\n"
	"main: fault SIGSEGV SEGV_MAPERR\n";

Test(host_safety, every_process_is_killed_and_reaped_after_a_run)
{
	static const char text[] =
		"scenario family\n"
		"process a\n"
		"thread t of a\n"
		"process b\n"
		"process c parent=b\n"
		"handler h { log \"h\" }\n"
		"a: sigaction SIGUSR1 h\n"
		"b: kill a SIGUSR1\n"
		"c: kill b SIGSTOP\n";
	struct scenario *s;
	struct host_result r;

	need_root();
	s = parse(text);
	cr_assert_eq(host_run(s, NULL, &r), HOST_OK, "%s", r.failure);
	cr_assert_eq(r.npids, 4, "helper, a, b and c");
	assert_all_gone(&r);
	host_result_free(&r);
	sc_free(s);
}

/* A clone with CLONE_PARENT by a top-level process makes the controller
 * the parent of a process it did not create.  Its zombie holds its pid;
 * the namespace's init, killed at the end, then waits for it in
 * zap_pid_ns_processes, for ever unless the controller reaps it too (a
 * long `siglab fuzz` campaign piled such inits up and hung). */
Test(host_safety, a_clone_parent_child_is_reaped_and_the_namespace_goes)
{
	static const char text[] =
		"scenario adopted\n"
		"process a\n"
		"process b\n"
		"process k forked\n"
		"process g forked\n"
		"a: clone k flags=CLONE_PARENT\n"
		"k: clone g flags=CLONE_PARENT\n"
		"b: kill k SIGTERM\n";
	struct scenario *s;
	struct host_result r;

	need_root();
	s = parse(text);
	cr_assert_eq(host_run(s, NULL, &r), HOST_OK, "%s", r.failure);
	cr_assert(strstr(r.trace, "k      killed SIGTERM"), "%s", r.trace);
	assert_all_gone(&r);
	host_result_free(&r);
	sc_free(s);
}

Test(host_safety, kill_minus_one_and_kill_zero_stay_inside_the_scenario)
{
	static const char text[] =
		"scenario everyone\n"
		"process a\n"
		"process b\n"
		"process c\n"
		"handler h { log \"h\" }\n"
		"a: sigaction SIGUSR1 h\n"
		"b: sigaction SIGUSR1 h\n"
		"c: sigaction SIGUSR1 h\n"
		"a: sigaction SIGUSR2 h\n"
		"a: kill -1 SIGUSR1\n"
		"a: kill 0 SIGUSR2\n"
		"c: kill -a SIGTERM\n"
		"c: kill -1 SIGKILL\n";
	struct scenario *s;
	struct host_result r;
	char path[64], line[128];
	pid_t sentinel;
	int fd, status;
	FILE *f;

	need_root();
	/* A process of ours, same uid, in our process group, that any of
	 * those signals would kill if it escaped. */
	sentinel = fork();
	cr_assert_geq(sentinel, 0);
	if (sentinel == 0) {
		/* dies with the test, whatever happens to it */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		(void)!freopen("/dev/null", "w", stdout);
		(void)!freopen("/dev/null", "w", stderr);
		signal(SIGUSR1, SIG_DFL);
		signal(SIGUSR2, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		for (;;)
			pause();
	}
	fd = (int)syscall(SYS_pidfd_open, sentinel, 0);
	s = parse(text);
	cr_assert_eq(host_run(s, NULL, &r), HOST_OK, "%s %s", r.failure, r.diag.message);
	cr_assert(strstr(r.trace, "kill(-1, SIGUSR1) = 0"), "%s", r.trace);
	cr_assert(strstr(r.trace, "    b      killed SIGKILL"), "%s", r.trace);
	cr_assert_eq(waitpid(sentinel, &status, WNOHANG), 0, "the sentinel was hit");
	snprintf(path, sizeof path, "/proc/%d/status", sentinel);
	f = fopen(path, "r");
	cr_assert_not_null(f);
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "SigPnd:", 7) || !strncmp(line, "ShdPnd:", 7))
			cr_assert_eq(strtoull(line + 7, NULL, 16), 0, "sentinel: %s", line);
	fclose(f);
	syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0);
	waitpid(sentinel, &status, 0);
	close(fd);
	assert_all_gone(&r);
	host_result_free(&r);
	sc_free(s);
}

Test(host_safety, a_step_that_never_settles_times_out_and_everything_is_reaped)
{
	struct host_options o = { .step_timeout_ms = 300 };
	struct scenario *s;
	struct host_result r;

	need_root();
	s = parse(refault);
	cr_assert_eq(host_run(s, &o, &r), HOST_FAILED);
	cr_assert(strstr(r.failure, "settle"), "%s", r.failure);
	cr_assert(strstr(r.trace, "handler h sig=11"), "the partial trace is kept");
	assert_all_gone(&r);
	cr_assert(!instance_exists(getpid()), "trace instance left behind");
	host_result_free(&r);
	sc_free(s);
}

Test(host_safety, sigint_kills_reaps_and_removes_the_trace_instance, .timeout = 30)
{
	int fds[2], status, pidfd;
	pid_t child;
	struct pollfd p;
	int pids[HOST_RESULT_MAX_PIDS];
	ssize_t n;

	need_root();
	cr_assert_eq(pipe(fds), 0);
	child = fork();
	cr_assert_geq(child, 0);
	if (child == 0) {
		struct host_options o = { .step_timeout_ms = 20000 };
		struct scenario *s = parse(refault);
		struct host_result r;
		enum host_status st;

		close(fds[0]);
		host_install_interrupt_handlers();
		st = host_run(s, &o, &r);
		(void)!write(fds[1], r.pids, r.npids * sizeof r.pids[0]);
		_exit(st == HOST_FAILED && host_interrupted() ? 0 : 1);
	}
	close(fds[1]);
	pidfd = (int)syscall(SYS_pidfd_open, child, 0);
	usleep(300 * 1000);
	cr_assert_eq(syscall(SYS_pidfd_send_signal, pidfd, SIGINT, NULL, 0), 0);
	p.fd = pidfd;
	p.events = POLLIN;
	cr_assert_eq(poll(&p, 1, 20000), 1, "the controller did not stop");
	cr_assert_eq(waitpid(child, &status, 0), child);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %#x", status);
	n = read(fds[0], pids, sizeof pids);
	cr_assert_gt(n, 0);
	for (ssize_t i = 0; i < n / (ssize_t)sizeof pids[0]; i++)
		cr_assert(pid_gone(pids[i]), "process %d outlived the interrupted run", pids[i]);
	cr_assert(!instance_exists(child), "trace instance of the interrupted run left");
	close(fds[0]);
	close(pidfd);
}

/* The top-level tracing files, which the runner must never touch. */
static void snapshot(char *buf, size_t n)
{
	static const char *const files[] = { "tracing_on", "current_tracer", "set_event",
					     "trace_clock", "buffer_size_kb" };
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char path[128];
		FILE *f;

		snprintf(path, sizeof path, "%s/%s", tracing, files[i]);
		f = fopen(path, "r");
		if (!f)
			continue;
		len += fread(buf + len, 1, n - len - 1, f);
		buf[len] = '\0';
		fclose(f);
	}
}

Test(host_safety, tracefs_is_left_as_found)
{
	char before[8192], after[8192], stale[128];
	struct scenario *s;
	struct host_result r;
	pid_t dead;

	need_root();
	if (access("/sys/kernel/tracing/instances", F_OK) != 0)
		cr_skip_test("no tracefs");
	/* An instance left by a controller that was SIGKILLed: a pid that
	 * is certainly not a live siglab. */
	dead = fork();
	if (dead == 0)
		_exit(0);
	waitpid(dead, NULL, 0);
	snprintf(stale, sizeof stale, "%s/instances/siglab-%d", tracing, (int)dead);
	cr_assert_eq(mkdir(stale, 0700), 0, "%s", strerror(errno));
	snapshot(before, sizeof before);
	s = parse("scenario t\nprocess a\nprocess b\nb: kill a SIGTERM\n");
	cr_assert_eq(host_run(s, NULL, &r), HOST_OK, "%s", r.failure);
	cr_assert(r.traced);
	snapshot(after, sizeof after);
	cr_assert_str_eq(before, after);
	cr_assert(!instance_exists(getpid()), "our instance is left");
	cr_assert(!instance_exists(dead), "the stale instance was not removed");
	host_result_free(&r);
	sc_free(s);
}

/* The controller's only way to send a signal is pidfd_send_signal on a
 * pidfd it opened for a process it created: no kill, killpg, tgkill or
 * tkill anywhere in it (host.c and the host_*.c files, controller.h), so a
 * recycled pid can never be hit. */
static char *read_source(const char *path)
{
	char *text;
	long len;
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)len + 1);
	cr_assert_not_null(text);
	cr_assert_eq(fread(text, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	return text;
}

Test(host_safety, the_controller_signals_only_through_pidfds)
{
	static const char *const forbidden[] = { "kill(", "killpg(", "tgkill(", "tkill(",
						 "SYS_kill", "SYS_tgkill", "SYS_tkill" };
	static const char *const files[] = {
		"src/host/host.c", "src/host/host_spawn.c", "src/host/host_settle.c",
		"src/host/host_render.c", "src/host/host_clock.c", "src/host/host_block.c",
		"src/host/controller.h",
	};
	bool pidfd_send = false;

	for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
		char *text = read_source(files[k]);

		if (!text)
			cr_skip_test("run from the source tree");
		for (size_t i = 0; i < sizeof forbidden / sizeof forbidden[0]; i++) {
			for (const char *p = text; (p = strstr(p, forbidden[i])); p++) {
				/* hc_kill_all( and kill_pidfd( are ours, not kill( */
				cr_assert(p > text && (p[-1] == '_' || p[-1] == '.'),
					  "%s calls %s", files[k], forbidden[i]);
			}
		}
		if (strstr(text, "SYS_pidfd_send_signal"))
			pidfd_send = true;
		free(text);
	}
	cr_assert(pidfd_send);
}
