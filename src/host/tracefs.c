/*
 * The controller's private tracefs instance: instances/siglab-PID with the
 * signal:signal_generate, signal:signal_deliver and sched:sched_process_exit
 * events, filtered to the scenario's tasks, on the monotonic clock the
 * agents' reports use.  The agents write markers into the same ring buffer,
 * so trace_pipe gives one stream in the order things happened.
 *
 * Leaves tracefs as found: the instance is removed, and tracefs unmounted
 * if this file mounted it.  Nothing outside the instance is touched.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/internal.h"

static const char *const default_root = "/sys/kernel/tracing";

static int write_file(const char *dir, const char *name, const char *text)
{
	char path[320];
	int fd;
	ssize_t n;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static bool has_instances(const char *root)
{
	char path[192];
	struct stat st;

	snprintf(path, sizeof path, "%s/instances", root);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Whether the process that made instance siglab-PID may still be alive.
 * Any process with that pid counts (the controller may be embedded in
 * another program): a stale instance then waits for a later run. */
static bool live_controller(long pid)
{
	char path[64];

	snprintf(path, sizeof path, "/proc/%ld", pid);
	return access(path, F_OK) == 0;
}

/* A controller killed by SIGKILL cannot remove its instance: the next run
 * removes the instances of controllers that are gone. */
static void remove_stale_instances(const char *root)
{
	char dir[192], path[512];
	struct dirent *d;
	DIR *dp;

	snprintf(dir, sizeof dir, "%s/instances", root);
	dp = opendir(dir);
	if (!dp)
		return;
	while ((d = readdir(dp))) {
		char *end;
		long pid;

		if (strncmp(d->d_name, "siglab-", 7))
			continue;
		pid = strtol(d->d_name + 7, &end, 10);
		if (*end || pid <= 0 || live_controller(pid))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, d->d_name);
		(void)rmdir(path);
	}
	closedir(dp);
}

int tracefs_open(struct tracefs *t, char *why, size_t n)
{
	char path[320];

	memset(t, 0, sizeof *t);
	t->pipe_fd = t->marker_fd = -1;
	snprintf(t->root, sizeof t->root, "%s", default_root);
	if (geteuid() != 0) {
		snprintf(why, n, "not root");
		return -1;
	}
	if (!has_instances(t->root)) {
		if (mount("nodev", t->root, "tracefs", 0, NULL) < 0) {
			snprintf(why, n, "cannot mount tracefs at %s: %s", t->root,
				 strerror(errno));
			return -1;
		}
		t->mounted = true;
		if (!has_instances(t->root)) {
			snprintf(why, n, "tracefs at %s has no instances", t->root);
			tracefs_close(t);
			return -1;
		}
	}
	remove_stale_instances(t->root);
	snprintf(t->dir, sizeof t->dir, "%s/instances/siglab-%d", t->root, (int)getpid());
	if (mkdir(t->dir, 0700) < 0) {
		snprintf(why, n, "cannot create %s: %s", t->dir, strerror(errno));
		tracefs_close(t);
		return -1;
	}
	t->made = true;
	if (write_file(t->dir, "trace_clock", "mono") < 0 ||
	    write_file(t->dir, "buffer_size_kb", "4096") < 0) {
		snprintf(why, n, "cannot configure %s", t->dir);
		tracefs_close(t);
		return -1;
	}
	snprintf(path, sizeof path, "%s/trace_marker", t->dir);
	t->marker_fd = open(path, O_WRONLY | O_CLOEXEC);
	snprintf(path, sizeof path, "%s/trace_pipe", t->dir);
	t->pipe_fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (t->marker_fd < 0 || t->pipe_fd < 0) {
		snprintf(why, n, "cannot open %s: %s", path, strerror(errno));
		tracefs_close(t);
		return -1;
	}
	return 0;
}

/* "F == a || F == b ..." over the tids. */
static char *pid_filter(const char *field, const int32_t *tids, size_t n)
{
	size_t cap = 32 + n * (strlen(field) + 20), len = 0;
	char *f = malloc(cap);

	if (!f)
		return NULL;
	f[0] = '\0';
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(f + len, cap - len, "%s%s == %d",
					i ? " || " : "", field, (int)tids[i]);
	return f;
}

static int set_event(struct tracefs *t, const char *event, const char *field,
		     const int32_t *tids, size_t n)
{
	char dir[320];
	char *f = pid_filter(field, tids, n);
	int r;

	if (!f)
		return -1;
	snprintf(dir, sizeof dir, "%s/events/%s", t->dir, event);
	r = write_file(dir, "filter", f);
	free(f);
	if (r == 0)
		r = write_file(dir, "enable", "1");
	return r;
}

int tracefs_start(struct tracefs *t, const int32_t *tids, size_t n)
{
	if (set_event(t, "signal/signal_generate", "pid", tids, n) < 0 ||
	    set_event(t, "signal/signal_deliver", "common_pid", tids, n) < 0 ||
	    set_event(t, "sched/sched_process_exit", "pid", tids, n) < 0)
		return -1;
	return 0;
}

/* The signal events of every task, and the forks that make a process
 * tree (sched_process_fork): `siglab exec --diff` keeps the tree's. */
int tracefs_start_tree(struct tracefs *t)
{
	static const char *const ev[] = { "signal/signal_generate", "signal/signal_deliver",
					  "sched/sched_process_fork" };
	char dir[320];

	for (size_t i = 0; i < sizeof ev / sizeof ev[0]; i++) {
		snprintf(dir, sizeof dir, "%s/events/%s", t->dir, ev[i]);
		if (write_file(dir, "enable", "1") < 0)
			return -1;
	}
	return 0;
}

void tracefs_stop(struct tracefs *t)
{
	if (t->made)
		(void)write_file(t->dir, "events/enable", "0");
}

bool tracefs_drain(struct tracefs *t, size_t max, void (*fn)(void *ud, const char *line),
		   void *ud)
{
	char chunk[8192];
	size_t got = 0;
	bool more = false;
	ssize_t n;

	if (t->pipe_fd < 0)
		return false;
	for (;;) {
		if (got >= max) {
			more = true;
			break;
		}
		n = read(t->pipe_fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
		if (t->len + (size_t)n + 1 > t->cap) {
			size_t cap = (t->len + (size_t)n + 1) * 2;
			char *b = realloc(t->buf, cap);

			if (!b)
				return false;
			t->buf = b;
			t->cap = cap;
		}
		memcpy(t->buf + t->len, chunk, (size_t)n);
		t->len += (size_t)n;
	}
	if (!t->buf)
		return more;
	size_t start = 0;
	for (size_t i = 0; i < t->len; i++) {
		if (t->buf[i] != '\n')
			continue;
		t->buf[i] = '\0';
		fn(ud, t->buf + start);
		start = i + 1;
	}
	memmove(t->buf, t->buf + start, t->len - start);
	t->len -= start;
	return more;
}

void tracefs_close(struct tracefs *t)
{
	if (t->pipe_fd >= 0)
		close(t->pipe_fd);
	if (t->marker_fd >= 0)
		close(t->marker_fd);
	t->pipe_fd = t->marker_fd = -1;
	if (t->made) {
		tracefs_stop(t);
		/* rmdir fails with EBUSY while a reader is still open or the
		 * kernel is still releasing the buffers: retry briefly. */
		for (int i = 0; i < 50 && rmdir(t->dir) < 0 && errno == EBUSY; i++)
			usleep(10000);
		t->made = false;
	}
	if (t->mounted) {
		(void)umount2(t->root, 0);
		t->mounted = false;
	}
	free(t->buf);
	t->buf = NULL;
	t->len = t->cap = 0;
}

/* ---- parsing trace_pipe lines ------------------------------------------- */

static int field_int(const char *s, const char *key, int *out)
{
	const char *p = strstr(s, key);

	if (!p)
		return -1;
	*out = (int)strtol(p + strlen(key), NULL, 10);
	return 0;
}

static int field_hex(const char *s, const char *key, uint64_t *out)
{
	const char *p = strstr(s, key);

	if (!p)
		return -1;
	*out = strtoull(p + strlen(key), NULL, 16);
	return 0;
}

/* "  comm-PID  [CPU] flags  TS: event: ..." -> PID: the digits before the
 * " [" of the CPU column. */
static int line_pid(const char *line)
{
	const char *b = strstr(line, " [");
	const char *p;

	if (!b)
		return -1;
	p = b;
	while (p > line && p[-1] == ' ')
		p--;
	while (p > line && p[-1] >= '0' && p[-1] <= '9')
		p--;
	if (p == line || p[-1] != '-')
		return -1;
	return (int)strtol(p, NULL, 10);
}

int tracefs_parse(const char *line, struct tev *ev)
{
	const char *body;

	memset(ev, 0, sizeof *ev);
	ev->kind = TEV_OTHER;
	ev->common_pid = line_pid(line);
	if ((body = strstr(line, ": signal_generate: "))) {
		ev->kind = TEV_GENERATE;
		if (field_int(body, " sig=", &ev->sig) || field_int(body, " errno=", &ev->err) ||
		    field_int(body, " code=", &ev->code) || field_int(body, " pid=", &ev->pid) ||
		    field_int(body, " grp=", &ev->grp) || field_int(body, " res=", &ev->res))
			return -1;
	} else if ((body = strstr(line, ": signal_deliver: "))) {
		ev->kind = TEV_DELIVER;
		if (field_int(body, " sig=", &ev->sig) || field_int(body, " errno=", &ev->err) ||
		    field_int(body, " code=", &ev->code) ||
		    field_hex(body, " sa_handler=", &ev->handler) ||
		    field_hex(body, " sa_flags=", &ev->flags))
			return -1;
	} else if ((body = strstr(line, ": sched_process_exit: "))) {
		ev->kind = TEV_EXIT;
		if (field_int(body, " pid=", &ev->pid))
			return -1;
	} else if ((body = strstr(line, ": siglab "))) {
		ev->kind = TEV_MARK;
		if (sscanf(body + 9, "%d %d", &ev->mark_task, &ev->mark_seq) != 2)
			return -1;
	}
	return 0;
}
