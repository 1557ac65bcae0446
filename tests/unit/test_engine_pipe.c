/* Pipes that close and the I/O signals of their ends (fs/pipe.c,
 * fs/fcntl.c).  Each behaviour was run on the real kernel through the
 * same scenario with `siglab diff` (tests/scenarios/pipe-eof,
 * pipe-sigpipe, pipe-fork-close, sigio-owner, sigio-setsig,
 * sigio-rt-overflow, sigio-perm, examples/yes-head). */
#include "helpers.h"

TEST_SUITE_FX(pipe);

/* A pipe only `a`'s process holds. */
static int own_pipe(int a)
{
	long p = sl_sys_pipe(K, a);

	cr_assert_geq(p, 0);
	return (int)p;
}

Test(pipe, a_read_with_no_writer_left_is_the_end_of_the_file)
{
	int a = proc(0, 0);
	int p = own_pipe(a);

	cr_assert_eq(sl_sys_write(K, a, p, 3), 3);
	cr_assert_eq(sl_sys_close_pipe(K, a, p, SL_PIPE_WRITE), 0);
	cr_assert_eq(sl_sys_read(K, a, p, 2), 2, "what is left is read first");
	cr_assert_eq(sl_sys_read(K, a, p, 2), 1);
	cr_assert_eq(sl_sys_read(K, a, p, 2), 0, "then EOF, without sleeping");
	cr_assert(!asleep(a));
	CHECK();
}

Test(pipe, the_last_writer_closing_wakes_a_sleeping_reader_with_eof)
{
	int a = proc(0, 0);
	int p = own_pipe(a);
	int c = (int)sl_sys_fork(K, a);

	cr_assert_gt(c, 0);
	cr_assert_eq(sl_sys_close_pipe(K, a, p, SL_PIPE_WRITE), 0);
	cr_assert_eq(sl_sys_read(K, a, p, 1), SL_SYSCALL_BLOCKED, "the child still writes");
	cr_assert_eq(sl_sys_exit_group(K, c, 0), 0);
	CHECK();
	ret_user(a, NULL);
	cr_assert_eq(returned(), 0);
}

Test(pipe, a_write_with_no_reader_sends_sigpipe_to_the_writer_thread_then_fails)
{
	int a = proc(0, 0);
	int p = own_pipe(a);
	struct sl_ksignal ks;

	cr_assert_eq(set_action(a, SL_SIGPIPE, H1, SL_SA_SIGINFO, 0), 0);
	cr_assert_eq(sl_sys_close_pipe(K, a, p, SL_PIPE_READ), 0);
	cr_assert_eq(sl_sys_write(K, a, p, 0), 0, "an empty write succeeds first");
	cr_assert_eq(sigpending_of(a), 0);
	cr_assert_eq(sl_sys_write(K, a, p, 1), -SL_EPIPE);
	cr_assert_eq(ret_user(a, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.sig, SL_SIGPIPE);
	cr_assert_eq(ks.info.code, SL_SI_USER);
	cr_assert_eq(ks.info.pid, a, "send_sig: SI_USER from the writer itself");
	CHECK();
}

Test(pipe, with_sigpipe_ignored_the_write_only_fails)
{
	int a = proc(0, 0);
	int p = own_pipe(a);

	cr_assert_eq(set_action(a, SL_SIGPIPE, SL_SIG_IGN, 0, 0), 0);
	cr_assert_eq(sl_sys_close_pipe(K, a, p, SL_PIPE_READ), 0);
	cr_assert_eq(sl_sys_write(K, a, p, 1), -SL_EPIPE);
	cr_assert_eq(sigpending_of(a), 0);
	CHECK();
}

Test(pipe, fork_shares_the_ends_and_close_is_per_process)
{
	int a = proc(0, 0);
	int p = own_pipe(a);
	int c = (int)sl_sys_fork(K, a);

	cr_assert(sl_pipe_held(K, c, p, SL_PIPE_READ));
	cr_assert_eq(sl_sys_close_pipe(K, c, p, SL_PIPE_READ), 0);
	cr_assert_eq(sl_sys_close_pipe(K, c, p, SL_PIPE_READ), -SL_EBADF);
	cr_assert(!sl_pipe_held(K, c, p, SL_PIPE_READ));
	cr_assert(sl_pipe_held(K, a, p, SL_PIPE_READ));
	cr_assert_eq(sl_sys_read(K, c, p, 1), -SL_EBADF);
	cr_assert_eq(sl_sys_write(K, c, p, 1), 1, "the parent still reads");
	CHECK();
}

Test(pipe, an_o_async_read_end_sends_sigio_to_its_owner_on_a_write)
{
	int a = proc(0, 0), b = proc(0, 0);
	long p = sl_pipe_create(K);
	struct sl_ksignal ks;

	cr_assert_eq(set_action(a, SL_SIGIO, H1, SL_SA_SIGINFO, 0), 0);
	cr_assert_eq(sl_sys_fcntl_pipe(K, a, (int)p, SL_PIPE_READ, 3, SL_F_SETOWN, a, NULL), 0);
	cr_assert_eq(sl_sys_write(K, b, (int)p, 1), 1);
	cr_assert_eq(sigpending_of(a), 0, "not O_ASYNC yet");
	cr_assert_eq(sl_sys_fcntl_pipe(K, a, (int)p, SL_PIPE_READ, 3, SL_F_SETFL, SL_O_ASYNC,
				       NULL), 0);
	cr_assert_eq(sl_sys_write(K, b, (int)p, 1), 1);
	cr_assert_eq(ret_user(a, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.sig, SL_SIGIO);
	cr_assert_eq(ks.info.code, SL_SI_KERNEL, "no F_SETSIG: SEND_SIG_PRIV");
	CHECK();
}

Test(pipe, f_setsig_gives_poll_in_band_and_fd)
{
	int a = proc(0, 0), b = proc(0, 0);
	long p = sl_pipe_create(K);
	int rt = SL_SIGRTMIN + 1;
	struct sl_ksignal ks;

	cr_assert_eq(set_action(a, rt, H1, SL_SA_SIGINFO, 0), 0);
	cr_assert_eq(sl_sys_fcntl_pipe(K, a, (int)p, SL_PIPE_READ, 7, SL_F_SETOWN, a, NULL), 0);
	cr_assert_eq(sl_sys_fcntl_pipe(K, a, (int)p, SL_PIPE_READ, 7, SL_F_SETSIG, rt, NULL), 0);
	cr_assert_eq(sl_sys_fcntl_pipe(K, a, (int)p, SL_PIPE_READ, 7, SL_F_GETSIG, 0, NULL), rt);
	cr_assert_eq(sl_sys_fcntl_pipe(K, a, (int)p, SL_PIPE_READ, 7, SL_F_SETSIG, SL_NSIG + 1,
				       NULL), -SL_EINVAL);
	cr_assert_eq(sl_sys_fcntl_pipe(K, a, (int)p, SL_PIPE_READ, 7, SL_F_SETFL, SL_O_ASYNC,
				       NULL), 0);
	cr_assert_eq(sl_sys_write(K, b, (int)p, 1), 1);
	cr_assert_eq(ret_user(a, &ks), SL_DELIVER_HANDLER);
	cr_assert_eq(ks.sig, rt);
	cr_assert_eq(ks.info.code, SL_POLL_IN);
	cr_assert_eq(ks.info.band, 0x41, "EPOLLIN|EPOLLRDNORM");
	cr_assert_eq(ks.info.fd, 7, "the descriptor F_SETFL named");
	CHECK();
}

Test(pipe, a_full_rt_queue_falls_back_on_sigio)
{
	int a, b;
	long p;
	int rt = SL_SIGRTMIN + 1;

	fx_remake(0, 1);
	a = proc(0, 1000);
	b = proc(0, 1000);
	p = sl_pipe_create(K);
	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, SET(rt, SL_SIGIO)), 0);
	cr_assert_eq(sl_sys_fcntl_pipe(K, a, (int)p, SL_PIPE_READ, 3, SL_F_SETOWN, a, NULL), 0);
	cr_assert_eq(sl_sys_fcntl_pipe(K, a, (int)p, SL_PIPE_READ, 3, SL_F_SETSIG, rt, NULL), 0);
	cr_assert_eq(sl_sys_fcntl_pipe(K, a, (int)p, SL_PIPE_READ, 3, SL_F_SETFL, SL_O_ASYNC,
				       NULL), 0);
	cr_assert_eq(sl_sys_write(K, b, (int)p, 1), 1);
	cr_assert_eq(sigpending_of(a), SET(rt), "the first is queued");
	cr_assert_eq(sl_sys_write(K, b, (int)p, 1), 1);
	cr_assert_eq(sigpending_of(a), SET(rt, SL_SIGIO), "the second cannot be: SIGIO");
	CHECK();
}

Test(pipe, sigio_perm_needs_the_setters_uid_or_root)
{
	int a = proc(0, 1000), b = proc(0, 2000);
	long p = sl_pipe_create(K);

	cr_assert_eq(mask_op(b, SL_SIG_BLOCK, SET(SL_SIGIO)), 0);
	cr_assert_eq(sl_sys_fcntl_pipe(K, a, (int)p, SL_PIPE_READ, 3, SL_F_SETOWN, b, NULL), 0);
	cr_assert_eq(sl_sys_fcntl_pipe(K, a, (int)p, SL_PIPE_READ, 3, SL_F_SETFL, SL_O_ASYNC,
				       NULL), 0);
	cr_assert_eq(sl_sys_write(K, a, (int)p, 1), 1);
	cr_assert_eq(sigpending_of(b), 0, "uid 1000 set the owner: uid 2000 gets nothing");
	CHECK();
}

Test(pipe, a_group_owner_reaches_every_process_of_the_group)
{
	int a = proc(0, 0), w = proc(0, 0);
	long p;
	int c;

	c = (int)sl_sys_fork(K, a);
	p = sl_pipe_create(K);
	cr_assert_eq(mask_op(a, SL_SIG_BLOCK, SET(SL_SIGIO)), 0);
	cr_assert_eq(mask_op(c, SL_SIG_BLOCK, SET(SL_SIGIO)), 0);
	cr_assert_eq(sl_sys_fcntl_pipe(K, a, (int)p, SL_PIPE_READ, 3, SL_F_SETOWN, -a, NULL), 0);
	cr_assert_eq(sl_sys_fcntl_pipe(K, a, (int)p, SL_PIPE_READ, 3, SL_F_SETFL, SL_O_ASYNC,
				       NULL), 0);
	cr_assert_eq(sl_sys_write(K, w, (int)p, 1), 1);
	cr_assert_eq(sigpending_of(a), SET(SL_SIGIO));
	cr_assert_eq(sigpending_of(c), SET(SL_SIGIO));
	CHECK();
}

Test(pipe, fcntl_errors)
{
	int a = proc(0, 0);
	int p = own_pipe(a);
	struct sl_f_owner_ex ex = { .type = 7, .pid = a };

	cr_assert_eq(sl_sys_fcntl_pipe(K, a, p, SL_PIPE_READ, 3, SL_F_SETOWN, 99999, NULL),
		     -SL_ESRCH);
	cr_assert_eq(sl_sys_fcntl_pipe(K, a, p, SL_PIPE_READ, 3, SL_F_SETOWN_EX, 0, NULL),
		     -SL_EFAULT);
	cr_assert_eq(sl_sys_fcntl_pipe(K, a, p, SL_PIPE_READ, 3, SL_F_SETOWN_EX, 0, &ex),
		     -SL_EINVAL);
	cr_assert_eq(sl_sys_fcntl_pipe(K, a, p, SL_PIPE_READ, 3, 1234, 0, NULL), -SL_EINVAL);
	cr_assert_eq(sl_sys_close_pipe(K, a, p, SL_PIPE_READ), 0);
	cr_assert_eq(sl_sys_fcntl_pipe(K, a, p, SL_PIPE_READ, 3, SL_F_GETSIG, 0, NULL), -SL_EBADF);
	CHECK();
}

Test(pipe, an_owner_set_by_root_gets_sigio_whatever_its_uid)
{
	int root = proc(0, 0), b = proc(0, 2000), w = proc(0, 1000);
	long p = sl_pipe_create(K);

	cr_assert_eq(mask_op(b, SL_SIG_BLOCK, SET(SL_SIGIO)), 0);
	cr_assert_eq(sl_sys_fcntl_pipe(K, root, (int)p, SL_PIPE_READ, 3, SL_F_SETOWN, b, NULL), 0);
	cr_assert_eq(sl_sys_fcntl_pipe(K, root, (int)p, SL_PIPE_READ, 3, SL_F_SETFL, SL_O_ASYNC,
				       NULL), 0);
	cr_assert_eq(sl_sys_write(K, w, (int)p, 1), 1);
	cr_assert_eq(sigpending_of(b), SET(SL_SIGIO));
	CHECK();
}
