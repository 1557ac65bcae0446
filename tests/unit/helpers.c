/* Fixtures shared by the unit tests (see helpers.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "scenario/ast.h"

sl_kernel *K;
struct recorder REC;

void rec_sink(void *ud, const struct sl_event *ev)
{
	struct recorder *r = ud;

	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 64;
		struct sl_event *ev2 = realloc(r->ev, cap * sizeof *ev2);

		if (!ev2)
			abort();
		r->ev = ev2;
		r->cap = cap;
	}
	r->ev[r->n++] = *ev;
}

void rec_clear(struct recorder *r)
{
	r->n = 0;
}

void rec_free(struct recorder *r)
{
	free(r->ev);
	*r = (struct recorder){ 0 };
}

static bool rec_match(const struct sl_event *e, enum sl_event_kind kind, int sig)
{
	return e->kind == kind && (sig == 0 || e->sig == sig);
}

size_t rec_count(const struct recorder *r, enum sl_event_kind kind, int sig)
{
	size_t c = 0;

	for (size_t i = 0; i < r->n; i++)
		c += rec_match(&r->ev[i], kind, sig);
	return c;
}

const struct sl_event *rec_nth(const struct recorder *r, enum sl_event_kind kind,
			       int sig, size_t nth)
{
	for (size_t i = 0; i < r->n; i++)
		if (rec_match(&r->ev[i], kind, sig) && nth-- == 0)
			return &r->ev[i];
	return NULL;
}

const struct sl_event *rec_last(const struct recorder *r, enum sl_event_kind kind)
{
	for (size_t i = r->n; i > 0; i--)
		if (r->ev[i - 1].kind == kind)
			return &r->ev[i - 1];
	return NULL;
}

/* Counts only allocations that can fail (new blocks and growth), so that
 * fail_at names the same allocation from one run to the next. */
/* Every block carries its true size in a header, so that the osize the
 * engine passes back is checked: a wrong one is counted in bad_osize. */
#define FA_HEADER 16

void *fail_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct failalloc *fa = ud;
	unsigned char *base = ptr ? (unsigned char *)ptr - FA_HEADER : NULL;
	unsigned char *p;
	size_t truesize = 0;

	if (base) {
		memcpy(&truesize, base, sizeof truesize);
		if (truesize != osize)
			fa->bad_osize++;
	}
	if (nsize == 0) {
		if (ptr) {
			fa->live_blocks--;
			fa->live_bytes -= (long long)osize;
		}
		free(base);
		return NULL;
	}
	if (!ptr || nsize > osize) {
		fa->calls++;
		if (fa->fail_at && fa->calls == fa->fail_at) {
			fa->failures++;
			return NULL;
		}
	}
	p = realloc(base, nsize + FA_HEADER);
	if (!p)
		return NULL;
	memcpy(p, &nsize, sizeof nsize);
	if (!ptr) {
		fa->live_blocks++;
		fa->live_bytes += (long long)nsize;
	} else {
		fa->live_bytes += (long long)nsize - (long long)osize;
	}
	return p + FA_HEADER;
}

int fx_remake_alloc(unsigned what_if, uint64_t rlimit_sigpending,
		    sl_alloc_fn alloc, void *ud)
{
	struct sl_config cfg = {
		.alloc = alloc,
		.alloc_ud = ud,
		.event = rec_sink,
		.event_ud = &REC,
		.rlimit_sigpending = rlimit_sigpending,
		.what_if = what_if,
		.seed = 1,
	};

	sl_kernel_free(K);
	K = NULL;
	rec_clear(&REC);
	return sl_kernel_new(&cfg, &K);
}

void fx_remake(unsigned what_if, uint64_t rlimit_sigpending)
{
	int err = fx_remake_alloc(what_if, rlimit_sigpending, NULL, NULL);

	cr_assert_eq(err, 0, "sl_kernel_new: %d", err);
	cr_assert_not_null(K);
	CHECK();
}

void fx_setup(void)
{
	K = NULL;
	REC = (struct recorder){ 0 };
	fx_remake(0, 0);
}

void fx_teardown(void)
{
	sl_kernel_free(K);
	K = NULL;
	rec_free(&REC);
}

void check_at(const char *file, int line)
{
	const char *what = NULL;

	if (!K)
		return;
	if (sl_check(K, &what) != 0)
		cr_assert_fail("%s:%d: sl_check: %s", file, line, what ? what : "?");
}

int spawn_kind(enum sl_spawn_kind kind, int parent, uint32_t uid, int pgid, int sid)
{
	struct sl_spawn how = { .kind = kind, .parent = parent, .uid = uid,
				.pgid = pgid, .sid = sid };
	int tid = sl_spawn(K, &how);

	CHECK();
	cr_assert_gt(tid, 0, "sl_spawn: %d", tid);
	return tid;
}

int proc(int parent, uint32_t uid)
{
	return spawn_kind(SL_SPAWN_PROCESS, parent, uid, 0, 0);
}

int thread(int caller)
{
	int tid = (int)sl_sys_clone_thread(K, caller);

	CHECK();
	cr_assert_gt(tid, 0, "clone_thread: %d", tid);
	return tid;
}

long set_action(int tid, int sig, uint64_t handler, uint64_t flags, sl_sigset mask)
{
	struct sl_sigaction act = { .handler = handler, .flags = flags, .mask = mask };
	long r = sl_sys_rt_sigaction(K, tid, sig, &act, NULL);

	CHECK();
	return r;
}

struct sl_sigaction get_action(int tid, int sig)
{
	struct sl_sigaction o;
	long r;

	memset(&o, 0xa5, sizeof o);
	r = sl_sys_rt_sigaction(K, tid, sig, NULL, &o);
	CHECK();
	cr_assert_eq(r, 0, "rt_sigaction query of %d: %ld", sig, r);
	return o;
}

long mask_op(int tid, int how, sl_sigset set)
{
	long r = sl_sys_rt_sigprocmask(K, tid, how, &set, NULL);

	CHECK();
	return r;
}

struct sl_task_info info_of(int tid)
{
	struct sl_task_info ti;
	int r;

	memset(&ti, 0, sizeof ti);
	r = sl_task_info(K, tid, &ti);
	cr_assert_eq(r, 0, "sl_task_info(%d): %d", tid, r);
	return ti;
}

/* Read through sl_task_info, not a syscall: the task may be asleep or
 * stopped, and only a task in user mode makes syscalls. */
sl_sigset blocked_of(int tid)
{
	return info_of(tid).blocked;
}

/* What rt_sigpending would return: the pending signals it blocks. */
sl_sigset sigpending_of(int tid)
{
	struct sl_task_info ti = info_of(tid);

	return (ti.pending | ti.shared_pending) & ti.blocked;
}

long kill_(int caller, int pid, int sig)
{
	long r = sl_sys_kill(K, caller, pid, sig);

	CHECK();
	return r;
}

long tkill_(int caller, int tid, int sig)
{
	long r = sl_sys_tkill(K, caller, tid, sig);

	CHECK();
	return r;
}

long tgkill_(int caller, int tgid, int tid, int sig)
{
	long r = sl_sys_tgkill(K, caller, tgid, tid, sig);

	CHECK();
	return r;
}

long sigqueue_(int caller, int tgid, int sig, int code, uint64_t value)
{
	struct sl_siginfo si = { .signo = sig, .code = code, .pid = caller,
				 .value = value };
	long r = sl_sys_rt_sigqueueinfo(K, caller, tgid, sig, &si);

	CHECK();
	return r;
}

enum sl_delivery ret_user(int tid, struct sl_ksignal *out)
{
	struct sl_ksignal ks;
	enum sl_delivery d;

	memset(&ks, 0, sizeof ks);
	d = sl_return_to_user(K, tid, &ks);
	CHECK();
	if (out)
		*out = ks;
	return d;
}

int drain(int tid, int *sigs, int max, enum sl_delivery *last)
{
	int n = 0;
	enum sl_delivery d;

	for (int guard = 0; guard < 1000; guard++) {
		struct sl_ksignal ks;

		d = ret_user(tid, &ks);
		if (d != SL_DELIVER_HANDLER)
			break;
		if (n < max)
			sigs[n] = ks.sig;
		n++;
		cr_assert_eq(sl_sys_rt_sigreturn(K, tid), 0);
		CHECK();
	}
	if (last)
		*last = d;
	return n;
}

sl_sigset setof(int n, ...)
{
	va_list ap;
	sl_sigset s = 0;

	va_start(ap, n);
	for (int i = 0; i < n; i++)
		s |= sl_sigmask(va_arg(ap, int));
	va_end(ap);
	return s;
}

long returned(void)
{
	const struct sl_event *e = rec_last(&REC, SL_EV_SYSCALL_RETURN);

	cr_assert(e, "the call never returned to user space");
	return e->ret;
}

bool asleep(int tid)
{
	return info_of(tid).state == SL_TASK_SLEEPING;
}

int child(void)
{
	return proc(proc(0, 0), 0);
}

/* ---- scenarios ----------------------------------------------------------- */

struct scenario *parse_ok(const char *text)
{
	struct scenario *s = NULL;
	struct sc_diag d;
	int rc = sc_parse("t.scn", text, strlen(text), &s, &d);

	cr_assert_eq(rc, 0, "parse failed: %d:%d: %s", d.pos.line, d.pos.col, d.message);
	cr_assert_not_null(s);
	return s;
}

const char *parse_err_len(const char *text, size_t len)
{
	static char buf[400];
	struct scenario *s = (struct scenario *)1;
	struct sc_diag d;
	int rc = sc_parse("t.scn", text, len, &s, &d);

	cr_assert_eq(rc, -1, "parse of \"%s\" succeeded", text);
	cr_assert_null(s);
	snprintf(buf, sizeof buf, "%d:%d: %s", d.pos.line, d.pos.col, d.message);
	return buf;
}

const char *parse_err(const char *text)
{
	return parse_err_len(text, strlen(text));
}

/* ---- files ------------------------------------------------------------------ */

void put(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	cr_assert(f, "%s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
}

void rm_tree(const char *root)
{
	char cmd[600];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	cr_assert_eq(system(cmd), 0);
}

int spawn_waiting_child(void (*setup)(void *arg), void *arg)
{
	int ready[2];
	pid_t child;
	char c;

	cr_assert_eq(pipe(ready), 0);
	child = fork();
	cr_assert(child >= 0);
	if (child == 0) {
		alarm(20);	/* never outlive a broken test */
		if (setup)
			setup(arg);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	cr_assert_eq(read(ready[0], &c, 1), 1);
	close(ready[0]);
	return child;
}
