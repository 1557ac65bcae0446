/* Models the terminal's own half of drivers/tty: the pty pair (pty.c
 * pty_open, pty_close), the files of tty_io.c (tty_read, tty_write,
 * tty_ioctl, __tty_hangup and the hung-up file operations), the line
 * discipline's input and job control (n_tty.c n_tty_receive_char_special,
 * isig, n_tty_read, n_tty_write) and the window size (tty_do_resize)
 * (Linux 6.x).  The controlling terminal's rules are in tty_jobctrl.c.
 *
 * DEVIATION(a terminal is a kernel-wide object named by an id, as model
 * pipes are, not a file in per-process descriptor tables: every task may
 * read, write and control every terminal, and all its files are one;
 * a hang-up hangs them all up, which is what the host's shared file does).
 * UNMODELED(non-canonical input, echo, output flow and the master's reads;
 * the erase and kill characters; O_NONBLOCK; TIOCSCTTY's steal with
 * CAP_SYS_ADMIN; TIOCSTI). */
#include "engine/internal.h"

/* The control characters of tty_std_termios (c_cc). */
#define CH_INTR 0x03		/* ^C: VINTR */
#define CH_QUIT 0x1c		/* ^\: VQUIT */
#define CH_SUSP 0x1a		/* ^Z: VSUSP */
#define CH_EOF  0x04		/* ^D: VEOF */
#define CH_NL   0x0a

/* tty_std_termios's c_lflag, as far as the model keeps it. */
#define TTY_STD_LFLAG (SL_ISIG | SL_ICANON | SL_ECHO)

static const char RULE_ISIG[] =
	"isig: with ISIG, the interrupt, quit and suspend characters send SIGINT, "
	"SIGQUIT and SIGTSTP to the terminal's foreground process group, and "
	"flush its input unless NOFLSH (drivers/tty/n_tty.c isig, __isig)";
static const char RULE_WINCH[] =
	"winch: a new window size sends SIGWINCH to the foreground process "
	"group; the same size sends nothing (drivers/tty/tty_io.c tty_do_resize)";

struct model_tty *tty_get(sl_kernel *k, int id)
{
	if (id < 0 || (size_t)id >= k->world.nttys)
		return NULL;
	return &k->world.ttys[id];
}

/* ptmx_open and the slave's creation: a new pair, no session, the
 * standard termios and a 0x0 window. */
long sl_tty_create(sl_kernel *k)
{
	struct model_tty *nt;

	SL_ASSERT(k != NULL);
	nt = krealloc(k, k->world.ttys, k->world.nttys * sizeof *nt,
		      (k->world.nttys + 1) * sizeof *nt);
	if (!nt)
		return -SL_ENOMEM;
	k->world.ttys = nt;
	nt = &k->world.ttys[k->world.nttys];
	*nt = (struct model_tty){ .lflag = TTY_STD_LFLAG };
	return (long)k->world.nttys++;
}

/* ---- opening ------------------------------------------------------------ */

/* tty_open of the slave: pty_open fails once the master is closed
 * (TTY_OTHER_CLOSED); without O_NOCTTY a session leader with no
 * controlling terminal acquires this one if it is nobody's
 * (tty_open_proc_set_tty).  The model's open returns 0, not a
 * descriptor. */
long sl_sys_tty_open(sl_kernel *k, int caller, int id, unsigned flags)
{
	struct task *t = syscall_caller(k, caller);
	struct model_tty *tty = tty_get(k, id);

	if (!t)
		return -SL_ESRCH;
	if (!tty)
		return -SL_ENOENT;
	if (tty->other_closed)
		return -SL_EIO;
	if (!(flags & SL_O_NOCTTY) && t->group->session_leader && !t->group->tty &&
	    !tty->session)
		proc_set_tty(t, tty, id);
	return 0;
}

/* ---- reading and writing -------------------------------------------------- */

/* n_tty_read's canonical copy: one line at most, the rest of it stays. */
static long canon_copy_from_read_buf(struct model_tty *tty, size_t count)
{
	size_t n = tty->lines[0];

	if (n > count) {
		tty->lines[0] -= count;
		return (long)count;
	}
	tty->nlines--;
	for (size_t i = 0; i < tty->nlines; i++)
		tty->lines[i] = tty->lines[i + 1];
	return (long)n;
}

/* The loop of n_tty_read after its job-control check: a line if one is
 * there; with none, the master's close is EIO and a hung-up file EOF;
 * else sleep until input or a signal. */
static long n_tty_read_wait(sl_kernel *k, struct task *t, struct model_tty *tty)
{
	if (tty->nlines)
		return canon_copy_from_read_buf(tty, t->sys->count);
	if (tty->other_closed)
		return -SL_EIO;
	if (tty->hung_up)
		return 0;
	if (t->sigpending)
		return -SL_ERESTARTSYS;
	sys_sleep(k, t, SL_SLEEP_INTERRUPTIBLE);
	return SL_SYSCALL_BLOCKED;
}

/* tty_read: a file hung up before the call reads end of file
 * (hung_up_tty_read); n_tty_read checks job control once, at the start
 * (job_control: SIGTTIN for a background reader, tty_jobctrl.c). */
long tty_read_enter(sl_kernel *k, struct task *t)
{
	struct model_tty *tty = tty_get(k, t->sys->obj);
	int err;

	if (!tty)
		return -SL_EBADF;
	if (tty->hung_up)
		return 0;
	if (t->sys->count == 0)
		return 0;
	err = tty_check_change_sig(k, t, t->sys->obj, SL_SIGTTIN);
	if (err)
		return err;
	return n_tty_read_wait(k, t, tty);
}

/* After a wake-up the job-control check is not made again: a reader
 * moved to the background while asleep still gets its line. */
long tty_read_resume(sl_kernel *k, struct task *t)
{
	struct model_tty *tty = tty_get(k, t->sys->obj);

	return tty ? n_tty_read_wait(k, t, tty) : -SL_EBADF;
}

long sl_sys_tty_read(sl_kernel *k, int caller, int id, size_t count)
{
	struct task *t = syscall_caller(k, caller);

	if (!t || t->state != TASK_RUNNING)
		return -SL_ESRCH;
	if (!tty_get(k, id))
		return -SL_EBADF;
	if (sys_begin(k, t, SL_NR_READ) < 0)
		return -SL_ENOMEM;
	t->sys->obj = id;
	t->sys->on_tty = true;
	t->sys->count = count > 0x7ffff000 ? 0x7ffff000 : count;
	return sys_entry_result(k, t, tty_read_enter(k, t));
}

/* tty_write: a hung-up file cannot be written (hung_up_tty_write);
 * n_tty_write with TOSTOP makes a background writer ask first
 * (tty_check_change: SIGTTOU, and the call restarts after the stop).
 * The output goes to the master, which the model does not keep. */
static long tty_write_enter(sl_kernel *k, struct task *t)
{
	struct model_tty *tty = tty_get(k, t->sys->obj);
	int err;

	if (!tty)
		return -SL_EBADF;
	if (tty->hung_up)
		return -SL_EIO;
	if (tty->lflag & SL_TOSTOP) {
		err = tty_check_change_sig(k, t, t->sys->obj, SL_SIGTTOU);
		if (err)
			return err;
	}
	return (long)t->sys->count;
}

long sl_sys_tty_write(sl_kernel *k, int caller, int id, size_t count)
{
	struct task *t = syscall_caller(k, caller);

	if (!t || t->state != TASK_RUNNING)
		return -SL_ESRCH;
	if (!tty_get(k, id))
		return -SL_EBADF;
	if (sys_begin(k, t, SL_NR_WRITE) < 0)
		return -SL_ENOMEM;
	t->sys->obj = id;
	t->sys->count = count > 0x7ffff000 ? 0x7ffff000 : count;
	return sys_entry_result(k, t, tty_write_enter(k, t));
}

/* ---- ioctl -------------------------------------------------------------- */

/* tty_do_resize: nothing for the same size; else SIGWINCH to the
 * foreground group (from the kernel: SEND_SIG_PRIV), then the new size. */
static void tty_do_resize(sl_kernel *k, struct task *sender, struct model_tty *tty,
			  unsigned rows, unsigned cols)
{
	if (tty->rows == rows && tty->cols == cols)
		return;
	if (tty->pgrp) {
		emit_note(k, sender ? sender->tid : 0, SL_SIGWINCH, RULE_WINCH);
		kill_tty_pgrp(k, sender, tty->pgrp, SL_SIGWINCH, INFO_PRIV);
	}
	tty->rows = rows;
	tty->cols = cols;
}

/* set_termios (via n_tty_ioctl's tty_mode_ioctl): a background caller
 * asks first (tty_check_change); only the bits the model keeps count. */
static long set_termios(sl_kernel *k, struct task *t, int id, struct model_tty *tty, long arg)
{
	int err = tty_check_change_sig(k, t, id, SL_SIGTTOU);

	if (err)
		return err;
	tty->lflag = (unsigned)arg & (SL_ISIG | SL_ICANON | SL_ECHO | SL_NOFLSH | SL_TOSTOP);
	return 0;
}

/* tty_ioctl on the slave: a hung-up file answers EIO, and ENOTTY to
 * TIOCSPGRP (hung_up_tty_ioctl); the window size, then job control
 * (tty_jobctrl_ioctl), then the line discipline's termios calls. */
static long tty_ioctl(sl_kernel *k, struct task *t, int id, unsigned cmd, long arg)
{
	struct model_tty *tty = tty_get(k, id);

	if (!tty)
		return -SL_EBADF;
	if (tty->hung_up)
		return cmd == SL_TIOCSPGRP ? -SL_ENOTTY : -SL_EIO;
	switch (cmd) {
	case SL_TIOCSWINSZ:
		tty_do_resize(k, t, tty, (unsigned)(arg >> 16) & 0xffffu, (unsigned)arg & 0xffffu);
		return 0;
	case SL_TCGETS:
		return (long)tty->lflag;
	case SL_TCSETS:
		return set_termios(k, t, id, tty, arg);
	case SL_TIOCSCTTY:
	case SL_TIOCNOTTY:
	case SL_TIOCGPGRP:
	case SL_TIOCSPGRP:
		return tty_jobctrl_ioctl(k, t, id, cmd, arg);
	default:
		return -SL_ENOTTY;
	}
}

/* The calls that may have to be restarted after a SIGTTOU: write, and
 * the ioctls that check the background (TCSETS, TIOCSPGRP). */
long tty_call_enter(sl_kernel *k, struct task *t)
{
	if (t->sys->nr == SL_NR_WRITE)
		return tty_write_enter(k, t);
	return tty_ioctl(k, t, t->sys->obj, t->sys->cmd, t->sys->arg);
}

long sl_sys_tty_ioctl(sl_kernel *k, int caller, int id, unsigned cmd, long arg)
{
	struct task *t = syscall_caller(k, caller);

	if (!t || t->state != TASK_RUNNING)
		return -SL_ESRCH;
	if (!tty_get(k, id))
		return -SL_EBADF;
	if (cmd != SL_TCSETS && cmd != SL_TIOCSPGRP)
		return tty_ioctl(k, t, id, cmd, arg);
	if (sys_begin(k, t, SL_NR_IOCTL) < 0)
		return -SL_ENOMEM;
	t->sys->obj = id;
	t->sys->cmd = cmd;
	t->sys->arg = arg;
	return sys_entry_result(k, t, tty_ioctl(k, t, id, cmd, arg));
}

/* ---- the master: input, window size, close ------------------------------ */

/* reset_buffer_flags: the input flushed. */
static void reset_buffer_flags(struct model_tty *tty)
{
	tty->nlines = 0;
	tty->partial = 0;
}

/* isig: the signal to the foreground group (__isig), then the flush of
 * the input unless NOFLSH.  The flip buffer's work runs on no task's
 * behalf: the signal comes from the kernel (SEND_SIG_PRIV). */
static void isig(sl_kernel *k, struct model_tty *tty, int sig)
{
	if (tty->pgrp) {
		emit_note(k, 0, sig, RULE_ISIG);
		kill_tty_pgrp(k, NULL, tty->pgrp, sig, INFO_PRIV);
	}
	if (!(tty->lflag & SL_NOFLSH))
		reset_buffer_flags(tty);
}

/* A finished canonical line.  DEVIATION(the model keeps 16 unread lines
 * and drops more; the kernel's buffer holds 4095 characters, whatever
 * the lines). */
static void canon_line(struct model_tty *tty, size_t len)
{
	if (tty->nlines < TTY_MAX_LINES)
		tty->lines[tty->nlines++] = len;
	tty->partial = 0;
}

/* n_tty_receive_char_special, canonical, for the characters the model
 * knows: the signal characters under ISIG, newline and end-of-file
 * finish a line (^D's without itself, so an empty one is end of file). */
static void n_tty_receive_char(sl_kernel *k, struct model_tty *tty, unsigned char c)
{
	if (tty->lflag & SL_ISIG) {
		int sig = c == CH_INTR ? SL_SIGINT : c == CH_QUIT ? SL_SIGQUIT
			: c == CH_SUSP ? SL_SIGTSTP : 0;

		if (sig) {
			isig(k, tty, sig);
			return;
		}
	}
	if (!(tty->lflag & SL_ICANON)) {
		/* DEVIATION(without ICANON each character is a read of its own;
		 * the kernel's read takes every byte there is, up to its count) */
		canon_line(tty, 1);
		return;
	}
	if (c == CH_NL)
		canon_line(tty, tty->partial + 1);
	else if (c == CH_EOF)
		canon_line(tty, tty->partial);
	else
		tty->partial++;
}

/* Readers asleep on the terminal look again (wake_up_interruptible of
 * read_wait). */
static void tty_wake_readers(sl_kernel *k, int id)
{
	for (size_t i = 0; i < k->ntasks_cap; i++) {
		struct task *r = k->tasks[i];

		if (r && r->state == TASK_SLEEPING && r->sys->nr == SL_NR_READ && r->sys->on_tty &&
		    r->sys->obj == id)
			sys_wake(k, r);
	}
}

/* pty_write to the master: the characters reach the slave's line
 * discipline (flush_to_ldisc, n_tty_receive_buf), in order. */
int sl_tty_input(sl_kernel *k, int id, const char *buf, size_t n)
{
	struct model_tty *tty;

	SL_ASSERT(k != NULL);
	tty = tty_get(k, id);
	if (!tty)
		return -SL_EBADF;
	if (tty->other_closed)
		return -SL_EIO;
	for (size_t i = 0; i < n; i++)
		n_tty_receive_char(k, tty, (unsigned char)buf[i]);
	tty_wake_readers(k, id);
	return 0;
}

/* TIOCSWINSZ on the master resizes the slave (tiocswinsz of the pair's
 * other side), by the terminal emulator, on no task's behalf. */
int sl_tty_resize(sl_kernel *k, int id, unsigned rows, unsigned cols)
{
	struct model_tty *tty;

	SL_ASSERT(k != NULL);
	tty = tty_get(k, id);
	if (!tty)
		return -SL_EBADF;
	if (tty->other_closed)
		return -SL_EIO;
	tty_do_resize(k, NULL, tty, rows & 0xffffu, cols & 0xffffu);
	return 0;
}

/* pty_close of the master: the slave is marked TTY_OTHER_CLOSED, its
 * readers woken, and it is hung up (tty_vhangup, __tty_hangup): its files
 * hung up, the session leader signalled and every process of the session
 * stripped of it (tty_signal_session_leader), the session and foreground
 * group forgotten. */
int sl_tty_hangup(sl_kernel *k, int id)
{
	struct model_tty *tty;

	SL_ASSERT(k != NULL);
	tty = tty_get(k, id);
	if (!tty)
		return -SL_EBADF;
	if (tty->other_closed)
		return -SL_EBADF;
	tty->other_closed = true;
	tty_wake_readers(k, id);
	if (tty->hung_up)
		return 0;
	tty->hung_up = true;
	tty_signal_session_leader(k, tty, id);
	reset_buffer_flags(tty);
	tty->session = 0;
	tty->pgrp = 0;
	return 0;
}
