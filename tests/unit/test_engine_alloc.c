/*
 * Fault injection: the same sequence of operations with the Nth allocation
 * failing, for every N until a run sees no failure.  After each operation
 * the state is consistent (sl_check), each result is one Linux can give for
 * that call, and freeing the kernel returns every byte.
 *
 * What Linux does when memory runs out: kill() never fails for it (the
 * signal is set without its siginfo, result 4 lose_info); an RT signal
 * from sigqueue fails with EAGAIN (result 3), as for RLIMIT_SIGPENDING;
 * fork/clone fail with ENOMEM (kernel/signal.c __send_signal_locked,
 * kernel/fork.c).  The model's one addition: the first sigaction of a
 * process that shares the default dispositions may fail with ENOMEM
 * (copy-on-write, src/engine/sighand.c).
 */
#include "helpers.h"

TestSuite(alloc, .fini = fx_teardown);

/* Static, so that the teardown can still free a kernel that uses it after
 * a failed assertion. */
static struct failalloc fa;

static void expect_one_of(long r, long a, long b, const char *what)
{
	cr_assert(r == a || r == b, "%s: %ld (want %ld or %ld)", what, r, a, b);
}

/* Returns false when a step could not go on (a task was not created, or
 * died for want of memory for a signal frame). */
static bool run_ops(void)
{
	int p, c, t;
	long r;

	p = sl_spawn(K, &(struct sl_spawn){ .kind = SL_SPAWN_PROCESS, .uid = 1000 });
	CHECK();
	if (p < 0) {
		cr_assert_eq(p, -SL_ENOMEM);
		return false;
	}
	c = (int)sl_sys_fork(K, p);
	CHECK();
	if (c < 0) {
		cr_assert_eq(c, -SL_ENOMEM);
		return false;
	}
	t = (int)sl_sys_clone_thread(K, c);
	CHECK();
	if (t < 0) {
		cr_assert_eq(t, -SL_ENOMEM);
		return false;
	}
	/* A pid namespace: its allocation can fail after the namespace
	 * list grew, which must still be freed with its true size. */
	r = sl_spawn(K, &(struct sl_spawn){ .kind = SL_SPAWN_NS_INIT, .parent = p });
	CHECK();
	if (r < 0) {
		cr_assert_eq(r, -SL_ENOMEM);
		return false;
	}
	/* The first change of a process's dispositions copies the default
	 * ones it shares (DEVIATION in sighand.c: ENOMEM); then no more. */
	r = set_action(c, SL_SIGUSR1, H1, SL_SA_SIGINFO, 0);
	CHECK();
	if (r < 0) {
		cr_assert_eq(r, -SL_ENOMEM);
		return false;
	}
	cr_assert_eq(set_action(c, SL_SIGRTMIN + 1, H1, SL_SA_SIGINFO, 0), 0);
	/* The same for the first change of a resource limit (DEVIATION in
	 * rlimit.c); a fork copies the limits then (ENOMEM, as Linux's). */
	r = sl_sys_prlimit64(K, p, 0, SL_RLIMIT_CORE, &(struct sl_rlimit){ 4096, 4096 }, NULL);
	CHECK();
	if (r < 0) {
		cr_assert_eq(r, -SL_ENOMEM);
		return false;
	}
	r = sl_sys_fork(K, p);
	CHECK();
	if (r < 0) {
		cr_assert_eq(r, -SL_ENOMEM);
		return false;
	}
	/* A task's first blocking call allocates its call state (DEVIATION
	 * in sleep.c: ENOMEM); then none. */
	r = sl_sys_rt_sigtimedwait(K, p, &(sl_sigset){ SET(SL_SIGUSR2) }, NULL, &(sl_time){ 0 });
	CHECK();
	if (r == -SL_ENOMEM)
		return false;
	cr_assert_eq(r, -SL_EAGAIN);
	cr_assert_eq(sl_sys_rt_sigtimedwait(K, p, &(sl_sigset){ SET(SL_SIGUSR2) }, NULL,
					    &(sl_time){ 0 }), -SL_EAGAIN);
	cr_assert_eq(mask_op(c, SL_SIG_BLOCK, SET(SL_SIGUSR1, SL_SIGRTMIN + 1)), 0);
	cr_assert_eq(mask_op(t, SL_SIG_BLOCK, SET(SL_SIGUSR1, SL_SIGRTMIN + 1)), 0);
	for (int i = 0; i < 4; i++) {
		r = sigqueue_(p, c, SL_SIGRTMIN + 1, SL_SI_QUEUE, (uint64_t)i);
		expect_one_of(r, 0, -SL_EAGAIN, "sigqueue RT");
		if (r == -SL_EAGAIN)
			cr_assert_eq(rec_last(&REC, SL_EV_GENERATE)->result, SL_TRACE_OVERFLOW_FAIL);
	}
	cr_assert_eq(kill_(p, c, SL_SIGUSR1), 0, "kill never fails for memory");
	cr_assert_eq(kill_(p, c, SL_SIGRTMIN + 1), 0);
	cr_assert_eq(tkill_(p, t, SL_SIGUSR1), 0);
	cr_assert(sigpending_of(c) & SET(SL_SIGUSR1));
	cr_assert(sigpending_of(c) & SET(SL_SIGRTMIN + 1));
	r = sl_sys_pidfd_open(K, p, c, 0);
	CHECK();
	cr_assert(r >= 0 || r == -SL_ENOMEM, "pidfd_open: %ld", r);
	cr_assert_eq(mask_op(c, SL_SIG_SETMASK, 0), 0);
	for (int guard = 0; guard < 16; guard++) {
		long before = fa.failures;
		enum sl_delivery d = ret_user(c, NULL);

		if (d == SL_DELIVER_EXITED) {
			/* The engine turns a frame it cannot allocate into the
			 * SIGSEGV Linux forces when a frame cannot be written
			 * (signal_setup_done -> force_sigsegv).  Only then. */
			cr_assert_gt(fa.failures, before, "died without a failed allocation");
			cr_assert_eq(info_of(c).exit_code, SL_SIGSEGV);
			return false;
		}
		if (d != SL_DELIVER_HANDLER)
			break;
		cr_assert_eq(sl_sys_rt_sigreturn(K, c), 0);
		CHECK();
	}
	cr_assert_eq(sigpending_of(c), 0);
	cr_assert_eq(kill_(p, c, SL_SIGTERM), 0);
	(void)ret_user(c, NULL);
	(void)ret_user(t, NULL);
	cr_assert_eq(sl_sys_exit(K, p, 0), 0);
	CHECK();
	return true;
}

Test(alloc, every_failed_allocation_leaves_a_consistent_kernel)
{
	long n;

	for (n = 1; n < 10000; n++) {
		int err;

		fa = (struct failalloc){ .fail_at = n };
		err = fx_remake_alloc(0, 0, fail_alloc, &fa);

		if (err) {
			cr_assert_eq(err, -SL_ENOMEM);
			cr_assert_null(K);
		} else {
			CHECK();
			(void)run_ops();
		}
		sl_kernel_free(K);
		K = NULL;
		cr_assert_eq(fa.bad_osize, 0, "fail_at %ld: %ld wrong old sizes", n, fa.bad_osize);
		cr_assert_eq(fa.live_blocks, 0, "fail_at %ld: %ld blocks leaked", n, fa.live_blocks);
		cr_assert_eq(fa.live_bytes, 0, "fail_at %ld: %lld bytes leaked", n, fa.live_bytes);
		if (fa.failures == 0)
			break;
	}
	cr_assert_lt(n, 10000, "the operations never ran without a failure");
	cr_assert_gt(n, 3, "the engine allocates at all");
}

/* kill() with no memory for the siginfo: delivered, info lost (res=4). */
Test(alloc, kill_without_memory_loses_info_but_delivers)
{
	int a, b;
	struct sl_ksignal ks;

	fa = (struct failalloc){ 0 };
	cr_assert_eq(fx_remake_alloc(0, 0, fail_alloc, &fa), 0);
	a = proc(0, 0);
	b = proc(0, 0);
	cr_assert_eq(set_action(b, SL_SIGUSR1, H1, SL_SA_SIGINFO, 0), 0);
	cr_assert_eq(mask_op(b, SL_SIG_BLOCK, SET(SL_SIGUSR1)), 0);
	/* Prime the queue storage, so that the next allocation is the entry. */
	cr_assert_eq(tkill_(a, b, SL_SIGRTMIN), 0);
	fa.fail_at = fa.calls + 1;
	cr_assert_eq(kill_(a, b, SL_SIGUSR1), 0);
	if (fa.failures) {
		cr_assert_eq(rec_last(&REC, SL_EV_GENERATE)->result, SL_TRACE_LOSE_INFO);
		cr_assert_eq(mask_op(b, SL_SIG_UNBLOCK, SET(SL_SIGUSR1)), 0);
		cr_assert_eq(ret_user(b, &ks), SL_DELIVER_HANDLER);
		cr_assert_eq(ks.sig, SL_SIGUSR1);
		cr_assert_eq(ks.info.pid, 0, "no siginfo: a bare SI_USER");
	}
	fa.fail_at = 0;
}

/* sigqueue of an RT signal with no memory: EAGAIN, result 3. */
Test(alloc, sigqueue_without_memory_is_eagain)
{
	int a, b;

	fa = (struct failalloc){ 0 };
	cr_assert_eq(fx_remake_alloc(0, 0, fail_alloc, &fa), 0);
	a = proc(0, 0);
	b = proc(0, 0);
	cr_assert_eq(mask_op(b, SL_SIG_BLOCK, SET(SL_SIGRTMIN)), 0);
	cr_assert_eq(sigqueue_(a, b, SL_SIGRTMIN, SL_SI_QUEUE, 1), 0);
	fa.fail_at = fa.calls + 1;
	cr_assert_eq(sigqueue_(a, b, SL_SIGRTMIN, SL_SI_QUEUE, 2), -SL_EAGAIN);
	cr_assert_eq(fa.failures, 1);
	cr_assert_eq(rec_last(&REC, SL_EV_GENERATE)->result, SL_TRACE_OVERFLOW_FAIL);
	fa.fail_at = 0;
	cr_assert_eq(sigqueue_(a, b, SL_SIGRTMIN, SL_SI_QUEUE, 3), 0);
}
