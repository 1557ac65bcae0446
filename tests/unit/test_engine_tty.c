/* The terminal's rules in the engine (src/engine/tty.c, tty_jobctrl.c):
 * the controlling terminal, the foreground group, the background check,
 * the signal characters, the window size and the hang-up.  Every rule
 * here also has a scenario the host agrees with (tests/scenarios/tty-*). */
#include "helpers.h"

TEST_SUITE_FX(tty);

/* A session leader (forked, then setsid) with terminal `tty` as its
 * controlling terminal; *job gets a child of it in a group of its own. */
static int session(int tty, int *job)
{
	int login = proc(0, 0);
	int sh = (int)sl_sys_fork(K, login);

	cr_assert_gt(sh, 0);
	cr_assert_eq(sl_sys_setsid(K, sh), sh);
	cr_assert_eq(sl_sys_tty_open(K, sh, tty, 0), 0);
	if (job) {
		*job = (int)sl_sys_fork(K, sh);
		cr_assert_gt(*job, 0);
		cr_assert_eq(sl_sys_setpgid(K, sh, *job, *job), 0);
	}
	CHECK();
	return sh;
}

static long tcgetpgrp(int tid, int tty)
{
	return sl_sys_tty_ioctl(K, tid, tty, SL_TIOCGPGRP, 0);
}

Test(tty, a_session_leader_takes_the_terminal_it_opens)
{
	int t = (int)sl_tty_create(K), job;
	int sh = session(t, &job);

	cr_assert_eq(tcgetpgrp(sh, t), sh);
	cr_assert_eq(tcgetpgrp(job, t), sh, "the child inherits the terminal");
	cr_assert_eq(sl_sys_tty_ioctl(K, sh, t, SL_TIOCSCTTY, 0), 0, "its own again");
	cr_assert_eq(tcgetpgrp(proc(0, 0), t), -SL_ENOTTY);
}

Test(tty, o_noctty_and_non_leaders_take_nothing)
{
	int t = (int)sl_tty_create(K), a = proc(0, 0);
	int b = (int)sl_sys_fork(K, a);

	cr_assert_eq(sl_sys_tty_open(K, a, t, 0), 0);
	cr_assert_eq(tcgetpgrp(a, t), -SL_ENOTTY, "not a session leader");
	cr_assert_eq(sl_sys_tty_ioctl(K, a, t, SL_TIOCSCTTY, 0), -SL_EPERM);
	cr_assert_eq(sl_sys_setsid(K, b), b);
	cr_assert_eq(sl_sys_tty_open(K, b, t, SL_O_NOCTTY), 0);
	cr_assert_eq(tcgetpgrp(b, t), -SL_ENOTTY);
	CHECK();
}

Test(tty, interrupt_character_signals_the_foreground_group_from_the_kernel)
{
	int t = (int)sl_tty_create(K), job;
	int sh = session(t, &job);
	const struct sl_event *ev;

	cr_assert_eq(sl_sys_tty_ioctl(K, sh, t, SL_TIOCSPGRP, job), 0);
	rec_clear(&REC);
	cr_assert_eq(sl_tty_input(K, t, "\x03", 1), 0);
	ev = rec_nth(&REC, SL_EV_GENERATE, SL_SIGINT, 0);
	cr_assert_not_null(ev);
	cr_assert_eq(ev->target, job);
	cr_assert_eq(ev->tid, 0, "on no task's behalf");
	cr_assert_eq(ev->info.code, SL_SI_KERNEL);
	cr_assert_eq(sigpending_of(sh) & SET(SL_SIGINT), 0);
	CHECK();
}

Test(tty, without_isig_the_characters_are_input)
{
	int t = (int)sl_tty_create(K), job;
	int sh = session(t, &job);
	long lflag = sl_sys_tty_ioctl(K, sh, t, SL_TCGETS, 0);

	cr_assert(lflag & SL_ISIG);
	cr_assert_eq(sl_sys_tty_ioctl(K, sh, t, SL_TCSETS, lflag & ~(long)SL_ISIG), 0);
	rec_clear(&REC);
	cr_assert_eq(sl_tty_input(K, t, "\x03\x1a\n", 3), 0);
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, 0), 0);
	cr_assert_eq(sl_sys_tty_read(K, sh, t, 100), 3);
	CHECK();
}

Test(tty, the_signal_flushes_typed_input_unless_noflsh)
{
	int t = (int)sl_tty_create(K);
	int sh = session(t, NULL);
	long lflag = sl_sys_tty_ioctl(K, sh, t, SL_TCGETS, 0);

	cr_assert_eq(set_action(sh, SL_SIGINT, SL_SIG_IGN, 0, 0), 0);
	cr_assert_eq(sl_tty_input(K, t, "gone\n\x03", 6), 0);
	cr_assert_eq(sl_sys_tty_read(K, sh, t, 100), SL_SYSCALL_BLOCKED, "flushed");
	cr_assert_eq(sl_tty_input(K, t, "ab\n", 3), 0);
	cr_assert_eq(ret_user(sh, NULL), SL_DELIVER_NONE);
	cr_assert_eq(returned(), 3);
	cr_assert_eq(sl_sys_tty_ioctl(K, sh, t, SL_TCSETS, lflag | SL_NOFLSH), 0);
	cr_assert_eq(sl_tty_input(K, t, "kept\n\x03", 6), 0);
	cr_assert_eq(sl_sys_tty_read(K, sh, t, 100), 5);
	CHECK();
}

Test(tty, a_background_read_stops_the_group_with_sigttin)
{
	int t = (int)sl_tty_create(K), job;

	(void)session(t, &job);
	rec_clear(&REC);
	cr_assert_eq(sl_sys_tty_read(K, job, t, 100), SL_SYSCALL_BLOCKED);
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, SL_SIGTTIN), 1);
	cr_assert_eq(ret_user(job, NULL), SL_DELIVER_STOPPED);
	cr_assert_eq(info_of(job).state, SL_TASK_STOPPED);
	CHECK();
}

Test(tty, a_background_read_with_sigttin_ignored_or_blocked_is_eio)
{
	int t = (int)sl_tty_create(K), job;

	(void)session(t, &job);
	cr_assert_eq(set_action(job, SL_SIGTTIN, SL_SIG_IGN, 0, 0), 0);
	cr_assert_eq(sl_sys_tty_read(K, job, t, 100), -SL_EIO);
	cr_assert_eq(set_action(job, SL_SIGTTIN, SL_SIG_DFL, 0, 0), 0);
	cr_assert_eq(mask_op(job, SL_SIG_BLOCK, SET(SL_SIGTTIN)), 0);
	cr_assert_eq(sl_sys_tty_read(K, job, t, 100), -SL_EIO);
	CHECK();
}

Test(tty, tostop_makes_a_background_write_send_sigttou_unless_ignored)
{
	int t = (int)sl_tty_create(K), job;
	int sh = session(t, &job);
	long lflag = sl_sys_tty_ioctl(K, sh, t, SL_TCGETS, 0);

	cr_assert_eq(sl_sys_tty_write(K, job, t, 3), 3, "no TOSTOP");
	cr_assert_eq(sl_sys_tty_ioctl(K, sh, t, SL_TCSETS, lflag | SL_TOSTOP), 0);
	cr_assert_eq(set_action(job, SL_SIGTTOU, SL_SIG_IGN, 0, 0), 0);
	cr_assert_eq(sl_sys_tty_write(K, job, t, 3), 3, "SIGTTOU ignored");
	cr_assert_eq(set_action(job, SL_SIGTTOU, SL_SIG_DFL, 0, 0), 0);
	cr_assert_eq(sl_sys_tty_write(K, job, t, 3), SL_SYSCALL_BLOCKED);
	cr_assert_eq(ret_user(job, NULL), SL_DELIVER_STOPPED);
	CHECK();
}

Test(tty, tcsetpgrp_errors)
{
	int t = (int)sl_tty_create(K), job;
	int sh = session(t, &job), other = proc(0, 0);

	cr_assert_eq(sl_sys_tty_ioctl(K, other, t, SL_TIOCSPGRP, other), -SL_ENOTTY);
	cr_assert_eq(sl_sys_tty_ioctl(K, sh, t, SL_TIOCSPGRP, other), -SL_EPERM);
	cr_assert_eq(sl_sys_tty_ioctl(K, sh, t, SL_TIOCSPGRP, 99999), -SL_ESRCH);
	cr_assert_eq(sl_sys_tty_ioctl(K, sh, t, SL_TIOCSPGRP, -1), -SL_EINVAL);
	cr_assert_eq(sl_sys_tty_ioctl(K, sh, t, SL_TIOCSPGRP, job), 0);
	cr_assert_eq(tcgetpgrp(job, t), job);
	CHECK();
}

Test(tty, an_orphaned_background_group_gets_eio)
{
	int t = (int)sl_tty_create(K);
	int sh = session(t, NULL);
	int mid = (int)sl_sys_fork(K, sh), job;

	cr_assert_eq(sl_sys_setpgid(K, sh, mid, mid), 0);
	job = (int)sl_sys_fork(K, mid);
	cr_assert_gt(job, 0);
	sl_sys_exit_group(K, mid, 0);
	cr_assert_eq(sl_sys_tty_read(K, job, t, 100), -SL_EIO);
	CHECK();
}

Test(tty, a_new_window_size_sends_sigwinch_once)
{
	int t = (int)sl_tty_create(K);
	int sh = session(t, NULL);

	cr_assert_eq(set_action(sh, SL_SIGWINCH, H1, 0, 0), 0);
	cr_assert_eq(sl_tty_resize(K, t, 24, 80), 0);
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, SL_SIGWINCH), 1);
	cr_assert_eq(drain(sh, NULL, 0, NULL), 1);
	rec_clear(&REC);
	cr_assert_eq(sl_tty_resize(K, t, 24, 80), 0);
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, SL_SIGWINCH), 0);
	CHECK();
}

Test(tty, hangup_signals_the_session_leader_and_ends_the_association)
{
	int t = (int)sl_tty_create(K), job;
	int sh = session(t, &job);

	cr_assert_eq(set_action(sh, SL_SIGHUP, H1, 0, 0), 0);
	cr_assert_eq(sl_sys_tty_ioctl(K, sh, t, SL_TIOCSPGRP, job), 0);
	cr_assert_eq(sl_sys_tty_read(K, job, t, 100), SL_SYSCALL_BLOCKED);
	rec_clear(&REC);
	cr_assert_eq(sl_tty_hangup(K, t), 0);
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, SL_SIGHUP), 1);
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, SL_SIGCONT), 1);
	cr_assert_eq(rec_nth(&REC, SL_EV_GENERATE, SL_SIGHUP, 0)->target, sh);
	cr_assert_eq(drain(sh, NULL, 0, NULL), 1, "its SIGHUP handler");
	cr_assert_eq(ret_user(job, NULL), SL_DELIVER_NONE);
	cr_assert_eq(returned(), -SL_EIO, "a sleeping read: the master is closed");
	cr_assert_eq(sl_sys_tty_read(K, job, t, 100), 0, "a hung-up file: end of file");
	cr_assert_eq(sl_sys_tty_write(K, job, t, 1), -SL_EIO);
	cr_assert_eq(sl_sys_tty_ioctl(K, sh, t, SL_TIOCSPGRP, job), -SL_ENOTTY);
	cr_assert_eq(tcgetpgrp(sh, t), -SL_EIO);
	cr_assert_eq(sl_sys_tty_open(K, sh, t, 0), -SL_EIO);
	cr_assert_eq(sl_tty_input(K, t, "x", 1), -SL_EIO);
	CHECK();
}

Test(tty, the_leaders_exit_sends_sighup_to_the_foreground_group)
{
	int t = (int)sl_tty_create(K), job;
	int sh = session(t, &job);

	cr_assert_eq(sl_sys_tty_ioctl(K, sh, t, SL_TIOCSPGRP, job), 0);
	rec_clear(&REC);
	sl_sys_exit_group(K, sh, 0);
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, SL_SIGHUP), 1);
	cr_assert_eq(rec_count(&REC, SL_EV_GENERATE, SL_SIGCONT), 0, "a pty: no SIGCONT");
	cr_assert_eq(tcgetpgrp(job, t), -SL_ENOTTY, "the session lost it");
	CHECK();
}

Test(tty, setsid_leaves_the_terminal_behind)
{
	int t = (int)sl_tty_create(K), job;

	(void)session(t, &job);
	cr_assert_eq(sl_sys_setsid(K, job), -SL_EPERM, "a group leader");
	{
		int kid = (int)sl_sys_fork(K, job);

		cr_assert_eq(sl_sys_setsid(K, kid), kid);
		cr_assert_eq(tcgetpgrp(kid, t), -SL_ENOTTY);
		cr_assert_eq(sl_sys_tty_ioctl(K, kid, t, SL_TIOCSCTTY, 0), -SL_EPERM,
			     "another session's terminal");
	}
	CHECK();
}
