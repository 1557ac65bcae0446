/*
 * Readers of a live process's signal state in /proc for `siglab why` and
 * `siglab ps` (fs/proc/array.c: proc_pid_status, do_task_stat; fs/proc/
 * base.c: proc_pid_wchan, proc_pid_syscall).  Only reads; never signals.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "why/proc.h"

/* status is about 1.5 KiB; Groups: and the Mems_allowed lines can make
 * it longer, and nothing past the signal masks matters. */
#define STATUS_CAP 16384
#define STAT_CAP 4096
#define SMALL_CAP 512

/* The inode of the initial pid namespace (include/linux/proc_ns.h
 * PROC_PID_INIT_INO). */
#define PROC_PID_INIT_INO 0xEFFFFFFCul

const char *proc_strerror(int err)
{
	switch (err) {
	case PROC_OK: return "ok";
	case PROC_GONE: return "no such process";
	case PROC_DENIED: return "permission denied";
	case PROC_BAD: return "malformed or truncated /proc content";
	case PROC_NOMEM: return "out of memory";
	default: return "read error";
	}
}

static int errno_to_proc(int e)
{
	switch (e) {
	case ENOENT: case ESRCH: case ENOTDIR: return PROC_GONE;
	case EACCES: case EPERM: return PROC_DENIED;
	case ENOMEM: return PROC_NOMEM;
	default: return PROC_IO;
	}
}

/* Reads a whole small file into buf (NUL-terminated, cut at cap - 1);
 * returns its length or a PROC_* error. */
static long read_text(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;

	buf[0] = '\0';
	if (fd < 0)
		return errno_to_proc(errno);
	while (len < cap - 1) {
		ssize_t n = read(fd, buf + len, cap - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			buf[0] = '\0';
			return errno_to_proc(e);
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	/* A NUL inside the text would hide what follows: treat it as the end. */
	return (long)strlen(buf);
}

static long read_pid_file(const char *root, int pid, int tid, const char *name,
			  char *buf, size_t cap)
{
	char path[PATH_MAX];
	int n;

	if (tid > 0)
		n = snprintf(path, sizeof path, "%s/%d/task/%d/%s", root, pid, tid, name);
	else
		n = snprintf(path, sizeof path, "%s/%d/%s", root, pid, name);
	if (n < 0 || (size_t)n >= sizeof path)
		return PROC_IO;
	return read_text(path, buf, cap);
}

/* ---- parsing ---------------------------------------------------------------- */

/* A decimal int that fills the token; false on garbage or overflow. */
static bool parse_int(const char *s, const char **end, int *out)
{
	char *e;
	long v;

	errno = 0;
	v = strtol(s, &e, 10);
	if (e == s || errno || v < INT_MIN || v > INT_MAX)
		return false;
	*out = (int)v;
	if (end)
		*end = e;
	return true;
}

/* A signal mask: 1 to 16 hex digits, then the end of the value. */
static bool parse_mask(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	int n = 0;

	for (; isxdigit((unsigned char)*s); s++, n++) {
		int d = isdigit((unsigned char)*s) ? *s - '0'
						  : tolower((unsigned char)*s) - 'a' + 10;

		if (n == 16)
			return false;
		v = v << 4 | (uint64_t)d;
	}
	if (n == 0 || (*s != '\0' && *s != '\n' && *s != ' ' && *s != '\t'))
		return false;
	*out = v;
	return true;
}

static void copy_value(char *dst, size_t cap, const char *v)
{
	size_t n = strcspn(v, "\n");

	if (n >= cap)
		n = cap - 1;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

static int parse_int_list(const char *v, int *out, int max)
{
	int n = 0;

	while (n < max) {
		const char *e;

		while (*v == ' ' || *v == '\t')
			v++;
		if (*v == '\n' || *v == '\0' || !parse_int(v, &e, &out[n]))
			break;
		n++;
		v = e;
	}
	return n;
}

static unsigned parse_status_line(const char *key, size_t klen, const char *v,
				  struct proc_status *o)
{
#define KEY(s) (klen == sizeof(s) - 1 && !memcmp(key, s, klen))
	if (KEY("Name")) {
		copy_value(o->name, sizeof o->name, v);
		return PS_NAME;
	}
	if (KEY("State"))
		return isalpha((unsigned char)*v) ? (o->state = *v, PS_STATE) : 0;
	if (KEY("Tgid"))
		return parse_int(v, NULL, &o->tgid) ? PS_TGID : 0;
	if (KEY("Pid"))
		return parse_int(v, NULL, &o->pid) ? PS_PID : 0;
	if (KEY("PPid"))
		return parse_int(v, NULL, &o->ppid) ? PS_PPID : 0;
	if (KEY("TracerPid"))
		return parse_int(v, NULL, &o->tracer_pid) ? PS_TRACER : 0;
	if (KEY("Threads"))
		return parse_int(v, NULL, &o->threads) ? PS_THREADS : 0;
	if (KEY("Kthread"))
		return parse_int(v, NULL, &o->kthread) ? PS_KTHREAD : 0;
	if (KEY("Uid")) {
		int ids[4];

		if (parse_int_list(v, ids, 4) != 4)
			return 0;
		for (int i = 0; i < 4; i++)
			o->uid[i] = (uint32_t)ids[i];
		return PS_UID;
	}
	if (KEY("NSpid")) {
		o->nspid_count = parse_int_list(v, o->nspid, PROC_NS_MAX);
		return o->nspid_count > 0 ? PS_NSPID : 0;
	}
	if (KEY("NSsid")) {
		int ids[PROC_NS_MAX], n = parse_int_list(v, ids, PROC_NS_MAX);

		return n > 0 ? (o->nssid = ids[n - 1], PS_NSSID) : 0;
	}
	if (KEY("SigPnd"))
		return parse_mask(v, &o->sigpnd) ? PS_SIGPND : 0;
	if (KEY("ShdPnd"))
		return parse_mask(v, &o->shdpnd) ? PS_SHDPND : 0;
	if (KEY("SigBlk"))
		return parse_mask(v, &o->sigblk) ? PS_SIGBLK : 0;
	if (KEY("SigIgn"))
		return parse_mask(v, &o->sigign) ? PS_SIGIGN : 0;
	if (KEY("SigCgt"))
		return parse_mask(v, &o->sigcgt) ? PS_SIGCGT : 0;
	return 0;
#undef KEY
}

int proc_parse_status(const char *text, struct proc_status *out)
{
	const char *line = text;

	*out = (struct proc_status){ .kthread = -1 };
	while (line && *line) {
		const char *colon = strchr(line, ':');
		const char *nl = strchr(line, '\n');

		if (colon && (!nl || colon < nl)) {
			const char *v = colon + 1;

			while (*v == ' ' || *v == '\t')
				v++;
			out->have |= parse_status_line(line, (size_t)(colon - line), v, out);
		}
		line = nl ? nl + 1 : NULL;
	}
	return (out->have & PS_SIGNAL_FIELDS) == PS_SIGNAL_FIELDS ? PROC_OK : PROC_BAD;
}

/* stat: "pid (comm) state ppid pgrp session tty_nr tpgid flags ...".  comm
 * may hold spaces and parentheses, so the fields after it count from the
 * last ')'. */
int proc_parse_stat(const char *text, struct proc_stat *out)
{
	const char *open = strchr(text, '('), *close = strrchr(text, ')'), *p;
	int *ints[] = { &out->ppid, &out->pgrp, &out->session, &out->tty_nr, &out->tpgid };
	int field;

	*out = (struct proc_stat){ .exit_signal = -1 };
	if (!open || !close || close < open || !parse_int(text, NULL, &out->pid))
		return PROC_BAD;
	copy_value(out->comm, sizeof out->comm, open + 1);
	if ((size_t)(close - open - 1) < sizeof out->comm)
		out->comm[close - open - 1] = '\0';
	out->nfields = 2;
	p = close + 1;
	if (p[0] != ' ' || !isalpha((unsigned char)p[1]))
		return PROC_BAD;
	out->state = p[1];
	out->nfields = 3;
	p += 2;
	for (field = 4; *p == ' '; field++) {
		const char *e;
		long long v;
		char *ee;

		p++;
		if (field <= 8) {
			if (!parse_int(p, &e, ints[field - 4]))
				break;
		} else {
			/* Some fields are unsigned long (rsslim), some negative
			 * (priority): only the digits matter, not the range. */
			v = (long long)strtoull(p, &ee, 10);
			if (ee == p)
				break;
			e = ee;
			if (field == 9)
				out->flags = (unsigned long)v;
			else if (field == 38)
				out->exit_signal = (int)v;
		}
		out->nfields = field;
		p = e;
		if (field == 38)
			break;
	}
	return out->nfields >= 9 ? PROC_OK : PROC_BAD;
}

long proc_parse_syscall(const char *text)
{
	int nr;

	while (*text == ' ')
		text++;
	if (!strncmp(text, "running", 7))
		return PROC_SYSCALL_RUNNING;
	if (!parse_int(text, NULL, &nr) || nr < -1)
		return PROC_SYSCALL_UNKNOWN;
	return nr == -1 ? PROC_SYSCALL_NONE : nr;
}

/* The calls a thread is usually found asleep in.  Some exist only on
 * older architectures (x86-64 has them, arm64 does not). */
static const struct { long nr; const char *name; } syscall_names[] = {
	{ SYS_read, "read" }, { SYS_write, "write" }, { SYS_readv, "readv" },
	{ SYS_writev, "writev" }, { SYS_pread64, "pread64" },
	{ SYS_pwrite64, "pwrite64" }, { SYS_openat, "openat" },
	{ SYS_close, "close" }, { SYS_fsync, "fsync" },
	{ SYS_fdatasync, "fdatasync" }, { SYS_sync, "sync" },
	{ SYS_ioctl, "ioctl" }, { SYS_futex, "futex" },
	{ SYS_ppoll, "ppoll" }, { SYS_pselect6, "pselect6" },
	{ SYS_epoll_pwait, "epoll_pwait" }, { SYS_wait4, "wait4" },
	{ SYS_waitid, "waitid" }, { SYS_nanosleep, "nanosleep" },
	{ SYS_clock_nanosleep, "clock_nanosleep" },
	{ SYS_rt_sigsuspend, "rt_sigsuspend" },
	{ SYS_rt_sigtimedwait, "rt_sigtimedwait" },
	{ SYS_accept4, "accept4" }, { SYS_accept, "accept" },
	{ SYS_recvfrom, "recvfrom" }, { SYS_recvmsg, "recvmsg" },
	{ SYS_sendto, "sendto" }, { SYS_sendmsg, "sendmsg" },
	{ SYS_connect, "connect" }, { SYS_flock, "flock" },
	{ SYS_fcntl, "fcntl" }, { SYS_msgrcv, "msgrcv" },
	{ SYS_semtimedop, "semtimedop" }, { SYS_io_getevents, "io_getevents" },
	{ SYS_io_uring_enter, "io_uring_enter" }, { SYS_exit_group, "exit_group" },
	{ SYS_execve, "execve" }, { SYS_mount, "mount" }, { SYS_umount2, "umount2" },
	{ SYS_unlinkat, "unlinkat" }, { SYS_renameat2, "renameat2" },
	{ SYS_mkdirat, "mkdirat" }, { SYS_newfstatat, "newfstatat" },
	{ SYS_statx, "statx" }, { SYS_getdents64, "getdents64" },
	{ SYS_clone, "clone" }, { SYS_clone3, "clone3" },
#ifdef SYS_pause
	{ SYS_pause, "pause" }, { SYS_vfork, "vfork" },
#endif
#ifdef SYS_poll
	{ SYS_poll, "poll" }, { SYS_select, "select" },
	{ SYS_epoll_wait, "epoll_wait" }, { SYS_open, "open" },
	{ SYS_stat, "stat" }, { SYS_lstat, "lstat" }, { SYS_unlink, "unlink" },
	{ SYS_rename, "rename" }, { SYS_mkdir, "mkdir" },
#endif
};

const char *proc_syscall_name(long nr)
{
	for (size_t i = 0; i < sizeof syscall_names / sizeof syscall_names[0]; i++)
		if (syscall_names[i].nr == nr)
			return syscall_names[i].name;
	return NULL;
}

/* ---- reading a process ----------------------------------------------------- */

static int read_status(const char *root, int pid, int tid, struct proc_status *st)
{
	char *buf = malloc(STATUS_CAP);
	long n;
	int err;

	if (!buf)
		return PROC_NOMEM;
	n = read_pid_file(root, pid, tid, "status", buf, STATUS_CAP);
	if (n < 0)
		err = (int)n;
	else if (n == 0)
		err = PROC_GONE;	/* a task that died as it was read */
	else
		err = proc_parse_status(buf, st);
	free(buf);
	return err;
}

static int read_stat(const char *root, int pid, int tid, struct proc_stat *st)
{
	char buf[STAT_CAP];
	long n = read_pid_file(root, pid, tid, "stat", buf, sizeof buf);

	if (n < 0)
		return (int)n;
	if (n == 0)
		return PROC_GONE;
	return proc_parse_stat(buf, st);
}

static void read_comm(const char *root, int pid, char *out, size_t cap)
{
	struct proc_stat st;

	out[0] = '\0';
	if (pid > 0 && read_stat(root, pid, 0, &st) == PROC_OK)
		copy_value(out, cap, st.comm);
}

/* "[<0>] do_wait+0x53/0x120" lines: the function names, innermost
 * first, separated by ' ', cut at a whole name (fs/proc/base.c
 * proc_pid_stack; root only). */
void proc_parse_stack(const char *text, char *out, size_t cap)
{
	size_t len = 0;

	out[0] = '\0';
	for (const char *line = text; line && *line; line = strchr(line, '\n'), line += !!line) {
		const char *name = strchr(line, ']');
		size_t n;

		if (!name || (strchr(line, '\n') && name > strchr(line, '\n')))
			continue;
		name += strspn(name + 1, " ") + 1;
		n = strcspn(name, "+ \n");
		if (n == 0 || len + n + 2 > cap)
			break;
		if (len)
			out[len++] = ' ';
		memcpy(out + len, name, n);
		len += n;
		out[len] = '\0';
	}
}

static void read_stack(const char *root, int pid, int tid, struct proc_thread *t)
{
	char buf[2048];
	long n = read_pid_file(root, pid, tid, "stack", buf, sizeof buf);

	t->stack_err = n < 0 ? (int)n : PROC_OK;
	t->stack[0] = '\0';
	if (n > 0)
		proc_parse_stack(buf, t->stack, sizeof t->stack);
}

/* Where the thread sleeps: its wait channel and its system call.  Both
 * files need ptrace access to the task (PTRACE_MODE_READ), so for others'
 * processes they usually fail with EACCES. */
static void read_wait(const char *root, int pid, struct proc_thread *t)
{
	char buf[SMALL_CAP];
	int tid = t->tid == pid ? 0 : t->tid;
	long n;

	n = read_pid_file(root, pid, tid, "wchan", buf, sizeof buf);
	t->wchan_err = n < 0 ? (int)n : PROC_OK;
	if (n > 0 && strcmp(buf, "0") != 0)
		copy_value(t->wchan, sizeof t->wchan, buf);
	n = read_pid_file(root, pid, tid, "syscall", buf, sizeof buf);
	t->syscall_err = n < 0 ? (int)n : PROC_OK;
	t->syscall = n > 0 ? proc_parse_syscall(buf) : PROC_SYSCALL_UNKNOWN;
	read_stack(root, pid, tid, t);
}

static void thread_from_status(struct proc_thread *t, int tid, const struct proc_status *st)
{
	*t = (struct proc_thread){ .tid = tid, .state = st->state, .sigpnd = st->sigpnd,
				   .sigblk = st->sigblk, .tracer_pid = st->tracer_pid,
				   .syscall = PROC_SYSCALL_UNKNOWN,
				   .wchan_err = PROC_IO, .syscall_err = PROC_IO,
				   .stack_err = PROC_IO };
	copy_value(t->comm, sizeof t->comm, st->name);
}

static int add_thread(struct proc_process *p, size_t *cap, const struct proc_thread *t)
{
	if (p->nthreads == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		struct proc_thread *nt = realloc(p->threads, ncap * sizeof *nt);

		if (!nt)
			return PROC_NOMEM;
		p->threads = nt;
		*cap = ncap;
	}
	p->threads[p->nthreads++] = *t;
	return PROC_OK;
}

/* The other threads, in the order the task directory lists them. */
static int read_threads(const char *root, int pid, struct proc_process *p, size_t *cap)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int err = PROC_OK;

	if (snprintf(path, sizeof path, "%s/%d/task", root, pid) >= (int)sizeof path)
		return PROC_IO;
	d = opendir(path);
	if (!d)
		return errno_to_proc(errno);
	while (err == PROC_OK && (de = readdir(d)) != NULL) {
		struct proc_status st;
		struct proc_thread t;
		int tid;

		if (!parse_int(de->d_name, NULL, &tid) || tid <= 0 || tid == pid)
			continue;
		if (read_status(root, pid, tid, &st) != PROC_OK)
			continue;	/* the thread exited, or its file is bad */
		thread_from_status(&t, tid, &st);
		read_wait(root, pid, &t);
		err = add_thread(p, cap, &t);
	}
	closedir(d);
	return err;
}

static void read_parent(const char *root, int ppid, struct proc_parent *out)
{
	struct proc_status st;

	*out = (struct proc_parent){ 0 };
	if (ppid <= 0 || read_status(root, ppid, 0, &st) != PROC_OK)
		return;
	*out = (struct proc_parent){ .known = true, .sigign = st.sigign, .sigcgt = st.sigcgt,
				     .sigblk = st.sigblk, .ns_pid = st.pid, .nspid_count = 1 };
	if ((st.have & PS_NSPID) && st.nspid_count > 0) {
		out->ns_pid = st.nspid[st.nspid_count - 1];
		out->nspid_count = st.nspid_count;
	}
}

/* The processes whose parent is pid: every stat under root, as ps(1)
 * finds them (/proc/PID/task/TID/children needs CONFIG_PROC_CHILDREN). */
static void read_children(const char *root, int pid, struct proc_process *out)
{
	int *pids;
	size_t n;

	out->nchildren = out->nchildren_all = 0;
	if (proc_list_pids(root, &pids, &n) != PROC_OK)
		return;
	for (size_t i = 0; i < n; i++) {
		struct proc_stat st;
		struct proc_child *c;

		if (pids[i] == pid || read_stat(root, pids[i], 0, &st) != PROC_OK || st.ppid != pid)
			continue;
		if (out->nchildren_all++ >= PROC_CHILDREN_MAX)
			continue;
		c = &out->children[out->nchildren++];
		c->pid = pids[i];
		c->state = st.state;
		copy_value(c->comm, sizeof c->comm, st.comm);
	}
	free(pids);
}

int proc_read_process(const char *root, int pid, bool threads, struct proc_process *out)
{
	struct proc_thread leader;
	size_t cap = 0;
	int err;

	*out = (struct proc_process){ 0 };
	if (pid <= 0)
		return PROC_GONE;
	err = read_status(root, pid, 0, &out->status);
	if (err)
		return err;
	err = read_stat(root, pid, 0, &out->stat);
	if (err)
		return err;
	thread_from_status(&leader, pid, &out->status);
	if (threads)
		read_wait(root, pid, &leader);
	err = add_thread(out, &cap, &leader);
	if (!err && threads) {
		err = read_threads(root, pid, out, &cap);
		if (err == PROC_GONE || err == PROC_DENIED)
			err = PROC_OK;	/* the leader is all we could see */
	}
	if (err) {
		proc_process_free(out);
		return err;
	}
	out->parent_pid = (out->status.have & PS_PPID) ? out->status.ppid : out->stat.ppid;
	read_comm(root, out->parent_pid, out->parent_comm, sizeof out->parent_comm);
	read_comm(root, out->status.tracer_pid, out->tracer_comm, sizeof out->tracer_comm);
	if (threads) {
		read_parent(root, out->parent_pid, &out->parent);
		read_children(root, pid, out);
	}
	return PROC_OK;
}

int proc_process_from_text(const char *status, const char *stat, struct proc_process *out)
{
	struct proc_thread t;
	size_t cap = 0;
	int err;

	*out = (struct proc_process){ 0 };
	err = proc_parse_status(status, &out->status);
	if (!err)
		err = proc_parse_stat(stat, &out->stat);
	if (err)
		return err;
	thread_from_status(&t, out->status.pid ? out->status.pid : out->stat.pid, &out->status);
	err = add_thread(out, &cap, &t);
	out->parent_pid = out->stat.ppid;
	return err;
}

void proc_process_free(struct proc_process *p)
{
	free(p->threads);
	p->threads = NULL;
	p->nthreads = 0;
}

int proc_thread_count(const struct proc_process *p)
{
	if ((p->status.have & PS_THREADS) && p->status.threads > 0)
		return p->status.threads;
	return (int)p->nthreads;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int proc_list_pids(const char *root, int **pids, size_t *n)
{
	DIR *d = opendir(root);
	struct dirent *de;
	int *v = NULL;
	size_t len = 0, cap = 0;

	*pids = NULL;
	*n = 0;
	if (!d)
		return errno_to_proc(errno);
	while ((de = readdir(d)) != NULL) {
		int pid;

		if (!isdigit((unsigned char)de->d_name[0]) || !parse_int(de->d_name, NULL, &pid) ||
		    pid <= 0)
			continue;
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			int *nv = realloc(v, ncap * sizeof *nv);

			if (!nv) {
				free(v);
				closedir(d);
				return PROC_NOMEM;
			}
			v = nv;
			cap = ncap;
		}
		v[len++] = pid;
	}
	closedir(d);
	qsort(v, len, sizeof *v, cmp_int);
	*pids = v;
	*n = len;
	return PROC_OK;
}

/* One member of the group keeps it from being orphaned when its parent is
 * in another group of the same session; dead members and children of the
 * global init do not count (will_become_orphaned_pgrp). */
int proc_pgrp_orphaned(const char *root, int pgrp)
{
	int *pids;
	size_t n;
	int orphaned = 1;

	if (proc_list_pids(root, &pids, &n) != PROC_OK)
		return -1;
	for (size_t i = 0; i < n && orphaned; i++) {
		struct proc_stat st, parent;

		if (read_stat(root, pids[i], 0, &st) != PROC_OK || st.pgrp != pgrp ||
		    st.state == 'Z' || st.state == 'X' || st.ppid <= 1)
			continue;
		if (read_stat(root, st.ppid, 0, &parent) != PROC_OK)
			continue;
		if (parent.pgrp != pgrp && parent.session == st.session)
			orphaned = 0;
	}
	free(pids);
	return orphaned;
}

int proc_read_self(const char *root, struct proc_self *out)
{
	char buf[SMALL_CAP], path[PATH_MAX];
	struct proc_status st;
	char *status = malloc(STATUS_CAP);
	long n;

	*out = (struct proc_self){ .uid = (uint32_t)getuid(), .euid = (uint32_t)geteuid(),
				   .sid = (int)getsid(0), .nspid_count = 1, .root_pidns = -1 };
	if (!status)
		return PROC_NOMEM;
	n = read_pid_file(root, (int)getpid(), 0, "status", status, STATUS_CAP);
	if (n > 0) {
		const char *cap = strstr(status, "\nCapEff:");
		uint64_t eff;

		proc_parse_status(status, &st);
		if (st.have & PS_NSPID)
			out->nspid_count = st.nspid_count;
		if (cap && parse_mask(cap + 8 + strspn(cap + 8, " \t"), &eff))
			out->cap_kill = eff & (1u << 5);	/* CAP_KILL */
	}
	free(status);
	if (snprintf(path, sizeof path, "%s/self/ns/pid", root) < (int)sizeof path) {
		ssize_t len = readlink(path, buf, sizeof buf - 1);
		unsigned long ino;

		if (len > 0) {
			buf[len] = '\0';
			if (sscanf(buf, "pid:[%lu]", &ino) == 1)
				out->root_pidns = ino == PROC_PID_INIT_INO;
		}
	}
	return n > 0 ? PROC_OK : (int)(n < 0 ? n : PROC_BAD);
}
