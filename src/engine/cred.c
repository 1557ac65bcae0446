/* Models a task's user ids and the calls that change them, kernel/sys.c
 * __sys_setuid, __sys_setreuid, __sys_setresuid and sys_getresuid, with
 * commit_creds (kernel/cred.c) and, for what signals need of capabilities,
 * security/commoncap.c cap_task_fix_setuid (Linux 6.x).
 *
 * Credentials are per thread, as task->cred is: the raw system calls
 * change the caller's alone (glibc's setuid makes every thread call it).
 * CAP_SETUID and CAP_KILL are the effective capabilities a task has while
 * its effective uid is 0: a process starts with all capabilities when its
 * uids are 0 and none otherwise, cap_task_fix_setuid raises or drops the
 * effective set with the effective uid, and a task that has let go of uid
 * 0 in all three ids has no permitted set left, and so no way back. */
#include "engine/internal.h"

#define UID_KEEP UINT32_MAX	/* (uid_t)-1: "leave it unchanged" */

/* ns_capable(CAP_SETUID) / ns_capable(CAP_KILL). */
SL_PRIVATE bool cred_capable(const struct task *t)
{
	return t->cred->euid == 0;
}

/* commit_creds: a new effective uid (and with it the fsuid) clears the
 * parent-death signal and sets the mm's dumpable flag to fs.suid_dumpable,
 * which the model takes as its default 0 (not dumpable); a new real uid
 * moves the task to that user's counts (its ucounts). */
static long commit_creds(sl_kernel *k, struct task *t, uint32_t ruid, uint32_t euid,
			 uint32_t suid)
{
	struct cred *old = t->cred, *c;
	struct user *u = old->user;

	if (ruid == old->uid && euid == old->euid && suid == old->suid)
		return 0;
	if (ruid != old->uid) {
		u = user_get(k, ruid);
		if (!u)
			return -SL_EAGAIN;	/* set_user: alloc_uid failed */
	}
	c = kalloc(k, sizeof *c);	/* prepare_creds */
	if (!c)
		return -SL_ENOMEM;
	*c = (struct cred){ .uid = ruid, .euid = euid, .suid = suid, .refs = 1, .user = u };
	if (euid != old->euid) {
		t->pdeath_signal = 0;
		t->group->undumpable = true;
	}
	t->cred = c;
	put_cred(k, old);
	return 0;
}

struct cred *cred_get(sl_kernel *k, struct cred *share, uint32_t uid)
{
	struct cred *c;

	if (share) {
		share->refs++;
		return share;
	}
	c = kalloc(k, sizeof *c);
	if (!c)
		return NULL;
	*c = (struct cred){ .uid = uid, .euid = uid, .suid = uid, .refs = 1,
			    .user = user_get(k, uid) };
	if (!c->user) {
		kfree(k, c, sizeof *c);
		return NULL;
	}
	return c;
}

void put_cred(sl_kernel *k, struct cred *c)
{
	SL_ASSERT(c->refs > 0);
	if (--c->refs == 0)
		kfree(k, c, sizeof *c);
}

static bool is_one_of(uint32_t id, uint32_t a, uint32_t b, uint32_t c)
{
	return id == a || id == b || id == c;
}

/* setuid: with CAP_SETUID all three ids; else the effective one, to the
 * real or saved uid only. */
long sl_sys_setuid(sl_kernel *k, int caller, uint32_t uid)
{
	struct task *cur = syscall_caller(k, caller);

	if (!cur)
		return -SL_ESRCH;
	if (uid == UID_KEEP)
		return -SL_EINVAL;	/* not a valid kuid */
	if (cred_capable(cur))
		return commit_creds(k, cur, uid, uid, uid);
	if (uid != cur->cred->uid && uid != cur->cred->suid)
		return -SL_EPERM;
	return commit_creds(k, cur, cur->cred->uid, uid, cur->cred->suid);
}

/* setreuid: the real uid may become the old real or effective one, the
 * effective uid any of the three; the saved uid follows the new effective
 * one when the real uid is set, or the effective one is set to something
 * other than the old real uid. */
long sl_sys_setreuid(sl_kernel *k, int caller, uint32_t ruid, uint32_t euid)
{
	struct task *cur = syscall_caller(k, caller);
	uint32_t nr, ne, ns;
	bool cap;

	if (!cur)
		return -SL_ESRCH;
	cap = cred_capable(cur);
	nr = ruid == UID_KEEP ? cur->cred->uid : ruid;
	ne = euid == UID_KEEP ? cur->cred->euid : euid;
	ns = cur->cred->suid;
	if (ruid != UID_KEEP && !cap && ruid != cur->cred->uid && ruid != cur->cred->euid)
		return -SL_EPERM;
	if (euid != UID_KEEP && !cap && !is_one_of(euid, cur->cred->uid, cur->cred->euid, cur->cred->suid))
		return -SL_EPERM;
	if (ruid != UID_KEEP || (euid != UID_KEEP && euid != cur->cred->uid))
		ns = ne;
	return commit_creds(k, cur, nr, ne, ns);
}

/* setresuid: without CAP_SETUID each id given must be one of the three
 * old ones. */
long sl_sys_setresuid(sl_kernel *k, int caller, uint32_t ruid, uint32_t euid, uint32_t suid)
{
	struct task *cur = syscall_caller(k, caller);
	const uint32_t ids[3] = { ruid, euid, suid };

	if (!cur)
		return -SL_ESRCH;
	for (int i = 0; i < 3 && !cred_capable(cur); i++)
		if (ids[i] != UID_KEEP && !is_one_of(ids[i], cur->cred->uid, cur->cred->euid, cur->cred->suid))
			return -SL_EPERM;
	return commit_creds(k, cur, ruid == UID_KEEP ? cur->cred->uid : ruid,
			    euid == UID_KEEP ? cur->cred->euid : euid,
			    suid == UID_KEEP ? cur->cred->suid : suid);
}

long sl_sys_getresuid(sl_kernel *k, int caller, uint32_t *ruid, uint32_t *euid, uint32_t *suid)
{
	struct task *cur = syscall_caller(k, caller);

	if (!cur)
		return -SL_ESRCH;
	*ruid = cur->cred->uid;
	*euid = cur->cred->euid;
	*suid = cur->cred->suid;
	return 0;
}
