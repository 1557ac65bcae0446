/*
 * The agent's statements on terminals: the slave descriptor every agent
 * inherited from the controller (host_tty.c), used with raw system calls.
 * Everything here is async-signal-safe: it may run inside a handler.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <termios.h>

#include "host/timing.h"

static int slave_fd(const struct agent_env *e, int tty)
{
	if (tty < 0 || (size_t)tty >= e->time->nttys)
		return -1;
	return e->time->tty_slave[tty];
}

/* /proc/self/fd/N, written without stdio. */
static void fd_path(char *buf, int fd)
{
	char digits[12];
	int n = 0;

	do {
		digits[n++] = (char)('0' + fd % 10);
		fd /= 10;
	} while (fd && n < 11);
	memcpy(buf, "/proc/self/fd/", 14);
	for (int i = 0; i < n; i++)
		buf[14 + i] = digits[n - 1 - i];
	buf[14 + n] = '\0';
}

/* open: the terminal reopened (the model's open returns 0: the
 * descriptor is closed again; a controlling terminal it made stays). */
int64_t agent_op_tty_open(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	int fd = slave_fd(e, st->tty);
	char path[32];
	long r;

	(void)end;
	if (fd < 0)
		return -EBADF;
	fd_path(path, fd);
	r = xlat_syscall(SYS_openat, AT_FDCWD, (long)path,
			 O_RDWR | O_CLOEXEC | ((st->flags & SL_O_NOCTTY) ? O_NOCTTY : 0), 0);
	if (r < 0)
		return r;
	(void)xlat_syscall(SYS_close, r, 0, 0, 0);
	return 0;
}

static int64_t stty(int fd, const struct sc_stmt *st)
{
	struct termios t;
	long r = xlat_syscall(SYS_ioctl, fd, TCGETS, (long)&t, 0);

	if (r < 0)
		return r;
	t.c_lflag = (t.c_lflag | (tcflag_t)st->lflag_set) & ~(tcflag_t)st->lflag_clear;
	return xlat_syscall(SYS_ioctl, fd, TCSETS, (long)&t, 0);
}

int64_t agent_op_tty_ioctl(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	int fd = slave_fd(e, st->tty);
	int pgrp = 0;
	struct winsize ws;
	long r;

	(void)end;
	if (fd < 0)
		return -EBADF;
	switch (st->op) {
	case SC_OP_TIOCSCTTY:
		return xlat_syscall(SYS_ioctl, fd, TIOCSCTTY, 0, 0);
	case SC_OP_TIOCNOTTY:
		return xlat_syscall(SYS_ioctl, fd, TIOCNOTTY, 0, 0);
	case SC_OP_TCSETPGRP:
		pgrp = agent_target_tgid(&st->target);
		return xlat_syscall(SYS_ioctl, fd, TIOCSPGRP, (long)&pgrp, 0);
	case SC_OP_TCGETPGRP:
		r = xlat_syscall(SYS_ioctl, fd, TIOCGPGRP, (long)&pgrp, 0);
		return r < 0 ? r : pgrp;
	case SC_OP_TIOCSWINSZ:
		memset(&ws, 0, sizeof ws);
		ws.ws_row = (unsigned short)st->rows;
		ws.ws_col = (unsigned short)st->cols;
		return xlat_syscall(SYS_ioctl, fd, TIOCSWINSZ, (long)&ws, 0);
	default:
		return stty(fd, st);
	}
}

int64_t agent_op_tty_read(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	static char sink[4096];	/* what is read is never looked at */
	int fd = slave_fd(e, st->tty);

	(void)end;
	if (fd < 0)
		return -EBADF;
	return xlat_syscall(SYS_read, fd, (long)sink, sizeof sink, 0);
}

int64_t agent_op_tty_write(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	int fd = slave_fd(e, st->tty);
	size_t n = st->text ? strlen(st->text) : 0;

	(void)end;
	if (fd < 0)
		return -EBADF;
	return xlat_syscall(SYS_write, fd, (long)(st->text ? st->text : ""), (long)n, 0);
}
