/*
 * The agent's user-id statements: the raw setuid, setreuid, setresuid and
 * getresuid of the calling thread, in host uids (scenario uid N is the
 * run's base + N, internal.h).
 *
 * Scenario uid 0 is not the host's uid 0, so the kernel's own capability
 * rule for uid changes (security/commoncap.c cap_task_fix_setuid, which
 * looks for uid 0) never fires on the host: the agent applies it itself,
 * in the scenario's uids, after each successful call.  Losing 0 in all
 * three ids drops every capability; an effective uid leaving 0 drops the
 * effective set; one coming back to 0 raises it again from the permitted
 * set (CAP_SYS_ADMIN stays lowered: agent_admin_effective).  A new
 * effective uid sets the dumpable flag to fs.suid_dumpable (commit_creds),
 * the model's rule too; where the scenario does not state dumpability the
 * agent lowers it, as take_creds did, so that a Core action writes no
 * core.  Raw system calls only.
 */
#include <errno.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "host/internal.h"

static uint32_t host_uid(uint32_t uid)
{
	return uid == UINT32_MAX ? uid : agent_host_uid(uid);
}

static void get_ids(uint32_t ids[3])
{
	uint32_t h[3] = { 0, 0, 0 };

	(void)xlat_syscall(SYS_getresuid, (long)&h[0], (long)&h[1], (long)&h[2], 0);
	for (int i = 0; i < 3; i++)
		ids[i] = agent_scenario_uid(h[i]);
}

static void fix_caps(const uint32_t old[3], const uint32_t now[3])
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct caps[2];
	uint32_t admin = (uint32_t)1 << CAP_SYS_ADMIN;
	bool had_root = old[0] == 0 || old[1] == 0 || old[2] == 0;
	bool has_root = now[0] == 0 || now[1] == 0 || now[2] == 0;

	if (xlat_syscall(SYS_capget, (long)&hdr, (long)caps, 0, 0) < 0)
		return;
	if (had_root && !has_root)
		caps[0].permitted = caps[0].inheritable = 0;
	if (old[1] == 0 && now[1] != 0)
		caps[0].effective = 0;
	else if (old[1] != 0 && now[1] == 0)
		caps[0].effective = caps[0].permitted & ~admin;
	caps[0].effective &= caps[0].permitted;
	(void)xlat_syscall(SYS_capset, (long)&hdr, (long)caps, 0, 0);
}

static int64_t set_ids(const struct agent_env *e, long nr, const struct sc_stmt *st)
{
	uint32_t old[3], now[3];
	long r;

	get_ids(old);
	r = xlat_syscall(nr, host_uid(st->uids[0]), host_uid(st->uids[1]),
			 host_uid(st->uids[2]), 0);
	if (r < 0)
		return r;
	get_ids(now);
	fix_caps(old, now);
	/* A scenario that states dumpability sees the kernel's own rule
	 * (commit_creds: a new effective uid sets fs.suid_dumpable, 0 here,
	 * host_core_skip); for the others no Core action may write a file. */
	if (!host_core_dumps(e->s))
		(void)xlat_syscall(SYS_prctl, PR_SET_DUMPABLE, 0, 0, 0);
	return r;
}

int64_t agent_op_setuid(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)end;
	return set_ids(e, SYS_setuid, st);
}

int64_t agent_op_setreuid(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)end;
	return set_ids(e, SYS_setreuid, st);
}

int64_t agent_op_setresuid(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	(void)end;
	return set_ids(e, SYS_setresuid, st);
}

int64_t agent_op_getresuid(const struct agent_env *e, const struct sc_stmt *st, struct report *end)
{
	uint32_t ids[3];

	(void)e;
	(void)st;
	get_ids(ids);
	end->t_value = ids[0];
	end->t_interval = ids[1];
	end->value = ids[2];
	return 0;
}
