/*
 * execve on the host: an agent that runs a scenario's `exec`
 * step really execs, so that the kernel itself does to its signals what
 * execve does (fs/exec.c begin_new_exec: caught handlers back to SIG_DFL,
 * ignored ones kept, mask and pending kept, alternate stack gone, other
 * threads killed).  The program it execs is the controller's own (opened
 * O_PATH before the agents were forked), and the new image becomes the
 * same agent again before main() runs (a constructor): it parses the
 * scenario's text again, maps the shared pid tables and clock, and goes on
 * with the same descriptors and report sequence numbers.  Nothing of this
 * touches a signal disposition, the mask or the alternate stack.
 *
 * What goes across: a memfd holding `struct exec_state` and the scenario's
 * text, named by the environment variable SIGLAB_AGENT_EXEC; every
 * descriptor it lists loses FD_CLOEXEC first.  Statements are named by
 * number (host_stmt_id) and handlers are found by their offset from a
 * known function (report.img), because the new image's addresses differ.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host/internal.h"
#include "host/timing.h"

#define EXEC_ENV "SIGLAB_AGENT_EXEC"
#define EXEC_MAGIC 0x5349474cu	/* "SIGL" */

struct exec_state {
	uint32_t magic;
	uint32_t size;		/* sizeof(struct exec_state): same program */
	int32_t task, seq, step, begin;
	int32_t report_fd, marker_fd, use_marker;
	int32_t shared_fd, clock_fd;
	uint32_t uid_base;
	int32_t ntasks;
	int32_t cmd_rd[HOST_MAX_TASKS];
	int32_t npipes;
	int32_t pipe_rd[HOST_MAX_PIPES], pipe_wr[HOST_MAX_PIPES];
	int32_t sfd;		/* the signalfd (no FD_CLOEXEC: it stays) */
	int32_t nttys;
	int32_t tty_slave[HOST_MAX_TTYS]; /* the terminals (host_tty.c) */
	struct agent_timers timers;
	uint64_t source_len;	/* the scenario's text follows */
};

/* ---- statements by number ----------------------------------------------- */

/* Walks the statements in host_stmt_id's order: returns the number of
 * `want` (when want is set), or the statement numbered *id (counting
 * down), through *found. */
static bool walk(const struct sc_stmt *v, size_t n, const struct sc_stmt *want, int *id,
		 const struct sc_stmt **found)
{
	for (size_t i = 0; i < n; i++) {
		if (want ? &v[i] == want : *id == 0) {
			*found = &v[i];
			return true;
		}
		if (want)
			++*id;
		else
			--*id;
		if (v[i].op == SC_OP_REPEAT && walk(v[i].body, v[i].nbody, want, id, found))
			return true;
	}
	return false;
}

static const struct sc_stmt *walk_all(const struct scenario *s, const struct sc_stmt *want,
				      int *id)
{
	const struct sc_stmt *found = NULL;

	for (size_t i = 0; i < s->nsteps; i++)
		if (walk(&s->steps[i].stmt, 1, want, id, &found))
			return found;
	for (size_t i = 0; i < s->nhandlers; i++)
		if (walk(s->handlers[i].body, s->handlers[i].nbody, want, id, &found))
			return found;
	return NULL;
}

int host_stmt_id(const struct scenario *s, const struct sc_stmt *st)
{
	int id = 0;

	if (!st)
		return -1;
	return walk_all(s, st, &id) ? id : -1;
}

const struct sc_stmt *host_stmt_at(const struct scenario *s, int id)
{
	if (id < 0)
		return NULL;
	return walk_all(s, NULL, &id);
}

/* ---- the old image ------------------------------------------------------ */

static void keep_on_exec(int fd)
{
	long fl;

	if (fd < 0)
		return;
	fl = xlat_syscall(SYS_fcntl, fd, F_GETFD, 0, 0);
	if (fl >= 0)
		(void)xlat_syscall(SYS_fcntl, fd, F_SETFD, fl & ~FD_CLOEXEC, 0);
}

static size_t put_int(char *p, long v)
{
	char tmp[24];
	size_t n = 0, len = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		p[len++] = tmp[--n];
	p[len] = '\0';
	return len;
}

static bool write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		long w = xlat_syscall(SYS_write, fd, (long)c, (long)n, 0);

		if (w == -EINTR)
			continue;
		if (w <= 0)
			return false;
		c += w;
		n -= (size_t)w;
	}
	return true;
}

/* The state goes into a memfd, a regular file: RLIMIT_FSIZE applies to
 * it (generic_write_check_limits sends SIGXFSZ past the limit).  The
 * scenario's limit is for its own writes, not the runner's: the soft
 * limit is raised to the hard one for this write and put back before the
 * execve, which keeps the limits. */
static bool write_state(int fd, const struct exec_state *x, const struct scenario *s)
{
	struct rlimit old, up;
	bool ok;

	if (xlat_syscall(SYS_prlimit64, 0, RLIMIT_FSIZE, 0, (long)&old) < 0)
		return false;
	up = old;
	up.rlim_cur = old.rlim_max;
	if (up.rlim_cur != old.rlim_cur)
		(void)xlat_syscall(SYS_prlimit64, 0, RLIMIT_FSIZE, (long)&up, 0);
	ok = write_all(fd, x, sizeof *x) && write_all(fd, s->source, s->source_len);
	if (up.rlim_cur != old.rlim_cur)
		(void)xlat_syscall(SYS_prlimit64, 0, RLIMIT_FSIZE, (long)&old, 0);
	return ok;
}

long agent_execve(const struct agent_env *e, int task, int seq, int step, int begin)
{
	const struct scenario *s = e->s;
	static struct exec_state x;	/* one exec at a time per process */
	static char var[sizeof EXEC_ENV + 24] = EXEC_ENV "=";
	static char *const argv[] = { (char *)"siglab-agent", NULL };
	char *envp[3];
	long fd, r;

	if (e->exe_fd < 0 || s->ntasks > HOST_MAX_TASKS)
		return -ENOEXEC;
	memset(&x, 0, sizeof x);
	x.magic = EXEC_MAGIC;
	x.size = sizeof x;
	x.task = task;
	x.seq = seq;
	x.step = step;
	x.begin = begin;
	x.report_fd = e->report_fd;
	x.marker_fd = e->marker_fd;
	x.use_marker = e->use_marker;
	x.shared_fd = e->shared_fd;
	x.uid_base = e->uid_base;
	x.clock_fd = e->time ? e->time->clock_fd : -1;
	x.ntasks = (int32_t)s->ntasks;
	for (size_t i = 0; i < s->ntasks; i++)
		x.cmd_rd[i] = e->cmd_rd[i];
	x.npipes = e->time ? (int32_t)e->time->npipes : 0;
	for (int32_t i = 0; i < x.npipes; i++) {
		x.pipe_rd[i] = agent_pipe_fd(e->time, i, 0);
		x.pipe_wr[i] = agent_pipe_fd(e->time, i, 1);
	}
	x.sfd = agent_fd_signalfd();
	x.nttys = e->time ? (int32_t)e->time->nttys : 0;
	for (int32_t i = 0; i < x.nttys; i++)
		x.tty_slave[i] = e->time->tty_slave[i];
	agent_timer_save(&x.timers);
	x.source_len = s->source_len;

	fd = xlat_syscall(SYS_memfd_create, (long)"siglab-exec", 0, 0, 0);
	if (fd < 0)
		return fd;
	if (!write_state((int)fd, &x, s)) {
		(void)xlat_syscall(SYS_close, fd, 0, 0, 0);
		return -EIO;
	}
	keep_on_exec(x.report_fd);
	keep_on_exec(x.marker_fd);
	keep_on_exec(x.shared_fd);
	keep_on_exec(x.clock_fd);
	for (int32_t i = 0; i < x.ntasks; i++)
		keep_on_exec(x.cmd_rd[i]);
	for (int32_t i = 0; i < x.npipes; i++) {
		keep_on_exec(x.pipe_rd[i]);
		keep_on_exec(x.pipe_wr[i]);
	}
	for (int32_t i = 0; i < x.nttys; i++)
		keep_on_exec(x.tty_slave[i]);
	put_int(var + sizeof EXEC_ENV, fd);
	envp[0] = var;
	/* A sanitizer build must not take signals over in the new image. */
	envp[1] = (char *)"ASAN_OPTIONS=handle_segv=0:handle_sigbus=0:handle_sigfpe=0:"
			  "handle_sigill=0:handle_abort=0:use_sigaltstack=0:detect_leaks=0";
	envp[2] = NULL;
	/* five arguments (AT_EMPTY_PATH): glibc's syscall() */
	r = syscall(SYS_execveat, e->exe_fd, "", argv, envp, AT_EMPTY_PATH);
	if (r < 0)
		r = -errno;
	(void)xlat_syscall(SYS_close, fd, 0, 0, 0);
	return r;
}

/* ---- the new image ------------------------------------------------------ */

static struct agent_env resumed_env;
static struct host_time resumed_time;

static void die(int code) __attribute__((noreturn));
static void die(int code)
{
	for (;;)
		(void)xlat_syscall(SYS_exit_group, code, 0, 0, 0);
}

static void resume(int fd) __attribute__((noreturn));
static void resume(int fd)
{
	struct exec_state *x;
	struct stat sb;
	struct scenario *s;
	struct sc_diag diag;
	char *buf;
	size_t got = 0;
	void *clock;

	if (fstat(fd, &sb) < 0 || (size_t)sb.st_size < sizeof *x)
		die(127);
	buf = malloc((size_t)sb.st_size + 1);
	if (!buf)
		die(127);
	while (got < (size_t)sb.st_size) {
		ssize_t n = pread(fd, buf + got, (size_t)sb.st_size - got, (off_t)got);

		if (n <= 0)
			die(127);
		got += (size_t)n;
	}
	close(fd);
	x = (struct exec_state *)(void *)buf;
	if (x->magic != EXEC_MAGIC || x->size != sizeof *x ||
	    x->source_len != (size_t)sb.st_size - sizeof *x || x->ntasks < 0 ||
	    x->ntasks > HOST_MAX_TASKS || x->npipes < 0 || x->npipes > HOST_MAX_PIPES ||
	    x->nttys < 0 || x->nttys > HOST_MAX_TTYS)
		die(127);
	if (sc_parse("exec", buf + sizeof *x, (size_t)x->source_len, &s, &diag) < 0 ||
	    s->ntasks != (size_t)x->ntasks)
		die(127);

	resumed_env.s = s;
	resumed_env.report_fd = x->report_fd;
	resumed_env.marker_fd = x->marker_fd;
	resumed_env.use_marker = x->use_marker != 0;
	resumed_env.lifeline_rd = resumed_env.lifeline_wr = -1;
	resumed_env.cmd_rd = calloc(s->ntasks + 1, sizeof(int));
	resumed_env.cmd_wr = calloc(s->ntasks + 1, sizeof(int));
	if (!resumed_env.cmd_rd || !resumed_env.cmd_wr)
		die(127);
	for (size_t i = 0; i < s->ntasks; i++) {
		resumed_env.cmd_rd[i] = x->cmd_rd[i];
		resumed_env.cmd_wr[i] = -1;
	}
	resumed_env.shared_fd = x->shared_fd;
	resumed_env.uid_base = x->uid_base;
	if (host_map_tables(&resumed_env, x->shared_fd, s->ntasks) < 0)
		die(127);
	resumed_time.clock_fd = x->clock_fd;
	clock = mmap(NULL, sizeof *resumed_time.clock, PROT_READ | PROT_WRITE, MAP_SHARED,
		     x->clock_fd, 0);
	if (clock == MAP_FAILED)
		die(127);
	resumed_time.clock = clock;
	for (size_t i = 0; i < HOST_MAX_PIPES; i++)
		resumed_time.pipe_rd[i] = resumed_time.pipe_wr[i] = -1;
	for (int32_t i = 0; i < x->npipes; i++) {
		resumed_time.pipe_rd[i] = x->pipe_rd[i];
		resumed_time.pipe_wr[i] = x->pipe_wr[i];
	}
	resumed_time.npipes = (size_t)x->npipes;
	for (size_t i = 0; i < HOST_MAX_TTYS; i++)
		resumed_time.tty_master[i] = resumed_time.tty_slave[i] = -1;
	for (int32_t i = 0; i < x->nttys; i++)
		resumed_time.tty_slave[i] = x->tty_slave[i];
	resumed_time.nttys = (size_t)x->nttys;
	resumed_env.time = &resumed_time;
	agent_fd_set_signalfd(x->sfd);
	agent_timer_restore(&x->timers);
	/* The program to exec again, for a later exec step. */
	resumed_env.exe_fd = open("/proc/self/exe", O_PATH | O_CLOEXEC);
	if (!xlat_readonly_page) {
		void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p != MAP_FAILED)
			xlat_readonly_page = p;
	}
	(void)prctl(PR_SET_NAME, s->tasks[x->task].name, 0, 0, 0);
	/* execve made the image dumpable again (begin_new_exec), as the
	 * model's is; otherwise no Core action may write a file. */
	if (!host_core_dumps(s))
		(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	agent_resume(&resumed_env, x->task, x->seq, x->step, x->begin);
}

/* Before main(): the image an agent exec'd becomes that agent again. */
__attribute__((constructor)) static void agent_exec_entry(void)
{
	const char *v = getenv(EXEC_ENV);
	char *end;
	long fd;

	if (!v)
		return;
	fd = strtol(v, &end, 10);
	if (end == v || *end || fd < 0 || fd > 1 << 20)
		die(127);
	resume((int)fd);
}
