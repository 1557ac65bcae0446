/* Models drivers/tty/tty_jobctrl.c: the controlling terminal of a session
 * (__proc_set_tty, tty_open_proc_set_tty, tiocsctty, proc_clear_tty,
 * session_clear_tty), its foreground process group (tiocspgrp,
 * tiocgpgrp), the background check (__tty_check_change), the hang-up's
 * signals (tty_signal_session_leader) and the session leader's farewell
 * (disassociate_ctty, no_tty); and ksys_setsid's proc_clear_tty
 * (kernel/sys.c) (Linux 6.x). */
#include "engine/internal.h"

static const char RULE_BG[] =
	"background: a process of the terminal's session outside its foreground "
	"group that reads (SIGTTIN), or changes the terminal or writes with TOSTOP "
	"(SIGTTOU), stops its whole group and the call restarts; EIO instead when "
	"the group is orphaned or, for SIGTTIN, when the signal is blocked or "
	"ignored; a blocked or ignored SIGTTOU lets the change through "
	"(drivers/tty/tty_jobctrl.c __tty_check_change)";
static const char RULE_HUP[] =
	"hangup: the terminal hung up; its session leader gets SIGHUP and "
	"SIGCONT, and no process has it as its controlling terminal any more "
	"(drivers/tty/tty_jobctrl.c tty_signal_session_leader)";
static const char RULE_DISASSOC[] =
	"disassociate: the session leader leaves its terminal (exit, or "
	"TIOCNOTTY): the foreground group gets SIGHUP (and SIGCONT unless the "
	"leader is exiting), and the session loses the terminal "
	"(drivers/tty/tty_jobctrl.c disassociate_ctty)";

/* The process group of a pgid, or NULL when nobody is in it. */
static struct pgroup *live_pgrp(sl_kernel *k, int pgid)
{
	struct pgroup *pg = pgid > 0 ? pgroup_get(k, pgid) : NULL;

	return pg && pg->members ? pg : NULL;
}

/* kill_pgrp: every member, newest first (__kill_pgrp_info); the kernel's
 * own (SEND_SIG_PRIV) or, for a task's TIOCNOTTY, the caller's
 * (SEND_SIG_NOINFO). */
void kill_tty_pgrp(sl_kernel *k, struct task *sender, int pgid, int sig, enum info_kind kind)
{
	struct pgroup *pg = live_pgrp(k, pgid);

	if (!pg)
		return;
	for (struct task *p = pg->members; p; p = p->group->pgrp_next)
		group_send_sig_info(k, sender, sig, kind, NULL, p, PIDTYPE_PGID);
}

static int pgid_of_task(const struct task *t)
{
	return t->group->pgrp ? t->group->pgrp->pgid : 0;
}

bool tty_is_ctty_of(const struct task *cur, int tty)
{
	return cur->group->tty == tty + 1;
}

/* __proc_set_tty: the terminal belongs to the caller's session, with the
 * caller's group in the foreground. */
void proc_set_tty(struct task *cur, struct model_tty *tty, int id)
{
	tty->pgrp = pgid_of_task(cur);
	tty->session = cur->group->sid;
	cur->group->tty = id + 1;
	cur->group->tty_old_pgrp = 0;
}

/* ksys_setsid: the new session has no controlling terminal
 * (proc_clear_tty of the caller), and the caller leads it. */
void tty_setsid(struct task *leader)
{
	leader->group->tty = 0;
	leader->group->session_leader = true;
}

/* session_clear_tty: no process of the session keeps the terminal. */
static void session_clear_tty(sl_kernel *k, int sid)
{
	for (size_t i = 0; i < k->nprocs; i++) {
		struct task *p = k->procs[i];

		if (p && p->group->sid == sid)
			p->group->tty = 0;
	}
}

/* is_ignored: the calling thread blocks it or the process ignores it. */
static bool is_ignored(const struct task *cur, int sig)
{
	return (cur->blocked & sl_sigmask(sig)) ||
	       cur->sighand->action[sig - 1].handler == SL_SIG_IGN;
}

/* __tty_check_change: only a process whose controlling terminal this is,
 * outside its foreground group, is checked. */
int tty_check_change_sig(sl_kernel *k, struct task *cur, int id, int sig)
{
	struct model_tty *tty = tty_get(k, id);
	int pgid = pgid_of_task(cur);

	if (!tty || !tty_is_ctty_of(cur, id) || !tty->pgrp || pgid == tty->pgrp)
		return 0;
	emit_note(k, cur->tid, sig, RULE_BG);
	if (is_ignored(cur, sig))
		return sig == SL_SIGTTIN ? -SL_EIO : 0;
	if (cur->group->pgrp && is_pgrp_orphaned(k, cur->group->pgrp))
		return -SL_EIO;
	kill_tty_pgrp(k, cur, pgid, sig, INFO_PRIV);
	cur->sigpending = true;
	return -SL_ERESTARTSYS;
}

/* tiocsctty: a session leader without a terminal takes one that is
 * nobody's; its own terminal again is no error. */
static long tiocsctty(struct task *cur, struct model_tty *tty, int id, long arg)
{
	(void)arg;	/* UNMODELED(arg 1: stealing with CAP_SYS_ADMIN) */
	if (cur->group->session_leader && tty->session && tty->session == cur->group->sid)
		return 0;
	if (!cur->group->session_leader || cur->group->tty)
		return -SL_EPERM;
	if (tty->session)
		return -SL_EPERM;
	proc_set_tty(cur, tty, id);
	return 0;
}

/* session_of_pgrp: the session of a member of the group, or else of the
 * process with that pid. */
static int session_of_pgrp(sl_kernel *k, int pgid, bool *found)
{
	struct pgroup *pg = live_pgrp(k, pgid);
	struct task *p;

	*found = true;
	if (pg)
		return pg->members->group->sid;
	p = find_task(k, pgid);
	if (p && !p->released)
		return p->group->sid;
	*found = false;
	return 0;
}

/* tiocspgrp: after the background check (whose EIO becomes ENOTTY), only
 * for the caller's own controlling terminal of its own session, to a
 * group of that session. */
static long tiocspgrp(sl_kernel *k, struct task *cur, struct model_tty *tty, int id, long pgid)
{
	int ret = tty_check_change_sig(k, cur, id, SL_SIGTTOU);
	bool found;
	int sid;

	if (ret == -SL_EIO)
		return -SL_ENOTTY;
	if (ret)
		return ret;
	if (!tty_is_ctty_of(cur, id) || tty->session != cur->group->sid)
		return -SL_ENOTTY;
	if (pgid < 0)
		return -SL_EINVAL;
	if (pgid > 0x3fffffff)
		return -SL_ESRCH;
	sid = session_of_pgrp(k, (int)pgid, &found);
	if (!found)
		return -SL_ESRCH;
	if (sid != cur->group->sid)
		return -SL_EPERM;
	tty->pgrp = (int)pgid;
	return 0;
}

/* disassociate_ctty: only a session leader.  On exit, a pty's foreground
 * group gets SIGHUP alone (from the kernel); TIOCNOTTY sends it SIGHUP and
 * SIGCONT from the caller.  A leader whose terminal hung up before
 * signals the group the hang-up left (tty_old_pgrp).  Then the terminal
 * and the session part. */
void disassociate_ctty(sl_kernel *k, struct task *cur, bool on_exit)
{
	struct signal_group *g = cur->group;
	enum info_kind kind = on_exit ? INFO_PRIV : INFO_NOINFO;
	struct model_tty *tty;

	if (!g->session_leader)
		return;
	tty = g->tty ? tty_get(k, g->tty - 1) : NULL;
	if (!tty) {
		int old = g->tty_old_pgrp;

		g->tty_old_pgrp = 0;
		if (on_exit && old && live_pgrp(k, old)) {
			emit_note(k, cur->tid, SL_SIGHUP, RULE_DISASSOC);
			kill_tty_pgrp(k, cur, old, SL_SIGHUP, INFO_PRIV);
			kill_tty_pgrp(k, cur, old, SL_SIGCONT, INFO_PRIV);
		}
		return;
	}
	if (live_pgrp(k, tty->pgrp)) {
		emit_note(k, cur->tid, SL_SIGHUP, RULE_DISASSOC);
		kill_tty_pgrp(k, cur, tty->pgrp, SL_SIGHUP, kind);
		if (!on_exit)
			kill_tty_pgrp(k, cur, tty->pgrp, SL_SIGCONT, kind);
	}
	g->tty_old_pgrp = 0;
	tty->session = 0;
	tty->pgrp = 0;
	session_clear_tty(k, g->sid);
}

/* tty_signal_session_leader, for a hang-up: every process of the session
 * loses the terminal; the leader gets SIGHUP and SIGCONT (from the
 * kernel) and keeps the foreground group in tty_old_pgrp.  Returns how
 * many processes had it. */
int tty_signal_session_leader(sl_kernel *k, struct model_tty *tty, int id)
{
	int refs = 0;

	if (!tty->session)
		return 0;
	for (size_t i = 0; i < k->nprocs; i++) {
		struct task *p = k->procs[i];

		if (!p || p->released || p->group->sid != tty->session)
			continue;
		if (p->group->tty == id + 1) {
			p->group->tty = 0;
			refs++;
		}
		if (!p->group->session_leader)
			continue;
		emit_note(k, 0, SL_SIGHUP, RULE_HUP);
		group_send_sig_info(k, NULL, SL_SIGHUP, INFO_PRIV, NULL, p, PIDTYPE_TGID);
		group_send_sig_info(k, NULL, SL_SIGCONT, INFO_PRIV, NULL, p, PIDTYPE_TGID);
		p->group->tty_old_pgrp = tty->pgrp;
	}
	return refs;
}

/* tty_jobctrl_ioctl on a slave. */
long tty_jobctrl_ioctl(sl_kernel *k, struct task *cur, int id, unsigned cmd, long arg)
{
	struct model_tty *tty = tty_get(k, id);

	switch (cmd) {
	case SL_TIOCNOTTY:
		if (!tty_is_ctty_of(cur, id))
			return -SL_ENOTTY;
		disassociate_ctty(k, cur, false);	/* no_tty */
		cur->group->tty = 0;
		return 0;
	case SL_TIOCSCTTY:
		return tiocsctty(cur, tty, id, arg);
	case SL_TIOCGPGRP:
		if (!tty_is_ctty_of(cur, id))
			return -SL_ENOTTY;
		return tty->pgrp;
	case SL_TIOCSPGRP:
		return tiocspgrp(k, cur, tty, id, arg);
	default:
		return -SL_ENOTTY;
	}
}
