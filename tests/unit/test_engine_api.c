/*
 * The embedding API's entry checks (docs/api.md): a system call made for
 * a task that cannot make one — no such tid (0, negative, past the table,
 * huge), a zombie, a released thread, a stopped or sleeping task — returns
 * -ESRCH and changes nothing, which the kernel digest (every structure's
 * contents) shows.  A NULL kernel is a misuse, caught by SL_ASSERT in
 * debug builds, not an errno, so it is not called here.
 */
#include <limits.h>
#include <string.h>

#include "helpers.h"

TEST_SUITE_FX(api);

/* FNV-1a over everything sl_kernel_digest reads. */
static void put_fnv(void *ud, const void *p, size_t n)
{
	uint64_t *h = ud;

	for (size_t i = 0; i < n; i++)
		*h = (*h ^ ((const unsigned char *)p)[i]) * 0x100000001b3ull;
}

static uint64_t digest(void)
{
	uint64_t h = 0xcbf29ce484222325ull;

	sl_kernel_digest(K, put_fnv, &h);
	return h;
}

/* Every call that takes a caller, made for `c`, with arguments that
 * would succeed for a running task (sl_sys_clone_finish completes a call
 * already begun, which a task need not be running to do: not here). */
static void expect_esrch_everywhere(int c, int other)
{
	struct sl_sigaction act = { .handler = 17 };
	sl_sigset set = SET(SL_SIGUSR1), out;
	struct sl_siginfo info = { .signo = SL_SIGUSR1, .code = SL_SI_QUEUE };
	struct sl_itimerspec its = { .value = 1000000 };
	struct sl_stack ss = { .sp = 0x10000, .size = 1 << 16 };
	sl_time rem;
	int status, o;
	const long r[] = {
		sl_sys_rt_sigaction(K, c, SL_SIGUSR1, &act, NULL),
		sl_sys_signal(K, c, SL_SIGUSR1, 17),
		sl_sys_rt_sigprocmask(K, c, SL_SIG_BLOCK, &set, NULL),
		sl_sys_sgetmask(K, c),
		sl_sys_ssetmask(K, c, 0),
		sl_sys_rt_sigpending(K, c, &out),
		sl_sys_kill(K, c, other, SL_SIGUSR1),
		sl_sys_tkill(K, c, other, SL_SIGUSR1),
		sl_sys_tgkill(K, c, other, other, SL_SIGUSR1),
		sl_sys_rt_sigqueueinfo(K, c, other, SL_SIGUSR1, &info),
		sl_sys_rt_tgsigqueueinfo(K, c, other, other, SL_SIGUSR1, &info),
		sl_sys_pidfd_open(K, c, other, 0),
		sl_sys_pidfd_send_signal(K, c, 3, SL_SIGUSR1, NULL, 0),
		sl_fault(K, c, SL_SIGSEGV, 1, 0),
		sl_sys_rt_sigreturn(K, c),
		sl_user_longjmp(K, c, true),
		sl_sys_clone_thread(K, c),
		sl_sys_fork(K, c),
		sl_sys_clone(K, c, 0, SL_SIGCHLD),
		sl_sys_clone_begin(K, c, 0, SL_SIGCHLD),
		sl_sys_execve(K, c),
		sl_sys_wait4(K, c, -1, &status, SL_WNOHANG),
		sl_sys_setpgid(K, c, 0, 0),
		sl_sys_getpgid(K, c, 0),
		sl_sys_setsid(K, c),
		sl_sys_getsid(K, c, 0),
		sl_sys_getppid(K, c),
		sl_sys_prctl(K, c, SL_PR_GET_PDEATHSIG, 0, &o),
		sl_sys_pause(K, c),
		sl_sys_rt_sigsuspend(K, c, &set),
		sl_sys_rt_sigtimedwait(K, c, &set, &info, NULL),
		sl_sys_nanosleep(K, c, 1000000, &rem),
		sl_sys_read(K, c, 0, 1),
		sl_sys_write(K, c, 0, 1),
		sl_sys_wait_event(K, c, 1, SL_SLEEP_INTERRUPTIBLE),
		sl_sys_alarm(K, c, 1),
		sl_sys_setitimer(K, c, SL_ITIMER_REAL, &its, NULL),
		sl_sys_getitimer(K, c, SL_ITIMER_REAL, &its),
		sl_sys_timer_create(K, c, SL_SIGUSR1, 0),
		sl_sys_timer_settime(K, c, 0, &its, NULL),
		sl_sys_timer_gettime(K, c, 0, &its),
		sl_sys_timer_getoverrun(K, c, 0),
		sl_sys_timer_delete(K, c, 0),
		sl_sys_sigaltstack(K, c, &ss, NULL),
		sl_sys_signalfd(K, c, -1, &set),
		sl_sys_read_signalfd(K, c, 3, &info),
		sl_sys_ptrace(K, c, SL_PTRACE_ATTACH, other, 0, 0),
	};

	for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
		cr_assert_eq(r[i], -SL_ESRCH, "call %zu for tid %d: %ld", i, c, r[i]);
}

Test(api, every_call_for_a_tid_no_task_has_is_esrch_and_changes_nothing)
{
	static const int bad[] = { 0, -1, -2, 4096, 1 << 20, INT_MAX, INT_MIN };
	int b = proc(0, 0);
	uint64_t before = digest();

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct sl_task_info ti;
		struct sl_ksignal ks;

		expect_esrch_everywhere(bad[i], b);
		cr_assert_eq(sl_return_to_user(K, bad[i], &ks), SL_DELIVER_EXITED);
		/* The fork's second half, not an entry: ESRCH only for no task. */
		cr_assert_eq(sl_sys_clone_finish(K, bad[i]), -SL_ESRCH);
		cr_assert(!sl_task_has_work(K, bad[i]));
		cr_assert(!sl_task_exists(K, bad[i]));
		cr_assert_eq(sl_task_info(K, bad[i], &ti), -SL_ESRCH);
		cr_assert_eq(sl_kthread_allow_signal(K, bad[i], SL_SIGTERM), -SL_ESRCH);
		cr_assert_eq(digest(), before, "tid %d changed the kernel", bad[i]);
	}
	CHECK();
}

/* A task that exists but is not running in user mode cannot make a call
 * either: a sleeper, a stopped task, a zombie, a released thread. */
Test(api, every_call_for_a_task_not_in_user_mode_is_esrch_and_changes_nothing)
{
	int sleeper = proc(0, 0), stopped = proc(0, 0), zombie = proc(0, 0);
	int lead = proc(0, 0), gone = thread(lead);
	uint64_t before;

	cr_assert_eq(sl_sys_pause(K, sleeper), SL_SYSCALL_BLOCKED);
	cr_assert_eq(kill_(lead, stopped, SL_SIGSTOP), 0);
	cr_assert_eq(ret_user(stopped, NULL), SL_DELIVER_STOPPED);
	cr_assert_eq(sl_sys_exit_group(K, zombie, 0), 0);
	cr_assert_eq(sl_sys_exit(K, gone, 0), 0);
	CHECK();
	before = digest();
	expect_esrch_everywhere(sleeper, lead);
	expect_esrch_everywhere(stopped, lead);
	expect_esrch_everywhere(zombie, lead);
	expect_esrch_everywhere(gone, lead);
	cr_assert_eq(digest(), before);
	CHECK();
}
