/* The sim runner's statements on terminals: the model's terminals are
 * made as the scenario first names them; `type`, `resize` and `hangup`
 * are the terminal emulator's steps on the master, written in the "tty"
 * column. */
#include <string.h>

#include "sim/simstate.h"

static int tty_id(struct sim *sm, int tty)
{
	while (sm->nttys_made <= (size_t)tty) {
		if (sl_tty_create(sm->k) < 0)
			return -1;
		sm->nttys_made++;
	}
	return tty;
}

void sim_op_tty_open(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = tty_id(sm, st->tty) < 0 ? -SL_ENOMEM
		 : sl_sys_tty_open(sm->k, tid, st->tty, (unsigned)st->flags);
}

/* stty reads c_lflag first (TCGETS), as stty(1) and tcsetattr's callers
 * do, then sets the changed word. */
static long stty(struct sim *sm, int tid, const struct sc_stmt *st)
{
	long lflag = sl_sys_tty_ioctl(sm->k, tid, st->tty, SL_TCGETS, 0);

	if (lflag < 0)
		return lflag;
	lflag = (long)(((unsigned)lflag | st->lflag_set) & ~st->lflag_clear);
	return sl_sys_tty_ioctl(sm->k, tid, st->tty, SL_TCSETS, lflag);
}

void sim_op_tty_ioctl(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	sl_kernel *k = sm->k;

	if (tty_id(sm, st->tty) < 0) {
		r->ret = -SL_ENOMEM;
		return;
	}
	switch (st->op) {
	case SC_OP_TIOCSCTTY:
		r->ret = sl_sys_tty_ioctl(k, tid, st->tty, SL_TIOCSCTTY, 0);
		break;
	case SC_OP_TIOCNOTTY:
		r->ret = sl_sys_tty_ioctl(k, tid, st->tty, SL_TIOCNOTTY, 0);
		break;
	case SC_OP_TCSETPGRP:
		r->ret = sl_sys_tty_ioctl(k, tid, st->tty, SL_TIOCSPGRP,
					  sim_target_pid(sm, &st->target));
		break;
	case SC_OP_TCGETPGRP:
		r->ret = sl_sys_tty_ioctl(k, tid, st->tty, SL_TIOCGPGRP, 0);
		if (r->ret > 0)
			r->pid_name = sc_task_name(&sm->names, (int)r->ret);
		break;
	case SC_OP_TIOCSWINSZ:
		r->ret = sl_sys_tty_ioctl(k, tid, st->tty, SL_TIOCSWINSZ,
					  (long)st->rows << 16 | (long)st->cols);
		break;
	default:
		r->ret = stty(sm, tid, st);
		break;
	}
}

void sim_op_tty_read(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = tty_id(sm, st->tty) < 0 ? -SL_ENOMEM
		 : sl_sys_tty_read(sm->k, tid, st->tty, 4096);
}

void sim_op_tty_write(struct sim *sm, int tid, const struct sc_stmt *st, struct sc_result *r)
{
	r->ret = tty_id(sm, st->tty) < 0 ? -SL_ENOMEM
		 : sl_sys_tty_write(sm->k, tid, st->tty, st->text ? strlen(st->text) : 0);
}

/* The step's line, in the "tty" column. */
static void master_line(struct sim *sm, const struct sc_step *step)
{
	struct strbuf line = { 0 };

	if (!sm->opt.quiet) {
		sc_render_call(&line, sm->s, &step->stmt, NULL);
		sim_emit_clock_line(sm, "tty", sb_str(&line));
	}
	sb_free(&line);
}

static int master_fail(struct sim *sm, const struct sc_step *step, int err)
{
	return sim_error(sm, step->stmt.pos, "%s: %s", sc_op_name(step->stmt.op),
			 err == -SL_EIO ? "the terminal's master is closed" : "no memory");
}

int sim_op_type(struct sim *sm, const struct sc_step *step)
{
	char buf[256];
	size_t n = sc_tty_input_bytes(step->stmt.text, buf, sizeof buf);
	int err;

	master_line(sm, step);
	if (tty_id(sm, step->stmt.tty) < 0)
		return master_fail(sm, step, -SL_ENOMEM);
	err = sl_tty_input(sm->k, step->stmt.tty, buf, n);
	if (err)
		return master_fail(sm, step, err);
	return sim_settle(sm, -1);
}

int sim_op_resize(struct sim *sm, const struct sc_step *step)
{
	int err;

	master_line(sm, step);
	if (tty_id(sm, step->stmt.tty) < 0)
		return master_fail(sm, step, -SL_ENOMEM);
	err = sl_tty_resize(sm->k, step->stmt.tty, step->stmt.rows, step->stmt.cols);
	if (err)
		return master_fail(sm, step, err);
	return sim_settle(sm, -1);
}

int sim_op_hangup(struct sim *sm, const struct sc_step *step)
{
	int err;

	master_line(sm, step);
	if (tty_id(sm, step->stmt.tty) < 0)
		return master_fail(sm, step, -SL_ENOMEM);
	err = sl_tty_hangup(sm->k, step->stmt.tty);
	if (err)
		return master_fail(sm, step, -SL_EIO);
	return sim_settle(sm, -1);
}
