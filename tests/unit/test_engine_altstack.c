/* The alternate signal stack (kernel/signal.c do_sigaltstack,
 * arch/x86/kernel/signal.c get_sigframe).  "checked on Linux 6.18": run on
 * the real kernel (a small C program, and tests/scenarios/altstack-rules,
 * examples/altstack-overflow through `siglab diff`; the host's
 * AT_MINSIGSTKSZ is 3376, the model's default frame 3248 + red zone). */
#include "helpers.h"

TEST_SUITE_FX(altstack);

#define BASE ((uint64_t)0x10000000)

static long set_stack(int tid, uint64_t size, uint32_t flags)
{
	struct sl_stack ss = { .sp = BASE, .size = size, .flags = flags };
	long r = sl_sys_sigaltstack(K, tid, &ss, NULL);

	CHECK();
	return r;
}

static struct sl_stack query(int tid)
{
	struct sl_stack old = { 0 };

	cr_assert_eq(sl_sys_sigaltstack(K, tid, NULL, &old), 0);
	return old;
}

/* checked on Linux 6.18: 2047 bytes fail with ENOMEM, MINSIGSTKSZ (2048)
 * is accepted. */
Test(altstack, a_stack_below_minsigstksz_fails_with_enomem)
{
	int a = proc(0, 0);

	cr_assert_eq(set_stack(a, 2047, 0), -SL_ENOMEM);
	cr_assert_eq(set_stack(a, 2048, 0), 0);
	cr_assert_eq(query(a).size, 2048);
}

/* checked on Linux 6.18: a frame that does not fit the alternate stack is
 * not written; the kernel forces SIGSEGV, which kills. */
Test(altstack, a_frame_that_does_not_fit_forces_sigsegv)
{
	int a = proc(0, 0);

	cr_assert_eq(set_stack(a, 2048, 0), 0);
	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, SL_SA_ONSTACK, 0), 0);
	cr_assert_eq(tkill_(a, a, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_EXITED);
	CHECK();
	cr_assert_eq(info_of(a).exit_code, SL_SIGSEGV);
	cr_assert_eq(rec_count(&REC, SL_EV_HANDLER, SL_SIGUSR1), 0);
	cr_assert_eq(rec_nth(&REC, SL_EV_GENERATE, SL_SIGSEGV, 0)->info.code, SL_SI_KERNEL);
}

/* checked on Linux 6.18: inside an SA_ONSTACK handler the stack reads
 * SS_ONSTACK and cannot be changed (EPERM); after sigreturn it reads 0. */
Test(altstack, a_handler_on_the_stack_sees_ss_onstack_and_cannot_change_it)
{
	int a = proc(0, 0);
	struct sl_ksignal ks;

	cr_assert_eq(set_stack(a, 65536, 0), 0);
	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, SL_SA_ONSTACK, 0), 0);
	cr_assert_eq(tkill_(a, a, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(a, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(query(a).flags, SL_SS_ONSTACK);
	cr_assert_eq(set_stack(a, 16384, 0), -SL_EPERM);
	cr_assert_eq(sl_sys_rt_sigreturn(K, a), 0);
	CHECK();
	cr_assert_eq(query(a).flags, 0);
	cr_assert_eq(query(a).size, 65536);
}

/* checked on Linux 6.18: with SS_AUTODISARM the stack is disabled while
 * the handler runs (it may set another), and sigreturn restores it. */
Test(altstack, ss_autodisarm_disables_the_stack_in_the_handler_until_sigreturn)
{
	int a = proc(0, 0);

	cr_assert_eq(set_stack(a, 65536, SL_SS_AUTODISARM), 0);
	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, SL_SA_ONSTACK, 0), 0);
	cr_assert_eq(tkill_(a, a, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_HANDLER);
	cr_assert_eq(query(a).flags, SL_SS_DISABLE);
	cr_assert_eq(query(a).size, 0);
	cr_assert_eq(set_stack(a, 16384, 0), 0);
	cr_assert_eq(sl_sys_rt_sigreturn(K, a), 0);
	CHECK();
	cr_assert_eq(query(a).flags, SL_SS_AUTODISARM);
	cr_assert_eq(query(a).size, 65536);
}

/* checked on Linux 6.18: SS_DISABLE reads back as SS_DISABLE, size 0; an
 * SA_ONSTACK handler then runs on the normal stack. */
Test(altstack, a_disabled_stack_leaves_sa_onstack_handlers_on_the_normal_stack)
{
	int a = proc(0, 0);
	struct sl_stack off = { .flags = SL_SS_DISABLE };

	cr_assert_eq(set_stack(a, 2048, 0), 0);
	cr_assert_eq(sl_sys_sigaltstack(K, a, &off, NULL), 0);
	cr_assert_eq(query(a).flags, SL_SS_DISABLE);
	cr_assert_eq(query(a).size, 0);
	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, SL_SA_ONSTACK, 0), 0);
	cr_assert_eq(tkill_(a, a, SL_SIGUSR1), 0);
	cr_assert_eq(drain(a, NULL, 0, NULL), 1);
	CHECK();
	cr_assert_eq(info_of(a).state, SL_TASK_RUNNING);
}
