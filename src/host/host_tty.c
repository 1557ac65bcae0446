/*
 * The scenario's terminals on the host: real pseudo-terminals
 * (posix_openpt, grantpt, unlockpt), made by the controller before the
 * agents are forked.  The controller alone keeps the master: it plays the
 * terminal emulator, typing into it (`type`), resizing it (`resize`) and
 * closing it (`hangup`); every agent closes its inherited copy first
 * thing, so that closing the controller's is the last close and hangs
 * the slave up (pty_close).  Every agent inherits the controller's slave
 * descriptor, opened with O_NOCTTY, through which it reads, writes and
 * controls the terminal; `open` reopens that file through /proc/self/fd,
 * never by a /dev/pts name another run may have taken.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "host/timing.h"

static int open_pair(struct host_time *tm, size_t i)
{
	char name[64];
	int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (m < 0)
		return -errno;
	tm->tty_master[i] = m;
	if (grantpt(m) < 0 || unlockpt(m) < 0 || ptsname_r(m, name, sizeof name) != 0)
		return -errno;
	tm->tty_slave[i] = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (tm->tty_slave[i] < 0)
		return -errno;
	/* the agents may run as the scenario's users: they reopen it */
	if (fchmod(tm->tty_slave[i], 0666) < 0)
		return -errno;
	return 0;
}

int host_tty_prepare(struct host_time *tm, const struct scenario *s)
{
	for (size_t i = 0; i < s->nttys && i < HOST_MAX_TTYS; i++) {
		int err = open_pair(tm, i);

		tm->nttys = i + 1;
		if (err)
			return err;
	}
	return 0;
}

void host_tty_release(struct host_time *tm)
{
	for (size_t i = 0; i < HOST_MAX_TTYS; i++) {
		if (tm->tty_master[i] >= 0)
			close(tm->tty_master[i]);
		if (tm->tty_slave[i] >= 0)
			close(tm->tty_slave[i]);
		tm->tty_master[i] = tm->tty_slave[i] = -1;
	}
	tm->nttys = 0;
}

void host_tty_close_masters(const struct host_time *tm)
{
	for (size_t i = 0; i < tm->nttys; i++)
		if (tm->tty_master[i] >= 0)
			(void)xlat_syscall(SYS_close, tm->tty_master[i], 0, 0, 0);
}

/* The characters written to the master reach the line discipline in a
 * worker (flush_to_ldisc); a poll of the slave waits for that work
 * (n_tty_poll's tty_buffer_flush_work) when no input is ready, so the
 * signals are sent by the time it returns.  With a line ready it does not
 * wait: a short sleep covers that case. */
static int type_input(struct host_time *tm, int i, const char *text)
{
	char buf[256];
	size_t n = sc_tty_input_bytes(text, buf, sizeof buf);
	struct pollfd p = { tm->tty_slave[i], POLLIN, 0 };
	struct timespec nap = { 0, 5 * 1000 * 1000 };

	for (size_t off = 0; off < n;) {
		ssize_t w = write(tm->tty_master[i], buf + off, n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		off += (size_t)w;
	}
	(void)poll(&p, 1, 0);
	nanosleep(&nap, NULL);
	return 0;
}

int host_tty_master_step(struct host_time *tm, const struct sc_stmt *st)
{
	int i = st->tty;
	struct winsize ws;

	if (i < 0 || (size_t)i >= tm->nttys)
		return -EBADF;
	if (tm->tty_master[i] < 0)
		return -EIO;
	switch (st->op) {
	case SC_OP_TYPE:
		return type_input(tm, i, st->text);
	case SC_OP_RESIZE:
		memset(&ws, 0, sizeof ws);
		ws.ws_row = (unsigned short)st->rows;
		ws.ws_col = (unsigned short)st->cols;
		return ioctl(tm->tty_master[i], TIOCSWINSZ, &ws) < 0 ? -errno : 0;
	case SC_OP_HANGUP:
		close(tm->tty_master[i]);
		tm->tty_master[i] = -1;
		return 0;
	default:
		return -EINVAL;
	}
}
