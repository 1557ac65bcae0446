/* The engine API a runtime with real registers and real stacks needs
 * (siglab exec, docs/embedding.md): the user stack pointer, where the
 * frame goes, rt_sigreturn from the frame in user memory, a longjmp the
 * runtime never sees, a frame that cannot be written, and the restart
 * decision for a call the runtime ran itself.  Each rule is the kernel's
 * (arch/x86/kernel/signal.c get_sigframe, handle_signal,
 * arch_do_signal_or_restart; signal_64.c rt_sigreturn); tests/exec/ runs
 * the same on real programs against the real kernel. */
#include "helpers.h"

TEST_SUITE_FX(embed);

#define SP ((uint64_t)0x7ffd00001000)

static void remake_frames(uint64_t rt, uint64_t math)
{
	struct sl_config cfg = { .event = rec_sink, .event_ud = &REC, .seed = 1,
				 .sigframe_size = rt, .fpstate_size = math };

	sl_kernel_free(K);
	K = NULL;
	rec_clear(&REC);
	cr_assert_eq(sl_kernel_new(&cfg, &K), 0);
}

/* get_sigframe + fpu__alloc_mathframe: below the red zone, the xsave
 * area 64-byte aligned, then the rt_sigframe with sp % 16 == 8. */
Test(embed, the_frame_goes_below_the_real_stack_pointer_as_get_sigframe_places_it)
{
	struct sl_ksignal ks;
	int a;

	remake_frames(440, 2700);
	a = proc(0, 0);
	cr_assert_eq(sl_task_set_user_sp(K, a, SP + 3), 0);
	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, SL_SA_SIGINFO, 0), 0);
	cr_assert_eq(tkill_(a, a, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(a, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.fpstate, (SP + 3 - 128 - 2700) & ~(uint64_t)63);
	cr_assert_eq(ks.frame_sp, ((ks.fpstate - 440) & ~(uint64_t)15) - 8);
	cr_assert_eq(ks.frame_sp % 16, 8);
	cr_assert_eq(ks.uc_stack_flags, SL_SS_DISABLE);
	cr_assert_eq(ks.sys_nr, 0);
	CHECK();
}

/* rt_sigreturn restores the mask the handler left in uc_sigmask, less
 * SIGKILL and SIGSTOP, not the one the frame was built with. */
Test(embed, sigreturn_takes_the_mask_from_the_user_frame)
{
	struct sl_ksignal ks;
	struct sl_ucontext uc;
	int a = proc(0, 0);

	sl_task_set_user_sp(K, a, SP);
	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(tkill_(a, a, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(a, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(sl_task_set_user_sp(K, a, ks.frame_sp + 8), 0);
	uc = (struct sl_ucontext){ .sigmask = setof(3, SL_SIGUSR2, SL_SIGKILL, SL_SIGSTOP),
				   .sp = SP };
	cr_assert_eq(sl_sys_rt_sigreturn_user(K, a, &uc), 0);
	cr_assert_eq(blocked_of(a), setof(1, SL_SIGUSR2));
	cr_assert_eq(info_of(a).handler_depth, 0);
	cr_assert_eq(rec_count(&REC, SL_EV_SIGRETURN, SL_SIGUSR1), 1);
	CHECK();
}

/* A handler left by longjmp: the next system call shows a stack pointer
 * back above the interrupted context's red zone; the frame is gone and
 * the handler's mask stays (no SA_NODEFER: SIGFPE still blocked). */
Test(embed, a_stack_pointer_back_above_the_frame_drops_it_as_a_longjmp)
{
	struct sl_ksignal ks;
	int a = proc(0, 0);

	sl_task_set_user_sp(K, a, SP);
	cr_assert_eq(set_action(a, SL_SIGFPE, H1, 0, 0), 0);
	cr_assert_eq(sl_fault(K, a, SL_SIGFPE, SL_FPE_INTDIV, 0x401000), 0);
	cr_assert_eq(ret_user(a, &ks), SL_DELIVER_HANDLER);
	/* a call inside the handler keeps the frame */
	cr_assert_eq(sl_task_set_user_sp(K, a, ks.frame_sp - 256), 0);
	cr_assert_eq(info_of(a).handler_depth, 1);
	/* back in main after longjmp */
	cr_assert_eq(sl_task_set_user_sp(K, a, SP), 1);
	cr_assert_eq(info_of(a).handler_depth, 0);
	cr_assert_eq(rec_count(&REC, SL_EV_LONGJMP, SL_SIGFPE), 1);
	cr_assert(blocked_of(a) & sl_sigmask(SL_SIGFPE));
	CHECK();
}

/* A frame on the alternate stack is left when the stack pointer leaves
 * the alternate stack; a nested frame on it stays while it runs there. */
Test(embed, an_alternate_stack_frame_is_left_when_the_sp_leaves_the_stack)
{
	struct sl_stack ss = { .sp = 0x10000000, .size = 65536 };
	struct sl_ksignal ks;
	int a = proc(0, 0);

	sl_task_set_user_sp(K, a, SP);
	cr_assert_eq(sl_sys_sigaltstack(K, a, &ss, NULL), 0);
	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, SL_SA_ONSTACK, 0), 0);
	cr_assert_eq(tkill_(a, a, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(a, &ks), SL_DELIVER_HANDLER);
	cr_assert(ks.frame_sp > ss.sp && ks.frame_sp < ss.sp + ss.size);
	cr_assert_eq(ks.uc_stack_sp, ss.sp);
	cr_assert_eq(ks.uc_stack_size, ss.size);
	cr_assert_eq(sl_task_set_user_sp(K, a, ks.frame_sp - 64), 0);
	cr_assert_eq(sl_task_set_user_sp(K, a, SP - 64), 1);
	CHECK();
}

/* signal_setup_done's failure: no frame, the old mask, and SIGSEGV. */
Test(embed, a_frame_that_cannot_be_written_is_undone_and_forces_sigsegv)
{
	struct sl_ksignal ks;
	int a = proc(0, 0);

	sl_task_set_user_sp(K, a, SP);
	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(tkill_(a, a, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(a, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(sl_signal_frame_failed(K, a), 0);
	cr_assert_eq(blocked_of(a), 0);
	cr_assert_eq(info_of(a).handler_depth, 0);
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_EXITED);
	cr_assert_eq(info_of(a).exit_code, SL_SIGSEGV);
	cr_assert_eq(sl_signal_frame_failed(K, proc(0, 0)), -SL_EINVAL);
	CHECK();
}

/* arch_do_signal_or_restart for a call the runtime ran (a read on a real
 * pipe): -ERESTARTSYS with a handler is -EINTR, with SA_RESTART a
 * rewound call; without a handler the restart code comes back as is. */
Test(embed, a_host_call_interrupted_for_a_handler_gets_the_restart_switch)
{
	struct sl_ksignal ks;
	int a = proc(0, 0);

	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(set_action(a, SL_SIGUSR2, H2, SL_SA_RESTART, 0), 0);
	cr_assert_eq(tkill_(a, a, SL_SIGUSR1), 0);
	cr_assert_eq(sl_syscall_interrupted(K, a, -SL_ERESTARTSYS), 0);
	cr_assert_eq(ret_user(a, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.sys_nr, SL_NR_HOST);
	cr_assert_eq(ks.sys_ret, -SL_EINTR);
	cr_assert_eq(sl_sys_rt_sigreturn(K, a), 0);
	cr_assert_eq(info_of(a).syscall, 0);

	cr_assert_eq(tkill_(a, a, SL_SIGUSR2), 0);
	cr_assert_eq(sl_syscall_interrupted(K, a, -SL_ERESTARTSYS), 0);
	cr_assert_eq(ret_user(a, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.sys_ret, -SL_ERESTARTNOINTR);
	cr_assert_eq(sl_sys_rt_sigreturn(K, a), 0);

	cr_assert_eq(set_action(a, SL_SIGUSR1, SL_SIG_IGN, 0, 0), 0);
	cr_assert_eq(tkill_(a, a, SL_SIGUSR1), 0);
	rec_clear(&REC);
	cr_assert_eq(sl_syscall_interrupted(K, a, -SL_ERESTART_RESTARTBLOCK), 0);
	cr_assert_eq(ret_user(a, NULL), SL_DELIVER_NONE);
	cr_assert_eq(returned(), -SL_ERESTART_RESTARTBLOCK);
	CHECK();
}

/* A model call a handler interrupts: the frame says what the interrupted
 * context holds (pause: -EINTR), and the value comes at sigreturn. */
Test(embed, a_model_call_under_a_frame_reports_its_value_in_the_frame)
{
	struct sl_ksignal ks;
	int a = proc(0, 0), b = proc(0, 0);

	cr_assert_eq(set_action(a, SL_SIGUSR1, H1, 0, 0), 0);
	cr_assert_eq(sl_sys_pause(K, a), SL_SYSCALL_BLOCKED);
	cr_assert_eq(kill_(b, a, SL_SIGUSR1), 0);
	cr_assert_eq(ret_user(a, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.sys_nr, SL_NR_PAUSE);
	cr_assert_eq(ks.sys_ret, -SL_EINTR);
	cr_assert_eq(sl_sys_rt_sigreturn(K, a), 0);
	cr_assert_eq(returned(), -SL_EINTR);
	CHECK();
}
