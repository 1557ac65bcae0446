/*
 * What the resource-limit statements need of the host.  CAP_SYS_RESOURCE
 * for a root task that raises a hard limit or changes another user's
 * limits, which a container's bounding set may lack.  And the run's
 * private directory: a fresh directory under the system's
 * temporary one, the working directory of every agent.  It holds the
 * scenario's regular file (pwrite) and the core files a Core action
 * writes when the scenario allows dumps (RLIMIT_CORE raised): the
 * machine's core_pattern is only read, never changed, and a scenario
 * that would dump is run only when the pattern names a plain file
 * relative to the working directory.  Everything in it is removed with
 * it at the end of the run.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sys/prctl.h>
#include <linux/capability.h>

#include "host/internal.h"

/* The task whose process a statement of `task` names, or -1. */
static int process_of(const struct scenario *s, int task)
{
	if (task < 0)
		return -1;
	return s->tasks[task].kind == SC_THREAD ? s->tasks[task].leader : task;
}

/* Whether a root task's statement needs CAP_SYS_RESOURCE: prlimit on a
 * process of another uid (or a number), or a hard limit above one its
 * process set before (`low`: per process and resource, the lowest hard
 * limit set so far, which a fork copies). */
static bool needs_sys_resource(const struct scenario *s, int task, const struct sc_stmt *x,
			       uint64_t (*low)[SL_RLIM_NLIMITS], bool uids_change, bool root)
{
	int p = process_of(s, task);
	bool need = false;

	if (p < 0)
		return false;
	if ((x->op == SC_OP_FORK || x->op == SC_OP_CLONE) && x->target.kind == SC_TGT_TASK &&
	    x->target.task >= 0)
		memcpy(low[x->target.task], low[p], sizeof low[p]);
	if (x->op != SC_OP_SETRLIMIT && x->op != SC_OP_PRLIMIT)
		return false;
	if (x->op == SC_OP_PRLIMIT && root) {
		int q = x->target.kind == SC_TGT_TASK ? process_of(s, x->target.task) : -1;

		if (x->target.kind == SC_TGT_NUM ? x->target.num != 0 : q >= 0 && s->tasks[q].uid != 0)
			need = true;
		/* credentials are per thread: after a setuid step, another
		 * task (even a thread of the caller's process) may have other
		 * ids (check_prlimit_permission; siglab fuzz seed 704267) */
		if (uids_change && x->target.kind == SC_TGT_TASK && x->target.task != task)
			need = true;
		if (q >= 0)
			p = q;
	}
	if ((x->op == SC_OP_SETRLIMIT || !x->null_set) && x->how >= 0 && x->how < SL_RLIM_NLIMITS) {
		if (root && x->rlim_max > low[p][x->how])
			need = true;
		if (x->rlim_max < low[p][x->how])
			low[p][x->how] = x->rlim_max;
	}
	return need;
}

static bool uses_op(const struct sc_stmt *st, size_t n, bool (*pred)(const struct sc_stmt *))
{
	for (size_t i = 0; i < n; i++)
		if (pred(&st[i]) || (st[i].op == SC_OP_REPEAT && uses_op(st[i].body, st[i].nbody, pred)))
			return true;
	return false;
}

static bool is_setuid(const struct sc_stmt *x)
{
	return x->op == SC_OP_SETUID || x->op == SC_OP_SETREUID || x->op == SC_OP_SETRESUID;
}

/* Whether a root task's step gives it an effective uid other than 0
 * (setuid N sets all three ids; setreuid/setresuid their second). */
static bool drops_root(const struct sc_stmt *x)
{
	uint32_t e = x->op == SC_OP_SETUID ? x->uids[0] : x->uids[1];

	return is_setuid(x) && e != 0 && e != UINT32_MAX;
}

static bool is_spin(const struct sc_stmt *x)
{
	return x->op == SC_OP_SPIN;
}

/* A statement whose outcome depends on the scenario clock. */
static bool is_timed(const struct sc_stmt *x)
{
	switch (x->op) {
	case SC_OP_ALARM: case SC_OP_SETITIMER: case SC_OP_TIMER_SETTIME:
	case SC_OP_NANOSLEEP: case SC_OP_SIGTIMEDWAIT: case SC_OP_ADVANCE:
	case SC_OP_GETITIMER:
		return true;
	default:
		return false;
	}
}

/* A timer on the scenario clock; one on a CPU-time clock counts the CPU
 * time spin burns, and its timer_settime needs no scenario clock. */
static bool is_wall_timer(const struct sc_stmt *x)
{
	return x->op == SC_OP_TIMER_CREATE && !x->clock;
}

static bool is_timed_not_settime(const struct sc_stmt *x)
{
	return x->op != SC_OP_TIMER_SETTIME && is_timed(x);
}

static bool scenario_uses(const struct scenario *s, bool (*pred)(const struct sc_stmt *))
{
	for (size_t i = 0; i < s->nsteps; i++)
		if (uses_op(&s->steps[i].stmt, 1, pred))
			return true;
	for (size_t i = 0; i < s->nhandlers; i++)
		if (uses_op(s->handlers[i].body, s->handlers[i].nbody, pred))
			return true;
	return false;
}

const char *host_rlimit_skip(const struct scenario *s, char *buf, size_t n)
{
	uint64_t (*low)[SL_RLIM_NLIMITS];
	const char *why = NULL;
	bool *root;		/* per task: its effective uid may still be 0 */
	bool uids_change = scenario_uses(s, is_setuid);

	/* DEVIATION(host: a spin burns real CPU seconds while the host's
	 * scenario clock, scaled tenfold and moved only by advance, stands
	 * still; the model's clock moves with the spin.  A scenario with
	 * both a spin and a timed statement is model-only on the host.) */
	if (scenario_uses(s, is_spin) &&
	    (scenario_uses(s, is_timed_not_settime) || scenario_uses(s, is_wall_timer))) {
		snprintf(buf, n, "spin with a timer, a timed wait or advance: the host's scaled "
			 "scenario clock does not move with a spin's real CPU time");
		return buf;
	}
	if (prctl(PR_CAPBSET_READ, CAP_SYS_RESOURCE, 0, 0, 0) == 1)
		return NULL;
	low = malloc((s->ntasks + 1) * sizeof *low);
	root = calloc(s->ntasks + 1, sizeof *root);
	if (!low || !root) {
		free(low);
		free(root);
		return NULL;
	}
	for (size_t t = 0; t <= s->ntasks; t++)
		for (int i = 0; i < SL_RLIM_NLIMITS; i++)
			low[t][i] = SL_RLIM_INFINITY;
	for (size_t t = 0; t < s->ntasks; t++)
		root[t] = s->tasks[process_of(s, (int)t)].uid == 0;
	for (size_t i = 0; i < s->nsteps && !why; i++) {
		int t = s->steps[i].task;

		if (t >= 0 && needs_sys_resource(s, t, &s->steps[i].stmt, low, uids_change, root[t])) {
			snprintf(buf, n, "step %zu needs CAP_SYS_RESOURCE for root, which this "
				 "host's capability bounding set lacks", i + 1);
			why = buf;
		}
		if (t >= 0)
			root[t] = root[t] && !drops_root(&s->steps[i].stmt);
	}
	free(low);
	free(root);
	return why;
}

static bool stmt_states_core(const struct sc_stmt *st, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct sc_stmt *x = &st[i];

		if (x->op == SC_OP_PRCTL &&
		    (x->how == SL_PR_SET_DUMPABLE || x->how == SL_PR_GET_DUMPABLE))
			return true;
		if ((x->op == SC_OP_SETRLIMIT || x->op == SC_OP_PRLIMIT) &&
		    x->how == SL_RLIMIT_CORE && !x->null_set)
			return true;
		if (x->op == SC_OP_REPEAT && stmt_states_core(x->body, x->nbody))
			return true;
	}
	return false;
}

bool host_core_dumps(const struct scenario *s)
{
	for (size_t i = 0; i < s->nsteps; i++)
		if (stmt_states_core(&s->steps[i].stmt, 1))
			return true;
	for (size_t i = 0; i < s->nhandlers; i++)
		if (stmt_states_core(s->handlers[i].body, s->handlers[i].nbody))
			return true;
	return false;
}

/* fs/coredump.c format_corename: a pattern starting with '|' pipes the
 * core to a helper, which the kernel starts even with RLIMIT_CORE 0 (only
 * 1 refuses, the mark of a helper dumping itself), and whether the dump
 * is reported then depends on the helper reading it all; '@' sends it to
 * a socket; a '/' puts it outside the private directory. */
const char *host_core_skip(const struct scenario *s, char *buf, size_t n)
{
	char pat[256];
	FILE *f;
	size_t len;

	if (!host_core_dumps(s))
		return NULL;
	f = fopen("/proc/sys/fs/suid_dumpable", "r");
	if (f) {
		int v = fgetc(f);

		fclose(f);
		if (v != '0') {
			snprintf(buf, n, "fs.suid_dumpable is not 0: a change of uid leaves a "
				 "process dumpable here, the model's default says not");
			return buf;
		}
	}
	f = fopen("/proc/sys/kernel/core_pattern", "r");
	if (!f) {
		snprintf(buf, n, "cannot read /proc/sys/kernel/core_pattern: %s", strerror(errno));
		return buf;
	}
	len = fread(pat, 1, sizeof pat - 1, f);
	fclose(f);
	pat[len] = '\0';
	pat[strcspn(pat, "\n")] = '\0';
	if (pat[0] == '|')
		snprintf(buf, n, "core_pattern pipes cores to a helper (%.60s): the kernel "
			 "ignores RLIMIT_CORE 0 then, and whether a dump is reported is the "
			 "helper's doing", pat);
	else if (pat[0] == '@')
		snprintf(buf, n, "core_pattern sends cores to a socket (%.60s)", pat);
	else if (strchr(pat, '/') || !pat[0])
		snprintf(buf, n, "core_pattern '%.60s' does not write a file in the working "
			 "directory, where the host keeps the run's cores", pat);
	else
		return NULL;
	return buf;
}

/* Open to every uid (the agents run as the scenario's users), with the
 * regular file, empty, writable by all of them. */
int host_dir_make(char *dir, size_t n)
{
	const char *tmp = getenv("TMPDIR");
	char path[128];
	int fd;

	if (!tmp || tmp[0] != '/' || strlen(tmp) + 30 > n)
		tmp = "/tmp";
	snprintf(dir, n, "%s/siglab-host.XXXXXX", tmp);
	if (!mkdtemp(dir) || chmod(dir, 0777) < 0) {
		dir[0] = '\0';
		return -errno;
	}
	snprintf(path, sizeof path, "%s/%s", dir, HOST_FILE_NAME);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0 || fchmod(fd, 0666) < 0) {
		int err = errno;

		if (fd >= 0)
			close(fd);
		host_dir_remove(dir);
		return -err;
	}
	close(fd);
	return 0;
}

/* Its files (the regular file, core files) and itself; nothing else
 * makes entries there. */
void host_dir_remove(const char *dir)
{
	DIR *d;
	struct dirent *e;

	if (!dir[0])
		return;
	d = opendir(dir);
	if (d) {
		while ((e = readdir(d)) != NULL)
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				(void)unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
	}
	(void)rmdir(dir);
}
